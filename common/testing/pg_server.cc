#include "common/testing/pg_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/pg_db.h"

namespace carescore::testing {
namespace {

constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Runs `command` through the shell, as `postgres` when we are root.
absl::Status RunAsServerUser(const std::string& command) {
  const std::string full =
      geteuid() == 0 ? absl::StrCat("runuser -u postgres -- ", command) : command;
  const int rc = std::system(full.c_str());
  if (rc != 0) return absl::InternalError(absl::StrCat("`", full, "` failed (status ", rc, ")"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgServer>> PgServer::Start() {
  if (!std::filesystem::exists(absl::StrCat(kBin, "/initdb"))) {
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL 15 is not installed (no ", kBin,
                     "/initdb): scripts/install-deps.sh installs it"));
  }
  std::string templ = (std::filesystem::temp_directory_path() / "carescore-pg-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  if (geteuid() == 0) {
    if (std::system(absl::StrCat("chown postgres ", templ).c_str()) != 0) {
      return absl::InternalError("cannot give the test folder to the postgres user");
    }
  }
  chmod(templ.c_str(), 0700);
  auto server = std::unique_ptr<PgServer>(new PgServer(templ, FreePort()));
  absl::Status init = RunAsServerUser(absl::StrCat(
      kBin, "/initdb -D ", templ, "/data -A trust -U postgres --no-sync -E UTF8 --locale=C > ",
      templ, "/initdb.log 2>&1"));
  if (!init.ok()) return init;
  absl::Status started = server->StartServer();
  if (!started.ok()) return started;
  return server;
}

absl::Status PgServer::StartServer() {
  return RunAsServerUser(absl::StrCat(
      kBin, "/pg_ctl -D ", dir_, "/data -w -t 60 -l ", dir_, "/server.log -o \"-p ", port_, " -k ",
      dir_, " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
      " -c max_connections=200\" start > /dev/null"));
}

absl::StatusOr<std::unique_ptr<PgServer>> PgServer::Attach(const std::string& dir) {
  std::ifstream in(dir + "/port");
  int port = 0;
  if (!(in >> port) || port <= 0) return absl::NotFoundError("no test server running");
  auto server = std::unique_ptr<PgServer>(new PgServer(dir, port));
  server->owned_ = false;
  return server;
}

absl::StatusOr<PgServer*> PgServer::Shared() {
  static absl::StatusOr<std::unique_ptr<PgServer>>* shared = [] {
    // ctest starts one server for every test program (the `postgresql`
    // fixture, tests/pg_test_server.sh) and names its folder here; a test
    // program run by hand starts its own.
    const char* dir = std::getenv("CARESCORE_TEST_PG_DIR");
    if (dir != nullptr && *dir != '\0') {
      auto attached = new absl::StatusOr<std::unique_ptr<PgServer>>(Attach(dir));
      if (attached->ok()) return attached;
      delete attached;
    }
    return new absl::StatusOr<std::unique_ptr<PgServer>>(Start());
  }();
  static const bool cleanup = [] {
    std::atexit([] {
      if (shared->ok()) shared->value().reset();
    });
    return true;
  }();
  (void)cleanup;
  if (!shared->ok()) return shared->status();
  return shared->value().get();
}

PgServer::~PgServer() {
  if (!owned_) return;
  (void)RunAsServerUser(
      absl::StrCat(kBin, "/pg_ctl -D ", dir_, "/data -m immediate stop > /dev/null 2>&1"));
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PgServer::AdminUrl() const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/postgres");
}

absl::StatusOr<std::string> PgServer::NewDatabase() {
  absl::StatusOr<std::unique_ptr<PgConn>> admin = PgConn::Connect(AdminUrl(), "");
  if (!admin.ok()) return admin.status();
  const std::string name = absl::StrCat("t", getpid(), "_", next_db_++);
  absl::Status made = (*admin)->Run(absl::StrCat("CREATE DATABASE ", name));
  if (!made.ok()) return made;
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", name);
}

absl::Status PgServer::Restart() {
  absl::Status stopped = RunAsServerUser(
      absl::StrCat(kBin, "/pg_ctl -D ", dir_, "/data -m immediate stop > /dev/null 2>&1"));
  if (!stopped.ok()) return stopped;
  return StartServer();
}

}  // namespace carescore::testing
