#include "clients/cli/escalation_commands.h"

#include <iostream>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/measure.h"
#include "common/proto_time.h"
#include "common/words.h"

namespace carescore::cli {
namespace {

const std::vector<std::string> kEscalationColumns = {
    "id",     "la_code",    "child_ref", "stage",  "status", "raised_at",
    "due_at", "resolve_by", "team",      "iro_id", "themes", "audit_id"};

void AddRow(Table& table, const v1::Escalation& e) {
  table.AddRow({e.id(), e.la_code(), e.child_ref(), e.stage(), EscalationStatusWord(e.status()),
                Rfc3339(e.raised_at()), e.due_date(), e.resolve_by(), e.team(), e.iro_id(),
                absl::StrJoin(e.themes(), ";"), e.audit_id()});
}

}  // namespace

Table StageSummaryTable(const v1::GetEscalationSummaryResponse& summary) {
  std::vector<std::string> columns = {"month"};
  std::set<int> stages;
  for (const v1::MonthStageCounts& m : summary.months()) {
    for (const v1::StageCount& c : m.stages()) {
      if (!c.referral()) stages.insert(c.stage());
    }
  }
  for (int stage : stages) columns.push_back(absl::StrCat("stage_", stage));
  columns.push_back("cafcass_referral");
  columns.push_back("stage_1_from_audits");
  Table table(columns);
  for (const v1::MonthStageCounts& m : summary.months()) {
    std::vector<nlohmann::json> row = {m.month()};
    for (int stage : stages) {
      int count = 0;
      for (const v1::StageCount& c : m.stages()) {
        if (c.stage() == stage) count = c.count();
      }
      row.push_back(count);
    }
    row.push_back(m.cafcass_referral());
    row.push_back(m.stage_1_from_audits());
    table.AddRow(std::move(row));
  }
  return table;
}

absl::StatusOr<google::protobuf::Timestamp> ParseWhen(const std::string& text,
                                                      absl::string_view flag) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) {
    absl::TimeZone london;
    if (!absl::LoadTimeZone("Europe/London", &london)) london = absl::UTCTimeZone();
    return TimeToProto(absl::FromCivil(absl::CivilSecond(day) + 12 * 3600, london));
  }
  return ParseRfc3339(text, flag);
}

EscalationCommands::EscalationCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };
  CLI::App* esc = app.add_subcommand("escalations", "IRO challenge and escalation cases");
  esc->require_subcommand(1);

  CLI::App* raise = esc->add_subcommand("raise", "Raise an escalation");
  raise->add_option("--la", la_, "LA code")->required();
  raise->add_option("--child", child_, "Pseudonymous child reference")->required();
  // The API reads stage 0 as "unset" (stage 1), so an explicit 0 is refused
  // here; the service refuses the rest of what is off the ladder.
  raise->add_option("--stage", stage_, "Stage (default 1)")->check(CLI::PositiveNumber);
  raise->add_option("--theme", themes_, "Theme (repeat for more)")->required();
  raise->add_option("--iro", iro_, "IRO id")->required();
  raise->add_option("--team", team_, "Team")->required();
  raise->add_option("--raised-at", at_, "RFC 3339 time, or YYYY-MM-DD (default: now)");
  raise->add_option("--note", note_, "Note");
  raise->callback([this, run] { run(Raise()); });

  for (const char* kind : {"respond", "escalate", "resolve", "withdraw", "refer"}) {
    const std::string k = kind;
    const char* help = k == "respond"    ? "Record the response at the current stage"
                       : k == "escalate" ? "Move to the next stage (or --to-stage with --note)"
                       : k == "resolve"  ? "Resolve, with the outcome"
                       : k == "withdraw" ? "Withdraw"
                                         : "Refer to CAFCASS (the last stage)";
    CLI::App* step = esc->add_subcommand(kind, help);
    step->add_option("ID", id_, "Escalation id, e.g. ESC-000001")->required();
    step->add_option("--note", note_, "Note (required to skip a stage)");
    step->add_option("--at", at_, "RFC 3339 time, or YYYY-MM-DD (default: now)");
    if (k == "escalate") {
      step->add_option("--to-stage", stage_, "Stage to move to")->check(CLI::PositiveNumber);
    }
    if (k == "resolve")
      step->add_option("--outcome", outcome_, "What was agreed or done")->required();
    step->callback([this, run, k] { run(Step(k)); });
  }

  CLI::App* show = esc->add_subcommand("show", "One escalation with its history");
  show->add_option("ID", id_, "Escalation id")->required();
  show->callback([this, run] { run(Show()); });

  CLI::App* list = esc->add_subcommand("list", "Escalations, oldest raised first");
  list->add_option("--la", la_, "LA code");
  list->add_option("--status", status_, "open, responded, resolved, withdrawn or referred")
      ->check(CLI::IsMember(EscalationStatusWords()));
  list->add_option("--stage", stage_, "Current stage");
  list->add_option("--team", team_, "Team");
  list->add_option("--theme", themes_, "Theme");
  list->add_option("--iro", iro_, "IRO id");
  list->add_option("--from", from_, "Raised on or after (RFC 3339 or YYYY-MM-DD)");
  list->add_option("--to", to_, "Raised before (RFC 3339 or YYYY-MM-DD)");
  list->callback([this, run] { run(List()); });

  CLI::App* overdue =
      esc->add_subcommand("overdue", "Cases past their response or resolution date");
  overdue->add_option("--la", la_, "LA code");
  overdue->add_option("--as-of", at_, "RFC 3339 time, or YYYY-MM-DD (default: now)");
  overdue->callback([this, run] { run(Overdue()); });

  CLI::App* summary = esc->add_subcommand("summary", "Escalations entering each stage per month");
  summary->add_option("--la", la_, "LA code")->required();
  summary->add_option("--from", from_, "First month, YYYY-MM")->required();
  summary->add_option("--to", to_, "Last month, YYYY-MM")->required();
  summary->callback([this, run] { run(Summary()); });

  CLI::App* ladder = esc->add_subcommand("ladder", "The configured stages and themes");
  ladder->callback([this, run] { run(Ladder()); });

  CLI::App* watch = esc->add_subcommand("watch", "Print changes as they happen (Ctrl-C ends)");
  watch->add_option("--la", la_, "LA code");
  watch->callback([this, run] { run(Watch()); });

  CLI::App* audits = app.add_subcommand("audits", "QAC audits before reviews");
  audits->require_subcommand(1);
  CLI::App* record =
      audits->add_subcommand("record", "Record an audit (inadequate opens a stage 1)");
  record->add_option("--la", la_, "LA code")->required();
  record->add_option("--child", child_, "Pseudonymous child reference")->required();
  record->add_option("--review-date", review_date_, "YYYY-MM-DD")->required();
  record
      ->add_option("--grade", grade_,
                   "outstanding, good, requires_improvement, inadequate, not_recorded")
      ->required()
      ->check(CLI::IsMember(AuditGradeWords()));
  record->add_option("--iro", iro_, "IRO id")->required();
  record->add_option("--team", team_, "Team")->required();
  record->add_option("--theme", themes_, "Theme (repeat for more)");
  record->callback([this, run] { run(RecordAudit()); });
  CLI::App* audit_summary = audits->add_subcommand("summary", "Audits per month by grade");
  audit_summary->add_option("--la", la_, "LA code")->required();
  audit_summary->add_option("--from", from_, "First month, YYYY-MM")->required();
  audit_summary->add_option("--to", to_, "Last month, YYYY-MM")->required();
  audit_summary->callback([this, run] { run(AuditSummary()); });

  CLI::App* calendar = app.add_subcommand("calendar", "Working days in England and Wales");
  calendar->require_subcommand(1);
  CLI::App* working =
      calendar->add_subcommand("working-days", "The date N working days after a date");
  working->add_option("--from", date_, "YYYY-MM-DD (not counted)")->required();
  working->add_option("--count", count_, "Working days")->required();
  working->add_option("--la", la_, "Also skip this LA's closure days");
  working->callback([this, run] { run(WorkingDays()); });
  CLI::App* closures = calendar->add_subcommand("closures", "Local closure days");
  closures->require_subcommand(1);
  CLI::App* add = closures->add_subcommand("add", "Add closure days");
  add->add_option("--la", la_, "LA code (default: every LA)");
  add->add_option("--date", dates_, "YYYY-MM-DD (repeat for more)")->required();
  add->add_option("--reason", reason_, "Why");
  add->callback([this, run] { run(AddClosures()); });
}

absl::Status EscalationCommands::Raise() {
  v1::RaiseEscalationRequest request;
  request.set_la_code(la_);
  request.set_child_ref(child_);
  request.set_stage(stage_);
  for (const std::string& t : themes_) request.add_themes(t);
  request.set_iro_id(iro_);
  request.set_team(team_);
  request.set_note(note_);
  if (!at_.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> at = ParseWhen(at_, "--raised-at");
    if (!at.ok()) return at.status();
    *request.mutable_raised_at() = *at;
  }
  v1::RaiseEscalationResponse response;
  absl::Status s =
      client_.Call(client_.escalations(), &v1::EscalationService::Stub::RaiseEscalation, request,
                   &response, "escalations raise");
  if (!s.ok()) return s;
  Table table(kEscalationColumns);
  AddRow(table, response.escalation());
  return PrintTable(client_, table);
}

absl::Status EscalationCommands::Step(const std::string& kind) {
  google::protobuf::Timestamp at;
  if (!at_.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> parsed = ParseWhen(at_, "--at");
    if (!parsed.ok()) return parsed.status();
    at = *parsed;
  }
  v1::EscalationService::Stub& stub = client_.escalations();
  const std::string what = absl::StrCat("escalations ", kind, " ", id_);
  v1::Escalation result;
  absl::Status s;
  // Each step through Client::Call: a request id, so a retry after a lost
  // answer does not take the step twice.
  auto step = [&](auto method, auto request, auto response) {
    request.set_id(id_);
    *request.mutable_at() = at;
    s = client_.Call(stub, method, request, &response, what);
    result = response.escalation();
  };
  if (kind == "respond") {
    v1::RespondToEscalationRequest r;
    r.set_note(note_);
    step(&v1::EscalationService::Stub::RespondToEscalation, r, v1::RespondToEscalationResponse());
  } else if (kind == "escalate") {
    v1::EscalateEscalationRequest r;
    r.set_note(note_);
    r.set_to_stage(stage_);
    step(&v1::EscalationService::Stub::EscalateEscalation, r, v1::EscalateEscalationResponse());
  } else if (kind == "resolve") {
    v1::ResolveEscalationRequest r;
    r.set_outcome(outcome_);
    step(&v1::EscalationService::Stub::ResolveEscalation, r, v1::ResolveEscalationResponse());
  } else if (kind == "withdraw") {
    v1::WithdrawEscalationRequest r;
    r.set_note(note_);
    step(&v1::EscalationService::Stub::WithdrawEscalation, r, v1::WithdrawEscalationResponse());
  } else {
    v1::ReferToCafcassRequest r;
    r.set_note(note_);
    step(&v1::EscalationService::Stub::ReferToCafcass, r, v1::ReferToCafcassResponse());
  }
  if (!s.ok()) return s;
  Table table(kEscalationColumns);
  AddRow(table, result);
  return PrintTable(client_, table);
}

absl::Status EscalationCommands::Show() {
  v1::GetEscalationRequest request;
  request.set_id(id_);
  v1::GetEscalationResponse response;
  absl::Status s = client_.Call(client_.escalations(), &v1::EscalationService::Stub::GetEscalation,
                                request, &response, "escalations show");
  if (!s.ok()) return s;
  Table table(kEscalationColumns);
  AddRow(table, response.escalation());
  absl::Status printed = PrintTable(client_, table);
  // The history goes to stderr so that CSV output stays one table.
  for (const v1::Transition& t : response.escalation().transitions()) {
    std::cerr << Rfc3339(t.at()) << "  " << v1::TransitionKind_Name(t.kind()).substr(16)
              << "  stage " << t.from_stage() << " -> " << t.to_stage() << "  by " << t.actor()
              << (t.note().empty() ? "" : "  " + t.note()) << "\n";
  }
  return printed;
}

absl::Status EscalationCommands::List() {
  v1::ListEscalationsRequest request;
  request.set_la_code(la_);
  if (!status_.empty()) {
    absl::StatusOr<v1::EscalationStatus> status = ParseEscalationStatus(status_);
    if (!status.ok()) return status.status();
    request.set_status(*status);
  }
  request.set_stage(stage_);
  request.set_team(team_);
  if (!themes_.empty()) request.set_theme(themes_.front());
  request.set_iro_id(iro_);
  for (const auto& [text, field, flag] :
       {std::tuple{&from_, request.mutable_raised_from(), "--from"},
        std::tuple{&to_, request.mutable_raised_to(), "--to"}}) {
    if (text->empty()) continue;
    absl::StatusOr<google::protobuf::Timestamp> t = ParseWhen(*text, flag);
    if (!t.ok()) return t.status();
    *field = *t;
  }
  if (from_.empty()) request.clear_raised_from();
  if (to_.empty()) request.clear_raised_to();
  request.set_page_size(1000);
  Table table(kEscalationColumns);
  do {
    v1::ListEscalationsResponse response;
    absl::Status s =
        client_.Call(client_.escalations(), &v1::EscalationService::Stub::ListEscalations, request,
                     &response, "escalations list");
    if (!s.ok()) return s;
    for (const auto& e : response.escalations()) AddRow(table, e);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

absl::Status EscalationCommands::Overdue() {
  v1::ListOverdueEscalationsRequest request;
  request.set_la_code(la_);
  if (!at_.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> t = ParseWhen(at_, "--as-of");
    if (!t.ok()) return t.status();
    *request.mutable_as_of() = *t;
  }
  request.set_page_size(1000);
  std::vector<std::string> columns = kEscalationColumns;
  columns.push_back("working_days_overdue");
  columns.push_back("reason");
  Table table(columns);
  do {
    v1::ListOverdueEscalationsResponse response;
    absl::Status s =
        client_.Call(client_.escalations(), &v1::EscalationService::Stub::ListOverdueEscalations,
                     request, &response, "escalations overdue");
    if (!s.ok()) return s;
    for (const auto& o : response.overdue()) {
      const v1::Escalation& e = o.escalation();
      table.AddRow({e.id(), e.la_code(), e.child_ref(), e.stage(), EscalationStatusWord(e.status()),
                    Rfc3339(e.raised_at()), e.due_date(), e.resolve_by(), e.team(), e.iro_id(),
                    absl::StrJoin(e.themes(), ";"), e.audit_id(), o.working_days_overdue(),
                    o.reason()});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

absl::Status EscalationCommands::Summary() {
  v1::GetEscalationSummaryRequest request;
  request.set_la_code(la_);
  request.set_from_month(from_);
  request.set_to_month(to_);
  v1::GetEscalationSummaryResponse response;
  absl::Status s =
      client_.Call(client_.escalations(), &v1::EscalationService::Stub::GetEscalationSummary,
                   request, &response, "escalations summary");
  if (!s.ok()) return s;
  absl::Status printed = PrintTable(client_, StageSummaryTable(response));
  std::cerr << "resolved: " << response.resolved();
  if (response.resolved() > 0) {
    std::cerr << ", working days to resolve: median "
              << NumberText(response.median_working_days_to_resolve()) << ", 90th percentile "
              << NumberText(response.p90_working_days_to_resolve()) << "; "
              << FormatFigure(response.resolved_within_target_pct(), 1) << "% within "
              << response.target_working_days() << " working days";
  }
  std::cerr << "\n";
  for (const auto& t : response.themes())
    std::cerr << "theme " << t.theme() << ": " << t.count() << "\n";
  return printed;
}

absl::Status EscalationCommands::Ladder() {
  v1::GetLadderResponse response;
  absl::Status s = client_.Call(client_.escalations(), &v1::EscalationService::Stub::GetLadder,
                                v1::GetLadderRequest(), &response, "escalations ladder");
  if (!s.ok()) return s;
  // The columns of the ladder file (--ladder), so a printed ladder can be
  // edited and loaded again.
  Table table(
      {"stage", "raised_by", "raised_to", "response_working_days", "raise_roles", "respond_roles"});
  for (const auto& st : response.stages()) {
    table.AddRow(
        {st.number(), st.raised_by(), st.raised_to(),
         st.referral() ? nlohmann::json(nullptr) : nlohmann::json(st.response_working_days()),
         absl::StrJoin(st.raise_roles(), " "), absl::StrJoin(st.respond_roles(), " ")});
  }
  absl::Status printed = PrintTable(client_, table);
  std::cerr << "themes: " << absl::StrJoin(response.themes(), ", ") << "\n"
            << "whole process target: " << response.target_working_days() << " working days\n";
  return printed;
}

absl::Status EscalationCommands::Watch() {
  v1::WatchEscalationsRequest request;
  request.set_la_code(la_);
  grpc::ClientContext ctx;  // No deadline: a watch runs until stopped.
  client_.AddCredentials(ctx);
  std::unique_ptr<grpc::ClientReader<v1::WatchEscalationsResponse>> reader =
      client_.escalations().WatchEscalations(&ctx, request);
  v1::WatchEscalationsResponse change;
  while (reader->Read(&change)) {
    const v1::Escalation& e = change.escalation();
    std::cout << v1::TransitionKind_Name(change.change()).substr(16) << " " << e.id() << " LA "
              << e.la_code() << " stage " << e.stage() << " " << EscalationStatusWord(e.status())
              << std::endl;
  }
  return Rpc(reader->Finish(), "escalations watch");
}

absl::Status EscalationCommands::RecordAudit() {
  v1::RecordAuditRequest request;
  request.set_la_code(la_);
  request.set_child_ref(child_);
  request.set_review_date(review_date_);
  absl::StatusOr<v1::AuditGrade> grade = ParseAuditGrade(grade_);
  if (!grade.ok()) return grade.status();
  request.set_grade(*grade);
  request.set_iro_id(iro_);
  request.set_team(team_);
  for (const std::string& t : themes_) request.add_themes(t);
  v1::RecordAuditResponse response;
  absl::Status s = client_.Call(client_.escalations(), &v1::EscalationService::Stub::RecordAudit,
                                request, &response, "audits record");
  if (!s.ok()) return s;
  Table table({"id", "la_code", "child_ref", "review_date", "grade", "escalation_id"});
  table.AddRow({response.audit().id(), response.audit().la_code(), response.audit().child_ref(),
                response.audit().review_date(), grade_, response.audit().escalation_id()});
  return PrintTable(client_, table);
}

absl::Status EscalationCommands::AuditSummary() {
  v1::GetAuditSummaryRequest request;
  request.set_la_code(la_);
  request.set_from_month(from_);
  request.set_to_month(to_);
  v1::GetAuditSummaryResponse response;
  absl::Status s =
      client_.Call(client_.escalations(), &v1::EscalationService::Stub::GetAuditSummary, request,
                   &response, "audits summary");
  if (!s.ok()) return s;
  Table table({"month", "outstanding", "good", "requires_improvement", "inadequate",
               "grade_not_recorded", "total"});
  for (const auto& m : response.months()) {
    table.AddRow({m.month(), m.outstanding(), m.good(), m.requires_improvement(), m.inadequate(),
                  m.grade_not_recorded(), m.total()});
  }
  return PrintTable(client_, table);
}

absl::Status EscalationCommands::WorkingDays() {
  v1::AddWorkingDaysRequest request;
  request.set_from_date(date_);
  request.set_count(count_);
  request.set_la_code(la_);
  v1::AddWorkingDaysResponse response;
  absl::Status s = client_.Call(client_.escalations(), &v1::EscalationService::Stub::AddWorkingDays,
                                request, &response, "calendar working-days");
  if (!s.ok()) return s;
  Table table({"from", "count", "date"});
  table.AddRow({date_, count_, response.date()});
  absl::Status printed = PrintTable(client_, table);
  for (const std::string& skipped : response.skipped()) std::cerr << "skipped " << skipped << "\n";
  return printed;
}

absl::Status EscalationCommands::AddClosures() {
  v1::AddClosureDaysRequest request;
  request.set_la_code(la_);
  for (const std::string& d : dates_) request.add_dates(d);
  request.set_reason(reason_);
  v1::AddClosureDaysResponse response;
  absl::Status s = client_.Call(client_.escalations(), &v1::EscalationService::Stub::AddClosureDays,
                                request, &response, "calendar closures add");
  if (!s.ok()) return s;
  std::cout << "added " << response.written() << " closure days\n";
  return absl::OkStatus();
}

}  // namespace carescore::cli
