#ifndef CARESCORE_COMMON_VALIDATION_H_
#define CARESCORE_COMMON_VALIDATION_H_

// The rules a record must satisfy on its own, before anything is stored.
// Each Check* appends one violation per bad field to `errors` under `row`,
// and returns true if it added none. Cross-record rules (unknown codes,
// duplicates in a batch) belong to the services. Pure, thread-safe.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/indicators.pb.h"
#include "common/row_errors.h"

namespace carescore {

// "372": exactly three digits.
bool IsLaCode(absl::string_view code);
// OK for a DfE LA code, otherwise InvalidArgument naming the field.
absl::Status CheckLaCode(absl::string_view code);
// "E08000018": a country letter (E, W, S, N) and eight digits.
bool IsOnsCode(absl::string_view code);
// Non-empty, at most 64 characters, no white space or commas.
bool IsIndicatorCode(absl::string_view code);

bool CheckLocalAuthority(const v1::LocalAuthority& la, int row, RowErrors& errors);
bool CheckIndicator(const v1::Indicator& indicator, int row, RowErrors& errors);
// Checks kind and thresholds against the indicator's polarity: for high
// polarity red <= green, for low red >= green, range low <= high, no
// target for info indicators.
bool CheckTarget(const v1::Indicator& indicator, const v1::Target& target, int row,
                 RowErrors& errors);
bool CheckMilestone(const v1::Indicator& indicator, const v1::Milestone& milestone, int row,
                    RowErrors& errors);

// Checks a value against its indicator: the period is well formed and of a
// kind the indicator has (annual indicators take financial years only);
// numbers are finite and not negative; percentages within 0..100; numerator
// and denominator come together, denominator > 0, numerator <= denominator
// for percentages; and the value agrees with numerator/denominator times
// the unit's scale to within half a unit in the last published place.
// Does not check that the LA exists.
bool CheckValueInput(const v1::Indicator& indicator, const v1::ValueInput& input, int row,
                     RowErrors& errors);

// A figure in an indicator's unit's range: not negative, and a percentage
// at most 100. Otherwise appends an error for `field` and returns false.
bool CheckInUnitRange(const v1::Indicator& indicator, double value, absl::string_view field,
                      int row, RowErrors& errors);

// A number written in decimal, as people and spreadsheets write figures:
// an optional sign, digits with an optional decimal point, an optional
// exponent ("12", "-1.5", ".5", "2.5e3"), with white space around it
// allowed. Hexadecimal ("0x10"), "inf", "nan" and anything else are not
// numbers (absl::SimpleAtod reads "0x10" as 16).
bool ParseDecimal(absl::string_view text, double* out);

// For a valid input with numerator and denominator but no value, the value
// they give, rounded to the indicator's places; otherwise unchanged.
void DeriveValue(const v1::Indicator& indicator, v1::ValueInput& input);

}  // namespace carescore

#endif  // CARESCORE_COMMON_VALIDATION_H_
