#ifndef CARESCORE_COMMON_IDEMPOTENCY_IDEMPOTENT_WRITES_H_
#define CARESCORE_COMMON_IDEMPOTENCY_IDEMPOTENT_WRITES_H_

// Writes that are safe to retry (AIP-155). A write request may carry a
// client-chosen `request_id`. The first call with an id does the work and
// keeps its answer in the RequestLog; a repeat with the same id and the same
// content (every field but request_id, compared by a SHA-256 of the
// deterministic serialization) gets that answer back and writes nothing; the
// same id with other content is AlreadyExists (REQUEST_ID_REUSED); a repeat
// while the first is still running is Aborted (REQUEST_IN_PROGRESS). A write
// that fails keeps nothing, so it may be sent again with the same id.
// Answers are kept for at least kKeepFor.
//
// What is not covered: a process killed after the work committed and before
// the answer was kept leaves a claim that is taken over after kStaleAfter,
// and the retry then does the work again.
//
// Thread-safe; no gRPC here (the edges call Run around the service call).

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/idempotency/request_log.h"
#include "google/protobuf/message_lite.h"

namespace carescore {

// Hex SHA-256 of `message`'s deterministic serialization.
std::string MessageFingerprint(const google::protobuf::MessageLite& message);
// Hex SHA-256 of `bytes`.
std::string BytesFingerprint(absl::string_view bytes);

class IdempotentWrites {
 public:
  static constexpr absl::Duration kKeepFor = absl::Hours(25);
  static constexpr absl::Duration kStaleAfter = absl::Minutes(5);
  static constexpr size_t kMaxRequestIdBytes = 128;

  // `log` outlives *this.
  explicit IdempotentWrites(RequestLog& log, std::function<absl::Time()> now = absl::Now)
      : log_(log), now_(std::move(now)) {}

  // `work()` once per (method, request_id); see the file comment. Without a
  // request_id, simply `work()`. `Request` has request_id() and
  // clear_request_id(); `Response` is a protobuf message.
  template <typename Response, typename Request, typename Work>
  absl::StatusOr<Response> Run(absl::string_view method, const Request& request, Work work) {
    if (request.request_id().empty()) return work();
    Request content = request;
    content.clear_request_id();
    std::optional<Response> fresh;
    absl::StatusOr<std::string> answer =
        RunOnce(method, request.request_id(), MessageFingerprint(content),
                [&]() -> absl::StatusOr<std::string> {
                  absl::StatusOr<Response> done = work();
                  if (!done.ok()) return done.status();
                  fresh = *std::move(done);
                  return fresh->SerializeAsString();
                });
    if (!answer.ok()) return answer.status();
    if (fresh.has_value()) return *std::move(fresh);
    return Replay<Response>(*answer);
  }

  // The same for a request whose content is known only as a fingerprint
  // (a client stream, hashed as it is read). Returns the answer's bytes.
  absl::StatusOr<std::string> RunOnce(absl::string_view method, absl::string_view request_id,
                                      absl::string_view fingerprint,
                                      absl::FunctionRef<absl::StatusOr<std::string>()> work);

  // InvalidArgument (INVALID_FIELD, field request_id) unless `request_id`
  // is 1-128 characters of letters, digits and . _ : -
  static absl::Status CheckRequestId(absl::string_view request_id);

  template <typename Response>
  static absl::StatusOr<Response> Replay(const std::string& bytes) {
    Response response;
    if (!response.ParseFromString(bytes)) return ReplayDamaged();
    return response;
  }

 private:
  static absl::Status ReplayDamaged();
  void MaybeExpire(absl::Time now);

  RequestLog& log_;
  const std::function<absl::Time()> now_;
  std::atomic<int64_t> last_expiry_us_{0};
};

// For an edge: `body` (any callable returning absl::StatusOr<Response>)
// wrapped so that it runs through `writes` under `method` for `request`
// (which must outlive the wrapper). With a null `writes` (the rules' wire
// tests) the wrapper only checks the request_id's form and calls `body`.
//
//   auth::Guarded(gate_, ctx, "EscalationService/RaiseEscalation", *request, response,
//                 OnceOnly(writes_, "EscalationService/RaiseEscalation", *request,
//                          [&](const auth::Admitted* a) { return service_.Raise(...); }));
template <typename Request, typename Body>
auto OnceOnly(IdempotentWrites* writes, absl::string_view method, const Request& request,
              Body body) {
  return [writes, method, &request, body](auto&&... args) {
    using Result = decltype(body(args...));
    using Response = typename Result::value_type;
    if (writes == nullptr) {
      if (!request.request_id().empty()) {
        absl::Status valid = IdempotentWrites::CheckRequestId(request.request_id());
        if (!valid.ok()) return Result(valid);
      }
      return Result(body(args...));
    }
    return writes->Run<Response>(method, request, [&] { return body(args...); });
  };
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_IDEMPOTENCY_IDEMPOTENT_WRITES_H_
