#ifndef CARESCORE_COMMON_GRPC_LIMITS_H_
#define CARESCORE_COMMON_GRPC_LIMITS_H_

// The largest message any carescore server or client sends or receives,
// in one place. Every server builder and every channel the project makes
// (servers, peer channels, carescored's in-process channel, the CLI, the
// bench programs) takes its limits from here, so that a caller cannot make
// a server allocate without bound and no side refuses what the other sends.
// Bulk loads stay under it: values are streamed in chunks
// (clients/cli/import_commands.cc) and the other import files are far
// smaller (the national catalogue and LA list are tens of kilobytes).
//
// The same channel arguments carry the retry policy of every channel the
// project makes: a call to any carescore.v1 service answered UNAVAILABLE
// (the server is restarting, or overloaded, or the connection dropped) is
// tried again, up to 3 attempts in all, after a random wait of up to 0.1 s,
// then up to 0.2 s (at most 1 s), always within the call's deadline. No
// other code is retried: the server has answered and would answer the
// same. gRPC retries only until a response message or headers arrive; a
// write whose connection dropped after the server committed it can be sent
// twice, which is what the writes' request ids are for.

#include "grpcpp/grpcpp.h"

namespace carescore {

inline constexpr int kMaxMessageBytes = 32 * 1024 * 1024;

// The service config every channel gets (gRPC's service config JSON): the
// retry policy above for every service in protos/carescore/v1/ (a test
// checks the list against the protos).
inline constexpr char kRetryServiceConfigJson[] = R"json({
  "methodConfig": [{
    "name": [
      {"service": "carescore.v1.AdminService"},
      {"service": "carescore.v1.AuditService"},
      {"service": "carescore.v1.BenchmarkService"},
      {"service": "carescore.v1.EscalationService"},
      {"service": "carescore.v1.IndicatorService"},
      {"service": "carescore.v1.ReportService"},
      {"service": "carescore.v1.ServerInfoService"}
    ],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.1s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

// Channel arguments with the message limits and the retry policy set; add
// others to the result. Every channel the project makes starts from these.
inline grpc::ChannelArguments LimitedChannelArguments() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  // On by default in gRPC 1.51; said here so the policy cannot be turned
  // off by a changed default.
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetServiceConfigJSON(kRetryServiceConfigJson);
  return args;
}

inline void SetMessageLimits(grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_GRPC_LIMITS_H_
