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

#include "grpcpp/grpcpp.h"

namespace carescore {

inline constexpr int kMaxMessageBytes = 32 * 1024 * 1024;

// Channel arguments with the message limits set; add others to the result.
inline grpc::ChannelArguments LimitedChannelArguments() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  return args;
}

inline void SetMessageLimits(grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_GRPC_LIMITS_H_
