// Fuzzes the escalation service's rules: a sequence of its requests
// (fuzz_calls.proto's EscalationCalls), parsed from the fuzzed bytes, run in
// order against the real EscalationService with the default ladder, on a
// fresh in-memory SQLite store, checking LAs against the real indicator
// rules (indicator_calls.h: 372 and 382), with a clock that starts at noon
// on 1 June 2019 and moves on only when the sequence says.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fuzz_calls.pb.h"
#include "services/escalations/change_feed.h"
#include "services/escalations/escalation_service.h"
#include "services/escalations/ladder.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/indicator_calls.h"

namespace carescore::fuzz {
namespace {

void Run(const EscalationCalls& calls) {
  IndicatorWorld indicators;
  indicators::DirectIndicatorReader reader(indicators.service());
  absl::StatusOr<std::unique_ptr<escalations::SqliteEscalationStore>> store =
      escalations::SqliteEscalationStore::Open(":memory:");
  if (!store.ok()) std::abort();
  escalations::ChangeFeed feed;
  absl::Time now = absl::FromCivil(absl::CivilSecond(2019, 6, 1, 12, 0, 0), absl::UTCTimeZone());
  escalations::EscalationService s(**store, reader, escalations::Ladder::Default(), feed,
                                   [&now] { return now; });
  for (const EscalationCall& call : calls.calls()) {
    switch (call.request_case()) {
      case EscalationCall::kRaiseEscalation:
        Drop(s.RaiseEscalation(call.raise_escalation()));
        break;
      case EscalationCall::kRespondToEscalation:
        Drop(s.RespondToEscalation(call.respond_to_escalation()));
        break;
      case EscalationCall::kEscalateEscalation:
        Drop(s.EscalateEscalation(call.escalate_escalation()));
        break;
      case EscalationCall::kResolveEscalation:
        Drop(s.ResolveEscalation(call.resolve_escalation()));
        break;
      case EscalationCall::kWithdrawEscalation:
        Drop(s.WithdrawEscalation(call.withdraw_escalation()));
        break;
      case EscalationCall::kReferToCafcass:
        Drop(s.ReferToCafcass(call.refer_to_cafcass()));
        break;
      case EscalationCall::kGetEscalation:
        Drop(s.GetEscalation(call.get_escalation()));
        break;
      case EscalationCall::kListEscalations:
        Drop(s.ListEscalations(call.list_escalations()));
        break;
      case EscalationCall::kListOverdueEscalations:
        Drop(s.ListOverdueEscalations(call.list_overdue_escalations()));
        break;
      case EscalationCall::kGetEscalationSummary:
        Drop(s.GetEscalationSummary(call.get_escalation_summary()));
        break;
      case EscalationCall::kWatchEscalations:
        Drop(s.StartWatch(call.watch_escalations()));
        break;
      case EscalationCall::kRecordAudit:
        Drop(s.RecordAudit(call.record_audit()));
        break;
      case EscalationCall::kGetAuditSummary:
        Drop(s.GetAuditSummary(call.get_audit_summary()));
        break;
      case EscalationCall::kGetLadder:
        Drop(s.GetLadder(call.get_ladder()));
        break;
      case EscalationCall::kAddWorkingDays:
        Drop(s.AddWorkingDays(call.add_working_days()));
        break;
      case EscalationCall::kAddClosureDays:
        Drop(s.AddClosureDays(call.add_closure_days()));
        break;
      case EscalationCall::kAdvanceClock: {
        // At most a year a step: the real clock does not leap to the end of time.
        const absl::Duration by = absl::Seconds(call.advance_clock().seconds());
        if (by > absl::ZeroDuration()) now += std::min(by, absl::Hours(24 * 366));
        break;
      }
      case EscalationCall::REQUEST_NOT_SET:
        break;
    }
  }
}

}  // namespace
}  // namespace carescore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  carescore::fuzz::EscalationCalls calls;
  if (!carescore::fuzz::ParseInput(data, size, calls)) return 0;
  carescore::fuzz::Run(calls);
  return 0;
}
