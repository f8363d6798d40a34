#ifndef CARESCORE_CLIENTS_CLI_CLIENT_H_
#define CARESCORE_CLIENTS_CLI_CLIENT_H_

// What every CLI command shares: the global options, one channel to the
// server with a stub per service, deadlines and the caller's identity on
// every call, and turning answers into statuses and printed tables.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/benchmarks.grpc.pb.h"
#include "carescore/v1/escalations.grpc.pb.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "carescore/v1/reports.grpc.pb.h"
#include "clients/cli/output.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"

namespace carescore::cli {

// The server's answer as a status, with "<what>: " in front and a hint when
// the server is unreachable or does not host the service.
absl::Status Rpc(const grpc::Status& status, absl::string_view what);

struct GlobalOptions {
  std::string server = "127.0.0.1:50051";
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

class Client {
 public:
  explicit Client(const GlobalOptions& options) : options_(options) {}

  v1::IndicatorService::Stub& indicators();
  v1::BenchmarkService::Stub& benchmarks();
  v1::EscalationService::Stub& escalations();
  v1::ReportService::Stub& reports();
  // Sets the deadline (long for bulk loads) and the actor metadata.
  void Prepare(grpc::ClientContext& ctx, bool long_running = false) const;
  // One unary call on `stub` with Prepare's deadline and actor: the
  // server's answer as a status, worded by Rpc with `what`.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response, absl::string_view what) const {
    grpc::ClientContext ctx;
    Prepare(ctx);
    return Rpc((stub.*method)(&ctx, request, response), what);
  }
  // --actor, else $CARESCORE_ACTOR, $USER or $LOGNAME; empty if none.
  std::string Actor() const;
  absl::StatusOr<Format> format() const { return ParseFormat(options_.format); }

 private:
  std::shared_ptr<grpc::Channel> Channel();

  const GlobalOptions& options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IndicatorService::Stub> stub_;
  std::unique_ptr<v1::BenchmarkService::Stub> benchmarks_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
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
