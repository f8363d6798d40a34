#include "clients/cli/import_commands.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/csv.h"

namespace carescore::cli {
namespace {

constexpr int kImportChunk = 5000;

}  // namespace

absl::StatusOr<std::optional<FinancialYear>> YearFlag(const std::string& year) {
  if (year.empty()) return std::optional<FinancialYear>();
  absl::StatusOr<FinancialYear> parsed = FinancialYear::Parse(year);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--year: ", parsed.status().message()));
  }
  return std::optional<FinancialYear>(*parsed);
}

ImportCommands::ImportCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };
  CLI::App* import = app.add_subcommand("import", "Load a CSV file into the server");
  import->require_subcommand(1);

  CLI::App* las =
      import->add_subcommand("las", "Local authorities (la_code,ons_code,name,region,status)");
  las->add_option("FILE", file_)->required()->check(CLI::ExistingFile);
  las->callback([this, run] { run(Las()); });

  CLI::App* indicators =
      import->add_subcommand("indicators", "The indicator catalogue, and targets for --year");
  indicators->add_option("FILE", file_)->required()->check(CLI::ExistingFile);
  indicators->add_option("--year", year_, "Financial year of the threshold columns, e.g. 2018-19");
  indicators->add_option("--la", la_, "Make the targets this LA's own (default: every LA's)");
  indicators->callback([this, run] { run(Indicators()); });

  CLI::App* values = import->add_subcommand(
      "values", "Monthly values (la_code,code,period,value,numerator,denominator)");
  values->add_option("FILE", file_)->required()->check(CLI::ExistingFile);
  values->add_option("--source", source_, "Label of this load (default: the file name)");
  values->callback([this, run] { run(Values(PeriodColumn::kMonth)); });

  CLI::App* outturns = import->add_subcommand(
      "outturns", "Financial-year outturns (la_code,code,financial_year,value,...)");
  outturns->add_option("FILE", file_)->required()->check(CLI::ExistingFile);
  outturns->add_option("--source", source_, "Label of this load (default: the file name)");
  outturns->callback([this, run] { run(Values(PeriodColumn::kFinancialYear)); });

  CLI::App* neighbours = import->add_subcommand(
      "neighbours", "Statistical neighbours (la_code,neighbour_la_code,rank,closeness)");
  neighbours->add_option("FILE", file_)->required()->check(CLI::ExistingFile);
  neighbours->add_option("--model", model_, "Name of the neighbour model, e.g. 2025")->required();
  neighbours->callback([this, run] { run(Neighbours()); });

  CLI::App* benchmarks = import->add_subcommand(
      "benchmarks",
      "Published comparators (la_code,code,statistical_neighbour_average,...[,year])");
  benchmarks->add_option("FILE", file_)->required()->check(CLI::ExistingFile);
  benchmarks->add_option("--year", year_,
                         "Comparator year for rows without a year column, e.g. 2016-17");
  benchmarks->callback([this, run] { run(Benchmarks()); });
}

absl::Status ImportCommands::Las() {
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file_);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::LocalAuthority>> las = ParseLocalAuthorities(*table);
  if (!las.ok()) return InFile(las.status(), file_);
  v1::ImportLocalAuthoritiesRequest request;
  for (auto& la : *las) *request.add_local_authorities() = std::move(la);
  v1::ImportLocalAuthoritiesResponse response;
  absl::Status s =
      client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ImportLocalAuthorities,
                   request, &response, file_);
  if (!s.ok()) return InFile(s, file_);
  std::cout << "imported " << response.written() << " local authorities from " << file_ << "\n";
  return absl::OkStatus();
}

absl::Status ImportCommands::Indicators() {
  absl::StatusOr<std::optional<FinancialYear>> fy = YearFlag(year_);
  if (!fy.ok()) return fy.status();
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file_);
  if (!table.ok()) return table.status();
  absl::StatusOr<Catalogue> catalogue = ParseCatalogue(*table, *fy, la_);
  if (!catalogue.ok()) return InFile(catalogue.status(), file_);
  v1::ImportIndicatorsRequest request;
  for (auto& i : catalogue->indicators) *request.add_indicators() = std::move(i);
  v1::ImportIndicatorsResponse response;
  absl::Status s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::ImportIndicators,
                                request, &response, file_);
  if (!s.ok()) return InFile(s, file_);
  std::cout << "imported " << response.written() << " indicators from " << file_ << "\n";
  if (catalogue->ignored_thresholds > 0) {
    std::cerr << "note: " << catalogue->ignored_thresholds
              << " rows have thresholds; give --year YYYY-YY to set them as that year's targets\n";
  }
  if (catalogue->targets.empty()) return absl::OkStatus();
  v1::SetTargetsRequest targets;
  for (auto& t : catalogue->targets) *targets.add_targets() = std::move(t);
  v1::SetTargetsResponse targets_response;
  s = client_.Call(client_.indicators(), &v1::IndicatorService::Stub::SetTargets, targets,
                   &targets_response, file_);
  if (!s.ok()) return InFile(s, file_);
  std::cout << "set " << targets_response.written() << " targets for " << year_ << "\n";
  return absl::OkStatus();
}

absl::Status ImportCommands::Values(PeriodColumn period) {
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file_);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::ValueInput>> values = ParseValues(*table, period);
  if (!values.ok()) return InFile(values.status(), file_);
  const std::string source =
      source_.empty() ? std::filesystem::path(file_).filename().string() : source_;

  // One stream is one load: the server commits it whole or not at all. The
  // whole stream is one write: its request id goes in the first message, and
  // it is sent once more with that id if the answer is UNAVAILABLE.
  std::vector<v1::ImportValuesRequest> chunks;
  for (size_t i = 0; i < values->size(); ++i) {
    if (i % static_cast<size_t>(kImportChunk) == 0) chunks.emplace_back();
    *chunks.back().add_values() = std::move((*values)[i]);
  }
  if (chunks.empty()) chunks.emplace_back();
  chunks.front().set_source(source);
  chunks.front().set_request_id(NewRequestId());
  v1::ImportValuesResponse response;
  grpc::Status finished;
  for (int attempt = 0; attempt < 2; ++attempt) {
    grpc::ClientContext ctx;
    client_.Prepare(ctx, /*long_running=*/true);
    std::unique_ptr<grpc::ClientWriter<v1::ImportValuesRequest>> writer =
        client_.indicators().ImportValues(&ctx, &response);
    for (const v1::ImportValuesRequest& chunk : chunks) {
      if (!writer->Write(chunk)) break;  // The server ended the call; Finish says why.
    }
    writer->WritesDone();
    finished = writer->Finish();
    if (finished.error_code() != grpc::StatusCode::UNAVAILABLE) break;
  }
  absl::Status s = Rpc(finished, file_);
  if (!s.ok()) return InFile(s, file_);
  std::cout << "imported " << response.written() << " "
            << (period == PeriodColumn::kMonth ? "values" : "outturns") << " from " << file_
            << " (load " << response.load_id() << ", recorded " << Rfc3339(response.recorded_at())
            << ")\n";
  return absl::OkStatus();
}

absl::Status ImportCommands::Neighbours() {
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file_);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::Neighbour>> neighbours = ParseNeighbours(*table);
  if (!neighbours.ok()) return InFile(neighbours.status(), file_);
  v1::ImportNeighboursRequest request;
  request.set_model(model_);
  for (auto& n : *neighbours) *request.add_neighbours() = std::move(n);
  v1::ImportNeighboursResponse response;
  absl::Status s = client_.Call(client_.benchmarks(), &v1::BenchmarkService::Stub::ImportNeighbours,
                                request, &response, file_);
  if (!s.ok()) return InFile(s, file_);
  std::cout << "imported " << response.written() << " neighbours of "
            << response.local_authorities() << " local authorities (model " << model_ << ") from "
            << file_ << "\n";
  return absl::OkStatus();
}

absl::Status ImportCommands::Benchmarks() {
  absl::StatusOr<std::optional<FinancialYear>> fy = YearFlag(year_);
  if (!fy.ok()) return fy.status();
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file_);
  if (!table.ok()) return table.status();
  absl::StatusOr<std::vector<v1::PublishedComparator>> comparators =
      ParsePublishedComparators(*table, *fy);
  if (!comparators.ok()) return InFile(comparators.status(), file_);
  v1::ImportPublishedComparatorsRequest request;
  for (auto& c : *comparators) *request.add_comparators() = std::move(c);
  v1::ImportPublishedComparatorsResponse response;
  absl::Status s =
      client_.Call(client_.benchmarks(), &v1::BenchmarkService::Stub::ImportPublishedComparators,
                   request, &response, file_);
  if (!s.ok()) return InFile(s, file_);
  std::cout << "imported " << response.written() << " published comparators from " << file_ << "\n";
  return absl::OkStatus();
}

}  // namespace carescore::cli
