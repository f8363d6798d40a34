#ifndef CARESCORE_COMMON_ENUM_CHECK_H_
#define CARESCORE_COMMON_ENUM_CHECK_H_

// Refuses enum numbers a message's schema does not define. proto3 enums are
// open: a client built from other protos (or a hand-made one) can send
// `grade = 77`, which parses and would otherwise be stored or answered as
// if it meant something. Every service edge checks each request it
// receives (auth::Guarded; the ImportValues stream per message). Pure,
// thread-safe.

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace carescore {

// OK when every enum field of `message` - singular, repeated, in nested
// messages and map values, at any depth - holds a number its enum defines.
// Otherwise InvalidArgument for the first one found, with ErrorInfo reason
// INVALID_ENUM_VALUE and metadata {"field": path}, the path as in
// "values[3].period_type" or "labels[\"a\"].kind"; the message names the
// field, the number and the enum.
absl::Status CheckEnums(const google::protobuf::Message& message);

}  // namespace carescore

#endif  // CARESCORE_COMMON_ENUM_CHECK_H_
