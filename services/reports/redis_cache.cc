#include "services/reports/redis_cache.h"

#include <hiredis/hiredis.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "spdlog/spdlog.h"

namespace carescore::reports {
absl::StatusOr<RedisCacheOptions> RedisScorecardCache::ParseAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  RedisCacheOptions options;
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--redis \"", address, "\" is not HOST:PORT, e.g. 127.0.0.1:6379"));
  }
  options.host = address.substr(0, colon);
  options.port = port;
  return options;
}

RedisScorecardCache::~RedisScorecardCache() {
  absl::MutexLock lock(&mu_);
  for (redisContext* c : idle_) redisFree(c);
  idle_.clear();
}

int RedisScorecardCache::open_connections() {
  absl::MutexLock lock(&mu_);
  return open_;
}

void RedisScorecardCache::Failed(const std::string& what) {
  errors_.fetch_add(1);
  absl::MutexLock lock(&mu_);
  resting_until_ = absl::Now() + options_.retry_after;
  if (!outage_logged_) {
    spdlog::warn("redis {}:{} unavailable ({}): scorecards are computed uncached until it answers",
                 options_.host, options_.port, what);
    outage_logged_ = true;
  }
}

namespace {

// Empty when Redis accepts `password`, else why not (never the password).
std::string AuthenticateWith(redisContext* c, const std::string& password) {
  auto* reply =
      static_cast<redisReply*>(redisCommand(c, "AUTH %b", password.data(), password.size()));
  if (reply == nullptr) return absl::StrCat("AUTH: ", c->errstr);
  std::string what;
  if (reply->type == REDIS_REPLY_ERROR) {
    what = absl::StrCat("AUTH refused: ", std::string(reply->str, reply->len),
                        " (check --redis-password)");
  }
  freeReplyObject(reply);
  return what;
}

}  // namespace

redisContext* RedisScorecardCache::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    if (absl::Now() < resting_until_) return nullptr;
    // Wait (briefly) for a connection when the pool is full.
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.max_connections;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available), options_.command_timeout)) {
      errors_.fetch_add(1);
      return nullptr;
    }
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    ++open_;  // Reserved; given back below if the connect fails.
  }
  redisContext* c = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                            absl::ToTimeval(options_.connect_timeout));
  std::string what;
  if (c == nullptr) {
    what = "out of memory";
  } else if (c->err != 0 ||
             redisSetTimeout(c, absl::ToTimeval(options_.command_timeout)) != REDIS_OK) {
    what = c->errstr[0] != '\0' ? std::string(c->errstr) : "connection failed";
  } else if (!options_.password.empty()) {
    what = AuthenticateWith(c, options_.password);
  }
  if (!what.empty()) {
    if (c != nullptr) redisFree(c);
    {
      absl::MutexLock lock(&mu_);
      --open_;
    }
    Failed(what);
    return nullptr;
  }
  return c;
}

void RedisScorecardCache::Release(redisContext* context, bool healthy) {
  absl::MutexLock lock(&mu_);
  if (healthy) {
    idle_.push_back(context);
    if (outage_logged_) {
      spdlog::info("redis {}:{} answers again", options_.host, options_.port);
      outage_logged_ = false;
    }
    return;
  }
  redisFree(context);
  --open_;
}

std::optional<std::string> RedisScorecardCache::Get(const std::string& key) {
  redisContext* c = Acquire();
  if (c == nullptr) {
    misses_.fetch_add(1);
    return std::nullopt;
  }
  auto* reply = static_cast<redisReply*>(redisCommand(c, "GET %b", key.data(), key.size()));
  if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
    const std::string what =
        reply != nullptr ? std::string(reply->str, reply->len) : std::string(c->errstr);
    if (reply != nullptr) freeReplyObject(reply);
    Release(c, false);
    Failed(what);
    misses_.fetch_add(1);
    return std::nullopt;
  }
  std::optional<std::string> value;
  if (reply->type == REDIS_REPLY_STRING) value = std::string(reply->str, reply->len);
  freeReplyObject(reply);
  Release(c, true);
  (value ? hits_ : misses_).fetch_add(1);
  return value;
}

void RedisScorecardCache::Put(const std::string& key, const std::string& value) {
  redisContext* c = Acquire();
  if (c == nullptr) return;
  const std::string ttl = absl::StrCat(absl::ToInt64Seconds(options_.ttl));
  auto* reply = static_cast<redisReply*>(redisCommand(c, "SET %b %b EX %s", key.data(), key.size(),
                                                      value.data(), value.size(), ttl.c_str()));
  const bool ok = reply != nullptr && reply->type != REDIS_REPLY_ERROR;
  const std::string what =
      ok ? "" : (reply != nullptr ? std::string(reply->str, reply->len) : std::string(c->errstr));
  if (reply != nullptr) freeReplyObject(reply);
  Release(c, ok);
  if (!ok) Failed(what);
}

}  // namespace carescore::reports
