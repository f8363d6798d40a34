#include "common/transport_security.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace carescore {
namespace {

ServerTlsFiles Server(std::string cert, std::string key, std::string client_ca = "") {
  ServerTlsFiles files;
  files.cert = std::move(cert);
  files.key = std::move(key);
  files.client_ca = std::move(client_ca);
  return files;
}

PeerTlsFiles Peer(std::string ca, std::string cert = "", std::string key = "") {
  PeerTlsFiles files;
  files.ca = std::move(ca);
  files.cert = std::move(cert);
  files.key = std::move(key);
  return files;
}

TEST(IsLoopbackAddressTest, LoopbackHostsAndPortsAreLoopback) {
  for (const char* address :
       {"127.0.0.1:50051", "127.0.0.1:0", "127.1.2.3:80", "127.255.255.254:1", "localhost:50051",
        "LOCALHOST:1", "localhost", "[::1]:50051", "::1", "[::ffff:127.0.0.1]:5",
        "[0:0:0:0:0:0:0:1]:9", "dns:///localhost:50051", "dns:127.0.0.1:1", "ipv4:127.0.0.1:50051",
        "ipv4:127.0.0.1:1,127.0.0.2:2", "ipv6:[::1]:50051", "unix:/tmp/carescore.sock",
        "unix-abstract:carescore"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
}

TEST(IsLoopbackAddressTest, WildcardsAndOtherHostsAreNot) {
  for (const char* address :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "", "10.0.0.5:50051", "192.168.1.2:1",
        "128.0.0.1:1", "126.255.255.255:1", "indicators:50051", "localhost.example.org:1",
        "mylocalhost:1", "[::2]:1", "[::ffff:10.0.0.1]:1", "dns:///indicators:50051",
        "dns://127.0.0.1:53/example.org:50051", "ipv4:127.0.0.1:1,10.0.0.1:2",
        "ipv4:", "127.0.0.1.example.org:1", "[::1:50051"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(ServerCredentialsForTest, PlaintextOnLoopbackIsAllowed) {
  auto credentials = ServerCredentialsFor({}, "127.0.0.1:50051", false);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(*credentials, nullptr);
}

TEST(ServerCredentialsForTest, PlaintextElsewhereIsRefusedNamingTheFlags) {
  auto credentials = ServerCredentialsFor({}, "0.0.0.0:50051", false);
  ASSERT_EQ(credentials.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(credentials.status().message().find("--tls-cert"), std::string::npos);
  EXPECT_NE(credentials.status().message().find("--insecure-plaintext"), std::string::npos);
}

TEST(ServerCredentialsForTest, InsecurePlaintextAllowsAnyAddress) {
  EXPECT_TRUE(ServerCredentialsFor({}, "0.0.0.0:50051", true).ok());
}

TEST(ServerCredentialsForTest, HalfAKeyPairOrAClientCaAloneIsInvalid) {
  EXPECT_EQ(ServerCredentialsFor(Server("c.pem", ""), "127.0.0.1:1", false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServerCredentialsFor(Server("", "k.pem"), "127.0.0.1:1", false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ServerCredentialsFor(Server("", "", "ca.pem"), "127.0.0.1:1", false).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ServerCredentialsForTest, UnreadableCertificateNamesTheFlag) {
  auto credentials = ServerCredentialsFor(Server("/nonexistent/cert.pem", "/nonexistent/key.pem"),
                                          "0.0.0.0:1", false);
  ASSERT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find("--tls-cert"), std::string::npos);
}

TEST(CheckPlaintextPeerTest, LoopbackPeersOrInsecurePlaintextOnly) {
  EXPECT_TRUE(CheckPlaintextPeer("--indicators", "127.0.0.1:50051", false).ok());
  EXPECT_TRUE(CheckPlaintextPeer("--indicators", "indicators:50051", true).ok());
  absl::Status refused = CheckPlaintextPeer("--indicators", "indicators:50051", false);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("--peer-tls-ca"), std::string::npos);
  EXPECT_NE(refused.message().find("--indicators"), std::string::npos);
}

TEST(PeerCredentialsForTest, HalfAClientKeyPairIsInvalid) {
  EXPECT_EQ(PeerCredentialsFor(Peer("", "c.pem")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(PeerTlsEnabled({}));
  EXPECT_TRUE(PeerTlsEnabled(Peer("ca.pem")));
}

}  // namespace
}  // namespace carescore
