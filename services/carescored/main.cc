// carescored: every carescore service in one process, on embedded SQLite
// databases in --data-dir. The default for one machine.

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
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
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
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

  spdlog::info("carescored data in {}", flags.data_dir);
  absl::Status served = carescore::ServeUntilSignal(
      *options, {{carescore::v1::IndicatorService::service_full_name(), &indicators_grpc}});
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
