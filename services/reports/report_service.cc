#include "services/reports/report_service.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/call_scope.h"
#include "common/error_info.h"
#include "common/paging.h"
#include "common/period.h"
#include "common/proto_time.h"
#include "common/validation.h"
#include "google/protobuf/arena.h"
#include "services/reports/highlights.h"
#include "services/reports/report_renderer.h"
#include "services/reports/scorecard.h"

namespace carescore::reports {
namespace {

absl::Status CheckLaAndMonth(const std::string& la_code, const std::string& month) {
  if (absl::Status la = CheckLaCode(la_code); !la.ok()) return la;
  absl::Status m = Month::Parse(month).status();
  if (!m.ok()) return absl::InvalidArgumentError(absl::StrCat("month: ", m.message()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::GetScorecardResponse> ReportService::GetScorecard(
    const v1::GetScorecardRequest& request) {
  absl::StatusOr<ScorecardBytes> bytes = GetScorecardBytes(request);
  if (!bytes.ok()) return bytes.status();
  v1::GetScorecardResponse response;
  if (!response.mutable_scorecard()->ParseFromString(bytes->scorecard)) {
    return absl::InternalError("a scorecard could not be read back");
  }
  response.set_cache(std::move(bytes->cache));
  return response;
}

std::string ReportService::CacheKey(const v1::GetScorecardRequest& request, Month month,
                                    const ScorecardVersions& versions) {
  // Computed comparators read every LA's values, hence the all-LA version.
  return absl::StrCat("carescore:scorecard:v2:", request.la_code(), ":", month.ToString(), ":",
                      request.has_as_of() ? absl::StrCat(MicrosFromProto(request.as_of())) : "now",
                      ":d", versions.la, ":a", versions.all, ":c", versions.comparators);
}

ReportService::ScorecardVersions ReportService::VersionsOf(
    const v1::GetDataVersionResponse& data, const v1::GetComparatorsVersionResponse& comparators) {
  return ScorecardVersions{data.data_version(), data.all_data_version(), comparators.version(),
                           data.las_with_values(), data.catalogue_version()};
}

std::optional<ScorecardBytes> ReportService::CachedScorecardBytes(
    const v1::GetScorecardRequest& request, std::string* missed_key) {
  if (cache_ == nullptr || !IsLaCode(request.la_code())) return std::nullopt;
  if (request.has_as_of() && TimeFromProto(request.as_of()) > now_()) return std::nullopt;
  absl::StatusOr<Month> month = Month::Parse(request.month());
  if (!month.ok()) return std::nullopt;
  std::optional<v1::GetDataVersionResponse> data = data_versions_.Peek(request.la_code());
  std::optional<v1::GetComparatorsVersionResponse> comparators = comparator_versions_.Peek("");
  if (!data.has_value() || !comparators.has_value()) return std::nullopt;
  std::string key = CacheKey(request, *month, VersionsOf(*data, *comparators));
  std::optional<std::string> cached = cache_->Get(key);
  if (!cached.has_value()) {
    if (missed_key != nullptr) *missed_key = std::move(key);
    return std::nullopt;
  }
  return ScorecardBytes{*std::move(cached), "hit"};
}

absl::StatusOr<ScorecardBytes> ReportService::GetScorecardBytes(
    const v1::GetScorecardRequest& request, const std::string& missed_key) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  absl::StatusOr<Month> month = Month::Parse(request.month());
  if (!month.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("month: ", month.status().message()));
  }
  // The versions first: a write after them can only make the scorecard
  // newer than its key says, never older. Each is held for its lease
  // (common/version_lease.h), so a hit costs no call to the other services.
  absl::StatusOr<v1::GetDataVersionResponse> data = data_versions_.Get(request.la_code());
  if (data.status().code() == absl::StatusCode::kNotFound) {
    return LaNotFound(request.la_code());
  }
  if (!data.ok()) return data.status();
  absl::StatusOr<v1::GetComparatorsVersionResponse> comparators = comparator_versions_.Get("");
  if (!comparators.ok()) return comparators.status();
  const ScorecardVersions versions = VersionsOf(*data, *comparators);

  // A past as-of never changes; a future one could, so it is not cached.
  const bool cacheable =
      cache_ != nullptr && (!request.has_as_of() || TimeFromProto(request.as_of()) <= now_());
  if (!cacheable) {
    absl::StatusOr<std::string> card = BuildScorecard(request, versions);
    if (!card.ok()) return card.status();
    return ScorecardBytes{*std::move(card), "uncached"};
  }
  const std::string key = CacheKey(request, *month, versions);
  // The cache holds the Scorecard's wire bytes: a hit is answered without
  // parsing them. (Not asked again for a key CachedScorecardBytes has just
  // missed.)
  if (key != missed_key) {
    if (std::optional<std::string> cached = cache_->Get(key)) {
      return ScorecardBytes{*std::move(cached), "hit"};
    }
  }
  const auto compute = [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> bytes = BuildScorecard(request, versions);
    if (!bytes.ok()) return bytes.status();
    cache_->Put(key, *bytes);
    return bytes;
  };
  absl::StatusOr<std::string> computed = flights_.Do(key, compute);
  // A flight runs under its first caller's deadline (common/call_scope.h):
  // if that caller went away, a caller still waiting computes it again.
  const bool flight_abandoned = computed.status().code() == absl::StatusCode::kCancelled ||
                                computed.status().code() == absl::StatusCode::kDeadlineExceeded;
  if (flight_abandoned && CallScope::Current().Check().ok()) computed = flights_.Do(key, compute);
  if (!computed.ok()) return computed.status();
  return ScorecardBytes{*std::move(computed), "miss"};
}

absl::StatusOr<std::shared_ptr<const ReportService::ReferenceData>> ReportService::Reference(
    const std::string& la_code, FinancialYear fy, const ScorecardVersions& versions) {
  // Held per catalogue and comparators version: a new load of values (the
  // usual reason a scorecard is not cached) does not read these again.
  const std::string key = absl::StrCat(la_code, ":", fy.ToString(), ":k", versions.catalogue, ":c",
                                       versions.comparators);
  {
    absl::MutexLock lock(&reference_mu_);
    auto it = references_.find(key);
    if (it != references_.end()) return it->second;
  }
  auto ref = std::make_shared<ReferenceData>();
  absl::StatusOr<v1::LocalAuthority> la = indicators_.GetLocalAuthority(la_code);
  if (!la.ok()) return la.status();
  ref->la = *std::move(la);

  v1::ListTargetsRequest targets_request;
  targets_request.set_financial_year(fy.ToString());
  absl::StatusOr<std::vector<v1::Target>> targets = indicators_.ListTargets(targets_request);
  if (!targets.ok()) return targets.status();
  // The LA's own target wins over the default for every LA.
  for (const v1::Target& t : *targets) {
    if (t.la_code().empty() && ref->target_by_code.count(t.indicator_code()) == 0) {
      ref->target_by_code[t.indicator_code()] = t;
    }
  }
  for (const v1::Target& t : *targets) {
    if (t.la_code() == la_code) ref->target_by_code[t.indicator_code()] = t;
  }

  // The latest published comparators before this financial year.
  absl::StatusOr<v1::ListPublishedComparatorsResponse> published =
      benchmarks_.ListPublished(la_code);
  if (!published.ok()) return published.status();
  for (const v1::PublishedComparator& c : published->comparators()) {
    if (c.financial_year() >= fy.ToString()) continue;
    auto it = ref->published_by_code.find(c.indicator_code());
    if (it == ref->published_by_code.end() || it->second.financial_year() < c.financial_year()) {
      ref->published_by_code[c.indicator_code()] = c;
    }
  }

  absl::StatusOr<std::vector<v1::Indicator>> catalogue = indicators_.ListIndicators();
  if (!catalogue.ok()) return catalogue.status();
  ref->catalogue = *std::move(catalogue);

  // The LA's own trajectories and the defaults for every LA, in one call.
  v1::ListMilestonesRequest milestones_request;
  milestones_request.set_la_code(la_code);
  milestones_request.set_include_defaults(true);
  absl::StatusOr<std::vector<v1::Milestone>> milestones =
      indicators_.ListMilestones(milestones_request);
  if (!milestones.ok()) return milestones.status();
  for (v1::Milestone& x : *milestones) {
    auto& into = x.la_code().empty() ? ref->default_milestones : ref->own_milestones;
    into[x.indicator_code()].push_back(std::move(x));
  }

  absl::MutexLock lock(&reference_mu_);
  if (references_.size() >= kMaxReferences) references_.clear();  // Refilled on demand.
  references_[key] = ref;
  return ref;
}

absl::StatusOr<std::string> ReportService::BuildScorecard(const v1::GetScorecardRequest& request,
                                                          const ScorecardVersions& versions) {
  absl::StatusOr<Month> month = Month::Parse(request.month());
  if (!month.ok()) return month.status();
  const FinancialYear fy = month->financial_year();
  absl::StatusOr<std::shared_ptr<const ReferenceData>> reference =
      Reference(request.la_code(), fy, versions);
  if (!reference.ok()) return reference.status();
  const ReferenceData& ref = **reference;

  v1::ListValuesRequest months_request;
  months_request.set_la_code(request.la_code());
  months_request.set_period_kind(v1::PERIOD_KIND_MONTH);
  months_request.set_from_period(fy.Plus(-1).first_month().ToString());
  months_request.set_to_period(month->ToString());
  months_request.set_view(v1::VALUE_VIEW_FIGURES);  // History is read apart.
  if (request.has_as_of()) *months_request.mutable_as_of() = request.as_of();
  absl::StatusOr<std::vector<v1::Value>> monthly = indicators_.ListValues(months_request);
  if (!monthly.ok()) return monthly.status();
  std::map<std::string, std::map<std::string, v1::Value>> by_code;
  bool any_this_month = false;
  for (v1::Value& v : *monthly) {
    any_this_month = any_this_month || v.month() == month->ToString();
    by_code[v.indicator_code()][v.month()] = std::move(v);
  }
  if (!any_this_month) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no data for LA ", request.la_code(), " (", ref.la.name(),
                                         ") in ", month->LongName())),
        v1::NO_DATA_FOR_PERIOD, {{"la_code", request.la_code()}, {"month", request.month()}});
  }

  v1::ListValuesRequest outturns_request = months_request;
  outturns_request.set_period_kind(v1::PERIOD_KIND_FINANCIAL_YEAR);
  outturns_request.set_from_period(fy.Plus(-4).ToString());
  outturns_request.set_to_period(fy.Plus(-1).ToString());
  absl::StatusOr<std::vector<v1::Value>> outturns = indicators_.ListValues(outturns_request);
  if (!outturns.ok()) return outturns.status();
  std::map<std::string, std::map<std::string, v1::Value>> outturns_by_code;
  for (v1::Value& v : *outturns) {
    outturns_by_code[v.indicator_code()][v.financial_year()] = std::move(v);
  }

  absl::StatusOr<ComputedComparators> computed =
      ComputedFor(request, *month, versions, ref.catalogue, by_code);
  if (!computed.ok()) return computed.status();

  // The card lives on an arena: built, serialised and freed at once.
  google::protobuf::Arena arena;
  v1::Scorecard& card = *google::protobuf::Arena::CreateMessage<v1::Scorecard>(&arena);
  card.set_la_code(request.la_code());
  card.set_la_name(ref.la.name());
  card.set_month(month->ToString());
  card.set_financial_year(fy.ToString());
  card.set_data_version(versions.la);
  card.set_all_data_version(versions.all);
  card.set_comparators_version(versions.comparators);
  if (request.has_as_of()) *card.mutable_as_of() = request.as_of();

  for (const v1::Indicator& indicator : ref.catalogue) {
    auto values = by_code.find(indicator.code());
    if (values == by_code.end()) continue;  // Not reported monthly for this LA.
    IndicatorFigures figures;
    figures.indicator = indicator;
    figures.months = std::move(values->second);
    if (auto o = outturns_by_code.find(indicator.code()); o != outturns_by_code.end()) {
      figures.outturns = std::move(o->second);
    }
    if (auto t = ref.target_by_code.find(indicator.code()); t != ref.target_by_code.end()) {
      figures.target = t->second;
    }
    // The LA's own trajectory, else the default for every LA.
    for (const auto* trajectories : {&ref.own_milestones, &ref.default_milestones}) {
      auto it = trajectories->find(indicator.code());
      if (it != trajectories->end()) {
        figures.milestones = it->second;
        break;
      }
    }
    if (auto p = ref.published_by_code.find(indicator.code()); p != ref.published_by_code.end()) {
      v1::Benchmark b;
      b.set_la_code(request.la_code());
      b.set_indicator_code(indicator.code());
      b.set_financial_year(p->second.financial_year());
      b.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
      if (p->second.has_sn_average()) b.set_sn_average(p->second.sn_average());
      if (p->second.has_best_sn()) b.set_best_sn(p->second.best_sn());
      if (p->second.has_national_average()) b.set_national_average(p->second.national_average());
      if (p->second.has_top_quartile_threshold()) {
        b.set_top_quartile_threshold(p->second.top_quartile_threshold());
      }
      figures.published = b;
    }
    if (auto c = computed->year.find(indicator.code()); c != computed->year.end()) {
      figures.computed = c->second;
    }
    if (auto c = computed->month.find(indicator.code()); c != computed->month.end()) {
      figures.computed_month = c->second;
    }
    // Only a value that has been re-loaded has a history worth reading.
    auto current = figures.months.find(month->ToString());
    if (current != figures.months.end() && current->second.revision() > 1) {
      v1::ListValueHistoryRequest h;
      h.set_la_code(request.la_code());
      h.set_indicator_code(indicator.code());
      h.set_month(month->ToString());
      absl::StatusOr<std::vector<v1::Value>> history = indicators_.ListValueHistory(h);
      if (!history.ok()) return history.status();
      for (v1::Value& v : *history) {
        if (request.has_as_of() &&
            TimeFromProto(v.recorded_at()) > TimeFromProto(request.as_of())) {
          break;
        }
        figures.history.push_back(std::move(v));
      }
    }
    BuildLineInto(figures, *month, *card.add_lines());
  }
  return card.SerializeAsString();
}

absl::StatusOr<ReportService::ComputedComparators> ReportService::ComputedFor(
    const v1::GetScorecardRequest& request, Month month, const ScorecardVersions& versions,
    const std::vector<v1::Indicator>& catalogue,
    const std::map<std::string, std::map<std::string, v1::Value>>& reported) {
  // Each line's own code, and its national reference where it has one.
  v1::BatchGetBenchmarksRequest batch;
  batch.set_la_code(request.la_code());
  batch.set_month(month.ToString());
  batch.set_financial_year(month.financial_year().Plus(-1).ToString());
  if (request.has_as_of()) *batch.mutable_as_of() = request.as_of();
  std::map<std::string, const v1::Indicator*> lines;
  for (const v1::Indicator& indicator : catalogue) {
    if (reported.count(indicator.code()) == 0) continue;
    lines[indicator.code()] = &indicator;
    batch.add_indicator_codes(indicator.code());
    if (!indicator.national_ref().empty()) batch.add_indicator_codes(indicator.national_ref());
  }
  ComputedComparators out;
  // With no other LA's values (one council's own deployment) there is
  // nothing to compute from: no call.
  if (versions.las_with_values < 2 || batch.indicator_codes().empty() ||
      batch.indicator_codes_size() > benchmarks::kMaxBatchBenchmarks) {
    return out;
  }
  absl::StatusOr<v1::BatchGetBenchmarksResponse> got = benchmarks_.BatchGet(batch);
  if (!got.ok()) return got.status();
  // Comparators only mean something when other LAs had a value too. A
  // line's own code wins over its national reference.
  for (const v1::Benchmark& b : got->benchmarks()) {
    if (b.la_count() < 2) continue;
    auto& into = b.has_month() ? out.month : out.year;
    for (const auto& [code, indicator] : lines) {
      const bool own = code == b.indicator_code();
      const bool by_reference = indicator->national_ref() == b.indicator_code();
      if (own || (by_reference && into.count(code) == 0)) into[code] = b;
    }
  }
  return out;
}

absl::StatusOr<v1::ReportDocument> ReportService::Document(
    const std::string& la_code, const std::string& month,
    const google::protobuf::Timestamp* as_of) {
  v1::GetScorecardRequest request;
  request.set_la_code(la_code);
  request.set_month(month);
  if (as_of != nullptr && IsSetTime(*as_of)) {
    *request.mutable_as_of() = *as_of;
  }
  absl::StatusOr<v1::GetScorecardResponse> card = GetScorecard(request);
  if (!card.ok()) return card.status();
  v1::ReportDocument doc;
  *doc.mutable_scorecard() = card->scorecard();
  for (v1::SectionHighlights& h : BuildHighlights(card->scorecard())) {
    *doc.add_highlights() = std::move(h);
  }
  if (deps_.commentary != nullptr) {
    absl::StatusOr<std::vector<v1::Commentary>> text = deps_.commentary->List(la_code, month);
    if (!text.ok()) return text.status();
    for (v1::Commentary& c : *text) *doc.add_commentary() = std::move(c);
  }
  if (deps_.escalations == nullptr) {
    doc.set_escalations_note("The escalation service is not connected.");
  } else {
    const Month m = *Month::Parse(month);
    v1::GetEscalationSummaryRequest summary;
    summary.set_la_code(la_code);
    summary.set_from_month(m.financial_year().first_month().ToString());
    summary.set_to_month(month);
    absl::StatusOr<v1::GetEscalationSummaryResponse> got = deps_.escalations->Summary(summary);
    if (got.ok()) {
      for (const v1::MonthStageCounts& c : got->months()) *doc.add_escalations() = c;
    } else {
      // The report still goes out: the section says why it is empty.
      doc.set_escalations_note(
          absl::StrCat("Escalation figures unavailable: ", got.status().message()));
    }
  }
  *doc.mutable_generated_at() = TimeToProto(now_());
  return doc;
}

absl::StatusOr<v1::GetReportResponse> ReportService::GetReport(
    const v1::GetReportRequest& request) {
  absl::Status checked = CheckLaAndMonth(request.la_code(), request.month());
  if (!checked.ok()) return checked;
  if (request.format() == v1::REPORT_FORMAT_UNSPECIFIED) {
    return absl::InvalidArgumentError("format is required: html, pdf, xlsx, csv or json");
  }
  absl::StatusOr<v1::ReportDocument> doc = Document(
      request.la_code(), request.month(), request.has_as_of() ? &request.as_of() : nullptr);
  if (!doc.ok()) return doc.status();
  v1::GetReportResponse response;
  const std::string stem = absl::StrCat("carescore-", request.la_code(), "-", request.month());
  absl::StatusOr<std::string> content;
  switch (request.format()) {
    case v1::REPORT_FORMAT_HTML:
      content = RenderHtml(*doc);
      response.set_content_type("text/html; charset=utf-8");
      response.set_filename(stem + ".html");
      break;
    case v1::REPORT_FORMAT_PDF:
      // Chromium is killed once the caller has gone or its deadline passed.
      content = RenderPdf(RenderHtml(*doc), deps_.chromium, CallScope::Current());
      response.set_content_type("application/pdf");
      response.set_filename(stem + ".pdf");
      break;
    case v1::REPORT_FORMAT_XLSX:
      content = RenderXlsx(*doc);
      response.set_content_type(
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      response.set_filename(stem + ".xlsx");
      break;
    case v1::REPORT_FORMAT_CSV:
      content = RenderCsv(*doc);
      response.set_content_type("text/csv; charset=utf-8");
      response.set_filename(stem + ".csv");
      break;
    case v1::REPORT_FORMAT_JSON:
      content = RenderJson(*doc);
      response.set_content_type("application/json");
      response.set_filename(stem + ".json");
      break;
    default:
      return absl::InvalidArgumentError("unknown format: use html, pdf, xlsx, csv or json");
  }
  if (!content.ok()) return content.status();
  response.set_content(*std::move(content));
  return response;
}

absl::StatusOr<v1::GetHighlightsResponse> ReportService::GetHighlights(
    const v1::GetHighlightsRequest& request) {
  v1::GetScorecardRequest scorecard;
  scorecard.set_la_code(request.la_code());
  scorecard.set_month(request.month());
  if (request.has_as_of()) *scorecard.mutable_as_of() = request.as_of();
  absl::StatusOr<v1::GetScorecardResponse> card = GetScorecard(scorecard);
  if (!card.ok()) return card.status();
  v1::GetHighlightsResponse response;
  for (v1::SectionHighlights& h : BuildHighlights(card->scorecard())) {
    *response.add_sections() = std::move(h);
  }
  return response;
}

absl::StatusOr<v1::SetCommentaryResponse> ReportService::SetCommentary(
    const v1::SetCommentaryRequest& request) {
  if (deps_.commentary == nullptr) {
    return absl::FailedPreconditionError("this report service keeps no commentary");
  }
  absl::Status checked = CheckLaAndMonth(request.la_code(), request.month());
  if (!checked.ok()) return checked;
  if (request.section().empty()) return absl::InvalidArgumentError("section is required");
  if (request.author().empty()) return absl::InvalidArgumentError("author is required");
  if (request.text().size() > 20000) {
    return absl::InvalidArgumentError("text is longer than 20,000 characters");
  }
  v1::Commentary c;
  c.set_la_code(request.la_code());
  c.set_month(request.month());
  c.set_section(request.section());
  c.set_text(request.text());
  c.set_author(request.author());
  *c.mutable_updated_at() = TimeToProto(now_());
  absl::Status stored = deps_.commentary->Put(c);
  if (!stored.ok()) return stored;
  v1::SetCommentaryResponse response;
  *response.mutable_commentary() = std::move(c);
  return response;
}

absl::StatusOr<v1::ListCommentaryResponse> ReportService::ListCommentary(
    const v1::ListCommentaryRequest& request) {
  absl::Status checked = CheckLaAndMonth(request.la_code(), request.month());
  if (!checked.ok()) return checked;
  std::vector<v1::Commentary> all;
  if (deps_.commentary != nullptr) {
    absl::StatusOr<std::vector<v1::Commentary>> found =
        deps_.commentary->List(request.la_code(), request.month());
    if (!found.ok()) return found.status();
    all = *std::move(found);
  }
  // By section: one commentary per section of an LA's month.
  v1::ListCommentaryResponse response;
  absl::Status paged = PageByKey(
      request, 100, 1000, std::move(all), [](const v1::Commentary& c) { return c.section(); },
      response.mutable_commentary(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

}  // namespace carescore::reports
