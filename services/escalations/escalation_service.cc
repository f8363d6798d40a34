#include "services/escalations/escalation_service.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/error_info.h"
#include "common/paging.h"
#include "common/period.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "common/words.h"
#include "services/escalations/case_history.h"
#include "services/escalations/due_dates.h"
#include "services/escalations/pseudonym.h"
#include "spdlog/spdlog.h"

namespace carescore::escalations {
namespace {

// A case's etag: it changes with every step (each adds a transition, and
// the store's optimistic lock is the transition count), so it is the count.
std::string EscalationEtag(const v1::Escalation& e) {
  return absl::StrCat("t", e.transitions_size());
}

// Clocks disagree a little; a time further ahead than this is a mistake.
constexpr absl::Duration kClockSkew = absl::Minutes(5);

// The response type that carries an escalation, from the escalation.
template <typename Response>
absl::StatusOr<Response> WithEscalation(absl::StatusOr<v1::Escalation> e) {
  if (!e.ok()) return e.status();
  Response response;
  *response.mutable_escalation() = *std::move(e);
  return response;
}

std::string ActorOf(const std::string& actor) { return actor.empty() ? "anonymous" : actor; }

// Who acts: the admitted caller when the edge knows one, else what the
// request says.
std::string ActorFor(const std::string& requested, const std::optional<Acting>& acting) {
  return acting.has_value() ? acting->subject : requested;
}

absl::Status Required(const std::string& value, absl::string_view field) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  return absl::OkStatus();
}

absl::StatusOr<Month> ParseMonthField(const std::string& text, absl::string_view field) {
  absl::StatusOr<Month> m = Month::Parse(text);
  if (!m.ok()) return absl::InvalidArgumentError(absl::StrCat(field, ": ", m.status().message()));
  return m;
}

// An optional LA filter: empty, or a well-formed code.
absl::Status CheckLaFilter(const std::string& la_code) {
  if (la_code.empty()) return absl::OkStatus();
  return CheckLaCode(la_code);
}

struct MonthRange {
  Month from;
  Month to;
};

absl::StatusOr<MonthRange> ParseMonthRange(const std::string& from_text,
                                           const std::string& to_text) {
  absl::StatusOr<Month> from = ParseMonthField(from_text, "from_month");
  if (!from.ok()) return from.status();
  absl::StatusOr<Month> to = ParseMonthField(to_text, "to_month");
  if (!to.ok()) return to.status();
  if (*to < *from) return absl::InvalidArgumentError("to_month is before from_month");
  return MonthRange{*from, *to};
}

absl::Status CheckThemeCount(int themes) {
  if (themes > kMaxThemesPerCase) {
    return absl::InvalidArgumentError(
        absl::StrCat("themes: at most ", kMaxThemesPerCase, " themes on one case"));
  }
  return absl::OkStatus();
}

// A summary request's LA filter and month range, checked.
template <typename Request>
absl::StatusOr<MonthRange> SummaryRange(const Request& request) {
  absl::Status la_filter = CheckLaFilter(request.la_code());
  if (!la_filter.ok()) return la_filter;
  return ParseMonthRange(request.from_month(), request.to_month());
}

}  // namespace

EscalationService::EscalationService(EscalationStore& store,
                                     indicators::IndicatorReader& indicators, Ladder ladder,
                                     ChangeFeed& feed, std::function<absl::Time()> now)
    : EscalationService(store, indicators, std::move(ladder), feed, EscalationPolicy(),
                        std::move(now)) {}

EscalationService::EscalationService(EscalationStore& store,
                                     indicators::IndicatorReader& indicators, Ladder ladder,
                                     ChangeFeed& feed, EscalationPolicy policy,
                                     std::function<absl::Time()> now)
    : store_(store),
      indicators_(indicators),
      ladder_(std::move(ladder)),
      feed_(feed),
      now_(std::move(now)),
      uk_(UkTimeZone()),
      policy_(std::move(policy)),
      watch_streams_(policy_.max_watch_streams, policy_.max_watch_streams_per_actor) {}

void EscalationService::Log(const std::string& actor, absl::string_view action,
                            absl::string_view subject) {
  absl::Status s = store_.LogAccess(ActorOf(actor), action, subject);
  if (!s.ok()) spdlog::error("access log: {}", std::string(s.message()));
}

absl::Status EscalationService::LogRead(const std::string& actor, absl::string_view action,
                                        absl::string_view subject) {
  // Fails closed: a read of children's data that leaves no trace (a full
  // disk) is not served.
  absl::Status s = store_.LogAccess(ActorOf(actor), action, subject);
  if (s.ok()) return s;
  spdlog::error("access log: {}; the {} was refused", std::string(s.message()),
                std::string(action));
  return absl::Status(s.code(),
                      absl::StrCat("the access log cannot be written (", s.message(),
                                   "): reads of children's records are refused until it can"));
}

absl::Status EscalationService::CheckDay(absl::CivilDay day, absl::string_view field) {
  const absl::CivilDay latest = UkDay(now_(), uk_) + kLatestDateSlackDays;
  if (day < policy_.earliest_date || day > latest) {
    return absl::InvalidArgumentError(absl::StrCat(field, " must be between ",
                                                   FormatDate(policy_.earliest_date), " and ",
                                                   FormatDate(latest), " (--earliest-date)"));
  }
  return absl::OkStatus();
}

absl::Status EscalationService::CheckTime(absl::Time time, absl::string_view field) {
  return CheckDay(UkDay(time, uk_), field);
}

absl::Status EscalationService::CheckClosureDay(absl::CivilDay day) {
  // Closures are planned ahead (next year's bank holidays), so these may be
  // later than other dates.
  const absl::CivilDay latest = UkDay(now_(), uk_) + kMaxClosureDaysAhead;
  if (day < policy_.earliest_date || day > latest) {
    return absl::InvalidArgumentError(absl::StrCat("dates must be between ",
                                                   FormatDate(policy_.earliest_date), " and ",
                                                   FormatDate(latest), " (--earliest-date)"));
  }
  return absl::OkStatus();
}

void EscalationService::Publish(const v1::Escalation& escalation, v1::TransitionKind kind) {
  v1::WatchEscalationsResponse change;
  *change.mutable_escalation() = escalation;
  change.set_change(kind);
  feed_.Publish(change);
}

absl::Status EscalationService::CheckLa(const std::string& la_code) {
  if (absl::Status la = CheckLaCode(la_code); !la.ok()) return la;
  absl::StatusOr<std::vector<v1::LocalAuthority>> las = indicators_.ListLocalAuthorities();
  if (!las.ok()) return las.status();
  for (const v1::LocalAuthority& la : *las) {
    if (la.la_code() == la_code) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("la_code: unknown LA \"", la_code, "\" (carescore import las)"));
}

absl::StatusOr<WorkingCalendar> EscalationService::CalendarFor(const std::string& la_code) {
  absl::StatusOr<std::set<absl::CivilDay>> closures = store_.Closures(la_code);
  if (!closures.ok()) return closures.status();
  return WorkingCalendar(*std::move(closures));
}

absl::StatusOr<CalendarsByLa> EscalationService::CalendarsFor(
    const std::vector<v1::Escalation>& escalations) {
  CalendarsByLa calendars;
  for (const v1::Escalation& e : escalations) {
    if (calendars.count(e.la_code()) != 0) continue;
    absl::StatusOr<WorkingCalendar> c = CalendarFor(e.la_code());
    if (!c.ok()) return c.status();
    calendars.emplace(e.la_code(), *std::move(c));
  }
  return calendars;
}

absl::StatusOr<v1::RaiseEscalationResponse> EscalationService::RaiseEscalation(
    const v1::RaiseEscalationRequest& request, const std::optional<Acting>& acting) {
  absl::Status la = CheckLa(request.la_code());
  if (!la.ok()) return la;
  absl::Status child = policy_.child_refs.Check(request.child_ref());
  if (!child.ok()) return child;
  for (const auto& [value, field] :
       {std::pair{&request.iro_id(), "iro_id"}, std::pair{&request.team(), "team"}}) {
    absl::Status s = Required(*value, field);
    if (!s.ok()) return s;
    s = CheckFreeText(*value, field, kMaxShortTextChars);
    if (!s.ok()) return s;
  }
  if (absl::Status note = CheckFreeText(request.note(), "note", kMaxNoteChars); !note.ok()) {
    return note;
  }
  if (request.themes().empty()) {
    return absl::InvalidArgumentError("themes: at least one theme is required");
  }
  if (absl::Status themes = CheckThemeCount(request.themes_size()); !themes.ok()) return themes;
  for (const std::string& theme : request.themes()) {
    if (!ladder_.IsTheme(theme)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "themes: unknown theme \"", theme, "\" (carescore escalations themes lists them)"));
    }
  }
  const int stage = request.stage() == 0 ? 1 : request.stage();
  if (stage < 1 || stage > ladder_.LastStage()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stage ", stage, " is out of range: an escalation is raised at stage 1 to ",
        ladder_.LastStage(), " (stage ", ladder_.ReferralStage(), " is the referral to CAFCASS)"));
  }
  if (acting.has_value()) {
    absl::Status may = ladder_.MayEnter(stage, acting->roles, "raising at");
    if (!may.ok()) return may;
  }
  const absl::Time now = now_();
  const absl::Time raised = request.has_raised_at() ? TimeFromProto(request.raised_at()) : now;
  if (raised > now + kClockSkew) {
    return absl::InvalidArgumentError("raised_at is in the future");
  }
  if (absl::Status in_window = CheckTime(raised, "raised_at"); !in_window.ok()) return in_window;
  const std::string actor =
      ActorOf(ActorFor(request.actor().empty() ? request.iro_id() : request.actor(), acting));
  absl::StatusOr<v1::Escalation> e = NewEscalation(
      request.la_code(), request.child_ref(), request.iro_id(), request.team(),
      {request.themes().begin(), request.themes().end()}, stage, raised, actor, request.note());
  if (!e.ok()) return e.status();
  absl::StatusOr<v1::Escalation> stored = store_.Insert(*std::move(e));
  if (!stored.ok()) return stored.status();
  Publish(*stored, v1::TRANSITION_KIND_RAISED);
  Log(actor, "raise", stored->id());
  v1::RaiseEscalationResponse response;
  *response.mutable_escalation() = *std::move(stored);
  return response;
}

absl::StatusOr<v1::Escalation> EscalationService::NewEscalation(
    const std::string& la_code, const std::string& child_ref, const std::string& iro_id,
    const std::string& team, const std::vector<std::string>& themes, int stage, absl::Time raised,
    const std::string& actor, const std::string& note) {
  absl::StatusOr<WorkingCalendar> calendar = CalendarFor(la_code);
  if (!calendar.ok()) return calendar.status();
  v1::Escalation e;
  e.set_la_code(la_code);
  e.set_child_ref(child_ref);
  e.set_iro_id(iro_id);
  e.set_team(team);
  for (const std::string& theme : themes) e.add_themes(theme);
  e.set_stage(stage);
  e.set_status(v1::ESCALATION_STATUS_OPEN);
  *e.mutable_raised_at() = TimeToProto(raised);
  *e.mutable_stage_started_at() = TimeToProto(raised);
  e.set_due_date(
      FormatDate(DueDay(raised, ladder_.Find(stage)->response_working_days(), *calendar, uk_)));
  e.set_resolve_by(FormatDate(DueDay(raised, ladder_.target_working_days, *calendar, uk_)));
  v1::Transition* t = e.add_transitions();
  t->set_kind(v1::TRANSITION_KIND_RAISED);
  t->set_to_stage(stage);
  t->set_actor(actor);
  *t->mutable_at() = TimeToProto(raised);
  t->set_note(note);
  e.set_etag(EscalationEtag(e));
  return e;
}

absl::StatusOr<v1::Escalation> EscalationService::Transition(
    const std::string& id, const std::string& actor, v1::TransitionKind kind,
    const google::protobuf::Timestamp* at, const std::string& note, const std::string& etag,
    const std::function<absl::Status(v1::Escalation&, absl::Time, WorkingCalendar&)>& change) {
  if (id.empty()) return absl::InvalidArgumentError("id is required");
  if (absl::Status text = CheckFreeText(
          note, kind == v1::TRANSITION_KIND_RESOLVED ? "outcome" : "note", kMaxNoteChars);
      !text.ok()) {
    return text;
  }
  absl::StatusOr<std::optional<v1::Escalation>> found = store_.Find(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return EscalationNotFound(id);
  v1::Escalation e = **found;
  if (!etag.empty() && etag != EscalationEtag(e)) {
    return WithErrorInfo(absl::AbortedError(absl::StrCat(
                             "escalation ", id, " has changed since you read it (etag ",
                             QuoteInput(etag), ", now ", EscalationEtag(e), "): read it again")),
                         v1::STALE_ETAG, {{"escalation_id", id}, {"etag", EscalationEtag(e)}});
  }
  if (IsClosed(e.status())) {
    return WithErrorInfo(
        absl::FailedPreconditionError(
            absl::StrCat("escalation ", id, " is closed (", EscalationStatusWord(e.status()), ")")),
        v1::ILLEGAL_TRANSITION, {{"escalation_id", id}});
  }
  const absl::Time now = now_();
  const absl::Time when = at != nullptr && IsSetTime(*at) ? TimeFromProto(*at) : now;
  if (when > now + kClockSkew) return absl::InvalidArgumentError("at is in the future");
  if (absl::Status in_window = CheckTime(when, "at"); !in_window.ok()) return in_window;
  const absl::Time last = TimeFromProto(e.transitions(e.transitions_size() - 1).at());
  if (when < last) {
    return absl::InvalidArgumentError(
        "at is before the escalation's last step: steps are recorded in order");
  }
  absl::StatusOr<WorkingCalendar> calendar = CalendarFor(e.la_code());
  if (!calendar.ok()) return calendar.status();
  const int expected = e.transitions_size();
  const int from_stage = e.stage();
  absl::Status changed = change(e, when, *calendar);
  // The steps' own refusals are about the case's state: one reason for all.
  if (changed.code() == absl::StatusCode::kFailedPrecondition && ErrorReason(changed).empty()) {
    return WithErrorInfo(changed, v1::ILLEGAL_TRANSITION, {{"escalation_id", id}});
  }
  if (!changed.ok()) return changed;
  v1::Transition* t = e.add_transitions();
  t->set_kind(kind);
  t->set_from_stage(from_stage);
  t->set_to_stage(e.stage());
  t->set_actor(ActorOf(actor));
  *t->mutable_at() = TimeToProto(when);
  t->set_note(note);
  if (IsClosed(e.status())) *e.mutable_closed_at() = TimeToProto(when);
  e.set_etag(EscalationEtag(e));
  absl::Status stored = store_.Update(e, expected);
  if (!stored.ok()) return stored;
  Publish(e, kind);
  Log(actor, v1::TransitionKind_Name(kind), id);
  return e;
}

absl::StatusOr<v1::RespondToEscalationResponse> EscalationService::RespondToEscalation(
    const v1::RespondToEscalationRequest& request, const std::optional<Acting>& acting) {
  return WithEscalation<v1::RespondToEscalationResponse>(Transition(
      request.id(), ActorFor(request.actor(), acting), v1::TRANSITION_KIND_RESPONDED, &request.at(),
      request.note(), request.etag(),
      [this, &acting](v1::Escalation& x, absl::Time, WorkingCalendar&) {
        if (acting.has_value()) {
          absl::Status may = ladder_.MayRespond(x.stage(), acting->roles, "responding at");
          if (!may.ok()) return may;
        }
        if (x.status() == v1::ESCALATION_STATUS_RESPONDED) {
          return absl::FailedPreconditionError(
              absl::StrCat("escalation ", x.id(), " already has a response at stage ", x.stage()));
        }
        x.set_status(v1::ESCALATION_STATUS_RESPONDED);
        return absl::OkStatus();
      }));
}

absl::StatusOr<v1::EscalateEscalationResponse> EscalationService::EscalateEscalation(
    const v1::EscalateEscalationRequest& request, const std::optional<Acting>& acting) {
  return WithEscalation<v1::EscalateEscalationResponse>(Transition(
      request.id(), ActorFor(request.actor(), acting), v1::TRANSITION_KIND_ESCALATED, &request.at(),
      request.note(), request.etag(),
      [this, &request, &acting](v1::Escalation& x, absl::Time when, WorkingCalendar& calendar) {
        const int target = request.to_stage() == 0 ? x.stage() + 1 : request.to_stage();
        if (target <= x.stage()) {
          return absl::FailedPreconditionError(absl::StrCat("escalation ", x.id(), " is at stage ",
                                                            x.stage(), ": it can only move up"));
        }
        if (target > ladder_.LastStage()) {
          return absl::FailedPreconditionError(
              absl::StrCat("stage ", ladder_.LastStage(),
                           " is the last stage of the ladder: refer to "
                           "CAFCASS instead"));
        }
        if (acting.has_value()) {
          absl::Status may = ladder_.MayEnter(target, acting->roles, "escalating to");
          if (!may.ok()) return may;
        }
        if (target > x.stage() + 1 && request.note().empty()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "skipping from stage ", x.stage(), " to ", target, " needs a reason (a note)"));
        }
        x.set_stage(target);
        x.set_status(v1::ESCALATION_STATUS_OPEN);
        *x.mutable_stage_started_at() = TimeToProto(when);
        x.set_due_date(
            FormatDate(DueDay(when, ladder_.Find(target)->response_working_days(), calendar, uk_)));
        return absl::OkStatus();
      }));
}

absl::StatusOr<v1::ResolveEscalationResponse> EscalationService::ResolveEscalation(
    const v1::ResolveEscalationRequest& request, const std::optional<Acting>& acting) {
  if (request.outcome().empty()) {
    return absl::InvalidArgumentError("outcome is required: what was agreed or done");
  }
  return WithEscalation<v1::ResolveEscalationResponse>(Transition(
      request.id(), ActorFor(request.actor(), acting), v1::TRANSITION_KIND_RESOLVED, &request.at(),
      request.outcome(), request.etag(),
      [this, &request, &acting](v1::Escalation& x, absl::Time, WorkingCalendar&) {
        if (acting.has_value()) {
          absl::Status may = ladder_.MayRespond(x.stage(), acting->roles, "resolving at");
          if (!may.ok()) return may;
        }
        x.set_status(v1::ESCALATION_STATUS_RESOLVED);
        x.set_outcome(request.outcome());
        x.set_due_date("");
        return absl::OkStatus();
      }));
}

absl::StatusOr<v1::WithdrawEscalationResponse> EscalationService::WithdrawEscalation(
    const v1::WithdrawEscalationRequest& request, const std::optional<Acting>& acting) {
  return WithEscalation<v1::WithdrawEscalationResponse>(
      Transition(request.id(), ActorFor(request.actor(), acting), v1::TRANSITION_KIND_WITHDRAWN,
                 &request.at(), request.note(), request.etag(),
                 [this, &acting](v1::Escalation& x, absl::Time, WorkingCalendar&) {
                   if (acting.has_value()) {
                     absl::Status may = ladder_.MayWithdraw(x.stage(), acting->roles);
                     if (!may.ok()) return may;
                   }
                   x.set_status(v1::ESCALATION_STATUS_WITHDRAWN);
                   x.set_due_date("");
                   return absl::OkStatus();
                 }));
}

absl::StatusOr<v1::ReferToCafcassResponse> EscalationService::ReferToCafcass(
    const v1::ReferToCafcassRequest& request, const std::optional<Acting>& acting) {
  if (ladder_.ReferralStage() == 0) {
    return absl::FailedPreconditionError("the configured ladder has no referral stage");
  }
  return WithEscalation<v1::ReferToCafcassResponse>(Transition(
      request.id(), ActorFor(request.actor(), acting), v1::TRANSITION_KIND_REFERRED_TO_CAFCASS,
      &request.at(), request.note(), request.etag(),
      [this, &acting](v1::Escalation& x, absl::Time, WorkingCalendar&) {
        if (acting.has_value()) {
          absl::Status may =
              ladder_.MayEnter(ladder_.ReferralStage(), acting->roles, "referring to CAFCASS at");
          if (!may.ok()) return may;
        }
        x.set_stage(ladder_.ReferralStage());
        x.set_status(v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS);
        x.set_due_date("");
        return absl::OkStatus();
      }));
}

absl::StatusOr<v1::GetEscalationResponse> EscalationService::GetEscalation(
    const v1::GetEscalationRequest& request) {
  if (request.id().empty()) return absl::InvalidArgumentError("id is required");
  absl::StatusOr<std::optional<v1::Escalation>> found = store_.Find(request.id());
  if (!found.ok()) return found.status();
  if (absl::Status logged = LogRead(request.actor(), "read", request.id()); !logged.ok()) {
    return logged;
  }
  if (!found->has_value()) return EscalationNotFound(request.id());
  v1::GetEscalationResponse response;
  *response.mutable_escalation() = **std::move(found);
  return response;
}

absl::StatusOr<v1::ListEscalationsResponse> EscalationService::ListEscalations(
    const v1::ListEscalationsRequest& request) {
  EscalationFilter filter;
  absl::Status la_filter = CheckLaFilter(request.la_code());
  if (!la_filter.ok()) return la_filter;
  if (!request.theme().empty() && !ladder_.IsTheme(request.theme())) {
    return absl::InvalidArgumentError(
        absl::StrCat("theme: unknown theme \"", request.theme(), "\""));
  }
  absl::StatusOr<int> page_size = PageSize(request.page_size(), 100, 1000);
  if (!page_size.ok()) return page_size.status();
  const int size = *page_size;
  filter.la_code = request.la_code();
  filter.status = request.status();
  filter.stage = request.stage();
  filter.team = request.team();
  filter.theme = request.theme();
  filter.iro_id = request.iro_id();
  if (request.has_raised_from()) filter.raised_from = TimeFromProto(request.raised_from());
  if (request.has_raised_to()) filter.raised_to = TimeFromProto(request.raised_to());
  absl::StatusOr<std::string> after = DecodePageToken(request, request.page_token());
  if (!after.ok()) return after.status();
  if (!after->empty()) {
    // The token checked out (checksum, filters), so it holds a key we made.
    std::vector<std::string> parts = absl::StrSplit(*after, absl::MaxSplits('|', 1));
    int64_t us = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &us)) {
      return absl::InternalError("a page token's key has the wrong shape");
    }
    filter.after = std::make_pair(absl::FromUnixMicros(us), parts[1]);
  }
  filter.limit = size + 1;
  absl::StatusOr<std::vector<v1::Escalation>> found = store_.List(filter);
  if (!found.ok()) return found.status();
  if (absl::Status logged =
          LogRead(request.actor(), "list", request.la_code().empty() ? "all" : request.la_code());
      !logged.ok()) {
    return logged;
  }
  v1::ListEscalationsResponse response;
  for (v1::Escalation& e : *found) {
    if (response.escalations_size() == size) {
      const v1::Escalation& last = response.escalations(size - 1);
      response.set_next_page_token(EncodePageToken(
          request, absl::StrCat(MicrosFromProto(last.raised_at()), "|", last.id())));
      break;
    }
    *response.add_escalations() = std::move(e);
  }
  return response;
}

absl::StatusOr<v1::ListOverdueEscalationsResponse> EscalationService::ListOverdueEscalations(
    const v1::ListOverdueEscalationsRequest& request) {
  absl::Status la_filter = CheckLaFilter(request.la_code());
  if (!la_filter.ok()) return la_filter;
  const absl::Time as_of = request.has_as_of() ? TimeFromProto(request.as_of()) : now_();
  if (absl::Status in_window = CheckTime(as_of, "as_of"); !in_window.ok()) return in_window;
  EscalationFilter filter;
  filter.la_code = request.la_code();
  filter.raised_to = as_of + absl::Microseconds(1);
  absl::StatusOr<std::vector<v1::Escalation>> all = store_.List(filter);
  if (!all.ok()) return all.status();
  if (absl::Status logged = LogRead(request.actor(), "overdue",
                                    request.la_code().empty() ? "all" : request.la_code());
      !logged.ok()) {
    return logged;
  }
  absl::StatusOr<CalendarsByLa> calendars = CalendarsFor(*all);
  if (!calendars.ok()) return calendars.status();
  std::vector<v1::OverdueEscalation> overdue_cases;
  for (const v1::Escalation& e : *all) {
    std::optional<v1::OverdueEscalation> overdue =
        OverdueAt(e, as_of, ladder_, calendars->at(e.la_code()), uk_);
    if (overdue.has_value()) overdue_cases.push_back(*std::move(overdue));
  }
  // Oldest case first, as ListEscalations; the key is the case's, so a case
  // that becomes overdue between pages is never sent twice.
  v1::ListOverdueEscalationsResponse response;
  absl::Status paged = PageByKey(
      request, 100, 1000, std::move(overdue_cases),
      [](const v1::OverdueEscalation& o) {
        std::string key;
        AppendKeyPart(key, MicrosFromProto(o.escalation().raised_at()));
        AppendKeyPart(key, o.escalation().id());
        return key;
      },
      response.mutable_overdue(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::GetEscalationSummaryResponse> EscalationService::GetEscalationSummary(
    const v1::GetEscalationSummaryRequest& request) {
  absl::StatusOr<MonthRange> range = SummaryRange(request);
  if (!range.ok()) return range.status();
  EscalationFilter filter;
  filter.la_code = request.la_code();
  absl::StatusOr<std::vector<v1::Escalation>> all = store_.List(filter);
  if (!all.ok()) return all.status();
  Log(request.actor(), "summary", request.la_code().empty() ? "all" : request.la_code());
  absl::StatusOr<CalendarsByLa> calendars = CalendarsFor(*all);
  if (!calendars.ok()) return calendars.status();
  return SummariseStages(*all, range->from, range->to, ladder_, *calendars, uk_);
}

absl::StatusOr<v1::RecordAuditResponse> EscalationService::RecordAudit(
    const v1::RecordAuditRequest& request, const std::optional<Acting>& acting) {
  absl::Status la = CheckLa(request.la_code());
  if (!la.ok()) return la;
  absl::Status child = policy_.child_refs.Check(request.child_ref());
  if (!child.ok()) return child;
  for (const auto& [value, field] :
       {std::pair{&request.iro_id(), "iro_id"}, std::pair{&request.team(), "team"}}) {
    absl::Status s = Required(*value, field);
    if (!s.ok()) return s;
    s = CheckFreeText(*value, field, kMaxShortTextChars);
    if (!s.ok()) return s;
  }
  absl::StatusOr<absl::CivilDay> review = ParseDate(request.review_date(), "review_date");
  if (!review.ok()) return review.status();
  const absl::Time now = now_();
  if (*review > UkDay(now + kClockSkew, uk_)) {
    return absl::InvalidArgumentError("review_date is in the future");
  }
  if (absl::Status in_window = CheckDay(*review, "review_date"); !in_window.ok()) return in_window;
  if (absl::Status themes = CheckThemeCount(request.themes_size()); !themes.ok()) return themes;
  if (request.grade() == v1::AUDIT_GRADE_UNSPECIFIED) {
    const std::vector<std::string>& grades = AuditGradeWords();
    return absl::InvalidArgumentError(
        absl::StrCat("grade is required: ", absl::StrJoin(grades.begin(), grades.end() - 1, ", "),
                     " or ", grades.back()));
  }
  for (const std::string& theme : request.themes()) {
    if (!ladder_.IsTheme(theme)) {
      return absl::InvalidArgumentError(absl::StrCat("themes: unknown theme \"", theme, "\""));
    }
  }
  // An inadequate grade raises at stage 1, so it needs whoever may.
  if (request.grade() == v1::AUDIT_GRADE_INADEQUATE) {
    if (acting.has_value()) {
      absl::Status may =
          ladder_.MayEnter(1, acting->roles, "recording an inadequate audit, which raises at");
      if (!may.ok()) return may;
    }
  }
  const std::string actor =
      ActorFor(request.actor().empty() ? request.iro_id() : request.actor(), acting);
  v1::Audit audit;
  audit.set_la_code(request.la_code());
  audit.set_child_ref(request.child_ref());
  audit.set_review_date(request.review_date());
  audit.set_grade(request.grade());
  audit.set_iro_id(request.iro_id());
  audit.set_team(request.team());
  *audit.mutable_themes() = request.themes();
  *audit.mutable_recorded_at() = TimeToProto(now);

  std::optional<v1::Escalation> escalation;
  // One stage 1 per inadequate review: a second record of the same review
  // (same LA, child and day) is refused, checked and inserted under a lock.
  std::optional<absl::MutexLock> one_at_a_time;
  if (request.grade() == v1::AUDIT_GRADE_INADEQUATE) {
    one_at_a_time.emplace(&inadequate_audits_mu_);
    absl::StatusOr<std::vector<v1::Audit>> same_day =
        store_.ListAudits(request.la_code(), *review, *review);
    if (!same_day.ok()) return same_day.status();
    for (const v1::Audit& existing : *same_day) {
      if (existing.child_ref() == request.child_ref() &&
          existing.grade() == v1::AUDIT_GRADE_INADEQUATE) {
        return absl::FailedPreconditionError(
            absl::StrCat("audit ", existing.id(),
                         " already records this inadequate review (same LA, child and review "
                         "date), with its stage 1 escalation ",
                         existing.escalation_id(), ": no second one is opened"));
      }
    }
    // An inadequate grade counts as a stage 1 escalation, raised on the day
    // of the review (at 09:00 for a past review, so it falls in that day).
    const absl::Time raised = *review == UkDay(now, uk_)
                                  ? now
                                  : absl::FromCivil(absl::CivilSecond(*review) + 9 * 3600, uk_);
    std::vector<std::string> themes(request.themes().begin(), request.themes().end());
    if (themes.empty()) themes.emplace_back("qac_audit_inadequate");
    absl::StatusOr<v1::Escalation> e =
        NewEscalation(request.la_code(), request.child_ref(), request.iro_id(), request.team(),
                      themes, 1, raised, ActorOf(actor), "QAC audit graded inadequate");
    if (!e.ok()) return e.status();
    escalation = *std::move(e);
  }
  auto stored = store_.InsertAudit(std::move(audit), std::move(escalation));
  if (!stored.ok()) return stored.status();
  Log(actor, "audit", stored->first.id());
  v1::RecordAuditResponse response;
  *response.mutable_audit() = stored->first;
  if (stored->second.has_value()) {
    Publish(*stored->second, v1::TRANSITION_KIND_RAISED);
    *response.mutable_escalation() = *stored->second;
  }
  return response;
}

absl::StatusOr<v1::GetAuditSummaryResponse> EscalationService::GetAuditSummary(
    const v1::GetAuditSummaryRequest& request) {
  absl::StatusOr<MonthRange> range = SummaryRange(request);
  if (!range.ok()) return range.status();
  absl::StatusOr<std::vector<v1::Audit>> audits =
      store_.ListAudits(request.la_code(), FirstDayOf(range->from), LastDayOf(range->to));
  if (!audits.ok()) return audits.status();
  if (absl::Status logged = LogRead(request.actor(), "audit summary",
                                    request.la_code().empty() ? "all" : request.la_code());
      !logged.ok()) {
    return logged;
  }
  return SummariseAudits(*audits, range->from, range->to);
}

absl::StatusOr<v1::GetLadderResponse> EscalationService::GetLadder(
    const v1::GetLadderRequest& /*request*/) {
  v1::GetLadderResponse response;
  for (const v1::Stage& s : ladder_.stages) *response.add_stages() = s;
  for (const std::string& t : ladder_.themes) response.add_themes(t);
  response.set_target_working_days(ladder_.target_working_days);
  return response;
}

absl::StatusOr<v1::AddWorkingDaysResponse> EscalationService::AddWorkingDays(
    const v1::AddWorkingDaysRequest& request) {
  absl::StatusOr<absl::CivilDay> from = ParseDate(request.from_date(), "from_date");
  if (!from.ok()) return from.status();
  if (request.count() < 0 || request.count() > 2000) {
    return absl::InvalidArgumentError("count must be 0 to 2000 working days");
  }
  absl::Status la_filter = CheckLaFilter(request.la_code());
  if (!la_filter.ok()) return la_filter;
  absl::StatusOr<WorkingCalendar> calendar = CalendarFor(request.la_code());
  if (!calendar.ok()) return calendar.status();
  const absl::CivilDay due = calendar->AddWorkingDays(*from, request.count());
  v1::AddWorkingDaysResponse response;
  response.set_date(FormatDate(due));
  for (std::string& skipped : SkippedDays(*calendar, *from, due)) {
    response.add_skipped(std::move(skipped));
  }
  return response;
}

absl::StatusOr<v1::AddClosureDaysResponse> EscalationService::AddClosureDays(
    const v1::AddClosureDaysRequest& request) {
  if (!request.la_code().empty()) {
    absl::Status la = CheckLa(request.la_code());
    if (!la.ok()) return la;
  }
  if (request.dates().empty()) return absl::InvalidArgumentError("dates: no dates given");
  if (request.dates_size() > kMaxClosureDatesPerRequest) {
    return absl::InvalidArgumentError(absl::StrCat("dates: at most ", kMaxClosureDatesPerRequest,
                                                   " closure dates in one request"));
  }
  if (absl::Status reason = CheckFreeText(request.reason(), "reason", kMaxShortTextChars);
      !reason.ok()) {
    return reason;
  }
  std::vector<absl::CivilDay> days;
  for (const std::string& d : request.dates()) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(d, "dates");
    if (!day.ok()) return day.status();
    if (absl::Status in_window = CheckClosureDay(*day); !in_window.ok()) return in_window;
    days.push_back(*day);
  }
  absl::Status s = store_.AddClosures(request.la_code(), days, request.reason());
  if (!s.ok()) return s;
  v1::AddClosureDaysResponse response;
  response.set_written(static_cast<int32_t>(days.size()));
  return response;
}

absl::StatusOr<WatchStreams::Ticket> EscalationService::StartWatch(
    const v1::WatchEscalationsRequest& request) {
  absl::Status la_filter = CheckLaFilter(request.la_code());
  if (!la_filter.ok()) return la_filter;
  absl::StatusOr<WatchStreams::Ticket> ticket = watch_streams_.Open(ActorOf(request.actor()));
  if (!ticket.ok()) return ticket.status();
  if (absl::Status logged =
          LogRead(request.actor(), "watch", request.la_code().empty() ? "all" : request.la_code());
      !logged.ok()) {
    return logged;
  }
  return ticket;
}

absl::StatusOr<std::string> EscalationService::CaseLa(absl::string_view id) {
  absl::StatusOr<std::optional<v1::Escalation>> found = store_.Find(id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return EscalationNotFound(id);
  return (*found)->la_code();
}

}  // namespace carescore::escalations
