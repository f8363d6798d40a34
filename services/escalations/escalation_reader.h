#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_READER_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_READER_H_

// What other services read from the escalation service: the interface their
// rules depend on; it carries no transport. GrpcEscalationReader
// (grpc_escalation_reader.h) is the real one; FakeEscalationReader
// (testing/) fails on demand. Implementations must be thread-safe.

#include "absl/status/statusor.h"
#include "carescore/v1/escalations.pb.h"

namespace carescore::escalations {

class EscalationReader {
 public:
  virtual ~EscalationReader() = default;
  // The monthly counts, audits, themes and time to resolve of an LA.
  virtual absl::StatusOr<v1::GetEscalationSummaryResponse> Summary(
      const v1::GetEscalationSummaryRequest& request) = 0;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_READER_H_
