#include "services/audit/audit_grpc_service.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/guarded.h"
#include "common/paging.h"
#include "common/proto_time.h"
#include "common/validation.h"

namespace carescore::audit {
namespace {

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;
// Far longer than any token subject or RPC name; a longer filter is
// refused (every string field has a limit) rather than sent to the store.
constexpr size_t kMaxFilterLength = 1024;

// "Service/Method": two non-empty names, no white space.
bool IsMethodName(absl::string_view method) {
  std::vector<absl::string_view> parts = absl::StrSplit(method, '/');
  return parts.size() == 2 && !parts[0].empty() && !parts[1].empty() &&
         method.find_first_of(" \t\r\n") == absl::string_view::npos;
}

absl::StatusOr<auth::AuditFilter> FilterOf(const v1::ListAuditEntriesRequest& request) {
  auth::AuditFilter filter;
  if (!request.la_code().empty()) {
    absl::Status la = CheckLaCode(request.la_code());
    if (!la.ok()) return la;
  }
  if (request.subject().size() > kMaxFilterLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("subject: longer than ", kMaxFilterLength, " characters"));
  }
  if (!request.method().empty() &&
      (request.method().size() > kMaxFilterLength || !IsMethodName(request.method()))) {
    return absl::InvalidArgumentError(
        "method: not an RPC name of the form Service/Method (e.g. "
        "EscalationService/GetEscalation)");
  }
  filter.la_code = request.la_code();
  filter.subject = request.subject();
  filter.method = request.method();
  if (request.has_from()) filter.from = TimeFromProto(request.from());
  if (request.has_to()) {
    const absl::Time to = TimeFromProto(request.to());
    if (to < filter.from) return absl::InvalidArgumentError("to: before from");
    // The API's `to` is exclusive; the log's bound is inclusive, to the
    // microsecond it keeps.
    filter.to = to - absl::Microseconds(1);
  }
  absl::StatusOr<int> size = PageSize(request.page_size(), kDefaultPage, kMaxPage);
  if (!size.ok()) return size.status();
  filter.limit = *size;
  absl::StatusOr<std::string> after = DecodePageToken(request, request.page_token());
  if (!after.ok()) return after.status();
  // A token that checked out (checksum, filters) holds a seq we wrote.
  if (!after->empty() && (!absl::SimpleAtoi(*after, &filter.after_seq) || filter.after_seq < 1)) {
    return absl::InternalError("a page token's key has the wrong shape");
  }
  return filter;
}

v1::AuditEntry ToProto(auth::AuditEntry e) {
  v1::AuditEntry out;
  out.set_seq(e.seq);
  *out.mutable_time() = TimeToProto(e.at);
  out.set_subject(std::move(e.subject));
  for (absl::string_view role : absl::StrSplit(e.roles, ',', absl::SkipEmpty())) {
    out.add_roles(std::string(role));
  }
  out.set_on_behalf_of(std::move(e.on_behalf_of));
  out.set_method(std::move(e.method));
  for (absl::string_view la : absl::StrSplit(e.la_codes, ',', absl::SkipEmpty())) {
    out.add_la_codes(std::string(la));
  }
  out.set_resource(std::move(e.resource));
  out.set_result(std::move(e.result));
  out.set_prev_hash(std::move(e.prev_hash));
  out.set_hash(std::move(e.hash));
  return out;
}

absl::StatusOr<v1::ListAuditEntriesResponse> List(auth::AuditLog& log,
                                                  const v1::ListAuditEntriesRequest& request) {
  absl::StatusOr<auth::AuditFilter> filter = FilterOf(request);
  if (!filter.ok()) return filter.status();
  const int size = filter->limit;
  // One more than a page says whether another page follows.
  filter->limit = size + 1;
  absl::StatusOr<std::vector<auth::AuditEntry>> found = log.List(*filter);
  if (!found.ok()) return found.status();
  v1::ListAuditEntriesResponse response;
  for (auth::AuditEntry& e : *found) {
    if (response.entries_size() == size) {
      response.set_next_page_token(
          EncodePageToken(request, absl::StrCat(response.entries(size - 1).seq())));
      break;
    }
    *response.add_entries() = ToProto(std::move(e));
  }
  return response;
}

absl::StatusOr<v1::VerifyAuditLogResponse> Verify(auth::AuditLog& log) {
  absl::StatusOr<auth::AuditVerification> checked = log.Verify();
  if (!checked.ok()) return checked.status();
  v1::VerifyAuditLogResponse response;
  response.set_entries_checked(checked->entries);
  response.set_intact(checked->first_bad_seq == 0);
  response.set_first_bad_seq(checked->first_bad_seq);
  response.set_problem(checked->problem);
  return response;
}

}  // namespace

grpc::Status AuditGrpcService::ListAuditEntries(grpc::ServerContext* context,
                                                const v1::ListAuditEntriesRequest* request,
                                                v1::ListAuditEntriesResponse* response) {
  return auth::Guarded(gate_, *context, "AuditService/ListAuditEntries", *request, response,
                       [&](const auth::Admitted*) { return List(log_, *request); });
}

grpc::Status AuditGrpcService::VerifyAuditLog(grpc::ServerContext* context,
                                              const v1::VerifyAuditLogRequest* request,
                                              v1::VerifyAuditLogResponse* response) {
  return auth::Guarded(gate_, *context, "AuditService/VerifyAuditLog", *request, response,
                       [&](const auth::Admitted*) { return Verify(log_); });
}

}  // namespace carescore::audit
