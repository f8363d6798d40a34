#include "common/row_errors.h"

#include <set>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
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
    if (i < kMaxListedInMessage) {
      absl::StrAppend(&message, "\n", where, "field ", v.field, ": ", v.reason);
    }
    if (i < kMaxInDetails) {
      google::rpc::BadRequest::FieldViolation* fv = details.add_field_violations();
      fv->set_field(v.row > 0 ? absl::StrCat("row[", v.row, "].", v.field) : v.field);
      fv->set_description(v.reason);
    }
  }
  if (violations_.size() > kMaxListedInMessage) {
    absl::StrAppend(&message, "\n... and ", violations_.size() - kMaxListedInMessage,
                    " more problems");
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(details.SerializeAsString()));
  return status;
}

}  // namespace carescore
