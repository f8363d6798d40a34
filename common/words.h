#ifndef CARESCORE_COMMON_WORDS_H_
#define CARESCORE_COMMON_WORDS_H_

// The words for the API's enums, as the import files, the CLI, the renderers
// and the services' messages use them: one table per enum, in one place.
// Each enum has `XWord(value)` (the word, or "unspecified" for a value
// outside the table) and `ParseX(word)` (case-insensitive, surrounding
// spaces ignored; InvalidArgument naming the word and listing the choices).
// `XWords()` lists the words in the API's order, for help text and checks.
// Pure functions, thread-safe. Needs only the protobuf messages, no gRPC.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/benchmarks.pb.h"
#include "carescore/v1/escalations.pb.h"
#include "carescore/v1/indicators.pb.h"
#include "carescore/v1/reports.pb.h"

namespace carescore {

#define CARESCORE_ENUM_WORDS(Name, Enum)                    \
  std::string Name##Word(Enum value);                       \
  absl::StatusOr<Enum> Parse##Name(absl::string_view word); \
  const std::vector<std::string>& Name##Words();

// "high", "low", "info", "range".
CARESCORE_ENUM_WORDS(Polarity, v1::Polarity)
// "count", "percent", "rate_per_10k", "days", "average".
CARESCORE_ENUM_WORDS(Unit, v1::Unit)
// "month_end", "financial_ytd", "rolling_12m", "ytd_average", "termly",
// "quarterly", "annual".
CARESCORE_ENUM_WORDS(PeriodType, v1::PeriodType)
// "in_month", "ytd", "none".
CARESCORE_ENUM_WORDS(RagBasis, v1::RagBasis)
// "current", "former".
CARESCORE_ENUM_WORDS(LaStatus, v1::LaStatus)
// "improving", "declining", "no_change", "increase", "decrease", "none";
// DirectionWord gives "" for DIRECTION_NONE and unspecified (no DOT shown).
CARESCORE_ENUM_WORDS(Direction, v1::Direction)
// "red", "amber", "green", "none"; RagWord gives "none" for unspecified.
CARESCORE_ENUM_WORDS(Rag, v1::Rag)
// "open", "responded", "resolved", "withdrawn", "referred".
CARESCORE_ENUM_WORDS(EscalationStatus, v1::EscalationStatus)
// "outstanding", "good", "requires_improvement", "inadequate", "not_recorded".
CARESCORE_ENUM_WORDS(AuditGrade, v1::AuditGrade)
// "published", "computed".
CARESCORE_ENUM_WORDS(ComparatorSource, v1::ComparatorSource)
// "mean", "median".
CARESCORE_ENUM_WORDS(SnAggregate, v1::SnAggregate)
// "pooled", "mean", "published".
CARESCORE_ENUM_WORDS(NationalMethod, v1::NationalMethod)
// "A", "B", "C", "D" (the letters the DfE prints); "" for unspecified.
CARESCORE_ENUM_WORDS(QuartileBand, v1::QuartileBand)
// "html", "pdf", "xlsx", "csv", "json".
CARESCORE_ENUM_WORDS(ReportFormat, v1::ReportFormat)

#undef CARESCORE_ENUM_WORDS

}  // namespace carescore

#endif  // CARESCORE_COMMON_WORDS_H_
