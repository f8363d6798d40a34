#include "common/build_info.h"

#include "absl/strings/str_cat.h"

namespace carescore {

std::string VersionLine(absl::string_view binary) {
  return absl::StrCat(binary, " ", Version(), " (commit ", GitCommit(), ")");
}

}  // namespace carescore
