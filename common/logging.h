#ifndef CARESCORE_COMMON_LOGGING_H_
#define CARESCORE_COMMON_LOGGING_H_

// Process-wide logging to stderr through spdlog: one line per event, as
// text or as JSON objects ({"time","level","logger","msg"}) for log
// collectors. Call once from main before starting threads.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace carescore {

// `format` is "text" or "json"; `level` is an spdlog level name ("info").
// InvalidArgument for anything else.
[[nodiscard]] absl::Status ConfigureLogging(absl::string_view format, absl::string_view level);

}  // namespace carescore

#endif  // CARESCORE_COMMON_LOGGING_H_
