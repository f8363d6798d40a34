#ifndef CARESCORE_SERVICES_REPORTS_SCORECARD_RESPONSE_H_
#define CARESCORE_SERVICES_REPORTS_SCORECARD_RESPONSE_H_

// GetScorecardResponse on the wire around a Scorecard's bytes, for the
// report service's raw callback edge: field 1 (scorecard) once, holding the
// bytes as they are, then field 2 (cache). Every parser reads it as the
// message it is (no field repeated, nothing to merge), and a cached
// scorecard goes out without being parsed and serialised again.

#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/reports/report_service.h"

namespace carescore::reports {

// What goes before a Scorecard of `scorecard_size` bytes: field 1's tag
// and length.
std::string ScorecardResponseHead(size_t scorecard_size);
// What goes after it: field 2 (cache) holding `cache`.
std::string ScorecardResponseTail(absl::string_view cache);

// The three, as one buffer that takes `card.scorecard` over (no copy).
grpc::ByteBuffer ScorecardResponseBuffer(ScorecardBytes card);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SCORECARD_RESPONSE_H_
