// carescore-indicators: the indicator storage service on its own, for
// containers. Wires the SQLite store, the rules and the wire edge.

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
  CLI::App app{"carescore-indicators: indicator storage service"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  double lease_ms = carescore::kDefaultVersionLeaseMs;
  carescore::AddVersionLeaseFlag(app, lease_ms);
  CLI11_PARSE(app, argc, argv);
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  const std::string path = (std::filesystem::path(flags.data_dir) / "indicators.db").string();
  auto store = carescore::indicators::SqliteIndicatorStore::Open(path);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", path, std::string(store.status().message()));
    return 1;
  }
  carescore::indicators::IndicatorService service(**store, absl::Milliseconds(lease_ms));
  carescore::indicators::IndicatorGrpcService grpc_service(service);
  absl::Status served = carescore::ServeUntilSignal(
      *options, {{carescore::v1::IndicatorService::service_full_name(), &grpc_service}});
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
