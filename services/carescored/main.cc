// carescored: every carescore service in one process, on embedded SQLite
// databases in --data-dir. The default for one machine.

#include <filesystem>
#include <memory>

#include "CLI/CLI.hpp"
#include "common/logging.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  carescore::BlockShutdownSignals();
  CLI::App app{"carescored: all carescore services in one process"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = carescore::ConfigureLogging(flags.log_format, flags.log_level); !s.ok()) {
    fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  if (ec) {
    spdlog::critical("cannot create data dir {}: {}", flags.data_dir, ec.message());
    return 1;
  }
  const std::filesystem::path dir(flags.data_dir);

  auto indicator_store =
      carescore::indicators::SqliteIndicatorStore::Open((dir / "indicators.db").string());
  if (!indicator_store.ok()) {
    spdlog::critical("indicators store: {}", std::string(indicator_store.status().message()));
    return 1;
  }
  carescore::indicators::IndicatorService indicators(**indicator_store);
  carescore::indicators::IndicatorGrpcService indicators_grpc(indicators);

  carescore::ServerOptions options;
  options.listen = flags.listen;
  options.grace = absl::Seconds(flags.shutdown_grace_seconds);
  spdlog::info("carescored data in {}", flags.data_dir);
  absl::Status served = carescore::ServeUntilSignal(options, {{carescore::v1::IndicatorService::service_full_name(), &indicators_grpc}});
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
