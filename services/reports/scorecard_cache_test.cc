#include "services/reports/scorecard_cache.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "services/reports/redis_cache.h"
#include "services/reports/signed_cache.h"

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

std::filesystem::path FreshDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(CacheKeyTest, GeneratedOnceInTheDataFolderWithMode0600) {
  const std::filesystem::path dir = FreshDir("cache_key_generated");
  absl::StatusOr<std::string> first = LoadOrCreateCacheKey("", dir.string());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->size(), kMinCacheKeyBytes);
  struct stat st {};
  ASSERT_EQ(stat((dir / "cache.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  absl::StatusOr<std::string> again = LoadOrCreateCacheKey("", dir.string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
}

TEST(CacheKeyTest, AKeyFileIsUsedAndMustBeLongEnough) {
  const std::filesystem::path dir = FreshDir("cache_key_file");
  std::ofstream(dir / "good") << std::string(40, 'g');
  std::ofstream(dir / "short") << "too short";
  EXPECT_EQ(LoadOrCreateCacheKey((dir / "good").string(), dir.string()).value_or(""),
            std::string(40, 'g'));
  EXPECT_FALSE(std::filesystem::exists(dir / "cache.key"));
  EXPECT_EQ(LoadOrCreateCacheKey((dir / "short").string(), dir.string()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadOrCreateCacheKey((dir / "absent").string(), dir.string()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(SignedCacheTest, ATamperedEntryIsAMissAndCounted) {
  auto inner = std::make_unique<InProcessScorecardCache>();
  InProcessScorecardCache* raw = inner.get();
  SignedScorecardCache cache(std::move(inner), std::string(32, 'k'));
  cache.Put("a", "8.2 red");
  EXPECT_EQ(cache.Get("a").value_or(""), "8.2 red");
  std::string stored = raw->Get("a").value_or("");
  stored.back() = 'D';
  raw->Put("a", stored);
  EXPECT_FALSE(cache.Get("a").has_value());
  raw->Put("a", "short");
  EXPECT_FALSE(cache.Get("a").has_value());
  EXPECT_EQ(cache.bad_signatures(), 2);
}

}  // namespace
}  // namespace carescore::reports
