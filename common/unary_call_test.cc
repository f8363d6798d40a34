// UnaryCaller against fake peers on loopback ports: the caller's deadline
// travels to the peer, a call whose caller has gone is never made, and the
// channels' retry policy and wait_for_ready ride out a peer that is down.

#include "common/unary_call.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "common/auth/guarded.h"
#include "common/call_scope.h"
#include "common/grpc_limits.h"
#include "common/server_flags.h"
#include "common/testing/loopback_server.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

using testing::LoopbackServer;

// A peer that records the deadline each call arrived with and answers
// GetLocalAuthority with the codes it is given, then OK.
class FakePeer final : public v1::IndicatorService::Service {
 public:
  explicit FakePeer(std::vector<grpc::StatusCode> failures = {}) : failures_(std::move(failures)) {}

  grpc::Status GetLocalAuthority(grpc::ServerContext* context,
                                 const v1::GetLocalAuthorityRequest* request,
                                 v1::GetLocalAuthorityResponse* response) override {
    absl::MutexLock lock(&mu_);
    const std::chrono::system_clock::time_point deadline = context->deadline();
    remaining_.push_back(deadline >= std::chrono::system_clock::time_point::max()
                             ? absl::InfiniteDuration()
                             : absl::FromChrono(deadline) - absl::Now());
    const size_t attempt = remaining_.size() - 1;
    if (attempt < failures_.size()) return grpc::Status(failures_[attempt], "fake failure");
    response->mutable_local_authority()->set_la_code(request->la_code());
    return grpc::Status::OK;
  }

  // How long each call had left when it arrived, in order.
  std::vector<absl::Duration> remaining() {
    absl::MutexLock lock(&mu_);
    return remaining_;
  }

 private:
  const std::vector<grpc::StatusCode> failures_;
  absl::Mutex mu_;
  std::vector<absl::Duration> remaining_ ABSL_GUARDED_BY(mu_);
};

v1::GetLocalAuthorityRequest Ask(const std::string& la_code = "372") {
  v1::GetLocalAuthorityRequest request;
  request.set_la_code(la_code);
  return request;
}

// A peer channel as the servers make them (common/server_flags.h).
std::shared_ptr<grpc::Channel> PeerChannelTo(const std::string& address) {
  return PeerChannel(address, ServerOptions{});
}

struct Peer {
  explicit Peer(std::vector<grpc::StatusCode> failures = {})
      : fake(std::move(failures)), server({&fake}) {
    slot.Set(PeerChannelTo(server.address()));
  }
  FakePeer fake;
  LoopbackServer server;
  ChannelSlot slot;
};

TEST(UnaryCallerTest, PeerCallCarriesTheCallersRemainingDeadline) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  ScopedCallScope scope(CallScope(absl::Now() + absl::Milliseconds(300), nullptr));
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(peer.fake.remaining().size(), 1u);
  EXPECT_LE(peer.fake.remaining()[0], absl::Milliseconds(300));
  EXPECT_GT(peer.fake.remaining()[0], absl::ZeroDuration());
}

TEST(UnaryCallerTest, WithoutACallerDeadlineThePeerGetsTheDefaultTimeout) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  ASSERT_TRUE(caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask()).ok());
  ASSERT_EQ(peer.fake.remaining().size(), 1u);
  EXPECT_LE(peer.fake.remaining()[0], kDefaultPeerTimeout);
  EXPECT_GT(peer.fake.remaining()[0], kDefaultPeerTimeout - absl::Seconds(5));
}

TEST(UnaryCallerTest, TheCallersOwnShorterTimeoutWins) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service", absl::Milliseconds(200));
  ScopedCallScope scope(CallScope(absl::Now() + absl::Seconds(20), nullptr));
  ASSERT_TRUE(caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask()).ok());
  ASSERT_EQ(peer.fake.remaining().size(), 1u);
  EXPECT_LE(peer.fake.remaining()[0], absl::Milliseconds(200));
}

TEST(UnaryCallerTest, APassedDeadlineFailsFastWithoutCallingThePeer) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  ScopedCallScope scope(CallScope(absl::Now() - absl::Milliseconds(1), nullptr));
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(got.status().message().find("indicator service: "), std::string::npos);
  EXPECT_TRUE(peer.fake.remaining().empty());
}

TEST(UnaryCallerTest, ACancelledCallerFailsFastWithoutCallingThePeer) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  ScopedCallScope scope(CallScope(absl::InfiniteFuture(), [] { return true; }));
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(peer.fake.remaining().empty());
}

TEST(UnaryCallerTest, TheDeadlineTravelsWithWorkCarriedToAnotherThread) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  ScopedCallScope scope(CallScope(absl::Now() + absl::Milliseconds(300), nullptr));
  absl::Status status;
  std::thread worker([&, carried = CallScope::Current()] {
    ScopedCallScope installed(carried);
    status = caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask()).status();
  });
  worker.join();
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(peer.fake.remaining().size(), 1u);
  EXPECT_LE(peer.fake.remaining()[0], absl::Milliseconds(300));
}

// A served call's deadline, as its client set it, reaches the calls its
// handler makes: the edge (auth::Guarded) opens the call's scope.
class FrontService final : public v1::IndicatorService::Service {
 public:
  explicit FrontService(const ChannelSlot& peer) : peer_(peer, "indicator service") {}
  grpc::Status GetLocalAuthority(grpc::ServerContext* context,
                                 const v1::GetLocalAuthorityRequest* request,
                                 v1::GetLocalAuthorityResponse* response) override {
    return auth::GuardedFor(nullptr, *context, "IndicatorService/GetLocalAuthority", {}, "",
                            response, [&](const auth::Admitted*) {
                              return peer_.Call(&v1::IndicatorService::Stub::GetLocalAuthority,
                                                *request);
                            });
  }

 private:
  UnaryCaller<v1::IndicatorService> peer_;
};

TEST(UnaryCallerTest, AServedCallsDeadlineReachesThePeerCallsItMakes) {
  Peer peer;
  ASSERT_TRUE(peer.server.ok());
  FrontService front(peer.slot);
  LoopbackServer front_server({&front});
  ASSERT_TRUE(front_server.ok());
  auto stub = v1::IndicatorService::NewStub(front_server.channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  v1::GetLocalAuthorityResponse response;
  grpc::Status status = stub->GetLocalAuthority(&context, Ask("373"), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.local_authority().la_code(), "373");
  ASSERT_EQ(peer.fake.remaining().size(), 1u);
  EXPECT_LE(peer.fake.remaining()[0], absl::Milliseconds(300));
}

TEST(RetryPolicyTest, UnavailableIsRetriedUpToThreeAttempts) {
  Peer peer({grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::UNAVAILABLE});
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(peer.fake.remaining().size(), 3u);
}

TEST(RetryPolicyTest, AfterThreeAttemptsTheCallerGetsUnavailable) {
  Peer peer({grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::UNAVAILABLE,
             grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::UNAVAILABLE});
  ASSERT_TRUE(peer.server.ok());
  UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(peer.fake.remaining().size(), 3u);
}

TEST(RetryPolicyTest, OtherCodesAreNotRetried) {
  for (grpc::StatusCode code : {grpc::StatusCode::INTERNAL, grpc::StatusCode::NOT_FOUND,
                                grpc::StatusCode::DEADLINE_EXCEEDED}) {
    Peer peer({code, code, code});
    ASSERT_TRUE(peer.server.ok());
    UnaryCaller<v1::IndicatorService> caller(peer.slot, "indicator service");
    absl::StatusOr<v1::GetLocalAuthorityResponse> got =
        caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
    EXPECT_EQ(static_cast<int>(got.status().code()), static_cast<int>(code));
    EXPECT_EQ(peer.fake.remaining().size(), 1u) << "code " << code;
  }
}

TEST(RetryPolicyTest, TheClientsChannelArgumentsRetryToo) {
  // LoopbackServer's channel is made as the CLI's is: LimitedChannelArguments.
  FakePeer fake({grpc::StatusCode::UNAVAILABLE});
  LoopbackServer server({&fake});
  ASSERT_TRUE(server.ok());
  auto stub = v1::IndicatorService::NewStub(server.channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetLocalAuthorityResponse response;
  EXPECT_TRUE(stub->GetLocalAuthority(&context, Ask(), &response).ok());
  EXPECT_EQ(fake.remaining().size(), 2u);
}

// A loopback port nothing listens on (yet).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(address.sin_port);
}

TEST(RetryPolicyTest, APeerThatIsDownForAMomentIsWaitedFor) {
  const int port = FreePort();
  ASSERT_NE(port, 0);
  const std::string address = "127.0.0.1:" + std::to_string(port);
  ChannelSlot slot;
  slot.Set(PeerChannelTo(address));
  FakePeer fake;
  std::unique_ptr<grpc::Server> server;
  std::thread restart([&] {
    absl::SleepFor(absl::Milliseconds(300));
    grpc::ServerBuilder builder;
    builder.AddListeningPort(address, grpc::InsecureServerCredentials());
    builder.RegisterService(&fake);
    server = builder.BuildAndStart();
  });
  UnaryCaller<v1::IndicatorService> caller(slot, "indicator service", absl::Seconds(20));
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  restart.join();
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(fake.remaining().size(), 1u);
  server->Shutdown(std::chrono::system_clock::now());
}

TEST(RetryPolicyTest, APeerThatStaysDownFailsAtTheCallersDeadline) {
  const int port = FreePort();
  ASSERT_NE(port, 0);
  ChannelSlot slot;
  slot.Set(PeerChannelTo("127.0.0.1:" + std::to_string(port)));
  UnaryCaller<v1::IndicatorService> caller(slot, "indicator service");
  ScopedCallScope scope(CallScope(absl::Now() + absl::Milliseconds(500), nullptr));
  const absl::Time start = absl::Now();
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  // Unavailable, as a refused connection would be, after the deadline.
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable) << got.status();
  EXPECT_NE(got.status().message().find("indicator service: not reachable"), std::string::npos)
      << got.status();
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(450));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST(RetryPolicyTest, AFailFastCallerIsToldAtOnceThatThePeerIsDown) {
  const int port = FreePort();
  ASSERT_NE(port, 0);
  ChannelSlot slot;
  slot.Set(PeerChannelTo("127.0.0.1:" + std::to_string(port)));
  UnaryCaller<v1::IndicatorService> caller(slot, "escalation service", absl::Seconds(20),
                                           PeerReadiness::kFailFast);
  const absl::Time start = absl::Now();
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller.Call(&v1::IndicatorService::Stub::GetLocalAuthority, Ask());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable) << got.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(RetryPolicyTest, TheServiceConfigNamesEveryCarescoreService) {
  const std::regex service_line(R"(^service\s+(\w+)\s*\{)");
  int services = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CARESCORE_PROTOS_DIR)) {
    if (entry.path().extension() != ".proto") continue;
    std::ifstream proto(entry.path());
    std::string line;
    std::smatch match;
    while (std::getline(proto, line)) {
      if (!std::regex_search(line, match, service_line)) continue;
      ++services;
      const std::string name = "\"carescore.v1." + match[1].str() + "\"";
      EXPECT_NE(std::string(kRetryServiceConfigJson).find(name), std::string::npos)
          << name << " (" << entry.path().filename() << ") has no retry policy";
    }
  }
  EXPECT_GT(services, 0);
}

}  // namespace
}  // namespace carescore
