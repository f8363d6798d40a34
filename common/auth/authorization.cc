#include "common/auth/authorization.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace carescore::auth {
namespace {

using Scope = Rule::Scope;

// Role groups, as the README's role table has them.
const std::vector<std::string> kFigures = {"analyst", "national_analyst", "admin", "service"};
const std::vector<std::string> kCasework = {"iro", "team_manager", "service_manager",
                                            "head_of_service", "admin"};
const std::vector<std::string> kEveryone = {
    "analyst",         "iro",          "team_manager",     "service_manager",
    "head_of_service", "panel_member", "national_analyst", "admin",
    "service"};

std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const std::string& r : b) {
    if (std::find(a.begin(), a.end(), r) == a.end()) a.push_back(r);
  }
  return a;
}

const std::map<std::string, Rule, std::less<>>& Table() {
  static const auto* const kTable = [] {
    const std::vector<std::string> admin = {"admin"};
    const std::vector<std::string> readers_of_reports =
        Plus(kFigures, {"panel_member", "service_manager", "head_of_service"});
    auto* t = new std::map<std::string, Rule, std::less<>>{
        // Indicators: the catalogue and LAs are reference data.
        {"IndicatorService/ImportLocalAuthorities", {admin, Scope::kNone, false, true}},
        {"IndicatorService/GetLocalAuthority", {kEveryone, Scope::kNone}},
        {"IndicatorService/ListLocalAuthorities", {kEveryone, Scope::kNone}},
        {"IndicatorService/ImportIndicators", {{"analyst", "admin"}, Scope::kNone, false, true}},
        {"IndicatorService/GetIndicator", {kEveryone, Scope::kNone}},
        {"IndicatorService/ListIndicators", {kEveryone, Scope::kNone}},
        {"IndicatorService/SetTargets", {{"analyst", "admin"}, Scope::kRequired, false, true}},
        {"IndicatorService/ListTargets", {kFigures, Scope::kOptional}},
        {"IndicatorService/SetMilestones", {{"analyst", "admin"}, Scope::kRequired, false, true}},
        {"IndicatorService/ListMilestones", {kFigures, Scope::kOptional}},
        {"IndicatorService/WriteValues", {{"analyst", "admin"}, Scope::kRequired, false, true}},
        {"IndicatorService/ImportValues", {{"analyst", "admin"}, Scope::kRequired, false, true}},
        {"IndicatorService/ListValues", {kFigures, Scope::kRequired}},
        {"IndicatorService/ListValueHistory", {kFigures, Scope::kRequired}},
        {"IndicatorService/GetDataVersion", {kFigures, Scope::kRequired}},
        // Benchmarks: neighbour models are the DfE's, published to all.
        {"BenchmarkService/ImportNeighbours", {admin, Scope::kNone, false, true}},
        {"BenchmarkService/ListNeighbours", {kFigures, Scope::kNone}},
        {"BenchmarkService/ListModels", {kFigures, Scope::kNone}},
        {"BenchmarkService/ImportPublishedComparators",
         {{"analyst", "admin"}, Scope::kRequired, false, true}},
        {"BenchmarkService/ListPublishedComparators", {kFigures, Scope::kRequired}},
        {"BenchmarkService/GetBenchmark", {kFigures, Scope::kRequired}},
        // Every LA's value, by name: not for one council's analysts.
        {"BenchmarkService/ListRanks", {{"national_analyst", "admin", "service"}, Scope::kNone}},
        {"BenchmarkService/BatchGetBenchmarks", {kFigures, Scope::kRequired}},
        {"BenchmarkService/GetComparatorsVersion", {kFigures, Scope::kNone}},
        // Escalations: casework about children.
        {"EscalationService/RaiseEscalation", {kCasework, Scope::kRequired, true, true}},
        {"EscalationService/RespondToEscalation", {kCasework, Scope::kRequired, true, true}},
        {"EscalationService/EscalateEscalation", {kCasework, Scope::kRequired, true, true}},
        {"EscalationService/ResolveEscalation", {kCasework, Scope::kRequired, true, true}},
        {"EscalationService/WithdrawEscalation", {kCasework, Scope::kRequired, true, true}},
        {"EscalationService/ReferToCafcass", {kCasework, Scope::kRequired, true, true}},
        {"EscalationService/GetEscalation", {kCasework, Scope::kRequired, true}},
        {"EscalationService/ListEscalations", {kCasework, Scope::kRequired, true}},
        {"EscalationService/ListOverdueEscalations", {kCasework, Scope::kRequired, true}},
        {"EscalationService/WatchEscalations", {kCasework, Scope::kRequired, true}},
        {"EscalationService/RecordAudit", {kCasework, Scope::kRequired, true, true}},
        // Counts only: analysts and the report service may read them.
        {"EscalationService/GetEscalationSummary",
         {Plus(kCasework, {"analyst", "service"}), Scope::kRequired}},
        {"EscalationService/GetAuditSummary",
         {Plus(kCasework, {"analyst", "service"}), Scope::kRequired}},
        {"EscalationService/GetLadder", {kEveryone, Scope::kNone}},
        {"EscalationService/AddWorkingDays", {kEveryone, Scope::kOptional}},
        {"EscalationService/AddClosureDays",
         {{"head_of_service", "admin"}, Scope::kRequired, false, true}},
        // Reports: what the panel reads.
        {"ReportService/GetScorecard", {readers_of_reports, Scope::kRequired}},
        {"ReportService/GetReport", {readers_of_reports, Scope::kRequired}},
        {"ReportService/GetHighlights", {readers_of_reports, Scope::kRequired}},
        {"ReportService/SetCommentary",
         {{"analyst", "head_of_service", "admin"}, Scope::kRequired, false, true}},
        {"ReportService/ListCommentary", {readers_of_reports, Scope::kRequired}},
        // The audit log.
        {"AuditService/ListAuditEntries", {admin, Scope::kNone}},
        {"AuditService/VerifyAuditLog", {admin, Scope::kNone}},
        // A backup: every store, every child's casework; always audited.
        {"AdminService/Backup", {admin, Scope::kNone, true}},
        // What the server is: version and hosted services.
        {"ServerInfoService/GetServerInfo", {kEveryone, Scope::kNone}},
    };
    return t;
  }();
  return *kTable;
}

bool CoversEveryLa(const Caller& caller) {
  return caller.HasRole("admin") || caller.HasRole("national_analyst");
}

void Collect(const google::protobuf::Message& m, std::vector<std::string>& out) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const google::protobuf::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->type() == google::protobuf::FieldDescriptor::TYPE_STRING && f->name() == "la_code") {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) out.push_back(r->GetRepeatedString(m, f, j));
      } else {
        out.push_back(r->GetString(m, f));
      }
    } else if (f->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) Collect(r->GetRepeatedMessage(m, f, j), out);
      } else if (r->HasField(m, f)) {
        Collect(r->GetMessage(m, f), out);
      }
    }
  }
}

absl::Status Denied(absl::string_view reason, std::string message) {
  return WithErrorInfo(absl::PermissionDeniedError(std::move(message)), reason);
}

}  // namespace

const Rule* RuleFor(absl::string_view method) {
  auto it = Table().find(method);
  return it == Table().end() ? nullptr : &it->second;
}

const std::vector<std::string>& KnownRoles() { return kEveryone; }

std::vector<std::string> KnownMethods() {
  std::vector<std::string> out;
  for (const auto& [method, rule] : Table()) out.push_back(method);
  return out;
}

std::vector<std::string> UniqueLaCodes(std::vector<std::string> la_codes) {
  // An import names its LA on every row: each LA once is what the rules
  // check and the audit log records.
  std::vector<std::string> out;
  absl::flat_hash_set<std::string> seen;
  for (std::string& la : la_codes) {
    if (seen.insert(la).second) out.push_back(std::move(la));
  }
  return out;
}

std::vector<std::string> LaCodesOf(const google::protobuf::Message& request) {
  std::vector<std::string> all;
  Collect(request, all);
  return UniqueLaCodes(std::move(all));
}

absl::Status Authorize(const Caller& caller, const Caller* on_behalf_of, absl::string_view method,
                       const std::vector<std::string>& la_codes) {
  const Rule* rule = RuleFor(method);
  if (rule == nullptr) {
    return Denied("ROLE_NOT_ALLOWED", absl::StrCat(method, " is not open to any caller"));
  }
  const bool allowed = std::any_of(rule->roles.begin(), rule->roles.end(),
                                   [&caller](const std::string& r) { return caller.HasRole(r); });
  if (!allowed) {
    return Denied("ROLE_NOT_ALLOWED",
                  absl::StrCat(method, " needs one of the roles ", absl::StrJoin(rule->roles, ", "),
                               "; the token has ",
                               caller.roles.empty() ? "none" : absl::StrJoin(caller.roles, ", ")));
  }
  if (rule->scope == Scope::kNone) return absl::OkStatus();
  // Whose LAs count: a service acts for the caller it names.
  const bool service = caller.HasRole("service") && !CoversEveryLa(caller);
  const Caller& scoped = service && on_behalf_of != nullptr ? *on_behalf_of : caller;
  for (const std::string& la : la_codes) {
    if (la.empty()) {
      if (rule->scope == Scope::kOptional || CoversEveryLa(caller) || service) continue;
      return Denied("LA_NOT_ALLOWED",
                    absl::StrCat(method, " for every LA needs a token for every LA: name one of ",
                                 "your LAs (la_code)"));
    }
    if (CoversEveryLa(scoped) || scoped.HasLa(la)) continue;
    if (service && on_behalf_of == nullptr) continue;  // The service's own work.
    return Denied("LA_NOT_ALLOWED", absl::StrCat("the token does not cover LA ", la));
  }
  return absl::OkStatus();
}

}  // namespace carescore::auth
