#include "common/paging.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace carescore {

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0) {
    return absl::InvalidArgumentError(absl::StrCat("page_size ", requested, " is negative"));
  }
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

std::string EncodePageToken(absl::string_view key) { return absl::WebSafeBase64Escape(key); }

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  std::string key;
  if (!absl::WebSafeBase64Unescape(token, &key) || key.empty()) {
    return absl::InvalidArgumentError("page_token is not one this service issued");
  }
  return key;
}

}  // namespace carescore
