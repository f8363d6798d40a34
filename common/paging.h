#ifndef CARESCORE_COMMON_PAGING_H_
#define CARESCORE_COMMON_PAGING_H_

// The services' side of paged List calls, in one place: the page size a
// request gets, and page tokens. A token is opaque to callers (web-safe
// base64 of the service's resume key: the last key sent, or a position);
// one the service did not issue is refused. Pure functions, thread-safe.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace carescore {

// `requested`, or `default_size` for 0, at most `max_size`;
// InvalidArgument for a negative size.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size);

std::string EncodePageToken(absl::string_view key);
// The key inside `token`; InvalidArgument ("page_token is not one this
// service issued") for anything that is not a token EncodePageToken made.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token);

}  // namespace carescore

#endif  // CARESCORE_COMMON_PAGING_H_
