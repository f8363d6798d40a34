#include <filesystem>

#include "common/pg_db.h"
#include "services/stores/open_stores.h"
#include "spdlog/spdlog.h"

namespace carescore::stores {

std::string SqlitePath(const StoreLocation& where, const std::string& name) {
  return (std::filesystem::path(where.data_dir) / (name + ".db")).string();
}

void LogStoreLocation(const std::string& name, const std::string& database,
                      const std::string& path) {
  if (!database.empty()) {
    spdlog::info("{} store: PostgreSQL {} (schema {})", name, RedactedPgUrl(database), name);
  } else {
    spdlog::info("{} store: {}", name, path);
  }
}

}  // namespace carescore::stores
