#ifndef CARESCORE_COMMON_TESTING_ERROR_DETAILS_H_
#define CARESCORE_COMMON_TESTING_ERROR_DETAILS_H_

// What a test reads from an error's details trailer (google.rpc.Status in
// grpc-status-details-bin), whatever order the details come in.

#include <optional>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace carescore::testing {

// The status's google.rpc.BadRequest, if it has one.
inline std::optional<google::rpc::BadRequest> BadRequestIn(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) return bad;
  }
  return std::nullopt;
}

// The status's google.rpc.ErrorInfo reason, "" if none.
inline std::string ReasonIn(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

}  // namespace carescore::testing

#endif  // CARESCORE_COMMON_TESTING_ERROR_DETAILS_H_
