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

absl::StatusOr<std::unique_ptr<v1::IndicatorService::Stub>> GrpcIndicatorReader::Stub() const {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
  if (!channel.ok()) return channel.status();
  // Stubs are cheap; the channel (and its connection) is what is reused.
  return v1::IndicatorService::NewStub(*channel);
}

void GrpcIndicatorReader::Prepare(grpc::ClientContext& ctx) const {
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
}

absl::StatusOr<v1::Indicator> GrpcIndicatorReader::GetIndicator(absl::string_view code) {
  absl::StatusOr<std::unique_ptr<v1::IndicatorService::Stub>> stub = Stub();
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
  absl::StatusOr<std::unique_ptr<v1::IndicatorService::Stub>> stub = Stub();
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

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValues(
    v1::ListValuesRequest request) {
  absl::StatusOr<std::unique_ptr<v1::IndicatorService::Stub>> stub = Stub();
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

}  // namespace carescore::indicators
