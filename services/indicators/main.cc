// carescore-indicators: the indicator storage service on its own, for
// containers. Wires the SQLite store, the rules and the wire edge.

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
  CLI::App app{"carescore-indicators: indicator storage service"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = carescore::ConfigureLogging(flags.log_format, flags.log_level); !s.ok()) {
    fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  const std::string path = (std::filesystem::path(flags.data_dir) / "indicators.db").string();
  auto store = carescore::indicators::SqliteIndicatorStore::Open(path);
  if (!store.ok()) {
    spdlog::critical("cannot open {}: {}", path, std::string(store.status().message()));
    return 1;
  }
  carescore::indicators::IndicatorService service(**store);
  carescore::indicators::IndicatorGrpcService grpc_service(service);
  carescore::ServerOptions options;
  options.listen = flags.listen;
  options.grace = absl::Seconds(flags.shutdown_grace_seconds);
  absl::Status served = carescore::ServeUntilSignal(options, {{carescore::v1::IndicatorService::service_full_name(), &grpc_service}});
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
