#ifndef CARESCORE_COMMON_TESTING_PG_SERVER_H_
#define CARESCORE_COMMON_TESTING_PG_SERVER_H_

// A real PostgreSQL server for tests: initdb into a temporary folder, then
// pg_ctl start on 127.0.0.1 and a free port, run as the `postgres` user
// through runuser when the tests run as root (PostgreSQL refuses root).
// fsync is off: the tests check behaviour, not durability. Each test takes
// a fresh database from NewDatabase(). For tests only.

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace carescore::testing {

class PgServer {
 public:
  // Starts a server; the error says what failed (no PostgreSQL installed:
  // scripts/install-deps.sh installs it).
  static absl::StatusOr<std::unique_ptr<PgServer>> Start();
  // One server per test program, started on first use and stopped at exit,
  // or the one ctest's fixture runs (CARESCORE_TEST_PG_DIR). Tests on it
  // must not stop or restart it: fault tests Start() their own.
  static absl::StatusOr<PgServer*> Shared();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Creates an empty database and returns its URL.
  absl::StatusOr<std::string> NewDatabase();
  // The URL of the `postgres` database.
  std::string AdminUrl() const;
  int port() const { return port_; }
  // Stops the server at once (as a crash would) and starts it again on the
  // same port and data, for fault tests.
  absl::Status Restart();

 private:
  PgServer(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}
  static absl::StatusOr<std::unique_ptr<PgServer>> Attach(const std::string& dir);
  absl::Status StartServer();
  std::string dir_;
  int port_;
  int next_db_ = 0;
  bool owned_ = true;  // Stopped and removed with *this.
};

}  // namespace carescore::testing

#endif  // CARESCORE_COMMON_TESTING_PG_SERVER_H_
