#include "common/row_errors.h"

#include <set>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "google/rpc/error_details.pb.h"

namespace carescore {

void RowErrors::Add(int row, absl::string_view field, absl::string_view reason) {
  violations_.push_back({row, std::string(field), std::string(reason)});
}

absl::Status RowErrors::ToStatus(absl::string_view what) const {
  if (violations_.empty()) return absl::OkStatus();
  std::set<int> rows;
  for (const FieldViolation& v : violations_) rows.insert(v.row);
  std::string message = absl::StrCat(what, " rejected, nothing stored: ", rows.size(),
                                     rows.size() == 1 ? " bad row" : " bad rows");
  google::rpc::BadRequest details;
  for (size_t i = 0; i < violations_.size(); ++i) {
    const FieldViolation& v = violations_[i];
    const std::string where = v.row > 0 ? absl::StrCat("row ", v.row, ": ") : "";
    // Reasons may quote the input: each is cut short so that the error
    // stays far below gRPC's 8 KB metadata limit whatever was sent.
    const std::string reason = QuoteInput(v.reason, kMaxReasonBytes);
    const std::string field = QuoteInput(v.field, 64);
    if (i < kMaxListedInMessage) {
      absl::StrAppend(&message, "\n", where, "field ", field, ": ", reason);
    }
    if (i < kMaxInDetails) {
      google::rpc::BadRequest::FieldViolation* fv = details.add_field_violations();
      fv->set_field(v.row > 0 ? absl::StrCat("row[", v.row, "].", field) : field);
      fv->set_description(reason);
    }
  }
  if (violations_.size() > kMaxListedInMessage) {
    absl::StrAppend(&message, "\n... and ", violations_.size() - kMaxListedInMessage,
                    " more problems");
  }
  const FieldViolation& first = violations_.front();
  const std::string first_row = absl::StrCat(first.row);
  absl::Status status = first.row > 0
                            ? WithErrorInfo(absl::InvalidArgumentError(message), v1::INVALID_ROWS,
                                            {{"row", first_row}, {"field", first.field}})
                            : WithErrorInfo(absl::InvalidArgumentError(message), v1::INVALID_FIELD,
                                            {{"field", first.field}});
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(details.SerializeAsString()));
  return status;
}

}  // namespace carescore
