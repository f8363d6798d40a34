// Loads the shared Rotherham sample into a carescore server (local
// authorities, the indicator catalogue with its targets for --year, and the
// monthly values), prints October 2018's scorecard for LA 372, then shows
// the error an unknown LA (999) gives. The CSV files are read with the
// project's own import formats (common/import_formats.h), as the CLI does.
//
// Usage: carescore_client_example ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV
//            [--year 2018-19] [--ca-file CA.pem] [--la 372] [--month 2018-10]
// The token (an admin's, to load) comes from $CARESCORE_TOKEN.
//
// Output, one record a line (the same in every client's example):
//   loaded,<LAs>,<indicators>,<targets>,<values>
//   scorecard,<la_code>,<la_name>,<month>,<lines>
//   line,<code>,<value or empty>,<rag: red|amber|green|none>,<decimal places>
//   error,<la asked>,<grpc code name>,<ErrorInfo reason>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "clients/cpp/client.h"
#include "common/csv.h"
#include "common/import_formats.h"
#include "common/period.h"

namespace {

namespace v1 = carescore::v1;
using carescore::client::Client;
using carescore::client::CodeName;
using carescore::client::Error;

constexpr int kImportChunk = 5000;

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags{
      {"--year", "2018-19"}, {"--ca-file", ""}, {"--la", "372"}, {"--month", "2018-10"}};
};

std::optional<Args> ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (args.flags.count(arg) > 0) {
      if (i + 1 == argc) return std::nullopt;
      args.flags[arg] = argv[++i];
    } else {
      args.positional.push_back(arg);
    }
  }
  if (args.positional.size() != 4) return std::nullopt;
  return args;
}

int Fail(const std::string& what) {
  std::cerr << "carescore_client_example: " << what << "\n";
  return 1;
}

// The value's text that reads back as the same double.
std::string Exact(double v) { return absl::StrFormat("%.17g", v); }

std::string RagWord(v1::Rag rag) {
  std::string word = absl::AsciiStrToLower(v1::Rag_Name(rag).substr(4));  // After "RAG_".
  return word == "unspecified" ? "none" : word;
}

int Run(const Args& args) {
  const char* token = std::getenv("CARESCORE_TOKEN");
  absl::StatusOr<std::unique_ptr<Client>> connected =
      Client::Connect(args.positional[0], {.token = token != nullptr ? token : "",
                                           .ca_file = args.flags.at("--ca-file"),
                                           .server_name = "",
                                           .deadline = std::chrono::seconds(60)});
  if (!connected.ok()) return Fail(connected.status().ToString());
  Client& client = **connected;

  absl::StatusOr<carescore::CsvTable> table = carescore::CsvTable::ReadFile(args.positional[1]);
  if (!table.ok()) return Fail(table.status().ToString());
  absl::StatusOr<std::vector<v1::LocalAuthority>> las = carescore::ParseLocalAuthorities(*table);
  if (!las.ok()) return Fail(las.status().ToString());
  v1::ImportLocalAuthoritiesRequest las_request;
  for (const auto& la : *las) *las_request.add_local_authorities() = la;
  v1::ImportLocalAuthoritiesResponse las_response;
  Error e = client.Call(&v1::IndicatorService::Stub::ImportLocalAuthorities, client.indicators(),
                        las_request, &las_response);
  if (!e.ok()) return Fail(e.ToString());

  absl::StatusOr<carescore::FinancialYear> year =
      carescore::FinancialYear::Parse(args.flags.at("--year"));
  if (!year.ok()) return Fail(year.status().ToString());
  table = carescore::CsvTable::ReadFile(args.positional[2]);
  if (!table.ok()) return Fail(table.status().ToString());
  absl::StatusOr<carescore::Catalogue> catalogue = carescore::ParseCatalogue(*table, *year, "");
  if (!catalogue.ok()) return Fail(catalogue.status().ToString());
  v1::ImportIndicatorsRequest indicators_request;
  for (const auto& i : catalogue->indicators) *indicators_request.add_indicators() = i;
  v1::ImportIndicatorsResponse indicators_response;
  e = client.Call(&v1::IndicatorService::Stub::ImportIndicators, client.indicators(),
                  indicators_request, &indicators_response);
  if (!e.ok()) return Fail(e.ToString());
  if (!catalogue->targets.empty()) {
    v1::SetTargetsRequest targets_request;
    for (const auto& t : catalogue->targets) *targets_request.add_targets() = t;
    v1::SetTargetsResponse targets_response;
    e = client.Call(&v1::IndicatorService::Stub::SetTargets, client.indicators(), targets_request,
                    &targets_response);
    if (!e.ok()) return Fail(e.ToString());
  }

  table = carescore::CsvTable::ReadFile(args.positional[3]);
  if (!table.ok()) return Fail(table.status().ToString());
  absl::StatusOr<std::vector<v1::ValueInput>> values =
      carescore::ParseValues(*table, carescore::PeriodColumn::kMonth);
  if (!values.ok()) return Fail(values.status().ToString());
  // One stream is one load: the server commits it whole or not at all.
  grpc::ClientContext import_context;
  client.Prepare(import_context);
  v1::ImportValuesResponse loaded;
  std::unique_ptr<grpc::ClientWriter<v1::ImportValuesRequest>> writer =
      client.indicators().ImportValues(&import_context, &loaded);
  v1::ImportValuesRequest chunk;
  chunk.set_source(std::filesystem::path(args.positional[3]).filename().string());
  for (size_t i = 0; i < values->size(); ++i) {
    *chunk.add_values() = (*values)[i];
    if (chunk.values_size() == kImportChunk || i + 1 == values->size()) {
      if (!writer->Write(chunk)) break;  // The server ended the call; Finish says why.
      chunk.Clear();
    }
  }
  writer->WritesDone();
  e = Error::FromStatus(writer->Finish());
  if (!e.ok()) return Fail(e.ToString());
  std::cout << "loaded," << las->size() << "," << catalogue->indicators.size() << ","
            << catalogue->targets.size() << "," << loaded.written() << "\n";

  v1::GetScorecardRequest request;
  request.set_la_code(args.flags.at("--la"));
  request.set_month(args.flags.at("--month"));
  v1::GetScorecardResponse response;
  e = client.Call(&v1::ReportService::Stub::GetScorecard, client.reports(), request, &response);
  if (!e.ok()) return Fail(e.ToString());
  const v1::Scorecard& card = response.scorecard();
  std::cout << "scorecard," << card.la_code() << "," << card.la_name() << "," << card.month() << ","
            << card.lines_size() << "\n";
  for (const v1::ScorecardLine& line : card.lines()) {
    std::cout << "line," << line.code() << "," << (line.has_value() ? Exact(line.value()) : "")
              << "," << RagWord(line.rag()) << "," << line.decimal_places() << "\n";
  }

  request.set_la_code("999");
  e = client.Call(&v1::ReportService::Stub::GetScorecard, client.reports(), request, &response);
  std::cout << "error,999," << CodeName(e.code) << "," << e.reason << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Args> args = ParseArgs(argc, argv);
  if (!args.has_value()) {
    std::cerr << "usage: carescore_client_example ADDRESS LAS_CSV INDICATORS_CSV VALUES_CSV "
                 "[--year 2018-19] [--ca-file CA.pem] [--la 372] [--month 2018-10]\n";
    return 2;
  }
  return Run(*args);
}
