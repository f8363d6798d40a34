#include "services/indicators/indicator_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace carescore::indicators {
namespace {

// Errors from the indicator service keep their code; the message says where
// they came from.
absl::Status FromIndicators(const grpc::Status& status) {
  absl::Status s = FromGrpcStatus(status);
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat("indicator service: ", s.message()));
}

}  // namespace

absl::StatusOr<v1::IndicatorService::Stub*> GrpcIndicatorReader::Stub() {
  absl::MutexLock lock(&mu_);
  if (stub_ == nullptr) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
    if (!channel.ok()) return channel.status();
    stub_ = v1::IndicatorService::NewStub(*channel);
  }
  return stub_.get();
}

void GrpcIndicatorReader::Prepare(grpc::ClientContext& ctx) const {
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
}

absl::StatusOr<v1::Indicator> GrpcIndicatorReader::GetIndicator(absl::string_view code) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  v1::GetIndicatorRequest request;
  request.set_code(std::string(code));
  v1::GetIndicatorResponse response;
  grpc::ClientContext ctx;
  Prepare(ctx);
  absl::Status s = FromIndicators((*stub)->GetIndicator(&ctx, request, &response));
  if (!s.ok()) return s;
  return response.indicator();
}

absl::StatusOr<std::vector<v1::LocalAuthority>> GrpcIndicatorReader::ListLocalAuthorities() {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  std::vector<v1::LocalAuthority> out;
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(1000);
  request.set_include_former(true);
  do {
    v1::ListLocalAuthoritiesResponse response;
    grpc::ClientContext ctx;
    Prepare(ctx);
    absl::Status s = FromIndicators((*stub)->ListLocalAuthorities(&ctx, request, &response));
    if (!s.ok()) return s;
    for (auto& la : *response.mutable_local_authorities()) out.push_back(std::move(la));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<v1::LocalAuthority> GrpcIndicatorReader::GetLocalAuthority(
    absl::string_view la_code) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  v1::GetLocalAuthorityRequest request;
  request.set_la_code(std::string(la_code));
  v1::GetLocalAuthorityResponse response;
  grpc::ClientContext ctx;
  Prepare(ctx);
  absl::Status s = FromIndicators((*stub)->GetLocalAuthority(&ctx, request, &response));
  if (!s.ok()) return s;
  return std::move(*response.mutable_local_authority());
}

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValues(
    v1::ListValuesRequest request) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  std::vector<v1::Value> out;
  if (request.page_size() == 0) request.set_page_size(10000);
  do {
    v1::ListValuesResponse response;
    grpc::ClientContext ctx;
    Prepare(ctx);
    absl::Status s = FromIndicators((*stub)->ListValues(&ctx, request, &response));
    if (!s.ok()) return s;
    for (auto& v : *response.mutable_values()) out.push_back(std::move(v));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<v1::Indicator>> GrpcIndicatorReader::ListIndicators() {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  std::vector<v1::Indicator> out;
  v1::ListIndicatorsRequest request;
  request.set_page_size(1000);
  do {
    v1::ListIndicatorsResponse response;
    grpc::ClientContext ctx;
    Prepare(ctx);
    absl::Status s = FromIndicators((*stub)->ListIndicators(&ctx, request, &response));
    if (!s.ok()) return s;
    for (auto& i : *response.mutable_indicators()) out.push_back(std::move(i));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<v1::Target>> GrpcIndicatorReader::ListTargets(
    const v1::ListTargetsRequest& request) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  v1::ListTargetsResponse response;
  grpc::ClientContext ctx;
  Prepare(ctx);
  absl::Status s = FromIndicators((*stub)->ListTargets(&ctx, request, &response));
  if (!s.ok()) return s;
  return std::vector<v1::Target>(response.targets().begin(), response.targets().end());
}

absl::StatusOr<std::vector<v1::Milestone>> GrpcIndicatorReader::ListMilestones(
    const v1::ListMilestonesRequest& request) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  v1::ListMilestonesResponse response;
  grpc::ClientContext ctx;
  Prepare(ctx);
  absl::Status s = FromIndicators((*stub)->ListMilestones(&ctx, request, &response));
  if (!s.ok()) return s;
  return std::vector<v1::Milestone>(response.milestones().begin(), response.milestones().end());
}

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValueHistory(
    const v1::ListValueHistoryRequest& request) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  v1::ListValueHistoryResponse response;
  grpc::ClientContext ctx;
  Prepare(ctx);
  grpc::Status status = (*stub)->ListValueHistory(&ctx, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::vector<v1::Value>();
  absl::Status s = FromIndicators(status);
  if (!s.ok()) return s;
  return std::vector<v1::Value>(response.values().begin(), response.values().end());
}

absl::StatusOr<v1::GetDataVersionResponse> GrpcIndicatorReader::GetDataVersion(
    absl::string_view la_code) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  v1::GetDataVersionRequest request;
  request.set_la_code(std::string(la_code));
  v1::GetDataVersionResponse response;
  grpc::ClientContext ctx;
  Prepare(ctx);
  absl::Status s = FromIndicators((*stub)->GetDataVersion(&ctx, request, &response));
  if (!s.ok()) return s;
  return response;
}

}  // namespace carescore::indicators
