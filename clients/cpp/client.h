#ifndef CARESCORE_CLIENTS_CPP_CLIENT_H_
#define CARESCORE_CLIENTS_CPP_CLIENT_H_

// A thin client for the carescore gRPC API, for other C++ systems (link the
// CMake target carescore_client): one channel (TLS with a CA file, or
// plaintext for a server on this machine), the bearer token and a default
// deadline on every call, and errors decoded from the google.rpc.Status
// details (ErrorInfo reason and metadata, BadRequest field violations).
//
//   absl::StatusOr<std::unique_ptr<carescore::client::Client>> c =
//       carescore::client::Client::Connect("localhost:50051", {.token = token});
//   v1::GetScorecardResponse response;
//   carescore::client::Error e = (*c)->Call(&v1::ReportService::Stub::GetScorecard,
//                                           (*c)->reports(), request, &response);
//   if (e.reason == "LA_NOT_FOUND") ...
//
// Thread-safe: the stubs and Call may be used from any thread at once.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carescore/v1/admin.grpc.pb.h"
#include "carescore/v1/audit.grpc.pb.h"
#include "carescore/v1/benchmarks.grpc.pb.h"
#include "carescore/v1/escalations.grpc.pb.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "carescore/v1/reports.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace carescore::client {

// The ErrorInfo domain of every carescore error.
inline constexpr char kErrorDomain[] = "carescore.gov.uk";

struct ClientOptions {
  // Bearer token (JWT), sent as `authorization: Bearer <token>`; empty: none.
  std::string token;
  // PEM file of the CA that signed the server's certificate; empty means
  // plaintext, for a server on this machine only.
  std::string ca_file;
  // The name the certificate must carry, if not the address's host.
  std::string server_name;
  // How long each call may take unless its context sets its own deadline.
  std::chrono::milliseconds deadline{30000};
};

struct FieldViolation {
  std::string field;
  std::string description;
};

// A call's outcome: ok() or the gRPC code and message with the decoded
// details. `reason` is the ErrorInfo reason (a carescore.v1.ErrorReason
// name, e.g. "LA_NOT_FOUND"), empty when the server sent none.
struct Error {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string reason;
  std::string domain;
  std::map<std::string, std::string> metadata;
  std::vector<FieldViolation> field_violations;

  bool ok() const { return code == grpc::StatusCode::OK; }
  // "NOT_FOUND: no local authority 999 [LA_NOT_FOUND]".
  std::string ToString() const;
  // The same code and message as an absl::Status, for code that uses them.
  absl::Status ToStatus() const;
  // Decodes `status` and its error_details (a serialized google.rpc.Status).
  static Error FromStatus(const grpc::Status& status);
};

// The canonical name of a code: "NOT_FOUND".
std::string CodeName(grpc::StatusCode code);

class Client {
 public:
  // Makes the channel (it connects on the first call). InvalidArgument if
  // the CA file cannot be read.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(const std::string& address,
                                                         ClientOptions options);

  v1::IndicatorService::Stub& indicators() { return *indicators_; }
  v1::BenchmarkService::Stub& benchmarks() { return *benchmarks_; }
  v1::EscalationService::Stub& escalations() { return *escalations_; }
  v1::ReportService::Stub& reports() { return *reports_; }
  v1::AuditService::Stub& audit() { return *audit_; }
  v1::AdminService::Stub& admin() { return *admin_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // Adds the token and, unless `deadline` is given, the default deadline:
  // for streaming calls, made on the stubs directly.
  void Prepare(grpc::ClientContext& context) const;
  void Prepare(grpc::ClientContext& context, std::chrono::milliseconds deadline) const;

  // One unary call with a prepared context:
  //   Call(&v1::ReportService::Stub::GetScorecard, reports(), request, &response)
  template <class Stub, class Request, class Response>
  Error Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
             Stub& stub, const Request& request, Response* response) const {
    grpc::ClientContext context;
    Prepare(context);
    return Error::FromStatus((stub.*method)(&context, request, response));
  }

 private:
  Client(std::shared_ptr<grpc::Channel> channel, ClientOptions options);

  std::shared_ptr<grpc::Channel> channel_;
  ClientOptions options_;
  std::unique_ptr<v1::IndicatorService::Stub> indicators_;
  std::unique_ptr<v1::BenchmarkService::Stub> benchmarks_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

}  // namespace carescore::client

#endif  // CARESCORE_CLIENTS_CPP_CLIENT_H_
