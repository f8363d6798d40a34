#include "common/transport_security.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace carescore {
namespace {

// The host part of "host:port", "[v6]:port", "host" or a bare IPv6 address.
absl::string_view HostOf(absl::string_view address) {
  if (absl::StartsWith(address, "[")) {
    const size_t close = address.find(']');
    return close == absl::string_view::npos ? absl::string_view() : address.substr(1, close - 1);
  }
  const size_t first = address.find(':');
  if (first == absl::string_view::npos) return address;
  // More than one colon and no brackets: an IPv6 address without a port.
  if (address.find(':', first + 1) != absl::string_view::npos) return address;
  return address.substr(0, first);
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::EqualsIgnoreCase(host, "localhost") || absl::EqualsIgnoreCase(host, "localhost."))
    return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

}  // namespace

bool IsLoopbackAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") || absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  if (absl::ConsumePrefix(&address, "dns:")) {
    // dns:[//authority/]host[:port]: the authority is the resolver, not the target.
    if (absl::ConsumePrefix(&address, "//")) {
      const size_t slash = address.find('/');
      if (slash == absl::string_view::npos) return false;
      address.remove_prefix(slash + 1);
    }
    return IsLoopbackHost(HostOf(address));
  }
  if (absl::ConsumePrefix(&address, "ipv4:") || absl::ConsumePrefix(&address, "ipv6:")) {
    // A list of addresses: every one must be loopback.
    for (absl::string_view one : absl::StrSplit(address, ',')) {
      if (!IsLoopbackHost(HostOf(one))) return false;
    }
    return !address.empty();
  }
  return IsLoopbackHost(HostOf(address));
}

absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, ": cannot read the file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  if (pem.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path, ": not a PEM file (no -----BEGIN line)"));
  }
  return pem;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerTlsFiles& tls, const std::string& listen, bool insecure_plaintext) {
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key are given together");
  }
  if (tls.cert.empty()) {
    if (!tls.client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--tls-client-ca needs TLS on the listener: give --tls-cert and --tls-key too");
    }
    if (!IsLoopbackAddress(listen) && !insecure_plaintext) {
      return absl::FailedPreconditionError(
          absl::StrCat("refusing to serve plaintext on ", listen,
                       ", which is not a loopback address: give --tls-cert FILE --tls-key FILE "
                       "(or --insecure-plaintext to accept plaintext on a trusted network)"));
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert = ReadPemFile(tls.cert, "--tls-cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPemFile(tls.key, "--tls-key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*std::move(key), *std::move(cert)});
  if (!tls.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile(tls.client_ca, "--tls-client-ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *std::move(ca);
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

bool PeerTlsEnabled(const PeerTlsFiles& tls) { return !tls.ca.empty() || !tls.cert.empty(); }

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentialsFor(
    const PeerTlsFiles& tls) {
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError("--peer-tls-cert and --peer-tls-key are given together");
  }
  grpc::SslCredentialsOptions options;
  if (!tls.ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile(tls.ca, "--peer-tls-ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *std::move(ca);
  }
  if (!tls.cert.empty()) {
    absl::StatusOr<std::string> cert = ReadPemFile(tls.cert, "--peer-tls-cert");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPemFile(tls.key, "--peer-tls-key");
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *std::move(cert);
    options.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(options);
}

absl::Status CheckPlaintextPeer(absl::string_view flag, const std::string& address,
                                bool insecure_plaintext) {
  if (insecure_plaintext || IsLoopbackAddress(address)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing a plaintext channel to ", flag, " ", address,
      ", which is not a loopback address: give --peer-tls-ca FILE (and --peer-tls-cert/"
      "--peer-tls-key if the peer requires client certificates), or --insecure-plaintext"));
}

}  // namespace carescore
