#include "clients/cli/client.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/grpc_limits.h"
#include "common/grpc_status.h"
#include "common/proto_time.h"

namespace carescore::cli {

v1::IndicatorService::Stub& Client::indicators() {
  if (!stub_) stub_ = v1::IndicatorService::NewStub(Channel());
  return *stub_;
}

v1::BenchmarkService::Stub& Client::benchmarks() {
  if (!benchmarks_) benchmarks_ = v1::BenchmarkService::NewStub(Channel());
  return *benchmarks_;
}

v1::EscalationService::Stub& Client::escalations() {
  if (!escalations_) escalations_ = v1::EscalationService::NewStub(Channel());
  return *escalations_;
}

v1::ReportService::Stub& Client::reports() {
  if (!reports_) reports_ = v1::ReportService::NewStub(Channel());
  return *reports_;
}

v1::AuditService::Stub& Client::audit() {
  if (!audit_) audit_ = v1::AuditService::NewStub(Channel());
  return *audit_;
}

v1::AdminService::Stub& Client::admin() {
  if (!admin_) admin_ = v1::AdminService::NewStub(Channel());
  return *admin_;
}

v1::ServerInfoService::Stub& Client::server_info() {
  if (!server_info_) server_info_ = v1::ServerInfoService::NewStub(Channel());
  return *server_info_;
}

grpc::health::v1::Health::Stub& Client::health() {
  if (!health_) health_ = grpc::health::v1::Health::NewStub(Channel());
  return *health_;
}

absl::Status Client::LoadCredentials() {
  absl::StatusOr<std::string> token = ResolveToken(options_);
  if (!token.ok()) return token.status();
  token_ = *std::move(token);
  return absl::OkStatus();
}

void Client::Prepare(grpc::ClientContext& ctx, bool long_running) const {
  const double seconds = long_running ? options_.import_timeout_seconds : options_.timeout_seconds;
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  AddCredentials(ctx);
}

void Client::AddCredentials(grpc::ClientContext& ctx) const {
  // The server takes who is acting from the token alone.
  if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
}

std::string Client::Actor() const {
  if (!options_.actor.empty()) return options_.actor;
  for (const char* var : {"CARESCORE_ACTOR", "USER", "LOGNAME"}) {
    const char* value = std::getenv(var);
    if (value != nullptr && *value != '\0') return value;
  }
  return "";
}

namespace {

constexpr absl::string_view kPrintedUrl = "type.carescore.uk/cli.AlreadyPrinted";

// The token in `text` (a flag's value or a file's contents), trimmed;
// `source` names where it came from in errors, which never quote it.
absl::StatusOr<std::string> CheckedToken(absl::string_view text, const std::string& source) {
  const std::string token(absl::StripAsciiWhitespace(text));
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": no token in it"));
  // gRPC metadata values are printable ASCII; a token never has spaces.
  for (char c : token) {
    if (c <= ' ' || c > '~') {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ": not a token (a token is one word of printable characters, e.g. a JWT)"));
    }
  }
  return token;
}

absl::StatusOr<std::string> TokenFromFile(const std::string& path, const std::string& source) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, " ", path, ": cannot read the token file"));
  }
  return CheckedToken(text.str(), absl::StrCat(source, " ", path));
}

// The file's text; empty (with the reason on stderr) when it cannot be read,
// which makes the TLS handshake fail and the command report it.
std::string ReadFileOrWarn(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) std::cerr << "warning: " << flag << " " << path << ": cannot read the file\n";
  return text.str();
}

}  // namespace

std::shared_ptr<grpc::Channel> Client::Channel() {
  if (!channel_) {
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!options_.tls_ca.empty() || !options_.tls_cert.empty()) {
      grpc::SslCredentialsOptions tls;
      if (!options_.tls_ca.empty())
        tls.pem_root_certs = ReadFileOrWarn(options_.tls_ca, "--tls-ca");
      if (!options_.tls_cert.empty()) {
        tls.pem_cert_chain = ReadFileOrWarn(options_.tls_cert, "--tls-cert");
        tls.pem_private_key = ReadFileOrWarn(options_.tls_key, "--tls-key");
      }
      credentials = grpc::SslCredentials(tls);
    }
    channel_ = grpc::CreateCustomChannel(options_.server, credentials, LimitedChannelArguments());
  }
  return channel_;
}

std::string Rfc3339(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", TimeFromProto(ts), absl::UTCTimeZone());
}

absl::StatusOr<google::protobuf::Timestamp> ParseRfc3339(const std::string& text,
                                                         absl::string_view flag) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, " \"", text, "\" is not an RFC 3339 time (e.g. 2018-11-05T09:00:00Z): ", err));
  }
  return TimeToProto(t);
}

absl::Status PeriodChoice(const std::string& period, const std::string& year) {
  if (period.empty() == year.empty()) {
    return absl::InvalidArgumentError("give exactly one of --period YYYY-MM or --year YYYY-YY");
  }
  return absl::OkStatus();
}

nlohmann::json Optional(bool present, double v) {
  return present ? nlohmann::json(v) : nlohmann::json(nullptr);
}

absl::StatusOr<std::string> ResolveToken(const GlobalOptions& options,
                                         const std::function<const char*(const char*)>& env) {
  if (!options.token.empty()) return CheckedToken(options.token, "--token");
  if (!options.token_file.empty()) return TokenFromFile(options.token_file, "--token-file");
  const char* token = env("CARESCORE_TOKEN");
  if (token != nullptr && *token != '\0') return CheckedToken(token, "CARESCORE_TOKEN");
  const char* file = env("CARESCORE_TOKEN_FILE");
  if (file != nullptr && *file != '\0') return TokenFromFile(file, "CARESCORE_TOKEN_FILE");
  return std::string();
}

absl::Status AlreadyPrinted(absl::Status status) {
  status.SetPayload(kPrintedUrl, absl::Cord("1"));
  return status;
}

bool WasPrinted(const absl::Status& status) { return status.GetPayload(kPrintedUrl).has_value(); }

absl::Status Rpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  absl::Status s = FromGrpcStatus(status);
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    return absl::Status(s.code(), absl::StrCat(what, ": the server does not host this service (",
                                               s.message(), "); point --server at one that does"));
  }
  // A server that answered with a reason is running: only a silent one gets
  // the hint.
  if ((status.error_code() == grpc::StatusCode::UNAVAILABLE ||
       status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) &&
      ErrorReason(s).empty()) {
    return absl::Status(s.code(), absl::StrCat(what, ": the server did not answer (", s.message(),
                                               "); is carescored running?"));
  }
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    return absl::Status(
        s.code(), absl::StrCat(what, ": not authenticated: ", s.message(),
                               "\n(give --token TOKEN or CARESCORE_TOKEN, or --token-file FILE; "
                               "for the embedded default: carescore token mint --data-dir DIR "
                               "--subject me --role admin)"));
  }
  if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return absl::Status(s.code(), absl::StrCat(what, ": permission denied: ", s.message()));
  }
  return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
}

absl::Status PrintTable(Client& client, const Table& table) {
  absl::StatusOr<Format> format = client.format();
  if (!format.ok()) return format.status();
  table.Print(*format, std::cout);
  return absl::OkStatus();
}

absl::Status InFile(const absl::Status& s, const std::string& path) {
  if (s.ok()) return s;
  std::string message(s.message());
  if (message.rfind(path, 0) != 0) message = absl::StrCat(path, ": ", message);
  if (message.find("\nrow ") != std::string::npos) {
    absl::StrAppend(&message, "\n(row numbers are file lines; the header is line 1)");
  }
  absl::Status out(s.code(), message);
  s.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

std::string NewRequestId() {
  // std::random_device reads the kernel's random source on Linux.
  std::random_device random;
  uint32_t words[4];
  for (uint32_t& w : words) w = random();
  words[1] = (words[1] & 0xffff0fffU) | 0x00004000U;  // Version 4.
  words[2] = (words[2] & 0x3fffffffU) | 0x80000000U;  // RFC 4122 variant.
  return absl::StrFormat("%08x-%04x-%04x-%04x-%04x%08x", words[0], words[1] >> 16,
                         words[1] & 0xffffU, words[2] >> 16, words[2] & 0xffffU, words[3]);
}

bool SetRequestId(google::protobuf::Message& message) {
  const google::protobuf::FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return false;
  }
  const google::protobuf::Reflection* reflection = message.GetReflection();
  if (reflection->GetString(message, field).empty()) {
    reflection->SetString(&message, field, NewRequestId());
  }
  return true;
}

}  // namespace carescore::cli
