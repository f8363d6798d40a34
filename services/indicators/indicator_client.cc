#include "services/indicators/indicator_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace carescore::indicators {
namespace {

using IndicatorStub = v1::IndicatorService::Stub;

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

template <typename Request, typename Response>
absl::StatusOr<Response> GrpcIndicatorReader::Call(
    grpc::Status (v1::IndicatorService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                       Response*),
    const Request& request) {
  absl::StatusOr<v1::IndicatorService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  Response response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  // Errors keep their code; the message says where they came from.
  absl::Status s = FromGrpcStatus(((*stub)->*method)(&ctx, request, &response));
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("indicator service: ", s.message()));
  return response;
}

absl::StatusOr<v1::Indicator> GrpcIndicatorReader::GetIndicator(absl::string_view code) {
  v1::GetIndicatorRequest request;
  request.set_code(std::string(code));
  absl::StatusOr<v1::GetIndicatorResponse> got = Call(&IndicatorStub::GetIndicator, request);
  if (!got.ok()) return got.status();
  return std::move(*got->mutable_indicator());
}

absl::StatusOr<std::vector<v1::LocalAuthority>> GrpcIndicatorReader::ListLocalAuthorities() {
  std::vector<v1::LocalAuthority> out;
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(1000);
  request.set_include_former(true);
  do {
    absl::StatusOr<v1::ListLocalAuthoritiesResponse> page =
        Call(&IndicatorStub::ListLocalAuthorities, request);
    if (!page.ok()) return page.status();
    for (auto& la : *page->mutable_local_authorities()) out.push_back(std::move(la));
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<v1::LocalAuthority> GrpcIndicatorReader::GetLocalAuthority(
    absl::string_view la_code) {
  v1::GetLocalAuthorityRequest request;
  request.set_la_code(std::string(la_code));
  absl::StatusOr<v1::GetLocalAuthorityResponse> got = Call(&IndicatorStub::GetLocalAuthority, request);
  if (!got.ok()) return got.status();
  return std::move(*got->mutable_local_authority());
}

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValues(
    v1::ListValuesRequest request) {
  std::vector<v1::Value> out;
  if (request.page_size() == 0) request.set_page_size(10000);
  do {
    absl::StatusOr<v1::ListValuesResponse> page = Call(&IndicatorStub::ListValues, request);
    if (!page.ok()) return page.status();
    out.reserve(out.size() + static_cast<size_t>(page->values_size()));
    for (auto& v : *page->mutable_values()) out.push_back(std::move(v));
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<v1::Indicator>> GrpcIndicatorReader::ListIndicators() {
  std::vector<v1::Indicator> out;
  v1::ListIndicatorsRequest request;
  request.set_page_size(1000);
  do {
    absl::StatusOr<v1::ListIndicatorsResponse> page = Call(&IndicatorStub::ListIndicators, request);
    if (!page.ok()) return page.status();
    for (auto& i : *page->mutable_indicators()) out.push_back(std::move(i));
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<v1::Target>> GrpcIndicatorReader::ListTargets(
    const v1::ListTargetsRequest& request) {
  absl::StatusOr<v1::ListTargetsResponse> got = Call(&IndicatorStub::ListTargets, request);
  if (!got.ok()) return got.status();
  return std::vector<v1::Target>(got->targets().begin(), got->targets().end());
}

absl::StatusOr<std::vector<v1::Milestone>> GrpcIndicatorReader::ListMilestones(
    const v1::ListMilestonesRequest& request) {
  absl::StatusOr<v1::ListMilestonesResponse> got = Call(&IndicatorStub::ListMilestones, request);
  if (!got.ok()) return got.status();
  return std::vector<v1::Milestone>(got->milestones().begin(), got->milestones().end());
}

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValueHistory(
    const v1::ListValueHistoryRequest& request) {
  absl::StatusOr<v1::ListValueHistoryResponse> got = Call(&IndicatorStub::ListValueHistory, request);
  // A value never written has no history.
  if (got.status().code() == absl::StatusCode::kNotFound) return std::vector<v1::Value>();
  if (!got.ok()) return got.status();
  return std::vector<v1::Value>(got->values().begin(), got->values().end());
}

absl::StatusOr<v1::GetDataVersionResponse> GrpcIndicatorReader::GetDataVersion(
    absl::string_view la_code) {
  v1::GetDataVersionRequest request;
  request.set_la_code(std::string(la_code));
  return Call(&IndicatorStub::GetDataVersion, request);
}

}  // namespace carescore::indicators
