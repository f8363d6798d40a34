#include "common/auth/gate.h"

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "common/grpc_status.h"

namespace carescore::auth {
namespace {

thread_local std::string current_call_token;

std::optional<std::string> Header(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

const char* CodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "OK";
    case absl::StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case absl::StatusCode::kNotFound:
      return "NOT_FOUND";
    case absl::StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case absl::StatusCode::kAborted:
      return "ABORTED";
    case absl::StatusCode::kUnavailable:
      return "UNAVAILABLE";
    default:
      return "ERROR";
  }
}

// The token from `authorization: Bearer TOKEN`.
absl::StatusOr<std::string> BearerToken(const grpc::ServerContextBase& context) {
  std::optional<std::string> header = Header(context, "authorization");
  if (!header.has_value()) {
    return WithErrorInfo(absl::UnauthenticatedError(
                             "no token: send `authorization: Bearer <token>` (carescore --token)"),
                         "TOKEN_MISSING");
  }
  if (!absl::StartsWithIgnoreCase(*header, "bearer ")) {
    return WithErrorInfo(
        absl::UnauthenticatedError("the authorization header is not a Bearer token"),
        "TOKEN_MALFORMED");
  }
  return header->substr(7);
}

}  // namespace

const std::string& CurrentCallToken() { return current_call_token; }

ScopedCallToken::ScopedCallToken(std::string token) : previous_(std::move(current_call_token)) {
  current_call_token = std::move(token);
}

ScopedCallToken::~ScopedCallToken() { current_call_token = std::move(previous_); }

absl::StatusOr<Admitted> AuthGate::Admit(const grpc::ServerContextBase& context,
                                         absl::string_view method,
                                         const std::vector<std::string>& la_codes,
                                         absl::string_view resource) {
  absl::StatusOr<std::string> token = BearerToken(context);
  if (!token.ok()) {
    RecordRefusal(nullptr, method, la_codes, resource, token.status());
    return token.status();
  }
  absl::StatusOr<Caller> caller = verifier_.Verify(*token);
  if (!caller.ok()) {
    RecordRefusal(nullptr, method, la_codes, resource, caller.status());
    return caller.status();
  }
  Admitted admitted{*std::move(caller), std::nullopt, *std::move(token)};
  // Only a service may act for someone else.
  if (std::optional<std::string> behalf = Header(context, kOnBehalfOfHeader);
      behalf.has_value() && admitted.caller.HasRole("service")) {
    absl::StatusOr<Caller> principal = verifier_.Verify(*behalf);
    if (!principal.ok()) {
      RecordRefusal(&admitted.caller, method, la_codes, resource, principal.status());
      return principal.status();
    }
    admitted.on_behalf_of = *std::move(principal);
    admitted.token = *std::move(behalf);
  }
  absl::Status allowed = Authorize(
      admitted.caller, admitted.on_behalf_of ? &*admitted.on_behalf_of : nullptr, method, la_codes);
  if (!allowed.ok()) {
    RecordRefusal(&admitted.caller, method, la_codes, resource, allowed);
    return allowed;
  }
  return admitted;
}

absl::Status AuthGate::Record(const Admitted& admitted, absl::string_view method,
                              const std::vector<std::string>& la_codes, absl::string_view resource,
                              const absl::Status& result) {
  const Rule* rule = RuleFor(method);
  if (rule == nullptr || !(rule->write || rule->child_level)) return absl::OkStatus();
  absl::Status written =
      Write(&admitted.caller, admitted.on_behalf_of ? &*admitted.on_behalf_of : nullptr, method,
            la_codes, resource, result);
  if (!written.ok() && rule->child_level && !rule->write && result.ok()) {
    // A read of a child's casework that leaves no trace is not served.
    return WithErrorInfo(absl::UnavailableError("the audit log cannot be written, so "
                                                "child-level data is not served"),
                         "AUDIT_LOG_UNAVAILABLE");
  }
  return absl::OkStatus();
}

void AuthGate::RecordRefusal(const Caller* caller, absl::string_view method,
                             const std::vector<std::string>& la_codes, absl::string_view resource,
                             const absl::Status& refusal) {
  // A refusal stands whether or not it could be logged.
  Write(caller, nullptr, method, la_codes, resource, refusal).IgnoreError();
}

absl::Status AuthGate::Write(const Caller* caller, const Caller* on_behalf_of,
                             absl::string_view method, const std::vector<std::string>& la_codes,
                             absl::string_view resource, const absl::Status& result) {
  if (audit_ == nullptr) return absl::OkStatus();
  AuditEntry e;
  e.at = now_();
  e.subject = caller != nullptr ? caller->subject : "(unauthenticated)";
  if (caller != nullptr) e.roles = absl::StrJoin(caller->roles, ",");
  if (on_behalf_of != nullptr) e.on_behalf_of = on_behalf_of->subject;
  e.method = std::string(method);
  e.la_codes = absl::StrJoin(UniqueLaCodes(la_codes), ",");
  e.resource = std::string(resource.substr(0, 200));
  e.result = CodeName(result.code());
  const std::string reason = ErrorReason(result);
  if (!reason.empty()) e.result += " " + reason;
  return audit_->Append(std::move(e));
}

}  // namespace carescore::auth
