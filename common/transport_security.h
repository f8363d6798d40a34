#ifndef CARESCORE_COMMON_TRANSPORT_SECURITY_H_
#define CARESCORE_COMMON_TRANSPORT_SECURITY_H_

// Plaintext or TLS on the wire, decided in one place for every listener and
// peer channel: TLS (and mutual TLS) credentials from PEM files, and the
// rule that plaintext is allowed only where nobody else can listen, on a
// loopback address, unless the operator says the network is trusted
// (--insecure-plaintext).

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"

namespace carescore {

// True when `address` can be reached only from this machine: a gRPC listen
// address or channel target ("host:port", "[v6]:port", "dns:///host:port",
// "ipv4:a.b.c.d:port", "unix:path") whose host is in 127.0.0.0/8, is ::1
// (or ::ffff:127.x.y.z), or is "localhost"; and Unix sockets. False for
// wildcards (0.0.0.0, [::], ":port"), other names and other addresses. A
// pure function of the text: no name is looked up.
bool IsLoopbackAddress(absl::string_view address);

// The PEM text of `path`, for the flag `flag`; InvalidArgument naming the
// flag and file when it cannot be read or holds no PEM block.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view flag);

// A listener's TLS files (paths; empty when not given).
struct ServerTlsFiles {
  std::string cert;       // --tls-cert: certificate chain, PEM.
  std::string key;        // --tls-key: its private key, PEM.
  std::string client_ca;  // --tls-client-ca: require client certificates signed by it.
};

// Credentials for a listener on `listen`: TLS when a certificate is given
// (mutual TLS when a client CA is), otherwise plaintext if `listen` is a
// loopback address or `insecure_plaintext`. FailedPrecondition naming
// --tls-cert/--tls-key for plaintext elsewhere; InvalidArgument for half a
// key pair, a client CA without a certificate, or an unreadable file.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServerTlsFiles& tls, const std::string& listen, bool insecure_plaintext);

// Peer channels' TLS files (paths; empty when not given).
struct PeerTlsFiles {
  std::string ca;    // --peer-tls-ca: verify peers against it (else the system's roots).
  std::string cert;  // --peer-tls-cert: client certificate, for servers that require one.
  std::string key;   // --peer-tls-key: its private key.
};

// True when peer channels use TLS: a CA or a client certificate is given.
bool PeerTlsEnabled(const PeerTlsFiles& tls);

// TLS channel credentials from `tls` (PeerTlsEnabled must hold).
// InvalidArgument for half a key pair or an unreadable file.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentialsFor(
    const PeerTlsFiles& tls);

// OK when a plaintext channel to `address` (given by `flag`) is allowed:
// a loopback address, or `insecure_plaintext`. FailedPrecondition naming
// --peer-tls-ca otherwise.
absl::Status CheckPlaintextPeer(absl::string_view flag, const std::string& address,
                                bool insecure_plaintext);

}  // namespace carescore

#endif  // CARESCORE_COMMON_TRANSPORT_SECURITY_H_
