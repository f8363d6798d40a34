// carescore: the command-line client for analysts. Every command talks to a
// carescore server over gRPC; errors print the server's message and exit 1.

#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "carescore/v1/benchmarks.grpc.pb.h"
#include "carescore/v1/escalations.grpc.pb.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "clients/cli/client.h"
#include "clients/cli/escalation_commands.h"
#include "clients/cli/import_formats.h"
#include "clients/cli/output.h"
#include "common/csv.h"
#include "common/grpc_status.h"
#include "common/measure.h"
#include "common/period.h"
#include "services/benchmarks/comparators.h"
#include "services/reports/scorecard.h"
#include "absl/strings/str_join.h"
#include "grpcpp/grpcpp.h"

namespace carescore::cli {
namespace {

constexpr int kImportChunk = 5000;

absl::Status ImportLas(Client& client, const std::string& path) {
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(path);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::LocalAuthority>> las = ParseLocalAuthorities(*table);
  if (!las.ok()) return InFile(las.status(), path);
  v1::ImportLocalAuthoritiesRequest request;
  for (auto& la : *las) *request.add_local_authorities() = std::move(la);
  v1::ImportLocalAuthoritiesResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.indicators().ImportLocalAuthorities(&ctx, request, &response), path);
  if (!s.ok()) return InFile(s, path);
  std::cout << "imported " << response.written() << " local authorities from " << path << "\n";
  return absl::OkStatus();
}

absl::Status ImportIndicators(Client& client, const std::string& path, const std::string& year,
                              const std::string& la_code) {
  std::optional<FinancialYear> fy;
  if (!year.empty()) {
    absl::StatusOr<FinancialYear> parsed = FinancialYear::Parse(year);
    if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat("--year: ", parsed.status().message()));
    fy = *parsed;
  }
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(path);
  if (!table.ok()) return table.status();
  absl::StatusOr<Catalogue> catalogue = ParseCatalogue(*table, fy, la_code);
  if (!catalogue.ok()) return InFile(catalogue.status(), path);
  v1::ImportIndicatorsRequest request;
  for (auto& i : catalogue->indicators) *request.add_indicators() = std::move(i);
  v1::ImportIndicatorsResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.indicators().ImportIndicators(&ctx, request, &response), path);
  if (!s.ok()) return InFile(s, path);
  std::cout << "imported " << response.written() << " indicators from " << path << "\n";
  if (catalogue->ignored_thresholds > 0) {
    std::cerr << "note: " << catalogue->ignored_thresholds
              << " rows have thresholds; give --year YYYY-YY to set them as that year's targets\n";
  }
  if (catalogue->targets.empty()) return absl::OkStatus();
  v1::SetTargetsRequest targets;
  for (auto& t : catalogue->targets) *targets.add_targets() = std::move(t);
  v1::SetTargetsResponse targets_response;
  grpc::ClientContext ctx2;
  client.Prepare(ctx2);
  s = Rpc(client.indicators().SetTargets(&ctx2, targets, &targets_response), path);
  if (!s.ok()) return InFile(s, path);
  std::cout << "set " << targets_response.written() << " targets for " << year << "\n";
  return absl::OkStatus();
}

absl::Status ImportValues(Client& client, const std::string& path, PeriodColumn period,
                          std::string source) {
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(path);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::ValueInput>> values = ParseValues(*table, period);
  if (!values.ok()) return InFile(values.status(), path);
  if (source.empty()) source = std::filesystem::path(path).filename().string();

  // One stream is one load: the server commits it whole or not at all.
  grpc::ClientContext ctx;
  client.Prepare(ctx, /*long_running=*/true);
  v1::ImportValuesResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::ImportValuesRequest>> writer =
      client.indicators().ImportValues(&ctx, &response);
  v1::ImportValuesRequest chunk;
  chunk.set_source(source);
  for (size_t i = 0; i < values->size(); ++i) {
    *chunk.add_values() = std::move((*values)[i]);
    if (chunk.values_size() == kImportChunk || i + 1 == values->size()) {
      if (!writer->Write(chunk)) break;  // The server ended the call; Finish says why.
      chunk.Clear();
    }
  }
  writer->WritesDone();
  absl::Status s = Rpc(writer->Finish(), path);
  if (!s.ok()) return InFile(s, path);
  std::cout << "imported " << response.written() << " "
            << (period == PeriodColumn::kMonth ? "values" : "outturns") << " from " << path
            << " (load " << response.load_id() << ", recorded " << Rfc3339(response.recorded_at())
            << ")\n";
  return absl::OkStatus();
}


absl::Status ListLas(Client& client, bool include_former) {
  Table table({"la_code", "ons_code", "name", "region", "status"});
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(1000);
  request.set_include_former(include_former);
  do {
    v1::ListLocalAuthoritiesResponse response;
    grpc::ClientContext ctx;
    client.Prepare(ctx);
    absl::Status s = Rpc(client.indicators().ListLocalAuthorities(&ctx, request, &response),
                         "las list");
    if (!s.ok()) return s;
    for (const auto& la : response.local_authorities()) {
      table.AddRow({la.la_code(), la.ons_code(), la.name(), la.region(),
                    la.status() == v1::LA_STATUS_FORMER ? "former" : "current"});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client, table);
}

absl::Status ListIndicators(Client& client, const std::string& section) {
  Table table({"code", "section", "title", "polarity", "unit", "period_type", "rag_basis",
               "decimal_places"});
  v1::ListIndicatorsRequest request;
  request.set_page_size(1000);
  request.set_section(section);
  do {
    v1::ListIndicatorsResponse response;
    grpc::ClientContext ctx;
    client.Prepare(ctx);
    absl::Status s =
        Rpc(client.indicators().ListIndicators(&ctx, request, &response), "indicators list");
    if (!s.ok()) return s;
    for (const auto& i : response.indicators()) {
      table.AddRow({i.code(), i.section(), i.title(), PolarityWord(i.polarity()),
                    UnitWord(i.unit()), PeriodTypeWord(i.period_type()),
                    RagBasisWord(i.rag_basis()), i.effective_decimal_places()});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client, table);
}

absl::Status ShowIndicator(Client& client, const std::string& code) {
  v1::GetIndicatorRequest request;
  request.set_code(code);
  v1::GetIndicatorResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.indicators().GetIndicator(&ctx, request, &response),
                       absl::StrCat("indicators show ", code));
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
  targets_request.set_indicator_code(code);
  v1::ListTargetsResponse targets;
  grpc::ClientContext ctx2;
  client.Prepare(ctx2);
  s = Rpc(client.indicators().ListTargets(&ctx2, targets_request, &targets), "targets");
  if (!s.ok()) return s;
  for (const auto& t : targets.targets()) {
    std::string text;
    switch (t.kind()) {
      case v1::TARGET_KIND_THRESHOLDS:
        text = absl::StrCat("red ", NumberText(t.red_threshold()), ", green ",
                            NumberText(t.green_threshold()));
        break;
      case v1::TARGET_KIND_RANGE:
        text = absl::StrCat("green ", NumberText(t.range_low()), " to ",
                            NumberText(t.range_high()), ", tolerance ",
                            NumberText(t.range_tolerance_pct()), "%");
        break;
      default:
        text = "no target set";
    }
    table.AddRow({absl::StrCat("target ", t.financial_year(),
                               t.la_code().empty() ? "" : absl::StrCat(" (LA ", t.la_code(), ")")),
                  text});
  }
  return PrintTable(client, table);
}

struct ValuesGetOptions {
  std::string la;
  std::string code;
  std::string from;
  std::string to;
  std::string as_of;
  bool annual = false;
  bool include_missing = false;
};

void AddValueRow(Table& table, const v1::Value& v) {
  table.AddRow({v.la_code(), v.indicator_code(),
                v.period_case() == v1::Value::kFinancialYear ? v.financial_year() : v.month(),
                Optional(v.has_value(), v.value()), Optional(v.has_numerator(), v.numerator()),
                Optional(v.has_denominator(), v.denominator()), v.revision(),
                Rfc3339(v.recorded_at())});
}

const std::vector<std::string> kValueColumns = {"la_code",   "code",        "period",
                                                "value",     "numerator",   "denominator",
                                                "revision",  "recorded_at"};

absl::Status ValuesGet(Client& client, const ValuesGetOptions& o) {
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
  Table table(kValueColumns);
  do {
    v1::ListValuesResponse response;
    grpc::ClientContext ctx;
    client.Prepare(ctx);
    absl::Status s = Rpc(client.indicators().ListValues(&ctx, request, &response), "values get");
    if (!s.ok()) return s;
    for (const auto& v : response.values()) AddValueRow(table, v);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client, table);
}

absl::Status ValuesHistory(Client& client, const std::string& la, const std::string& code,
                           const std::string& period, const std::string& year) {
  v1::ListValueHistoryRequest request;
  request.set_la_code(la);
  request.set_indicator_code(code);
  if (!period.empty() == !year.empty()) {
    return absl::InvalidArgumentError("give exactly one of --period YYYY-MM or --year YYYY-YY");
  }
  if (!period.empty()) {
    request.set_month(period);
  } else {
    request.set_financial_year(year);
  }
  v1::ListValueHistoryResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s =
      Rpc(client.indicators().ListValueHistory(&ctx, request, &response), "values history");
  if (!s.ok()) return s;
  std::vector<std::string> columns = kValueColumns;
  columns.push_back("source");
  Table table(columns);
  for (const auto& v : response.values()) {
    table.AddRow({v.la_code(), v.indicator_code(),
                  v.period_case() == v1::Value::kFinancialYear ? v.financial_year() : v.month(),
                  Optional(v.has_value(), v.value()), Optional(v.has_numerator(), v.numerator()),
                  Optional(v.has_denominator(), v.denominator()), v.revision(),
                  Rfc3339(v.recorded_at()), v.source()});
  }
  return PrintTable(client, table);
}

absl::Status DataVersion(Client& client, const std::string& la) {
  v1::GetDataVersionRequest request;
  request.set_la_code(la);
  v1::GetDataVersionResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s =
      Rpc(client.indicators().GetDataVersion(&ctx, request, &response), "values version");
  if (!s.ok()) return s;
  Table table({"la_code", "data_version"});
  table.AddRow({response.la_code(), response.data_version()});
  return PrintTable(client, table);
}

absl::Status ListTargets(Client& client, const std::string& code, const std::string& year,
                         const std::string& la) {
  v1::ListTargetsRequest request;
  request.set_indicator_code(code);
  request.set_financial_year(year);
  request.set_la_code(la);
  v1::ListTargetsResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.indicators().ListTargets(&ctx, request, &response), "targets list");
  if (!s.ok()) return s;
  Table table({"code", "financial_year", "la_code", "kind", "red_threshold", "green_threshold",
               "range_low", "range_high", "range_tolerance_pct"});
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
  return PrintTable(client, table);
}


absl::Status ImportNeighbours(Client& client, const std::string& path, const std::string& model) {
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(path);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::Neighbour>> neighbours = ParseNeighbours(*table);
  if (!neighbours.ok()) return InFile(neighbours.status(), path);
  v1::ImportNeighboursRequest request;
  request.set_model(model);
  for (auto& n : *neighbours) *request.add_neighbours() = std::move(n);
  v1::ImportNeighboursResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.benchmarks().ImportNeighbours(&ctx, request, &response), path);
  if (!s.ok()) return InFile(s, path);
  std::cout << "imported " << response.written() << " neighbours of "
            << response.local_authorities() << " local authorities (model " << model
            << ") from " << path << "\n";
  return absl::OkStatus();
}

absl::Status ImportBenchmarks(Client& client, const std::string& path, const std::string& year) {
  std::optional<FinancialYear> fy;
  if (!year.empty()) {
    absl::StatusOr<FinancialYear> parsed = FinancialYear::Parse(year);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--year: ", parsed.status().message()));
    }
    fy = *parsed;
  }
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(path);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::PublishedComparator>> comparators =
      ParsePublishedComparators(*table, fy);
  if (!comparators.ok()) return InFile(comparators.status(), path);
  v1::ImportPublishedComparatorsRequest request;
  for (auto& c : *comparators) *request.add_comparators() = std::move(c);
  v1::ImportPublishedComparatorsResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s =
      Rpc(client.benchmarks().ImportPublishedComparators(&ctx, request, &response), path);
  if (!s.ok()) return InFile(s, path);
  std::cout << "imported " << response.written() << " published comparators from " << path
            << "\n";
  return absl::OkStatus();
}

struct BenchmarkOptions {
  std::string la;
  std::string code;
  std::string period;
  std::string year;
  std::string source;
  std::string sn = "mean";
  std::string model;
};

absl::Status PeriodChoice(const std::string& period, const std::string& year) {
  if (period.empty() == year.empty()) {
    return absl::InvalidArgumentError("give exactly one of --period YYYY-MM or --year YYYY-YY");
  }
  return absl::OkStatus();
}

absl::Status Benchmark(Client& client, const BenchmarkOptions& o) {
  absl::Status choice = PeriodChoice(o.period, o.year);
  if (!choice.ok()) return choice;
  v1::GetBenchmarkRequest request;
  request.set_la_code(o.la);
  request.set_indicator_code(o.code);
  if (!o.period.empty()) {
    request.set_month(o.period);
  } else {
    request.set_financial_year(o.year);
  }
  if (o.source == "published") request.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  if (o.source == "computed") request.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  request.set_sn_aggregate(o.sn == "median" ? v1::SN_AGGREGATE_MEDIAN : v1::SN_AGGREGATE_MEAN);
  request.set_model(o.model);
  v1::GetBenchmarkResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.benchmarks().GetBenchmark(&ctx, request, &response), "benchmark");
  if (!s.ok()) return s;
  const v1::Benchmark& b = response.benchmark();
  const int places = b.decimal_places();
  Table table({"la_code", "code", "period", "value", "sn_average", "best_sn", "national_average",
               "top_quartile_threshold", "quartile", "rank", "rank_of", "source"});
  table.AddRow({b.la_code(), b.indicator_code(),
                b.period_case() == v1::Benchmark::kFinancialYear ? b.financial_year() : b.month(),
                Optional(b.has_value(), b.value()), Optional(b.has_sn_average(), b.sn_average()),
                Optional(b.has_best_sn(), b.best_sn()),
                Optional(b.has_national_average(), b.national_average()),
                Optional(b.has_top_quartile_threshold(), b.top_quartile_threshold()),
                benchmarks::BandLetter(b.quartile()),
                b.rank() > 0 ? nlohmann::json(b.rank()) : nlohmann::json(nullptr),
                b.rank_of() > 0 ? nlohmann::json(b.rank_of()) : nlohmann::json(nullptr),
                b.source() == v1::COMPARATOR_SOURCE_PUBLISHED ? "published" : "computed"});
  // Values and best SN are LAs' own figures; averages and cut points are
  // shown with at least one decimal, as the DfE prints them.
  for (const char* column : {"value", "best_sn"}) table.SetPlaces(column, places);
  for (const char* column : {"sn_average", "national_average", "top_quartile_threshold"}) {
    table.SetPlaces(column, std::max(1, places));
  }
  absl::Status printed = PrintTable(client, table);
  // Context that does not fit the columns goes to stderr, so CSV stays clean.
  if (b.source() == v1::COMPARATOR_SOURCE_COMPUTED && !b.model().empty()) {
    std::cerr << "statistical neighbours: model " << b.model() << ", " << b.sn_count() << " of "
              << b.sn_size() << " with a value, "
              << (b.sn_aggregate() == v1::SN_AGGREGATE_MEDIAN ? "median" : "mean")
              << (b.best_sn_la_code().empty() ? "" : ", best is LA " + b.best_sn_la_code())
              << "\n";
  }
  for (const std::string& note : b.notes()) std::cerr << "note: " << note << "\n";
  return printed;
}

absl::Status Rank(Client& client, const std::string& code, const std::string& period,
                  const std::string& year) {
  absl::Status choice = PeriodChoice(period, year);
  if (!choice.ok()) return choice;
  v1::ListRanksRequest request;
  request.set_indicator_code(code);
  if (!period.empty()) {
    request.set_month(period);
  } else {
    request.set_financial_year(year);
  }
  v1::ListRanksResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.benchmarks().ListRanks(&ctx, request, &response), "rank");
  if (!s.ok()) return s;
  Table table({"rank", "la_code", "name", "value", "quartile", "rank_of"});
  table.SetPlaces("value", response.decimal_places());
  for (const auto& r : response.ranks()) {
    table.AddRow({r.rank(), r.la_code(), r.name(), r.value(), benchmarks::BandLetter(r.quartile()),
                  response.rank_of()});
  }
  absl::Status printed = PrintTable(client, table);
  for (const std::string& note : response.notes()) std::cerr << "note: " << note << "\n";
  return printed;
}

absl::Status ListNeighbours(Client& client, const std::string& la, const std::string& model) {
  v1::ListNeighboursRequest request;
  request.set_la_code(la);
  request.set_model(model);
  v1::ListNeighboursResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s =
      Rpc(client.benchmarks().ListNeighbours(&ctx, request, &response), "neighbours list");
  if (!s.ok()) return s;
  Table table({"la_code", "neighbour_la_code", "rank", "closeness", "model"});
  for (const auto& n : response.neighbours()) {
    table.AddRow({n.la_code(), n.neighbour_la_code(), n.rank(), n.closeness(), response.model()});
  }
  return PrintTable(client, table);
}

std::string Words(v1::Direction d) { return reports::DirectionWord(d); }

// Which comparators a scorecard row shows.
std::string ComparatorsWord(const v1::ComparatorFigures& c) {
  if (c.source() == v1::COMPARATOR_SOURCE_PUBLISHED) return "published " + c.financial_year();
  if (c.source() == v1::COMPARATOR_SOURCE_COMPUTED) return "computed " + c.financial_year();
  return "";
}

absl::Status Scorecard(Client& client, const std::string& la, const std::string& month,
                       const std::string& as_of) {
  v1::GetScorecardRequest request;
  request.set_la_code(la);
  request.set_month(month);
  if (!as_of.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> t = ParseRfc3339(as_of, "--as-of");
    if (!t.ok()) return t.status();
    *request.mutable_as_of() = *t;
  }
  v1::GetScorecardResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.reports().GetScorecard(&ctx, request, &response), "scorecard");
  if (!s.ok()) return s;
  Table table({"section", "code", "title", "value", "numerator", "denominator", "previous_value",
               "dot", "rag", "ytd", "target_red", "target_green", "sn_average",
               "national_average", "flags", "comparators", "quartile", "rank"});
  for (const v1::ScorecardLine& l : response.scorecard().lines()) {
    std::vector<std::string> flags;
    for (const v1::Flag& f : l.flags()) flags.push_back(f.message());
    const v1::Target& t = l.target();
    // Published comparators, else computed ones (reports/scorecard.h).
    static const v1::ComparatorFigures kNone;
    const v1::ComparatorFigures* headline = reports::HeadlineComparators(l);
    const v1::ComparatorFigures& c = headline != nullptr ? *headline : kNone;
    // Thresholds, or the range for range indicators.
    const bool range = t.kind() == v1::TARGET_KIND_RANGE;
    const int places = l.decimal_places();
    auto shown = [places](bool present, double v) {
      return present ? nlohmann::json(FormatFigure(v, places)) : nlohmann::json(nullptr);
    };
    table.AddRow({l.section(), l.code(), l.title(), shown(l.has_value(), l.value()),
                  Optional(l.has_numerator(), l.numerator()),
                  Optional(l.has_denominator(), l.denominator()),
                  shown(l.has_previous_value(), l.previous_value()), Words(l.dot()),
                  reports::RagWord(l.rag()),
                  l.has_ytd() ? nlohmann::json(FormatFigure(l.ytd(), places)) : nlohmann::json(nullptr),
                  range ? Optional(t.has_range_low(), t.range_low())
                        : Optional(t.has_red_threshold(), t.red_threshold()),
                  range ? Optional(t.has_range_high(), t.range_high())
                        : Optional(t.has_green_threshold(), t.green_threshold()),
                  Optional(c.has_sn_average(), c.sn_average()),
                  Optional(c.has_national_average(), c.national_average()),
                  absl::StrJoin(flags, "; "), ComparatorsWord(c),
                  c.rank() > 0 ? nlohmann::json(benchmarks::BandLetter(c.quartile())) : nlohmann::json(nullptr),
                  c.rank() > 0 ? nlohmann::json(absl::StrCat(c.rank(), " of ", c.rank_of()))
                               : nlohmann::json(nullptr)});
  }
  return PrintTable(client, table);
}

absl::Status Report(Client& client, const std::string& la, const std::string& month,
                    const std::string& format, const std::string& out, const std::string& as_of) {
  static const std::map<std::string, v1::ReportFormat> kFormats = {
      {"html", v1::REPORT_FORMAT_HTML}, {"pdf", v1::REPORT_FORMAT_PDF},
      {"xlsx", v1::REPORT_FORMAT_XLSX}, {"csv", v1::REPORT_FORMAT_CSV},
      {"json", v1::REPORT_FORMAT_JSON}};
  v1::GetReportRequest request;
  request.set_la_code(la);
  request.set_month(month);
  request.set_format(kFormats.at(format));
  if (!as_of.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> t = ParseRfc3339(as_of, "--as-of");
    if (!t.ok()) return t.status();
    *request.mutable_as_of() = *t;
  }
  v1::GetReportResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx, /*long_running=*/true);
  absl::Status s = Rpc(client.reports().GetReport(&ctx, request, &response), "report");
  if (!s.ok()) return s;
  const std::string path = out.empty() ? response.filename() : out;
  std::ofstream file(path, std::ios::binary);
  file << response.content();
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  std::cout << "wrote " << path << " (" << response.content().size() << " bytes, "
            << response.content_type() << ")\n";
  return absl::OkStatus();
}

absl::Status Highlights(Client& client, const std::string& la, const std::string& month) {
  v1::GetHighlightsRequest request;
  request.set_la_code(la);
  request.set_month(month);
  v1::GetHighlightsResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.reports().GetHighlights(&ctx, request, &response), "highlights");
  if (!s.ok()) return s;
  Table table({"section", "kind", "code", "title", "rag", "dot", "text"});
  for (const v1::SectionHighlights& section : response.sections()) {
    for (const auto& [kind, list] : {std::pair{"current issue", &section.current_issues()},
                                     std::pair{"improvement", &section.improvements()}}) {
      for (const v1::Highlight& h : *list) {
        table.AddRow({section.section(), kind, h.code(), h.title(), reports::RagWord(h.rag()),
                      reports::DirectionWord(h.dot()), h.text()});
      }
    }
  }
  return PrintTable(client, table);
}

absl::Status SetCommentary(Client& client, const std::string& la, const std::string& month,
                           const std::string& section, const std::string& text,
                           std::string author) {
  if (author.empty()) author = client.Actor();
  v1::SetCommentaryRequest request;
  request.set_la_code(la);
  request.set_month(month);
  request.set_section(section);
  request.set_text(text);
  request.set_author(author);
  v1::SetCommentaryResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.reports().SetCommentary(&ctx, request, &response), "commentary set");
  if (!s.ok()) return s;
  std::cout << "commentary for " << section << " saved\n";
  return absl::OkStatus();
}

absl::Status GetCommentary(Client& client, const std::string& la, const std::string& month) {
  v1::ListCommentaryRequest request;
  request.set_la_code(la);
  request.set_month(month);
  v1::ListCommentaryResponse response;
  grpc::ClientContext ctx;
  client.Prepare(ctx);
  absl::Status s = Rpc(client.reports().ListCommentary(&ctx, request, &response), "commentary get");
  if (!s.ok()) return s;
  Table table({"section", "author", "updated_at", "text"});
  for (const v1::Commentary& c : response.commentary()) {
    table.AddRow({c.section(), c.author(), Rfc3339(c.updated_at()), c.text()});
  }
  return PrintTable(client, table);
}

}  // namespace
}  // namespace carescore::cli

int main(int argc, char** argv) {
  using carescore::cli::Client;
  using carescore::cli::GlobalOptions;
  CLI::App app{"carescore: children's social care performance, from the command line"};
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--server", global.server, "carescore server, host:port")
      ->envname("CARESCORE_SERVER")
      ->capture_default_str();
  app.add_option("--format", global.format, "Output: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  app.add_option("--timeout", global.timeout_seconds, "Seconds to wait for each answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--actor", global.actor,
                 "Who is acting, for the access log (default: $CARESCORE_ACTOR or $USER)");
  Client client(global);
  absl::Status result;
  auto run = [&result](absl::Status s) { result = std::move(s); };
  carescore::cli::EscalationCommands escalation_commands(app, client, result);

  // import
  CLI::App* import = app.add_subcommand("import", "Load a CSV file into the server");
  import->require_subcommand(1);
  std::string file, year, la, source, period, code;
  CLI::App* import_las = import->add_subcommand("las", "Local authorities (la_code,ons_code,name,region,status)");
  import_las->add_option("FILE", file)->required()->check(CLI::ExistingFile);
  import_las->callback([&] { run(carescore::cli::ImportLas(client, file)); });
  CLI::App* import_ind = import->add_subcommand("indicators", "The indicator catalogue, and targets for --year");
  import_ind->add_option("FILE", file)->required()->check(CLI::ExistingFile);
  import_ind->add_option("--year", year, "Financial year of the threshold columns, e.g. 2018-19");
  import_ind->add_option("--la", la, "Make the targets this LA's own (default: every LA's)");
  import_ind->callback([&] { run(carescore::cli::ImportIndicators(client, file, year, la)); });
  CLI::App* import_values = import->add_subcommand("values", "Monthly values (la_code,code,period,value,numerator,denominator)");
  import_values->add_option("FILE", file)->required()->check(CLI::ExistingFile);
  import_values->add_option("--source", source, "Label of this load (default: the file name)");
  import_values->callback([&] {
    run(carescore::cli::ImportValues(client, file, carescore::cli::PeriodColumn::kMonth, source));
  });
  CLI::App* import_outturns = import->add_subcommand("outturns", "Financial-year outturns (la_code,code,financial_year,value,...)");
  import_outturns->add_option("FILE", file)->required()->check(CLI::ExistingFile);
  import_outturns->add_option("--source", source, "Label of this load (default: the file name)");
  import_outturns->callback([&] {
    run(carescore::cli::ImportValues(client, file, carescore::cli::PeriodColumn::kFinancialYear,
                                     source));
  });

  std::string model;
  CLI::App* import_neighbours = import->add_subcommand("neighbours", "Statistical neighbours (la_code,neighbour_la_code,rank,closeness)");
  import_neighbours->add_option("FILE", file)->required()->check(CLI::ExistingFile);
  import_neighbours->add_option("--model", model, "Name of the neighbour model, e.g. 2025")->required();
  import_neighbours->callback([&] { run(carescore::cli::ImportNeighbours(client, file, model)); });
  CLI::App* import_benchmarks = import->add_subcommand("benchmarks", "Published comparators (la_code,code,statistical_neighbour_average,...[,year])");
  import_benchmarks->add_option("FILE", file)->required()->check(CLI::ExistingFile);
  import_benchmarks->add_option("--year", year, "Comparator year for rows without a year column, e.g. 2016-17");
  import_benchmarks->callback([&] { run(carescore::cli::ImportBenchmarks(client, file, year)); });

  // benchmark, rank, neighbours
  carescore::cli::BenchmarkOptions bench;
  CLI::App* benchmark = app.add_subcommand("benchmark", "Comparators for one LA, indicator and period");
  benchmark->add_option("--la", bench.la, "LA code")->required();
  benchmark->add_option("--code", bench.code, "Indicator code")->required();
  benchmark->add_option("--period", bench.period, "Month, YYYY-MM");
  benchmark->add_option("--year", bench.year, "Financial year, YYYY-YY");
  benchmark->add_option("--source", bench.source, "published or computed (default: published if held)")
      ->check(CLI::IsMember({"published", "computed"}));
  benchmark->add_option("--sn", bench.sn, "Statistical neighbour aggregate: mean or median")
      ->check(CLI::IsMember({"mean", "median"}))
      ->capture_default_str();
  benchmark->add_option("--model", bench.model, "Neighbour model (default: the latest)");
  benchmark->callback([&] { run(carescore::cli::Benchmark(client, bench)); });
  CLI::App* rank = app.add_subcommand("rank", "Every LA with a value, ranked, with quartile bands");
  rank->add_option("--code", code, "Indicator code")->required();
  rank->add_option("--period", period, "Month, YYYY-MM");
  rank->add_option("--year", year, "Financial year, YYYY-YY");
  rank->callback([&] { run(carescore::cli::Rank(client, code, period, year)); });
  CLI::App* neighbours = app.add_subcommand("neighbours", "Statistical neighbours");
  neighbours->require_subcommand(1);
  CLI::App* neighbours_list = neighbours->add_subcommand("list", "An LA's neighbours, closest first");
  neighbours_list->add_option("--la", la, "LA code")->required();
  neighbours_list->add_option("--model", model, "Model (default: the latest)");
  neighbours_list->callback([&] { run(carescore::cli::ListNeighbours(client, la, model)); });

  // scorecard
  std::string month, as_of;
  CLI::App* scorecard = app.add_subcommand("scorecard", "The monthly scorecard for an LA");
  scorecard->add_option("--la", la, "LA code")->required();
  scorecard->add_option("--month", month, "Month, YYYY-MM")->required();
  scorecard->add_option("--as-of", as_of, "RFC 3339 time: as the data stood then");
  scorecard->callback([&] { run(carescore::cli::Scorecard(client, la, month, as_of)); });

  // report, highlights, commentary
  std::string report_format = "html", output, commentary_section, text, author;
  CLI::App* report = app.add_subcommand("report", "The Corporate Parenting Performance Report");
  report->add_option("--la", la, "LA code")->required();
  report->add_option("--month", month, "Month, YYYY-MM")->required();
  report->add_option("--format", report_format, "html, pdf, xlsx, csv or json")
      ->check(CLI::IsMember({"html", "pdf", "xlsx", "csv", "json"}))
      ->capture_default_str();
  report->add_option("-o,--output", output, "File to write (default: carescore-LA-MONTH.EXT)");
  report->add_option("--as-of", as_of, "RFC 3339 time: as the data stood then");
  report->callback(
      [&] { run(carescore::cli::Report(client, la, month, report_format, output, as_of)); });
  CLI::App* highlights = app.add_subcommand("highlights", "Current issues and improvements");
  highlights->add_option("--la", la, "LA code")->required();
  highlights->add_option("--month", month, "Month, YYYY-MM")->required();
  highlights->callback([&] { run(carescore::cli::Highlights(client, la, month)); });
  CLI::App* commentary = app.add_subcommand("commentary", "Heads of service's commentary");
  commentary->require_subcommand(1);
  CLI::App* commentary_set = commentary->add_subcommand("set", "Set a section's commentary");
  commentary_set->add_option("--la", la, "LA code")->required();
  commentary_set->add_option("--month", month, "Month, YYYY-MM")->required();
  commentary_set->add_option("--section", commentary_section, "Section, e.g. Placements")->required();
  commentary_set->add_option("--text", text, "The commentary")->required();
  commentary_set->add_option("--author", author, "Author (default: --actor or $USER)");
  commentary_set->callback(
      [&] { run(carescore::cli::SetCommentary(client, la, month, commentary_section, text, author)); });
  CLI::App* commentary_get = commentary->add_subcommand("get", "A month's commentary");
  commentary_get->add_option("--la", la, "LA code")->required();
  commentary_get->add_option("--month", month, "Month, YYYY-MM")->required();
  commentary_get->callback([&] { run(carescore::cli::GetCommentary(client, la, month)); });

  // las
  CLI::App* las = app.add_subcommand("las", "Local authorities");
  las->require_subcommand(1);
  bool include_former = false;
  CLI::App* las_list = las->add_subcommand("list", "List local authorities");
  las_list->add_flag("--include-former", include_former, "Also abolished LAs");
  las_list->callback([&] { run(carescore::cli::ListLas(client, include_former)); });

  // indicators
  CLI::App* indicators = app.add_subcommand("indicators", "The indicator catalogue");
  indicators->require_subcommand(1);
  std::string section;
  CLI::App* ind_list = indicators->add_subcommand("list", "List indicators in catalogue order");
  ind_list->add_option("--section", section, "Only this section");
  ind_list->callback([&] { run(carescore::cli::ListIndicators(client, section)); });
  CLI::App* ind_show = indicators->add_subcommand("show", "One indicator, with its targets");
  ind_show->add_option("CODE", code)->required();
  ind_show->callback([&] { run(carescore::cli::ShowIndicator(client, code)); });

  // targets
  CLI::App* targets = app.add_subcommand("targets", "Targets per indicator and financial year");
  targets->require_subcommand(1);
  CLI::App* targets_list = targets->add_subcommand("list", "List targets");
  targets_list->add_option("--code", code, "Indicator code");
  targets_list->add_option("--year", year, "Financial year, e.g. 2018-19");
  targets_list->add_option("--la", la, "LA code");
  targets_list->callback([&] { run(carescore::cli::ListTargets(client, code, year, la)); });

  // values
  CLI::App* values = app.add_subcommand("values", "Indicator values and their revisions");
  values->require_subcommand(1);
  carescore::cli::ValuesGetOptions get;
  CLI::App* values_get = values->add_subcommand("get", "Latest values (or as of a past time)");
  values_get->add_option("--la", get.la, "LA code, e.g. 372")->required();
  values_get->add_option("--code", get.code, "Indicator code, e.g. 6.8")->required();
  values_get->add_option("--from", get.from, "First period, YYYY-MM (YYYY-YY with --annual)");
  values_get->add_option("--to", get.to, "Last period, YYYY-MM (YYYY-YY with --annual)");
  values_get->add_option("--as-of", get.as_of, "RFC 3339 time: the values as they stood then");
  values_get->add_flag("--annual", get.annual, "Financial-year outturns instead of months");
  values_get->add_flag("--include-missing", get.include_missing, "Also values recorded as missing");
  values_get->callback([&] { run(carescore::cli::ValuesGet(client, get)); });
  CLI::App* values_history = values->add_subcommand("history", "Every revision of one value");
  values_history->add_option("--la", la, "LA code")->required();
  values_history->add_option("--code", code, "Indicator code")->required();
  values_history->add_option("--period", period, "Month, YYYY-MM");
  values_history->add_option("--year", year, "Financial year, YYYY-YY (for an outturn)");
  values_history->callback(
      [&] { run(carescore::cli::ValuesHistory(client, la, code, period, year)); });
  CLI::App* values_version = values->add_subcommand("version", "The LA's data version");
  values_version->add_option("--la", la, "LA code")->required();
  values_version->callback([&] { run(carescore::cli::DataVersion(client, la)); });

  CLI11_PARSE(app, argc, argv);
  if (!result.ok()) {
    std::cerr << "error: " << result.message() << "\n";
    return 1;
  }
  return 0;
}
