#ifndef CARESCORE_CLIENTS_CLI_CLIENT_H_
#define CARESCORE_CLIENTS_CLI_CLIENT_H_

// What every CLI command shares: the global options, one channel to the
// server with a stub per service, deadlines and the caller's bearer token on
// every call, and turning answers into statuses and printed tables.

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/admin.grpc.pb.h"
#include "carescore/v1/audit.grpc.pb.h"
#include "carescore/v1/benchmarks.grpc.pb.h"
#include "carescore/v1/escalations.grpc.pb.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "carescore/v1/reports.grpc.pb.h"
#include "carescore/v1/server_info.grpc.pb.h"
#include "clients/cli/output.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"

namespace carescore::cli {

// The server's answer as a status, with "<what>: " in front and a hint when
// the server is unreachable, does not host the service, or wants a token.
absl::Status Rpc(const grpc::Status& status, absl::string_view what);

// A failure the command has already printed in full (on stdout, as its
// answer): main exits non-zero without printing it again.
absl::Status AlreadyPrinted(absl::Status status);
bool WasPrinted(const absl::Status& status);

struct GlobalOptions {
  std::string server = "127.0.0.1:50051";
  // --token / --token-file: the bearer token sent on every call (see
  // ResolveToken). Never printed.
  std::string token;
  std::string token_file;
  // Only the default author of commentary: the server takes who is acting
  // from the token.
  std::string actor;
  std::string format = "table";
  double timeout_seconds = 60;
  double import_timeout_seconds = 900;
  // --tls-ca (CARESCORE_TLS_CA): TLS to the server, verified against this CA
  // (PEM); empty: plaintext. --tls-cert/--tls-key: a client certificate, for
  // servers that require one (mutual TLS).
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
};

// The bearer token to send: --token, else the contents of --token-file,
// else $CARESCORE_TOKEN, else the contents of the file $CARESCORE_TOKEN_FILE
// names (a flag beats the environment); white space around it trimmed. ""
// when none is given. InvalidArgument naming the flag or variable (and the
// file) for a file that cannot be read or holds no token, or a token with
// characters no token has; the message never holds the token.
// `env` reads a variable (tests pass a fake environment).
absl::StatusOr<std::string> ResolveToken(
    const GlobalOptions& options, const std::function<const char*(const char*)>& env =
                                      [](const char* name) { return std::getenv(name); });

// A new random (version 4) UUID, for request ids.
std::string NewRequestId();
// If `message` has a string field `request_id` that is empty, sets it to a
// NewRequestId(); true if `message` has the field (it is a write).
bool SetRequestId(google::protobuf::Message& message);

class Client {
 public:
  explicit Client(const GlobalOptions& options) : options_(options) {}

  // Reads the token (ResolveToken) for every call after it; call once the
  // options are parsed, before any call.
  absl::Status LoadCredentials();

  v1::IndicatorService::Stub& indicators();
  v1::BenchmarkService::Stub& benchmarks();
  v1::EscalationService::Stub& escalations();
  v1::ReportService::Stub& reports();
  v1::AuditService::Stub& audit();
  v1::AdminService::Stub& admin();
  v1::ServerInfoService::Stub& server_info();
  grpc::health::v1::Health::Stub& health();
  // Sets the deadline (long for bulk loads) and the bearer token.
  void Prepare(grpc::ClientContext& ctx, bool long_running = false) const;
  // Adds the bearer token (`authorization: Bearer <token>`), if one was
  // given, and nothing else: for calls with no deadline (a watch).
  void AddCredentials(grpc::ClientContext& ctx) const;
  // One unary call on `stub` with Prepare's deadline and token: the
  // server's answer as a status, worded by Rpc with `what`. A write (a
  // request with a `request_id` field) gets a new request id if it has none,
  // so that the channel's retry policy (UNAVAILABLE only, common/
  // grpc_limits.h) may send it again, answer lost or not: the server answers
  // a repeat with the first answer and writes nothing twice.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response, absl::string_view what) const {
    Request sent = request;
    SetRequestId(sent);
    grpc::ClientContext ctx;
    Prepare(ctx);
    return Rpc((stub.*method)(&ctx, sent, response), what);
  }
  // --actor, else $CARESCORE_ACTOR, $USER or $LOGNAME; empty if none. The
  // default commentary author only; never sent as the caller's identity.
  std::string Actor() const;
  absl::StatusOr<Format> format() const { return ParseFormat(options_.format); }

 private:
  std::shared_ptr<grpc::Channel> Channel();

  const GlobalOptions& options_;
  std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IndicatorService::Stub> stub_;
  std::unique_ptr<v1::BenchmarkService::Stub> benchmarks_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::ServerInfoService::Stub> server_info_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

// RFC 3339 in UTC with microseconds.
std::string Rfc3339(const google::protobuf::Timestamp& ts);
// RFC 3339 (any offset). InvalidArgument naming `flag` otherwise.
absl::StatusOr<google::protobuf::Timestamp> ParseRfc3339(const std::string& text,
                                                         absl::string_view flag = "--as-of");
// OK when exactly one of --period and --year is given, else InvalidArgument.
absl::Status PeriodChoice(const std::string& period, const std::string& year);
// A number cell, or null when absent.
nlohmann::json Optional(bool present, double v);
absl::Status PrintTable(Client& client, const Table& table);
// Adds the file name in front and says what row numbers mean.
absl::Status InFile(const absl::Status& s, const std::string& path);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_CLIENT_H_
