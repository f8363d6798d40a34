#ifndef CARESCORE_COMMON_ERROR_INFO_H_
#define CARESCORE_COMMON_ERROR_INFO_H_

// The error contract inside the services, with no transport: every error a
// service returns carries a google.rpc.ErrorInfo (domain carescore.gov.uk) as
// an absl::Status payload under its type URL, whose `reason` is the name of
// a carescore.v1.ErrorReason value (protos/carescore/v1/errors.proto lists
// them for clients). common/grpc_status.h puts the payloads in the
// grpc-status-details-bin trailer and gives a reason by code to any error
// that reaches the edge without one.
//
//   return WithErrorInfo(absl::NotFoundError("no LA with code 999"),
//                        v1::LA_NOT_FOUND, {{"la_code", "999"}});

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/errors.pb.h"

namespace carescore {

inline constexpr absl::string_view kErrorDomain = "carescore.gov.uk";

using ErrorMetadata = std::initializer_list<std::pair<absl::string_view, absl::string_view>>;

// `status` with a google.rpc.ErrorInfo: `reason` in the carescore domain, and
// `metadata` naming the field or resource. Replaces any ErrorInfo it had.
absl::Status WithErrorInfo(absl::Status status, absl::string_view reason,
                           ErrorMetadata metadata = {});
absl::Status WithErrorInfo(absl::Status status, v1::ErrorReason reason,
                           ErrorMetadata metadata = {});

// The ErrorInfo reason of `status`, or "" if it has none.
std::string ErrorReason(const absl::Status& status);
// The ErrorInfo metadata value under `key`, or "" if none.
std::string ErrorMetadataValue(const absl::Status& status, absl::string_view key);

// The reason an error with `code` and no reason of its own is given at the
// edge ("INVALID_FIELD" for InvalidArgument, "RESOURCE_NOT_FOUND" for
// NotFound...). UNSPECIFIED for OK.
v1::ErrorReason DefaultReason(absl::StatusCode code);

// `input` as an error message may quote it: at most `max_chars` bytes (cut
// at a UTF-8 boundary), with "..." and the full length after a cut, so
// that a 10 MB field never travels back in an error.
std::string QuoteInput(absl::string_view input, size_t max_chars = 64);

// Common errors, each with its reason and the resource in the metadata.
absl::Status LaNotFound(absl::string_view la_code);
absl::Status IndicatorNotFound(absl::string_view indicator_code);
absl::Status EscalationNotFound(absl::string_view escalation_id);

}  // namespace carescore

#endif  // CARESCORE_COMMON_ERROR_INFO_H_
