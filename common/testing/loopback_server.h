#ifndef CARESCORE_COMMON_TESTING_LOOPBACK_SERVER_H_
#define CARESCORE_COMMON_TESTING_LOOPBACK_SERVER_H_

// A real gRPC server on 127.0.0.1 and a port the OS picks, for the services'
// edge tests, with a plaintext channel to it. The services outlive the
// server; Shutdown() (or the destructor) stops it at once. For tests only.

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>

#include "common/grpc_limits.h"
#include "grpcpp/grpcpp.h"

namespace carescore::testing {

class LoopbackServer {
 public:
  // Check ok() after: false if the server could not start.
  explicit LoopbackServer(std::initializer_list<grpc::Service*> services) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    SetMessageLimits(builder);
    for (grpc::Service* service : services) builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    if (server_ != nullptr && port_ != 0) {
      channel_ = grpc::CreateCustomChannel(address(), grpc::InsecureChannelCredentials(),
                                           LimitedChannelArguments());
    }
  }
  ~LoopbackServer() { Shutdown(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  bool ok() const { return channel_ != nullptr; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  void Shutdown() {
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace carescore::testing

#endif  // CARESCORE_COMMON_TESTING_LOOPBACK_SERVER_H_
