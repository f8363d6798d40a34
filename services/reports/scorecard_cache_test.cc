#include "services/reports/scorecard_cache.h"

#include "gtest/gtest.h"
#include "services/reports/redis_cache.h"

namespace carescore::reports {
namespace {

TEST(RedisAddressTest, ParsesHostAndPort) {
  auto ok = RedisScorecardCache::ParseAddress("redis.internal:6380");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->host, "redis.internal");
  EXPECT_EQ(ok->port, 6380);
  EXPECT_FALSE(RedisScorecardCache::ParseAddress("redis").ok());
  EXPECT_FALSE(RedisScorecardCache::ParseAddress("redis:0").ok());
}

TEST(InProcessCacheTest, KeepsTheMostRecent) {
  InProcessScorecardCache cache(2);
  cache.Put("a", "1");
  cache.Put("b", "2");
  EXPECT_TRUE(cache.Get("a").has_value());
  cache.Put("c", "3");  // evicts b, the least recently used
  EXPECT_FALSE(cache.Get("b").has_value());
  EXPECT_EQ(cache.Get("a").value_or(""), "1");
  EXPECT_EQ(cache.Get("c").value_or(""), "3");
}

}  // namespace
}  // namespace carescore::reports
