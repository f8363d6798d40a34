#include "clients/cli/benchmark_commands.h"

#include <algorithm>
#include <iostream>
#include <utility>

#include "common/words.h"

namespace carescore::cli {

absl::StatusOr<v1::GetBenchmarkRequest> BenchmarkRequest(const BenchmarkOptions& o) {
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
  if (!o.source.empty()) {
    absl::StatusOr<v1::ComparatorSource> source = ParseComparatorSource(o.source);
    if (!source.ok()) return source.status();
    request.set_source(*source);
  }
  absl::StatusOr<v1::SnAggregate> sn = ParseSnAggregate(o.sn);
  if (!sn.ok()) return sn.status();
  request.set_sn_aggregate(*sn);
  request.set_model(o.model);
  return request;
}

Table BenchmarkTable(const v1::Benchmark& b) {
  const int places = b.decimal_places();
  // Comparators the server did not label as published were computed.
  const v1::ComparatorSource source = b.source() == v1::COMPARATOR_SOURCE_PUBLISHED
                                          ? v1::COMPARATOR_SOURCE_PUBLISHED
                                          : v1::COMPARATOR_SOURCE_COMPUTED;
  Table table({"la_code", "code", "period", "value", "sn_average", "best_sn", "national_average",
               "top_quartile_threshold", "quartile", "rank", "rank_of", "source"});
  table.AddRow({b.la_code(), b.indicator_code(),
                b.period_case() == v1::Benchmark::kFinancialYear ? b.financial_year() : b.month(),
                Optional(b.has_value(), b.value()), Optional(b.has_sn_average(), b.sn_average()),
                Optional(b.has_best_sn(), b.best_sn()),
                Optional(b.has_national_average(), b.national_average()),
                Optional(b.has_top_quartile_threshold(), b.top_quartile_threshold()),
                QuartileBandWord(b.quartile()),
                b.rank() > 0 ? nlohmann::json(b.rank()) : nlohmann::json(nullptr),
                b.rank_of() > 0 ? nlohmann::json(b.rank_of()) : nlohmann::json(nullptr),
                ComparatorSourceWord(source)});
  // Values and best SN are LAs' own figures; averages and cut points are
  // shown with at least one decimal, as the DfE prints them.
  for (const char* column : {"value", "best_sn"}) table.SetPlaces(column, places);
  for (const char* column : {"sn_average", "national_average", "top_quartile_threshold"}) {
    table.SetPlaces(column, std::max(1, places));
  }
  return table;
}

BenchmarkCommands::BenchmarkCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };

  CLI::App* benchmark =
      app.add_subcommand("benchmark", "Comparators for one LA, indicator and period");
  benchmark->add_option("--la", benchmark_.la, "LA code")->required();
  benchmark->add_option("--code", benchmark_.code, "Indicator code")->required();
  benchmark->add_option("--period", benchmark_.period, "Month, YYYY-MM");
  benchmark->add_option("--year", benchmark_.year, "Financial year, YYYY-YY");
  benchmark
      ->add_option("--source", benchmark_.source,
                   "published or computed (default: published if held)")
      ->check(CLI::IsMember(ComparatorSourceWords()));
  benchmark->add_option("--sn", benchmark_.sn, "Statistical neighbour aggregate: mean or median")
      ->check(CLI::IsMember(SnAggregateWords()))
      ->capture_default_str();
  benchmark->add_option("--model", benchmark_.model, "Neighbour model (default: the latest)");
  benchmark->callback([this, run] { run(Benchmark()); });

  CLI::App* rank = app.add_subcommand("rank", "Every LA with a value, ranked, with quartile bands");
  rank->add_option("--code", code_, "Indicator code")->required();
  rank->add_option("--period", period_, "Month, YYYY-MM");
  rank->add_option("--year", year_, "Financial year, YYYY-YY");
  rank->callback([this, run] { run(Rank()); });

  CLI::App* neighbours = app.add_subcommand("neighbours", "Statistical neighbours");
  neighbours->require_subcommand(1);
  CLI::App* list = neighbours->add_subcommand("list", "An LA's neighbours, closest first");
  list->add_option("--la", la_, "LA code")->required();
  list->add_option("--model", model_, "Model (default: the latest)");
  list->callback([this, run] { run(ListNeighbours()); });
}

absl::Status BenchmarkCommands::Benchmark() {
  absl::StatusOr<v1::GetBenchmarkRequest> request = BenchmarkRequest(benchmark_);
  if (!request.ok()) return request.status();
  v1::GetBenchmarkResponse response;
  absl::Status s = client_.Call(client_.benchmarks(), &v1::BenchmarkService::Stub::GetBenchmark,
                                *request, &response, "benchmark");
  if (!s.ok()) return s;
  const v1::Benchmark& b = response.benchmark();
  absl::Status printed = PrintTable(client_, BenchmarkTable(b));
  // Context that does not fit the columns goes to stderr, so CSV stays clean.
  if (b.source() == v1::COMPARATOR_SOURCE_COMPUTED && !b.model().empty()) {
    const v1::SnAggregate sn = b.sn_aggregate() == v1::SN_AGGREGATE_MEDIAN ? v1::SN_AGGREGATE_MEDIAN
                                                                           : v1::SN_AGGREGATE_MEAN;
    std::cerr << "statistical neighbours: model " << b.model() << ", " << b.sn_count() << " of "
              << b.sn_size() << " with a value, " << SnAggregateWord(sn)
              << (b.best_sn_la_code().empty() ? "" : ", best is LA " + b.best_sn_la_code()) << "\n";
  }
  for (const std::string& note : b.notes()) std::cerr << "note: " << note << "\n";
  return printed;
}

absl::Status BenchmarkCommands::Rank() {
  absl::Status choice = PeriodChoice(period_, year_);
  if (!choice.ok()) return choice;
  v1::ListRanksRequest request;
  request.set_indicator_code(code_);
  if (!period_.empty()) {
    request.set_month(period_);
  } else {
    request.set_financial_year(year_);
  }
  request.set_page_size(1000);
  // Every page repeats the quartiles, places and notes; the ranks follow on.
  v1::ListRanksResponse response;
  absl::Status s = client_.Call(client_.benchmarks(), &v1::BenchmarkService::Stub::ListRanks,
                                request, &response, "rank");
  if (!s.ok()) return s;
  while (!response.next_page_token().empty()) {
    request.set_page_token(response.next_page_token());
    v1::ListRanksResponse page;
    s = client_.Call(client_.benchmarks(), &v1::BenchmarkService::Stub::ListRanks, request, &page,
                     "rank");
    if (!s.ok()) return s;
    for (v1::LaRank& r : *page.mutable_ranks()) *response.add_ranks() = std::move(r);
    response.set_next_page_token(page.next_page_token());
  }
  Table table({"rank", "la_code", "name", "value", "quartile", "rank_of"});
  table.SetPlaces("value", response.decimal_places());
  for (const auto& r : response.ranks()) {
    table.AddRow({r.rank(), r.la_code(), r.name(), r.value(), QuartileBandWord(r.quartile()),
                  response.rank_of()});
  }
  absl::Status printed = PrintTable(client_, table);
  for (const std::string& note : response.notes()) std::cerr << "note: " << note << "\n";
  return printed;
}

absl::Status BenchmarkCommands::ListNeighbours() {
  v1::ListNeighboursRequest request;
  request.set_la_code(la_);
  request.set_model(model_);
  request.set_page_size(1000);
  Table table({"la_code", "neighbour_la_code", "rank", "closeness", "model"});
  do {
    v1::ListNeighboursResponse response;
    absl::Status s = client_.Call(client_.benchmarks(), &v1::BenchmarkService::Stub::ListNeighbours,
                                  request, &response, "neighbours list");
    if (!s.ok()) return s;
    for (const auto& n : response.neighbours()) {
      table.AddRow({n.la_code(), n.neighbour_la_code(), n.rank(), n.closeness(), response.model()});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

}  // namespace carescore::cli
