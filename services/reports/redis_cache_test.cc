#include "services/reports/redis_cache.h"

#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

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
  explicit RedisServer(int port) : port_(port) {}
  ~RedisServer() { Stop(); }

  bool Start() {
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {"redis-server", "--port",     port,     "--bind",
                                     "127.0.0.1",    "--save",     "",       "--appendonly",
                                     "no",           "--loglevel", "warning"};
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

}  // namespace
}  // namespace carescore::reports
