#include "services/reports/signed_cache.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace carescore::reports {
namespace {

constexpr size_t kMacBytes = 32;

absl::StatusOr<std::string> ReadKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read cache key file ", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string key = bytes.str();
  if (key.size() < kMinCacheKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("cache key file ", path, " holds fewer than ", kMinCacheKeyBytes, " bytes"));
  }
  return key;
}

}  // namespace

std::string SignedScorecardCache::Sign(const std::string& key, const std::string& value) const {
  // The cache key's length goes first, so no (key, value) pair can be split
  // differently into another with the same signature.
  std::string message = absl::StrCat(key.size(), ":", key);
  message.append(value);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &mac_len) == nullptr ||
      mac_len != kMacBytes) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

std::optional<std::string> SignedScorecardCache::Get(const std::string& key) {
  std::optional<std::string> entry = inner_->Get(key);
  if (!entry.has_value()) return std::nullopt;
  const std::string expected =
      Sign(key, entry->size() >= kMacBytes ? entry->substr(kMacBytes) : "");
  if (entry->size() < kMacBytes || expected.size() != kMacBytes ||
      CRYPTO_memcmp(entry->data(), expected.data(), kMacBytes) != 0) {
    bad_signatures_.fetch_add(1);
    if (!logged_.exchange(true)) {
      spdlog::error(
          "{} scorecard cache: an entry's signature does not match (changed outside this "
          "service?); such entries are recomputed and rewritten, and counted",
          inner_->Name());
    }
    return std::nullopt;
  }
  return entry->substr(kMacBytes);
}

void SignedScorecardCache::Put(const std::string& key, const std::string& value) {
  std::string mac = Sign(key, value);
  if (mac.size() != kMacBytes) return;  // Not cached: the caller has its value.
  inner_->Put(key, mac + value);
}

absl::StatusOr<std::string> LoadOrCreateCacheKey(const std::string& key_file,
                                                 const std::string& data_dir) {
  if (!key_file.empty()) return ReadKey(key_file);
  const std::string path = (std::filesystem::path(data_dir) / "cache.key").string();
  if (std::filesystem::exists(path)) return ReadKey(path);
  std::string key(kMinCacheKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return absl::InternalError("cannot generate a cache key: no randomness");
  }
  // O_EXCL: two processes starting together must not both write a key.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return ReadKey(path);
    return absl::UnavailableError(
        absl::StrCat("cannot create cache key file ", path, ": ", std::strerror(errno)));
  }
  const bool written = write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  const bool closed = close(fd) == 0;
  if (!written || !closed) {
    std::filesystem::remove(path);
    return absl::UnavailableError(absl::StrCat("cannot write cache key file ", path));
  }
  spdlog::info("scorecard cache: signing key created in {}", path);
  return key;
}

}  // namespace carescore::reports
