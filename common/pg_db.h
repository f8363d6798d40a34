#ifndef CARESCORE_COMMON_PG_DB_H_
#define CARESCORE_COMMON_PG_DB_H_

// A thin layer over libpq for the services' PostgreSQL stores: a pool of
// connections, parameterised statements, transactions, COPY and versioned
// migrations, with libpq's errors turned into absl::Status. Each store keeps
// its tables in its own PostgreSQL schema (search_path is set on every
// connection), so one database can hold every store of a suite.
//
// Errors map by SQLSTATE: lost or refused connections, shutdowns and
// exhausted resources are Unavailable (a retry may work; the broken
// connection is dropped and the next use connects again), serialization
// failures and deadlocks are Aborted, constraint violations
// FailedPrecondition, everything else Internal.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace carescore {

// One statement parameter: text, bytes (bytea) or SQL NULL.
class PgParam {
 public:
  static PgParam Text(absl::string_view v) { return PgParam(std::string(v), false); }
  static PgParam Bytes(absl::string_view v) { return PgParam(std::string(v), true); }
  static PgParam Int(int64_t v);
  // Written so it reads back as the same double.
  static PgParam Double(double v);
  static PgParam OptionalDouble(bool present, double v) { return present ? Double(v) : Null(); }
  static PgParam Null() { return PgParam(std::nullopt, false); }

  const std::optional<std::string>& value() const { return value_; }
  bool binary() const { return binary_; }

 private:
  PgParam(std::optional<std::string> v, bool binary) : value_(std::move(v)), binary_(binary) {}
  std::optional<std::string> value_;
  bool binary_;
};

// A statement's result (text format). Rows and columns count from 0.
class PgResult {
 public:
  explicit PgResult(PGresult* res) : res_(res) {}
  PgResult(PgResult&& other) noexcept : res_(other.res_) { other.res_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // Rows an INSERT, UPDATE or DELETE touched.
  int64_t affected() const;
  bool IsNull(int row, int col) const;
  absl::string_view Text(int row, int col) const;
  int64_t Int(int row, int col) const;
  double Double(int row, int col) const;
  std::optional<double> OptionalDouble(int row, int col) const;
  // A bytea column's bytes.
  std::string Bytes(int row, int col) const;

 private:
  PGresult* res_;
};

// One connection. Not thread-safe: take it from a PgPool, which gives it to
// one caller at a time.
class PgConn {
 public:
  // Connects to `url` ("postgresql://user@host:port/db?..."), sets
  // search_path to `schema` (created by the migrations; "" leaves it).
  // Unavailable naming the host and libpq's reason (never the password).
  static absl::StatusOr<std::unique_ptr<PgConn>> Connect(const std::string& url,
                                                         const std::string& schema);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs one statement with `$1`.. parameters.
  absl::StatusOr<PgResult> Exec(absl::string_view sql, const std::vector<PgParam>& params = {});
  // Runs statements with no parameters and no results (DDL, BEGIN...).
  [[nodiscard]] absl::Status Run(absl::string_view sql);
  // COPY `copy_sql` ("COPY t(a, b) FROM STDIN") fed `data` in COPY text
  // format (rows made with PgCopyRow).
  [[nodiscard]] absl::Status CopyIn(absl::string_view copy_sql, absl::string_view data);

  // False once the connection has broken; the pool then connects again.
  bool healthy() const;
  PGconn* raw() { return conn_; }
  // "host:port/db", for messages.
  const std::string& where() const { return where_; }

 private:
  PgConn(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  absl::Status ResultError(PGresult* res, absl::string_view sql);
  PGconn* conn_;
  std::string where_;
};

// Appends one row to COPY text-format data: fields tab-separated, escaped,
// std::nullopt written as NULL.
void PgCopyRow(std::string* data, const std::vector<std::optional<std::string>>& fields);
// A double written for COPY or a parameter, read back as the same double.
std::string PgDoubleText(double v);

class PgPool;

// A connection borrowed from a pool; given back when destroyed.
class PgLease {
 public:
  PgLease(PgPool* pool, std::unique_ptr<PgConn> conn) : pool_(pool), conn_(std::move(conn)) {}
  PgLease(PgLease&&) noexcept = default;
  PgLease& operator=(PgLease&&) = delete;
  PgLease(const PgLease&) = delete;
  ~PgLease();
  PgConn* operator->() { return conn_.get(); }
  PgConn& operator*() { return *conn_; }

 private:
  PgPool* pool_;
  std::unique_ptr<PgConn> conn_;
};

// Up to `size` connections to one database with one search_path; callers
// beyond that wait. Thread-safe.
class PgPool {
 public:
  // Connects once to check the URL (the error names the host and cause).
  static absl::StatusOr<std::unique_ptr<PgPool>> Open(const std::string& url,
                                                      const std::string& schema, int size = 8);
  // A healthy connection (connecting again if the one kept broke).
  absl::StatusOr<PgLease> Acquire();
  // Runs `body` in one transaction on a pooled connection: committed if it
  // returns OK, rolled back otherwise (its error returned).
  [[nodiscard]] absl::Status InTransaction(absl::FunctionRef<absl::Status(PgConn&)> body);
  const std::string& url() const { return url_; }
  const std::string& schema() const { return schema_; }

 private:
  friend class PgLease;
  PgPool(std::string url, std::string schema, int size)
      : url_(std::move(url)), schema_(std::move(schema)), size_(size) {}
  void GiveBack(std::unique_ptr<PgConn> conn);
  const std::string url_;
  const std::string schema_;
  const int size_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConn>> idle_ ABSL_GUARDED_BY(mu_);
  int out_ ABSL_GUARDED_BY(mu_) = 0;
};

// BEGIN .. COMMIT on one connection; rolls back unless Commit() succeeded.
class PgTransaction {
 public:
  // Check status() before using the transaction.
  explicit PgTransaction(PgConn& conn);
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  const absl::Status& status() const { return begin_status_; }
  [[nodiscard]] absl::Status Commit();

 private:
  PgConn& conn_;
  absl::Status begin_status_;
  bool done_ = false;
};

// Brings the store's schema up to date: creates the schema if need be, then
// applies `migrations[i]` (version i -> i + 1) from the version recorded in
// <schema>.schema_version, all in one transaction under an advisory lock, so
// replicas starting together apply each migration once and a failing one
// leaves the previous schema as it was. FailedPrecondition if a newer build
// wrote the schema; `store` names it in messages ("indicator").
[[nodiscard]] absl::Status MigratePgSchema(PgPool& pool, absl::string_view store,
                                           const std::vector<absl::string_view>& migrations);

// True for the URLs the stores accept ("postgresql://", "postgres://").
bool IsPostgresUrl(absl::string_view url);
// The URL with any password replaced by "***", for logs.
std::string RedactedPgUrl(absl::string_view url);

}  // namespace carescore

#endif  // CARESCORE_COMMON_PG_DB_H_
