#ifndef CARESCORE_SERVICES_REPORTS_SIGNED_CACHE_H_
#define CARESCORE_SERVICES_REPORTS_SIGNED_CACHE_H_

// A ScorecardCache that signs what it stores in another (shared) cache, so
// whoever can write the shared cache (Redis) cannot change the figures
// served: each entry is stored as HMAC-SHA256(key, cache key and bytes)
// followed by the bytes, and Get checks the signature before it answers. An
// entry with a bad or missing signature is a miss (the caller recomputes and
// Puts, which rewrites it); such entries are counted and the first is
// logged. The in-process cache needs no signing: only this process writes
// it. Thread-safe if `inner` is.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

// At least this many bytes of key: HMAC-SHA256's block is 64, its output 32.
inline constexpr size_t kMinCacheKeyBytes = 32;

class SignedScorecardCache final : public ScorecardCache {
 public:
  // `key` has at least kMinCacheKeyBytes bytes (checked by the loader).
  SignedScorecardCache(std::unique_ptr<ScorecardCache> inner, std::string key)
      : inner_(std::move(inner)), key_(std::move(key)) {}

  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value) override;
  const char* Name() const override { return inner_->Name(); }

  // Entries refused because their signature did not match.
  int64_t bad_signatures() const { return bad_signatures_.load(); }
  ScorecardCache& inner() { return *inner_; }

 private:
  std::string Sign(const std::string& key, const std::string& value) const;

  const std::unique_ptr<ScorecardCache> inner_;
  const std::string key_;
  std::atomic<int64_t> bad_signatures_{0};
  std::atomic<bool> logged_{false};
};

// The signing key: the bytes of `key_file` when given (at least
// kMinCacheKeyBytes; InvalidArgument otherwise, NotFound if it cannot be
// read), else `data_dir`/cache.key, created on first use with 32 random
// bytes, mode 0600, and reused after. Never logged.
absl::StatusOr<std::string> LoadOrCreateCacheKey(const std::string& key_file,
                                                 const std::string& data_dir);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SIGNED_CACHE_H_
