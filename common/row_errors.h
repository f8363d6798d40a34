#ifndef CARESCORE_COMMON_ROW_ERRORS_H_
#define CARESCORE_COMMON_ROW_ERRORS_H_

// Collects what is wrong with the rows of a batch so that one rejection can
// name every bad row, its field and the reason. Not thread-safe.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace carescore {

// The type URL under which ToStatus() attaches a google.rpc.BadRequest.
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  int row;  // 1-based; 0 for a problem with the request as a whole.
  std::string field;
  std::string reason;
};

class RowErrors {
 public:
  void Add(int row, absl::string_view field, absl::string_view reason);
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK if empty. Otherwise InvalidArgument: "<what> rejected, nothing
  // stored: N bad rows" then one line per violation ("row 7: field value:
  // ..."), capped to keep the message within gRPC's metadata limit, with a
  // google.rpc.BadRequest payload holding (a capped number of) violations.
  absl::Status ToStatus(absl::string_view what) const;

  // With ErrorInfo (reason INVALID_ROWS naming the first bad row and field,
  // or INVALID_FIELD for a problem with the request as a whole). Each
  // reason is cut to kMaxReasonBytes.
  static constexpr size_t kMaxListedInMessage = 8;
  static constexpr size_t kMaxInDetails = 8;
  static constexpr size_t kMaxReasonBytes = 100;

 private:
  std::vector<FieldViolation> violations_;
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_ROW_ERRORS_H_
