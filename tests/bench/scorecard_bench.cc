// Scorecard benchmark: GetScorecard for Rotherham, October 2018, served over
// loopback gRPC by the real report service, cached (Redis with --redis,
// otherwise in-process) and cold (computed on every call), with 1 and 32
// concurrent callers, next to a bare gRPC call on the same server framework
// that returns a scorecard of the same size from memory. Prints calls per
// second and p50/p99 latency for each, and the two goal ratios.
// Usage: scorecard_bench [--redis HOST:PORT] [--seconds 3]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "carescore/v1/reports.grpc.pb.h"
#include "common/channel_slot.h"
#include "common/csv.h"
#include "common/grpc_limits.h"
#include "common/import_formats.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "grpcpp/grpcpp.h"
#include "services/benchmarks/benchmark_grpc_service.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/grpc_benchmark_reader.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/grpc_indicator_reader.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/redis_cache.h"
#include "services/reports/report_grpc_service.h"
#include "services/reports/report_service.h"
#include "services/stores/open_stores.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace v1 = carescore::v1;

template <typename T>
T OrDie(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::cerr << what << ": " << v.status() << "\n";
    std::exit(1);
  }
  return *std::move(v);
}

// The bare baseline: the same RPC on the same server framework as the
// report service's GetScorecard (a callback method, answered inline),
// returning the scorecard from memory.
class BareReports final
    : public v1::ReportService::WithCallbackMethod_GetScorecard<v1::ReportService::Service> {
 public:
  explicit BareReports(v1::GetScorecardResponse canned) : canned_(std::move(canned)) {}
  grpc::ServerUnaryReactor* GetScorecard(grpc::CallbackServerContext* context,
                                         const v1::GetScorecardRequest* /*request*/,
                                         v1::GetScorecardResponse* response) override {
    *response = canned_;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  v1::GetScorecardResponse canned_;
};

struct Result {
  double rate;
  double p50_us;
  double p99_us;
};

Result Run(const std::string& address, int threads, double seconds) {
  auto channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                           carescore::LimitedChannelArguments());
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto stub = v1::ReportService::NewStub(channel);
      v1::GetScorecardRequest request;
      request.set_la_code("372");
      request.set_month("2018-10");
      while (!stop.load()) {
        v1::GetScorecardResponse response;
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        const auto start = Clock::now();
        grpc::Status s = stub->GetScorecard(&ctx, request, &response);
        const auto end = Clock::now();
        if (!s.ok()) {
          std::cerr << "call failed: " << s.error_message() << "\n";
          std::exit(1);
        }
        latencies[static_cast<size_t>(t)].push_back(
            std::chrono::duration<double, std::micro>(end - start).count());
      }
    });
  }
  const auto began = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  stop = true;
  for (std::thread& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return {static_cast<double>(all.size()) / elapsed, all[all.size() / 2],
          all[std::min(all.size() - 1, all.size() * 99 / 100)]};
}

std::unique_ptr<grpc::Server> Serve(const std::vector<grpc::Service*>& services, int& port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  carescore::ConfigureSyncThreads(builder);  // As the servers run.
  carescore::SetMessageLimits(builder);
  for (grpc::Service* s : services) builder.RegisterService(s);
  return builder.BuildAndStart();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"scorecard benchmark: cached, cold and bare GetScorecard"};
  std::string redis;
  double seconds = 3;
  std::string samples = CARESCORE_SAMPLES_DIR;
  app.add_option("--redis", redis, "Redis HOST:PORT for the cache (default: in-process)");
  app.add_option("--seconds", seconds, "Seconds per measurement")->check(CLI::PositiveNumber);
  app.add_option("--samples", samples, "Folder with the Rotherham sample");
  std::string database;
  app.add_option("--database", database,
                 "PostgreSQL URL of an EMPTY database for the stores (default: SQLite in "
                 "memory)");
  std::string only;
  app.add_option("--only", only, "Measure one kind (bare, cached or cold), for profiling")
      ->check(CLI::IsMember({"bare", "cached", "cold"}));
  CLI11_PARSE(app, argc, argv);

  // The data: the Rotherham sample, loaded through the real rules.
  // SQLite in memory, or the PostgreSQL stores the replicas run on.
  const carescore::stores::StoreLocation where{database, ""};
  auto indicator_store =
      database.empty()
          ? OrDie(carescore::indicators::SqliteIndicatorStore::Open(":memory:"), "store")
          : OrDie(carescore::stores::OpenIndicatorStore(where), "store");
  // The servers' default version lease, as carescored runs.
  const absl::Duration lease = absl::Milliseconds(carescore::kDefaultVersionLeaseMs);
  carescore::indicators::IndicatorService indicators(*indicator_store, lease);
  auto read = [&](const char* name) {
    return OrDie(carescore::CsvTable::ReadFile(samples + "/" + name), name);
  };
  v1::ImportLocalAuthoritiesRequest las;
  for (auto& la : OrDie(carescore::ParseLocalAuthorities(read("local_authorities.csv")), "las")) {
    *las.add_local_authorities() = la;
  }
  OrDie(indicators.ImportLocalAuthorities(las), "import las");
  auto catalogue =
      OrDie(carescore::ParseCatalogue(read("indicators.csv"), carescore::FinancialYear(2018), ""),
            "catalogue");
  v1::ImportIndicatorsRequest ind;
  for (auto& i : catalogue.indicators) *ind.add_indicators() = i;
  OrDie(indicators.ImportIndicators(ind), "import indicators");
  v1::SetTargetsRequest targets;
  for (auto& t : catalogue.targets) *targets.add_targets() = t;
  OrDie(indicators.SetTargets(targets), "targets");
  for (const auto& [file, column] :
       {std::pair{"monthly_values.csv", carescore::PeriodColumn::kMonth},
        std::pair{"annual_outturns.csv", carescore::PeriodColumn::kFinancialYear}}) {
    auto values = OrDie(carescore::ParseValues(read(file), column), file);
    OrDie(indicators.ImportValues(file, values), "import values");
  }
  carescore::indicators::IndicatorGrpcService indicators_grpc(indicators);

  // Indicators and benchmarks on one server; the report services read them
  // over its in-process channel, as in carescored.
  carescore::ChannelSlot channel;
  carescore::indicators::GrpcIndicatorReader indicator_reader(channel);
  auto benchmark_store =
      database.empty()
          ? OrDie(carescore::benchmarks::SqliteBenchmarkStore::Open(":memory:"), "bstore")
          : OrDie(carescore::stores::OpenBenchmarkStore(where), "bstore");
  carescore::benchmarks::BenchmarkService benchmarks(*benchmark_store, indicator_reader, lease);
  carescore::benchmarks::BenchmarkGrpcService benchmarks_grpc(benchmarks);
  int data_port = 0;
  auto data_server = Serve({&indicators_grpc, &benchmarks_grpc}, data_port);
  channel.Set(data_server->InProcessChannel(carescore::LimitedChannelArguments()));
  v1::ImportPublishedComparatorsRequest published;
  for (auto& c : OrDie(carescore::ParsePublishedComparators(read("published_benchmarks.csv"),
                                                            carescore::FinancialYear(2016)),
                       "published")) {
    *published.add_comparators() = c;
  }
  OrDie(benchmarks.ImportPublishedComparators(published), "import published");
  carescore::benchmarks::GrpcBenchmarkReader benchmark_reader(channel);

  std::unique_ptr<carescore::reports::ScorecardCache> cache;
  if (redis.empty()) {
    cache = std::make_unique<carescore::reports::InProcessScorecardCache>();
  } else {
    cache = std::make_unique<carescore::reports::RedisScorecardCache>(
        OrDie(carescore::reports::RedisScorecardCache::ParseAddress(redis), "--redis"));
  }
  carescore::reports::ReportDependencies cached_deps;
  cached_deps.cache = cache.get();
  carescore::reports::ReportService cached(indicator_reader, benchmark_reader, cached_deps);
  carescore::reports::ReportGrpcService cached_grpc(cached);
  carescore::reports::ReportService cold(indicator_reader, benchmark_reader);
  carescore::reports::ReportGrpcService cold_grpc(cold);

  v1::GetScorecardRequest request;
  request.set_la_code("372");
  request.set_month("2018-10");
  v1::GetScorecardResponse canned = OrDie(cold.GetScorecard(request), "scorecard");
  BareReports bare(canned);

  int cached_port = 0;
  int cold_port = 0;
  int bare_port = 0;
  auto cached_server = Serve({&cached_grpc}, cached_port);
  auto cold_server = Serve({&cold_grpc}, cold_port);
  auto bare_server = Serve({&bare}, bare_port);
  OrDie(cached.GetScorecard(request), "warm the cache");

  std::cout << absl::StrFormat("scorecard: %d lines, %d bytes; cache: %s\n",
                               canned.scorecard().lines_size(), canned.ByteSizeLong(),
                               cache->Name());
  std::cout << absl::StrFormat("%-8s %8s %12s %10s %10s\n", "kind", "callers", "calls/s",
                               "p50 (us)", "p99 (us)");
  Result results[3][2];
  const char* kinds[3] = {"bare", "cached", "cold"};
  const int ports[3] = {bare_port, cached_port, cold_port};
  const int callers[2] = {1, 32};
  for (int k = 0; k < 3; ++k) {
    if (!only.empty() && only != kinds[k]) continue;
    for (int c = 0; c < 2; ++c) {
      results[k][c] = Run("127.0.0.1:" + std::to_string(ports[k]), callers[c], seconds);
      std::cout << absl::StrFormat("%-8s %8d %12.0f %10.0f %10.0f\n", kinds[k], callers[c],
                                   results[k][c].rate, results[k][c].p50_us, results[k][c].p99_us);
    }
  }
  for (int c = 0; c < 2 && only.empty(); ++c) {
    std::cout << absl::StrFormat(
        "%d caller(s): cached/bare rate %.2f (goal >= 0.80); cold p50 / cached p50 %.1f (goal <= "
        "5)\n",
        callers[c], results[1][c].rate / results[0][c].rate,
        results[2][c].p50_us / results[1][c].p50_us);
  }
  for (auto* s : {bare_server.get(), cold_server.get(), cached_server.get(), data_server.get()}) {
    s->Shutdown();
  }
  return 0;
}
