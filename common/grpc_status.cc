#include "common/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/types/optional.h"
#include "common/row_errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace carescore {
namespace {

constexpr absl::string_view kGoogleRpcTypeUrlPrefix = "type.googleapis.com/google.rpc.";
constexpr absl::string_view kErrorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& in) {
  if (in.ok()) return grpc::Status::OK;
  // Every error leaves with a reason clients can branch on: its own, or
  // the one its code implies.
  absl::Status status = in;
  if (!status.GetPayload(kErrorInfoTypeUrl).has_value()) {
    status = WithErrorInfo(std::move(status), DefaultReason(status.code()));
  }
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message = QuoteInput(status.message(), kMaxErrorMessageBytes);
  // Every error detail (BadRequest, ErrorInfo...) travels in the standard
  // grpc-status-details-bin trailer as a google.rpc.Status.
  google::rpc::Status details;
  status.ForEachPayload([&details](absl::string_view type_url, const absl::Cord& payload) {
    if (!absl::StartsWith(type_url, kGoogleRpcTypeUrlPrefix)) return;
    google::protobuf::Any* any = details.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  if (details.details().empty()) return grpc::Status(code, message);
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      if (absl::StartsWith(any.type_url(), kGoogleRpcTypeUrlPrefix)) {
        result.SetPayload(any.type_url(), absl::Cord(any.value()));
      }
    }
  }
  return result;
}

}  // namespace carescore
