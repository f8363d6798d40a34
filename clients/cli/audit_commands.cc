#include "clients/cli/audit_commands.h"

#include <algorithm>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace carescore::cli {
namespace {

// The server's largest page.
constexpr int kPage = 1000;

}  // namespace

absl::StatusOr<v1::ListAuditEntriesRequest> AuditListRequest(const AuditListOptions& o) {
  v1::ListAuditEntriesRequest request;
  request.set_la_code(o.la);
  request.set_subject(o.subject);
  request.set_method(o.rpc);
  if (!o.from.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> from = ParseRfc3339(o.from, "--from");
    if (!from.ok()) return from.status();
    *request.mutable_from() = *from;
  }
  if (!o.to.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> to = ParseRfc3339(o.to, "--to");
    if (!to.ok()) return to.status();
    *request.mutable_to() = *to;
  }
  request.set_page_size(o.limit > 0 ? std::min(o.limit, kPage) : kPage);
  return request;
}

Table AuditTable(Format format) {
  std::vector<std::string> columns = {"seq", "time",     "subject",  "roles", "on_behalf_of",
                                      "rpc", "la_codes", "resource", "result"};
  if (format != Format::kTable) {
    columns.emplace_back("prev_hash");
    columns.emplace_back("hash");
  }
  return Table(std::move(columns));
}

void AddAuditRow(Table& table, Format format, const v1::AuditEntry& e) {
  std::vector<nlohmann::json> row = {e.seq(),
                                     Rfc3339(e.time()),
                                     e.subject(),
                                     absl::StrJoin(e.roles(), ","),
                                     e.on_behalf_of(),
                                     e.method(),
                                     absl::StrJoin(e.la_codes(), ","),
                                     e.resource(),
                                     e.result()};
  if (format != Format::kTable) {
    row.emplace_back(e.prev_hash());
    row.emplace_back(e.hash());
  }
  table.AddRow(std::move(row));
}

std::string VerificationText(const v1::VerifyAuditLogResponse& r) {
  if (r.intact()) return absl::StrCat("audit log intact: ", r.entries_checked(), " entries");
  return absl::StrCat("audit log broken at entry ", r.first_bad_seq(), ": ", r.problem());
}

AuditCommands::AuditCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };
  CLI::App* audit = app.add_subcommand(
      "audit", "The tamper-evident audit log of writes, child-level reads and refusals (admin)");
  audit->require_subcommand(1);
  CLI::App* list = audit->add_subcommand("list", "Audit entries, oldest first");
  list->add_option("--la", list_.la, "Only calls that named this LA code, e.g. 372");
  list->add_option("--subject", list_.subject, "Only this caller (a token's subject)");
  list->add_option("--rpc", list_.rpc,
                   "Only this RPC, as Service/Method, e.g. EscalationService/GetEscalation");
  list->add_option("--from", list_.from, "RFC 3339 time: entries at or after it");
  list->add_option("--to", list_.to, "RFC 3339 time: entries before it");
  list->add_option("--limit", list_.limit, "At most N entries, the oldest first (0: every one)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  list->callback([this, run] { run(List()); });
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Check every entry's hash chain: exits 1 and names the first entry that does not match");
  verify->callback([this, run] { run(Verify()); });
}

absl::Status AuditCommands::List() {
  absl::StatusOr<Format> format = client_.format();
  if (!format.ok()) return format.status();
  absl::StatusOr<v1::ListAuditEntriesRequest> request = AuditListRequest(list_);
  if (!request.ok()) return request.status();
  Table table = AuditTable(*format);
  const auto full = [this, &table] {
    return list_.limit > 0 && table.size() >= static_cast<size_t>(list_.limit);
  };
  do {
    if (list_.limit > 0) {
      request->set_page_size(std::min(kPage, list_.limit - static_cast<int>(table.size())));
    }
    v1::ListAuditEntriesResponse response;
    absl::Status s = client_.Call(client_.audit(), &v1::AuditService::Stub::ListAuditEntries,
                                  *request, &response, "audit list");
    if (!s.ok()) return s;
    for (const v1::AuditEntry& e : response.entries()) AddAuditRow(table, *format, e);
    request->set_page_token(response.next_page_token());
  } while (!request->page_token().empty() && !full());
  const bool more = !request->page_token().empty();
  table.Print(*format, std::cout);
  if (more) {
    std::cerr << "(the first " << list_.limit
              << " entries; more follow: raise --limit or narrow with --from)\n";
  }
  return absl::OkStatus();
}

absl::Status AuditCommands::Verify() {
  v1::VerifyAuditLogResponse response;
  absl::Status s = client_.Call(client_.audit(), &v1::AuditService::Stub::VerifyAuditLog,
                                v1::VerifyAuditLogRequest(), &response, "audit verify");
  if (!s.ok()) return s;
  const std::string text = VerificationText(response);
  std::cout << text << "\n";
  if (response.intact()) return absl::OkStatus();
  return AlreadyPrinted(absl::DataLossError(text));
}

}  // namespace carescore::cli
