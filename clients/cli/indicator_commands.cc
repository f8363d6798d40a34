#include "clients/cli/indicator_commands.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/words.h"

namespace carescore::cli {
namespace {

const std::vector<std::string> kValueColumns = {
    "la_code", "code", "period", "value", "numerator", "denominator", "revision", "recorded_at"};

std::vector<nlohmann::json> ValueRow(const v1::Value& v) {
  return {v.la_code(),
          v.indicator_code(),
          v.period_case() == v1::Value::kFinancialYear ? v.financial_year() : v.month(),
          Optional(v.has_value(), v.value()),
          Optional(v.has_numerator(), v.numerator()),
          Optional(v.has_denominator(), v.denominator()),
          v.revision(),
          Rfc3339(v.recorded_at())};
}

}  // namespace

absl::StatusOr<v1::ListValuesRequest> ValuesGetRequest(const ValuesGetOptions& o) {
  v1::ListValuesRequest request;
  request.set_la_code(o.la);
  request.set_indicator_code(o.code);
  request.set_period_kind(o.annual ? v1::PERIOD_KIND_FINANCIAL_YEAR : v1::PERIOD_KIND_MONTH);
  request.set_from_period(o.from);
  request.set_to_period(o.to);
  request.set_include_missing(o.include_missing);
  request.set_page_size(10000);
  if (!o.as_of.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> ts = ParseRfc3339(o.as_of, "--as-of");
    if (!ts.ok()) return ts.status();
    *request.mutable_as_of() = *ts;
  }
  return request;
}

absl::StatusOr<v1::ListValueHistoryRequest> ValueHistoryRequest(const std::string& la,
                                                                const std::string& code,
                                                                const std::string& period,
                                                                const std::string& year) {
  absl::Status choice = PeriodChoice(period, year);
  if (!choice.ok()) return choice;
  v1::ListValueHistoryRequest request;
  request.set_la_code(la);
  request.set_indicator_code(code);
  if (!period.empty()) {
    request.set_month(period);
  } else {
    request.set_financial_year(year);
  }
  return request;
}

std::string TargetText(const v1::Target& t) {
  switch (t.kind()) {
    case v1::TARGET_KIND_THRESHOLDS:
      return absl::StrCat("red ", NumberText(t.red_threshold()), ", green ",
                          NumberText(t.green_threshold()));
    case v1::TARGET_KIND_RANGE:
      return absl::StrCat("green ", NumberText(t.range_low()), " to ", NumberText(t.range_high()),
                          ", tolerance ", NumberText(t.range_tolerance_pct()), "%");
    default:
      return "no target set";
  }
}

IndicatorCommands::IndicatorCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };

  CLI::App* las = app.add_subcommand("las", "Local authorities");
  las->require_subcommand(1);
  CLI::App* las_list = las->add_subcommand("list", "List local authorities");
  las_list->add_flag("--include-former", include_former_, "Also abolished LAs");
  las_list->callback([this, run] { run(ListLas()); });

  CLI::App* indicators = app.add_subcommand("indicators", "The indicator catalogue");
  indicators->require_subcommand(1);
  CLI::App* list = indicators->add_subcommand("list", "List indicators in catalogue order");
  list->add_option("--section", section_, "Only this section");
  list->callback([this, run] { run(ListIndicators()); });
  CLI::App* show = indicators->add_subcommand("show", "One indicator, with its targets");
  show->add_option("CODE", code_)->required();
  show->callback([this, run] { run(ShowIndicator()); });

  CLI::App* targets = app.add_subcommand("targets", "Targets per indicator and financial year");
  targets->require_subcommand(1);
  CLI::App* targets_list = targets->add_subcommand("list", "List targets");
  targets_list->add_option("--code", code_, "Indicator code");
  targets_list->add_option("--year", year_, "Financial year, e.g. 2018-19");
  targets_list->add_option("--la", la_, "LA code");
  targets_list->callback([this, run] { run(ListTargets()); });

  CLI::App* values = app.add_subcommand("values", "Indicator values and their revisions");
  values->require_subcommand(1);
  CLI::App* get = values->add_subcommand("get", "Latest values (or as of a past time)");
  get->add_option("--la", get_.la, "LA code, e.g. 372")->required();
  get->add_option("--code", get_.code, "Indicator code, e.g. 6.8")->required();
  get->add_option("--from", get_.from, "First period, YYYY-MM (YYYY-YY with --annual)");
  get->add_option("--to", get_.to, "Last period, YYYY-MM (YYYY-YY with --annual)");
  get->add_option("--as-of", get_.as_of, "RFC 3339 time: the values as they stood then");
  get->add_flag("--annual", get_.annual, "Financial-year outturns instead of months");
  get->add_flag("--include-missing", get_.include_missing, "Also values recorded as missing");
  get->callback([this, run] { run(ValuesGet()); });
  CLI::App* history = values->add_subcommand("history", "Every revision of one value");
  history->add_option("--la", la_, "LA code")->required();
  history->add_option("--code", code_, "Indicator code")->required();
  history->add_option("--period", period_, "Month, YYYY-MM");
  history->add_option("--year", year_, "Financial year, YYYY-YY (for an outturn)");
  history->callback([this, run] { run(ValuesHistory()); });
  CLI::App* version = values->add_subcommand("version", "The LA's data version");
  version->add_option("--la", la_, "LA code")->required();
  version->callback([this, run] { run(DataVersion()); });
}

absl::Status IndicatorCommands::ListLas() {
  Table table({"la_code", "ons_code", "name", "region", "status"});
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(1000);
  request.set_include_former(include_former_);
  do {
    v1::ListLocalAuthoritiesResponse response;
    absl::Status s =
        client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ListLocalAuthorities,
                     request, &response, "las list");
    if (!s.ok()) return s;
    for (const auto& la : response.local_authorities()) {
      // Only an LA marked former is former; an unset status is shown as current.
      const v1::LaStatus status =
          la.status() == v1::LA_STATUS_FORMER ? v1::LA_STATUS_FORMER : v1::LA_STATUS_CURRENT;
      table.AddRow({la.la_code(), la.ons_code(), la.name(), la.region(), LaStatusWord(status)});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

absl::Status IndicatorCommands::ListIndicators() {
  Table table({"code", "section", "title", "polarity", "unit", "period_type", "rag_basis",
               "decimal_places"});
  v1::ListIndicatorsRequest request;
  request.set_page_size(1000);
  request.set_section(section_);
  do {
    v1::ListIndicatorsResponse response;
    absl::Status s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ListIndicators,
                                  request, &response, "indicators list");
    if (!s.ok()) return s;
    for (const auto& i : response.indicators()) {
      table.AddRow({i.code(), i.section(), i.title(), PolarityWord(i.polarity()),
                    UnitWord(i.unit()), PeriodTypeWord(i.period_type()),
                    RagBasisWord(i.rag_basis()), i.effective_decimal_places()});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

absl::Status IndicatorCommands::ShowIndicator() {
  v1::GetIndicatorRequest request;
  request.set_code(code_);
  v1::GetIndicatorResponse response;
  absl::Status s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::GetIndicator,
                                request, &response, absl::StrCat("indicators show ", code_));
  if (!s.ok()) return s;
  const v1::Indicator& i = response.indicator();
  Table table({"field", "value"});
  table.AddRow({"code", i.code()});
  table.AddRow({"section", i.section()});
  table.AddRow({"title", i.title()});
  table.AddRow({"definition", i.definition()});
  table.AddRow({"polarity", PolarityWord(i.polarity())});
  table.AddRow({"unit", UnitWord(i.unit())});
  table.AddRow({"period_type", PeriodTypeWord(i.period_type())});
  table.AddRow({"rag_basis", RagBasisWord(i.rag_basis())});
  table.AddRow({"decimal_places", i.effective_decimal_places()});
  table.AddRow({"quartiles", i.quartiles()});
  table.AddRow({"council_plan", i.council_plan()});
  table.AddRow({"national_ref", i.national_ref()});
  table.AddRow({"source_measure", i.source_measure()});

  v1::ListTargetsRequest targets_request;
  targets_request.set_indicator_code(code_);
  targets_request.set_page_size(1000);
  do {
    v1::ListTargetsResponse targets;
    s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ListTargets,
                     targets_request, &targets, "targets");
    if (!s.ok()) return s;
    for (const auto& t : targets.targets()) {
      table.AddRow(
          {absl::StrCat("target ", t.financial_year(),
                        t.la_code().empty() ? "" : absl::StrCat(" (LA ", t.la_code(), ")")),
           TargetText(t)});
    }
    targets_request.set_page_token(targets.next_page_token());
  } while (!targets_request.page_token().empty());
  return PrintTable(client_, table);
}

absl::Status IndicatorCommands::ListTargets() {
  v1::ListTargetsRequest request;
  request.set_indicator_code(code_);
  request.set_financial_year(year_);
  request.set_la_code(la_);
  request.set_page_size(1000);
  Table table({"code", "financial_year", "la_code", "kind", "red_threshold", "green_threshold",
               "range_low", "range_high", "range_tolerance_pct"});
  do {
    v1::ListTargetsResponse response;
    absl::Status s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ListTargets,
                                  request, &response, "targets list");
    if (!s.ok()) return s;
    for (const auto& t : response.targets()) {
      const char* kind = t.kind() == v1::TARGET_KIND_THRESHOLDS ? "thresholds"
                         : t.kind() == v1::TARGET_KIND_RANGE    ? "range"
                                                                : "none";
      table.AddRow({t.indicator_code(), t.financial_year(), t.la_code(), kind,
                    Optional(t.has_red_threshold(), t.red_threshold()),
                    Optional(t.has_green_threshold(), t.green_threshold()),
                    Optional(t.has_range_low(), t.range_low()),
                    Optional(t.has_range_high(), t.range_high()),
                    Optional(t.has_range_tolerance_pct(), t.range_tolerance_pct())});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

absl::Status IndicatorCommands::ValuesGet() {
  absl::StatusOr<v1::ListValuesRequest> request = ValuesGetRequest(get_);
  if (!request.ok()) return request.status();
  Table table(kValueColumns);
  do {
    v1::ListValuesResponse response;
    absl::Status s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ListValues,
                                  *request, &response, "values get");
    if (!s.ok()) return s;
    for (const auto& v : response.values()) table.AddRow(ValueRow(v));
    request->set_page_token(response.next_page_token());
  } while (!request->page_token().empty());
  return PrintTable(client_, table);
}

absl::Status IndicatorCommands::ValuesHistory() {
  absl::StatusOr<v1::ListValueHistoryRequest> request =
      ValueHistoryRequest(la_, code_, period_, year_);
  if (!request.ok()) return request.status();
  request->set_page_size(1000);
  std::vector<std::string> columns = kValueColumns;
  columns.push_back("source");
  Table table(columns);
  do {
    v1::ListValueHistoryResponse response;
    absl::Status s =
        client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ListValueHistory, *request,
                     &response, "values history");
    if (!s.ok()) return s;
    for (const auto& v : response.values()) {
      std::vector<nlohmann::json> row = ValueRow(v);
      row.push_back(v.source());
      table.AddRow(std::move(row));
    }
    request->set_page_token(response.next_page_token());
  } while (!request->page_token().empty());
  return PrintTable(client_, table);
}

absl::Status IndicatorCommands::DataVersion() {
  v1::GetDataVersionRequest request;
  request.set_la_code(la_);
  v1::GetDataVersionResponse response;
  absl::Status s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::GetDataVersion,
                                request, &response, "values version");
  if (!s.ok()) return s;
  Table table({"la_code", "data_version"});
  table.AddRow({response.la_code(), response.data_version()});
  return PrintTable(client_, table);
}

}  // namespace carescore::cli
