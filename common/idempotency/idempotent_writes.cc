#include "common/idempotency/idempotent_writes.h"

#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "spdlog/spdlog.h"

namespace carescore {

std::string MessageFingerprint(const google::protobuf::MessageLite& message) {
  // Deterministic: map fields in key order, so equal content hashes equal
  // on every replica and after a restart.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return BytesFingerprint(bytes);
}

std::string BytesFingerprint(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

absl::Status IdempotentWrites::CheckRequestId(absl::string_view request_id) {
  bool ok = !request_id.empty() && request_id.size() <= kMaxRequestIdBytes;
  for (char c : request_id) {
    if (!ok) break;
    ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == ':';
  }
  if (ok) return absl::OkStatus();
  return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                           "request_id \"", QuoteInput(request_id, 40),
                           "\" is not 1-128 letters, digits, '-', '_', '.' or ':' (send a UUID)")),
                       v1::INVALID_FIELD, {{"field", "request_id"}});
}

absl::StatusOr<std::string> IdempotentWrites::RunOnce(
    absl::string_view method, absl::string_view request_id, absl::string_view fingerprint,
    absl::FunctionRef<absl::StatusOr<std::string>()> work) {
  if (absl::Status valid = CheckRequestId(request_id); !valid.ok()) return valid;
  const absl::Time now = now_();
  MaybeExpire(now);
  absl::StatusOr<RequestClaim> claim =
      log_.Claim(method, request_id, fingerprint, now, now - kStaleAfter);
  if (!claim.ok()) return claim.status();
  if (claim->state != RequestClaim::State::kClaimed) {
    if (claim->fingerprint != fingerprint) {
      return WithErrorInfo(
          absl::AlreadyExistsError(absl::StrCat(
              "request_id ", request_id,
              " was already used for a different request: send a new request_id for new content")),
          v1::REQUEST_ID_REUSED, {{"request_id", request_id}});
    }
    if (claim->state == RequestClaim::State::kInProgress) {
      return WithErrorInfo(
          absl::AbortedError(
              absl::StrCat("request ", request_id, " is still being processed: retry in a moment")),
          v1::REQUEST_IN_PROGRESS, {{"request_id", request_id}});
    }
    return std::move(claim->response);
  }
  absl::StatusOr<std::string> answer = work();
  if (!answer.ok()) {
    // The write did not happen: the same request may come again.
    if (absl::Status released = log_.Release(method, request_id); !released.ok()) {
      spdlog::warn("cannot release request {} of {}: {}", std::string(request_id),
                   std::string(method), released.ToString());
    }
    return answer.status();
  }
  if (absl::Status kept = log_.Complete(method, request_id, *answer); !kept.ok()) {
    // The write is done; only a retry's protection is lost.
    spdlog::warn("cannot keep the answer to request {} of {}: {}", std::string(request_id),
                 std::string(method), kept.ToString());
  }
  return answer;
}

void IdempotentWrites::MaybeExpire(absl::Time now) {
  const int64_t now_us = absl::ToUnixMicros(now);
  int64_t last = last_expiry_us_.load();
  // At most once an hour per process, by whichever call gets there first.
  if (now_us - last < absl::ToInt64Microseconds(absl::Hours(1))) return;
  if (!last_expiry_us_.compare_exchange_strong(last, now_us)) return;
  absl::StatusOr<int64_t> gone = log_.Expire(now - kKeepFor);
  if (!gone.ok()) spdlog::warn("cannot expire old request ids: {}", gone.status().ToString());
}

absl::Status IdempotentWrites::ReplayDamaged() {
  return absl::DataLossError("the kept answer to this request cannot be read");
}

}  // namespace carescore
