#include "common/error_info.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "google/rpc/error_details.pb.h"

namespace carescore {
namespace {

constexpr absl::string_view kErrorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";

}  // namespace

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason, ErrorMetadata metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[std::string(key)] = QuoteInput(value, 256);
  }
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status WithErrorInfo(absl::Status status, v1::ErrorReason reason, ErrorMetadata metadata) {
  return WithErrorInfo(std::move(status), v1::ErrorReason_Name(reason), metadata);
}

std::string ErrorReason(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

std::string ErrorMetadataValue(const absl::Status& status, absl::string_view key) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoTypeUrl);
  google::rpc::ErrorInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload))) return "";
  auto found = info.metadata().find(std::string(key));
  return found == info.metadata().end() ? "" : found->second;
}

v1::ErrorReason DefaultReason(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return v1::ERROR_REASON_UNSPECIFIED;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return v1::INVALID_FIELD;
    case absl::StatusCode::kNotFound:
      return v1::RESOURCE_NOT_FOUND;
    case absl::StatusCode::kAlreadyExists:
      return v1::DUPLICATE;
    case absl::StatusCode::kFailedPrecondition:
      return v1::PRECONDITION_FAILED;
    case absl::StatusCode::kAborted:
      return v1::CONFLICT;
    case absl::StatusCode::kUnavailable:
      return v1::SERVICE_UNAVAILABLE;
    case absl::StatusCode::kDeadlineExceeded:
      return v1::DEADLINE_PASSED;
    case absl::StatusCode::kCancelled:
      return v1::CALL_CANCELLED;
    case absl::StatusCode::kResourceExhausted:
      return v1::RESOURCE_EXHAUSTED;
    case absl::StatusCode::kDataLoss:
      return v1::DATA_CORRUPT;
    case absl::StatusCode::kUnauthenticated:
      return v1::TOKEN_MISSING;
    case absl::StatusCode::kPermissionDenied:
      return v1::ROLE_NOT_ALLOWED;
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    default:
      return v1::INTERNAL_FAULT;
  }
}

std::string QuoteInput(absl::string_view input, size_t max_chars) {
  if (input.size() <= max_chars) return std::string(input);
  size_t cut = max_chars;
  // Back up to the start of a UTF-8 character: continuation bytes are 10xxxxxx.
  while (cut > 0 && (static_cast<unsigned char>(input[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(input.substr(0, cut), "... (", input.size(), " bytes)");
}

absl::Status LaNotFound(absl::string_view la_code) {
  return WithErrorInfo(absl::NotFoundError(absl::StrCat("no LA with code ", QuoteInput(la_code))),
                       v1::LA_NOT_FOUND, {{"la_code", la_code}});
}

absl::Status IndicatorNotFound(absl::string_view indicator_code) {
  return WithErrorInfo(
      absl::NotFoundError(absl::StrCat("no indicator with code ", QuoteInput(indicator_code))),
      v1::INDICATOR_NOT_FOUND, {{"indicator_code", indicator_code}});
}

absl::Status EscalationNotFound(absl::string_view escalation_id) {
  return WithErrorInfo(
      absl::NotFoundError(absl::StrCat("no escalation ", QuoteInput(escalation_id))),
      v1::ESCALATION_NOT_FOUND, {{"escalation_id", escalation_id}});
}

}  // namespace carescore
