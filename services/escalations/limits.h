#ifndef CARESCORE_SERVICES_ESCALATIONS_LIMITS_H_
#define CARESCORE_SERVICES_ESCALATIONS_LIMITS_H_

// The escalation service's input limits, in one place (the README lists
// them). A request past one is refused with InvalidArgument (watch streams:
// ResourceExhausted) naming the field and the limit.

#include <cstddef>

#include "absl/time/civil_time.h"

namespace carescore::escalations {

// Notes on a step and a resolution's outcome.
inline constexpr size_t kMaxNoteChars = 4000;
// Team names, IRO ids, actors and closure reasons.
inline constexpr size_t kMaxShortTextChars = 200;
// Themes on one case or audit.
inline constexpr int kMaxThemesPerCase = 10;
// Closure dates in one AddClosureDays request.
inline constexpr int kMaxClosureDatesPerRequest = 366;
// Open WatchEscalations streams: in total, and per caller (actor). Each
// holds a server thread for as long as it is open.
inline constexpr int kDefaultMaxWatchStreams = 64;
inline constexpr int kDefaultMaxWatchStreamsPerActor = 4;
// Dates (raised, transition, review, closure, as-of) before this are
// refused (--earliest-date); after today + kLatestDateSlackDays too
// (closure days: kMaxClosureDaysAhead).
inline constexpr absl::CivilDay kDefaultEarliestDate = absl::CivilDay(2000, 1, 1);
inline constexpr int kLatestDateSlackDays = 1;
// Closure days may be planned this many days ahead (two years).
inline constexpr int kMaxClosureDaysAhead = 731;

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_LIMITS_H_
