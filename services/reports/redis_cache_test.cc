#include "services/reports/redis_cache.h"

#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/reports/signed_cache.h"
#include "spdlog/sinks/ringbuffer_sink.h"
#include "spdlog/spdlog.h"

extern char** environ;

namespace carescore::reports {
namespace {

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A real redis-server on a free loopback port, for this test only.
class RedisServer {
 public:
  explicit RedisServer(int port, std::vector<std::string> extra_args = {})
      : port_(port), extra_args_(std::move(extra_args)) {}
  ~RedisServer() { Stop(); }

  bool Start() {
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {"redis-server", "--port",     port,     "--bind",
                                     "127.0.0.1",    "--save",     "",       "--appendonly",
                                     "no",           "--loglevel", "warning"};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ) != 0)
      return false;
    for (int i = 0; i < 100; ++i) {
      timeval tv{0, 100000};
      redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, tv);
      const bool up = c != nullptr && c->err == 0;
      if (c != nullptr) redisFree(c);
      if (up) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGCONT);
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  void Pause() { kill(pid_, SIGSTOP); }
  void Resume() { kill(pid_, SIGCONT); }

 private:
  int port_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
};

class RedisCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreePort();
    server_ = std::make_unique<RedisServer>(port_);
    ASSERT_TRUE(server_->Start()) << "redis-server did not start";
    options_.port = port_;
    options_.retry_after = absl::Milliseconds(100);
    options_.command_timeout = absl::Milliseconds(150);
    options_.connect_timeout = absl::Milliseconds(150);
  }

  int port_ = 0;
  std::unique_ptr<RedisServer> server_;
  RedisCacheOptions options_;
};

TEST_F(RedisCacheTest, MissThenHit) {
  RedisScorecardCache cache(options_);
  EXPECT_FALSE(cache.Get("k1").has_value());
  cache.Put("k1", std::string("bytes\0with nul", 14));
  std::optional<std::string> got = cache.Get("k1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, std::string("bytes\0with nul", 14));
  EXPECT_EQ(cache.hits(), 1);
  EXPECT_EQ(cache.misses(), 1);
  EXPECT_EQ(cache.errors(), 0);
}

TEST_F(RedisCacheTest, StoppedAndRestartedRedisIsAMissThenWorksAgain) {
  RedisScorecardCache cache(options_);
  cache.Put("k", "v");
  server_->Stop();
  EXPECT_FALSE(cache.Get("k").has_value());  // The idle connection fails and is discarded.
  EXPECT_FALSE(cache.Get("k").has_value());  // Resting, or refused.
  EXPECT_GT(cache.errors(), 0);
  ASSERT_TRUE(server_->Start());
  absl::SleepFor(options_.retry_after * 2);
  EXPECT_FALSE(cache.Get("k").has_value());  // A new, empty Redis: a plain miss.
  cache.Put("k", "v2");
  EXPECT_EQ(cache.Get("k").value_or(""), "v2");
}

TEST_F(RedisCacheTest, PausedRedisTimesOutAndTheConnectionIsDiscarded) {
  RedisScorecardCache cache(options_);
  cache.Put("k", "v");
  EXPECT_EQ(cache.open_connections(), 1);
  server_->Pause();
  EXPECT_FALSE(cache.Get("k").has_value());
  EXPECT_EQ(cache.open_connections(), 0);  // Never reused after a timeout.
  server_->Resume();
  absl::SleepFor(options_.retry_after * 2);
  EXPECT_EQ(cache.Get("k").value_or(""), "v");
}

TEST_F(RedisCacheTest, ThePoolStaysBoundedUnderManyThreads) {
  options_.max_connections = 3;
  RedisScorecardCache cache(options_);
  cache.Put("k", "v");
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  for (int t = 0; t < 24; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (cache.Get("k").has_value()) answered.fetch_add(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(cache.open_connections(), 3);
  EXPECT_GT(answered.load(), 0);
}

// Writes `value` under `key` straight into Redis, as someone who can reach
// it could.
void RawSet(int port, const std::string& key, const std::string& value) {
  timeval tv{1, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  ASSERT_TRUE(c != nullptr && c->err == 0);
  auto* reply = static_cast<redisReply*>(
      redisCommand(c, "SET %b %b", key.data(), key.size(), value.data(), value.size()));
  ASSERT_NE(reply, nullptr);
  freeReplyObject(reply);
  redisFree(c);
}

std::string RawGet(int port, const std::string& key) {
  timeval tv{1, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (c == nullptr || c->err != 0) return "";
  auto* reply = static_cast<redisReply*>(redisCommand(c, "GET %b", key.data(), key.size()));
  std::string value;
  if (reply != nullptr && reply->type == REDIS_REPLY_STRING) value.assign(reply->str, reply->len);
  if (reply != nullptr) freeReplyObject(reply);
  redisFree(c);
  return value;
}

const std::string kKey(32, 'k');

TEST_F(RedisCacheTest, SignedEntriesRoundTrip) {
  SignedScorecardCache cache(std::make_unique<RedisScorecardCache>(options_), kKey);
  EXPECT_FALSE(cache.Get("card:372").has_value());
  cache.Put("card:372", "score 8.2 red");
  EXPECT_EQ(cache.Get("card:372").value_or(""), "score 8.2 red");
  EXPECT_EQ(cache.bad_signatures(), 0);
  EXPECT_NE(RawGet(port_, "card:372"), "score 8.2 red");  // Stored with its signature.
}

TEST_F(RedisCacheTest, AnEntryEditedInRedisIsNotServedAndIsRewritten) {
  SignedScorecardCache cache(std::make_unique<RedisScorecardCache>(options_), kKey);
  cache.Put("card:372", "score 8.2 red");
  std::string stored = RawGet(port_, "card:372");
  ASSERT_FALSE(stored.empty());
  stored[stored.find("red")] = 'R';  // One byte flipped.
  RawSet(port_, "card:372", stored);
  EXPECT_FALSE(cache.Get("card:372").has_value());
  EXPECT_EQ(cache.bad_signatures(), 1);
  // The caller recomputes and puts: the right bytes are served again.
  cache.Put("card:372", "score 8.2 red");
  EXPECT_EQ(cache.Get("card:372").value_or(""), "score 8.2 red");
}

TEST_F(RedisCacheTest, AnotherKeysSignedEntryIsNotServed) {
  SignedScorecardCache cache(std::make_unique<RedisScorecardCache>(options_), kKey);
  cache.Put("card:372", "score 8.2 red");
  cache.Put("card:382", "score 9.9 green");
  RawSet(port_, "card:372", RawGet(port_, "card:382"));  // Validly signed, for another key.
  EXPECT_FALSE(cache.Get("card:372").has_value());
  EXPECT_EQ(cache.Get("card:382").value_or(""), "score 9.9 green");
  EXPECT_EQ(cache.bad_signatures(), 1);
}

TEST_F(RedisCacheTest, UnsignedOrOtherKeysEntriesAreNotServed) {
  SignedScorecardCache cache(std::make_unique<RedisScorecardCache>(options_), kKey);
  RawSet(port_, "card:372", "score 8.2 green");  // No signature at all.
  EXPECT_FALSE(cache.Get("card:372").has_value());
  SignedScorecardCache other(std::make_unique<RedisScorecardCache>(options_), std::string(32, 'x'));
  other.Put("card:382", "score 1 green");  // Signed with another key.
  EXPECT_FALSE(cache.Get("card:382").has_value());
  EXPECT_EQ(cache.bad_signatures(), 2);
}

// Redis started with --requirepass, and what the cache logs meanwhile.
class RedisPasswordTest : public ::testing::Test {
 protected:
  static constexpr char kPassword[] = "correct-horse-battery-staple";

  void SetUp() override {
    port_ = FreePort();
    server_ =
        std::make_unique<RedisServer>(port_, std::vector<std::string>{"--requirepass", kPassword});
    ASSERT_TRUE(server_->Start()) << "redis-server did not start";
    options_.port = port_;
    options_.retry_after = absl::Milliseconds(100);
    previous_ = spdlog::default_logger();
    log_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("redis-password-test", log_));
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }

  std::string Logged() const {
    std::string all;
    for (const std::string& line : log_->last_formatted()) all += line;
    return all;
  }

  int port_ = 0;
  std::unique_ptr<RedisServer> server_;
  RedisCacheOptions options_;
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> log_;
};

TEST_F(RedisPasswordTest, TheRightPasswordIsSentOnEveryNewConnection) {
  options_.password = kPassword;
  options_.max_connections = 4;
  RedisScorecardCache cache(options_);
  cache.Put("k", "v");
  EXPECT_EQ(cache.Get("k").value_or(""), "v");
  // Several connections at once: each new one authenticates.
  std::vector<std::thread> threads;
  std::atomic<int> hits{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      if (cache.Get("k").value_or("") == "v") hits.fetch_add(1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(hits.load(), 8);
  EXPECT_EQ(cache.errors(), 0);
}

TEST_F(RedisPasswordTest, AWrongPasswordIsAnOutageLoggedWithoutThePassword) {
  options_.password = "wrong-password-123";
  RedisScorecardCache cache(options_);
  cache.Put("k", "v");  // Not stored, and no crash.
  EXPECT_FALSE(cache.Get("k").has_value());
  EXPECT_GT(cache.errors(), 0);
  EXPECT_EQ(cache.open_connections(), 0);  // The refused connection is not kept.
  const std::string logged = Logged();
  EXPECT_NE(logged.find("AUTH"), std::string::npos) << logged;
  EXPECT_NE(logged.find("warning"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("wrong-password-123"), std::string::npos) << logged;
  EXPECT_EQ(logged.find(kPassword), std::string::npos) << logged;
}

TEST_F(RedisPasswordTest, NoPasswordIsAMissNotACrash) {
  RedisScorecardCache cache(options_);
  cache.Put("k", "v");
  EXPECT_FALSE(cache.Get("k").has_value());
  EXPECT_GT(cache.errors(), 0);
}

}  // namespace
}  // namespace carescore::reports
