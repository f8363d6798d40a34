#ifndef CARESCORE_COMMON_BUILD_INFO_H_
#define CARESCORE_COMMON_BUILD_INFO_H_

// What this binary is: the carescore version and the git commit it was
// built from (cmake/build_info.cmake writes them at build time).

#include <string>

#include "absl/strings/string_view.h"

namespace carescore {

// The release, "0.1.0" (CMake's project version).
absl::string_view Version();
// 12 hex digits of the commit built, or "unknown" outside a git checkout.
absl::string_view GitCommit();
// "<binary> <version> (commit <commit>)", as every `--version` prints it.
std::string VersionLine(absl::string_view binary);

}  // namespace carescore

#endif  // CARESCORE_COMMON_BUILD_INFO_H_
