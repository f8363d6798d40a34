#include <string>

#include "google/protobuf/util/json_util.h"
#include "services/reports/report_renderer.h"

namespace carescore::reports {

absl::StatusOr<std::string> RenderJson(const v1::ReportDocument& doc) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  auto status = google::protobuf::util::MessageToJsonString(doc, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

}  // namespace carescore::reports
