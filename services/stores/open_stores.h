#ifndef CARESCORE_SERVICES_STORES_OPEN_STORES_H_
#define CARESCORE_SERVICES_STORES_OPEN_STORES_H_

// Where each service keeps its state, chosen once in main: in PostgreSQL
// (its own schema of the --database URL, shared by every replica) when
// `database` is set, else the embedded SQLite file in `data_dir` (the
// default on one machine). Each opener brings the schema up to date and
// fails, naming the store and the cause, if it cannot.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/idempotency/request_log.h"
#include "services/benchmarks/benchmark_store.h"
#include "services/escalations/escalation_store.h"
#include "services/indicators/indicator_store.h"
#include "services/reports/commentary_store.h"

namespace carescore::stores {

struct StoreLocation;
// `data_dir`/`name`.db.
std::string SqlitePath(const StoreLocation& where, const std::string& name);
// "<name> store: PostgreSQL <url without password> (schema <name>)" or the file.
void LogStoreLocation(const std::string& name, const std::string& database,
                      const std::string& path);

struct StoreLocation {
  std::string database;  // PostgreSQL URL, or empty.
  std::string data_dir;
};

// Opens `Pg` (schema `name`) or `Sqlite` (`name`.db in the data folder);
// errors name the store. Logs where the store is (never a password).
template <typename Interface, typename Sqlite, typename Pg>
absl::StatusOr<std::unique_ptr<Interface>> OpenStore(const StoreLocation& where,
                                                     const std::string& name) {
  absl::StatusOr<std::unique_ptr<Interface>> store;
  if (!where.database.empty()) {
    LogStoreLocation(name, where.database, "");
    store = Pg::Open(where.database);
  } else {
    const std::string path = SqlitePath(where, name);
    LogStoreLocation(name, "", path);
    store = Sqlite::Open(path);
  }
  if (!store.ok()) {
    return absl::Status(store.status().code(),
                        absl::StrCat(name, " store: ", store.status().message()));
  }
  return store;
}

// indicators.db / schema indicators.
absl::StatusOr<std::unique_ptr<indicators::IndicatorStore>> OpenIndicatorStore(
    const StoreLocation& where);
// benchmarks.db / schema benchmarks.
absl::StatusOr<std::unique_ptr<benchmarks::BenchmarkStore>> OpenBenchmarkStore(
    const StoreLocation& where);
// escalations.db / schema escalations.
absl::StatusOr<std::unique_ptr<escalations::EscalationStore>> OpenEscalationStore(
    const StoreLocation& where);
// reports.db / schema reports (commentary).
absl::StatusOr<std::unique_ptr<reports::CommentaryStore>> OpenCommentaryStore(
    const StoreLocation& where);

// requests.db / schema requests: the answers to writes sent with a
// request_id (common/idempotency), shared by the services of one process and
// by every replica on one PostgreSQL.
absl::StatusOr<std::unique_ptr<RequestLog>> OpenRequestLog(const StoreLocation& where);

}  // namespace carescore::stores

#endif  // CARESCORE_SERVICES_STORES_OPEN_STORES_H_
