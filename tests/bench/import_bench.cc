// Import benchmark: streams the national outturns (117,497 values) through
// the real indicator service over loopback gRPC into a SQLite file, and
// inserts the same rows straight into SQLite with one prepared statement in
// one transaction, in the same run, on the same disk. Prints values per
// second for both and their ratio (goal: the service at least half the raw
// rate). Usage: import_bench [--rounds N] [--england DIR] [--dir TMPDIR]
//
// With --database postgresql://... the service stores into PostgreSQL
// (PgIndicatorStore, schema "indicators") and the raw side is one COPY
// through libpq into a scratch table of the same shape (schema
// "import_bench_scratch"), each in one transaction on the same server. The
// bench creates both schemas and drops them after each round, so it refuses
// a database that already has either.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "common/csv.h"
#include "common/grpc_limits.h"
#include "common/import_formats.h"
#include "common/pg_db.h"
#include "common/sqlite_db.h"
#include "grpcpp/grpcpp.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/pg_indicator_store.h"
#include "services/indicators/sqlite_indicator_store.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using carescore::v1::ValueInput;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

template <typename T>
T OrDie(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::cerr << what << ": " << v.status() << "\n";
    std::exit(1);
  }
  return *std::move(v);
}

void OrDie(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    std::cerr << what << ": " << s << "\n";
    std::exit(1);
  }
}

// One load through the service into `store` (empty), timed from the first
// message to the reply.
double ServiceRound(carescore::indicators::IndicatorStore& store,
                    const std::vector<carescore::v1::LocalAuthority>& las,
                    const std::vector<carescore::v1::Indicator>& indicators,
                    const std::vector<ValueInput>& values) {
  carescore::indicators::IndicatorService service(store);
  carescore::indicators::IndicatorGrpcService grpc_service(service);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  carescore::SetMessageLimits(builder);
  builder.RegisterService(&grpc_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = carescore::v1::IndicatorService::NewStub(grpc::CreateCustomChannel(
      "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(),
      carescore::LimitedChannelArguments()));
  {
    carescore::v1::ImportLocalAuthoritiesRequest r;
    for (const auto& la : las) *r.add_local_authorities() = la;
    carescore::v1::ImportLocalAuthoritiesResponse resp;
    grpc::ClientContext ctx;
    if (!stub->ImportLocalAuthorities(&ctx, r, &resp).ok()) std::exit(1);
    carescore::v1::ImportIndicatorsRequest ri;
    for (const auto& i : indicators) *ri.add_indicators() = i;
    carescore::v1::ImportIndicatorsResponse respi;
    grpc::ClientContext ctx2;
    if (!stub->ImportIndicators(&ctx2, ri, &respi).ok()) std::exit(1);
  }
  // Chunks are built before the clock starts: the client's CSV parsing is
  // not the service's cost.
  std::vector<carescore::v1::ImportValuesRequest> chunks;
  for (size_t i = 0; i < values.size(); i += 5000) {
    carescore::v1::ImportValuesRequest chunk;
    if (i == 0) chunk.set_source("bench");
    for (size_t k = i; k < std::min(values.size(), i + 5000); ++k) *chunk.add_values() = values[k];
    chunks.push_back(std::move(chunk));
  }
  const auto start = Clock::now();
  grpc::ClientContext ctx;
  carescore::v1::ImportValuesResponse response;
  auto writer = stub->ImportValues(&ctx, &response);
  for (const auto& chunk : chunks) writer->Write(chunk);
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  const auto end = Clock::now();
  if (!status.ok() || response.written() != static_cast<int64_t>(values.size())) {
    std::cerr << "service import failed: " << status.error_message() << "\n";
    std::exit(1);
  }
  server->Shutdown();
  return Seconds(start, end);
}

double SqliteServiceRound(const fs::path& dir,
                          const std::vector<carescore::v1::LocalAuthority>& las,
                          const std::vector<carescore::v1::Indicator>& indicators,
                          const std::vector<ValueInput>& values) {
  auto store =
      OrDie(carescore::indicators::SqliteIndicatorStore::Open((dir / "service.db").string()),
            "open store");
  return ServiceRound(*store, las, indicators, values);
}

// The schemas the PostgreSQL rounds create and drop.
constexpr const char* kServiceSchema = "indicators";
constexpr const char* kScratchSchema = "import_bench_scratch";

// Refuses a database where either schema exists: the rounds drop them.
void CheckPgDatabase(const std::string& url) {
  auto conn = OrDie(carescore::PgConn::Connect(url, ""), "connect");
  auto found = OrDie(conn->Exec("SELECT nspname FROM pg_namespace WHERE nspname IN ($1, $2)",
                                {carescore::PgParam::Text(kServiceSchema),
                                 carescore::PgParam::Text(kScratchSchema)}),
                     "look for schemas");
  if (found.rows() > 0) {
    std::cerr << "the database at " << carescore::RedactedPgUrl(url) << " already has a schema "
              << found.Text(0, 0)
              << ": import_bench creates and drops its schemas, so give it an empty database\n";
    std::exit(1);
  }
}

void DropPgSchema(const std::string& url, const char* schema) {
  auto conn = OrDie(carescore::PgConn::Connect(url, ""), "connect");
  OrDie(conn->Run(absl::StrCat("DROP SCHEMA IF EXISTS ", schema, " CASCADE")), "drop schema");
}

double PgServiceRound(const std::string& url, const std::vector<carescore::v1::LocalAuthority>& las,
                      const std::vector<carescore::v1::Indicator>& indicators,
                      const std::vector<ValueInput>& values) {
  double seconds = 0;
  {
    auto store = OrDie(carescore::indicators::PgIndicatorStore::Open(url), "open store");
    seconds = ServiceRound(*store, las, indicators, values);
  }
  DropPgSchema(url, kServiceSchema);
  return seconds;
}

// The same rows into the same table shape with one COPY through libpq, the
// COPY text made from the rows inside the timing (as the SQLite round binds
// them inside it).
double PgRawRound(const std::string& url, const std::vector<ValueInput>& values) {
  auto conn = OrDie(carescore::PgConn::Connect(url, ""), "connect");
  OrDie(conn->Run(absl::StrCat(
            "CREATE SCHEMA ", kScratchSchema, "; CREATE TABLE ", kScratchSchema,
            ".observations(la_code TEXT COLLATE \"C\" NOT NULL, "
            "indicator_code TEXT COLLATE \"C\" NOT NULL, kind BIGINT NOT NULL, "
            "period TEXT COLLATE \"C\" NOT NULL, load_id BIGINT NOT NULL, "
            "value DOUBLE PRECISION, numerator DOUBLE PRECISION, denominator DOUBLE PRECISION, "
            "PRIMARY KEY(la_code, indicator_code, kind, period, load_id)); "
            "CREATE INDEX ON ",
            kScratchSchema, ".observations(indicator_code, kind, period, la_code, load_id)")),
        "scratch schema");
  const auto start = Clock::now();
  OrDie(conn->Run("BEGIN"), "begin");
  std::string data;
  data.reserve(values.size() * 48);
  auto optional = [](bool present, double v) -> std::optional<std::string> {
    if (!present) return std::nullopt;
    return carescore::PgDoubleText(v);
  };
  for (const ValueInput& v : values) {
    carescore::PgCopyRow(
        &data, {v.la_code(), v.indicator_code(), "2", v.financial_year(), "1",
                optional(v.has_value(), v.value()), optional(v.has_numerator(), v.numerator()),
                optional(v.has_denominator(), v.denominator())});
  }
  OrDie(conn->CopyIn(absl::StrCat("COPY ", kScratchSchema, ".observations FROM STDIN"), data),
        "copy");
  OrDie(conn->Run("COMMIT"), "commit");
  const double seconds = Seconds(start, Clock::now());
  conn.reset();
  DropPgSchema(url, kScratchSchema);
  return seconds;
}

// The same rows into the same table shape, with nothing but SQLite.
double RawRound(const fs::path& dir, const std::vector<ValueInput>& values) {
  auto db = OrDie(carescore::SqliteDb::Open((dir / "raw.db").string()), "open raw");
  OrDie(db->Exec("CREATE TABLE observations(la_code TEXT NOT NULL, indicator_code TEXT NOT NULL, "
                 "kind INTEGER NOT NULL, period TEXT NOT NULL, load_id INTEGER NOT NULL, "
                 "value REAL, numerator REAL, denominator REAL, "
                 "PRIMARY KEY(la_code, indicator_code, kind, period, load_id)) WITHOUT ROWID;"
                 "CREATE INDEX observations_by_indicator ON observations(indicator_code, kind, "
                 "period, la_code, load_id);"),
        "schema");
  const auto start = Clock::now();
  OrDie(db->Exec("BEGIN"), "begin");
  auto insert = OrDie(
      db->Prepare("INSERT INTO observations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"), "prepare");
  for (const ValueInput& v : values) {
    insert.BindTextNoCopy(1, v.la_code());
    insert.BindTextNoCopy(2, v.indicator_code());
    insert.BindInt(3, 2);
    insert.BindTextNoCopy(4, v.financial_year());
    insert.BindInt(5, 1);
    insert.BindOptionalDouble(6, v.has_value(), v.value());
    insert.BindOptionalDouble(7, v.has_numerator(), v.numerator());
    insert.BindOptionalDouble(8, v.has_denominator(), v.denominator());
    OrDie(insert.Run(), "insert");
    insert.Reset();
  }
  OrDie(db->Exec("COMMIT"), "commit");
  return Seconds(start, Clock::now());
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"import benchmark: service vs raw SQLite (or raw PostgreSQL COPY)"};
  int rounds = 3;
  std::string database;
  std::string england = CARESCORE_ENGLAND_DIR;
  std::string tmp = fs::temp_directory_path().string();
  app.add_option("--rounds", rounds)->check(CLI::PositiveNumber);
  app.add_option("--england", england,
                 "Folder with local_authorities.csv, indicators.csv, outturns.csv");
  app.add_option("--dir", tmp, "Where to put the benchmark databases");
  app.add_option("--database", database,
                 "postgresql://... : store in PostgreSQL and compare with a raw COPY there")
      ->check([](const std::string& url) {
        return carescore::IsPostgresUrl(url) ? "" : "expected a postgresql:// URL";
      });
  CLI11_PARSE(app, argc, argv);

  auto las = OrDie(carescore::ParseLocalAuthorities(OrDie(
                       carescore::CsvTable::ReadFile(england + "/local_authorities.csv"), "las")),
                   "parse las");
  auto catalogue =
      OrDie(carescore::ParseCatalogue(
                OrDie(carescore::CsvTable::ReadFile(england + "/indicators.csv"), "ind"),
                std::nullopt, ""),
            "parse indicators");
  auto values =
      OrDie(carescore::ParseValues(
                OrDie(carescore::CsvTable::ReadFile(england + "/outturns.csv"), "outturns"),
                carescore::PeriodColumn::kFinancialYear),
            "parse outturns");

  std::vector<double> service_s;
  std::vector<double> raw_s;
  if (!database.empty()) CheckPgDatabase(database);
  for (int r = 0; r < rounds; ++r) {
    if (!database.empty()) {
      raw_s.push_back(PgRawRound(database, values));
      service_s.push_back(PgServiceRound(database, las, catalogue.indicators, values));
      continue;
    }
    const fs::path dir = fs::path(tmp) / absl::StrFormat("carescore-bench-%d-%d", getpid(), r);
    fs::create_directories(dir);
    raw_s.push_back(RawRound(dir, values));
    service_s.push_back(SqliteServiceRound(dir, las, catalogue.indicators, values));
    fs::remove_all(dir);
  }
  const auto n = static_cast<double>(values.size());
  const double service_rate = n / Median(service_s);
  const double raw_rate = n / Median(raw_s);
  std::cout << absl::StrFormat("values: %d, rounds: %d (median)\n", values.size(), rounds);
  std::cout << absl::StrFormat(
      "service import (gRPC stream, validation, revisions): %10.0f values/s  (%.3f s)  [%s]\n",
      service_rate, Median(service_s), database.empty() ? "SQLite" : "PostgreSQL");
  if (database.empty()) {
    std::cout << absl::StrFormat(
        "raw SQLite insert (prepared, one transaction):       %10.0f values/s  (%.3f s)\n",
        raw_rate, Median(raw_s));
  } else {
    std::cout << absl::StrFormat(
        "raw PostgreSQL COPY (libpq, one transaction):        %10.0f values/s  (%.3f s)\n",
        raw_rate, Median(raw_s));
  }
  std::cout << absl::StrFormat("service / raw: %.2f (goal >= 0.50)\n", service_rate / raw_rate);
  return 0;
}
