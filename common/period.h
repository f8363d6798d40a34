#ifndef CARESCORE_COMMON_PERIOD_H_
#define CARESCORE_COMMON_PERIOD_H_

// Calendar months, financial years (April to March), school terms and
// financial quarters: the periods that corporate parenting figures are
// reported in. Value types, no I/O, thread-compatible.

#include <compare>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace carescore {

class FinancialYear;

// A calendar month, "2018-10". Years 1900..2999.
class Month {
 public:
  // InvalidArgument unless `text` is exactly YYYY-MM with a month 01..12.
  static absl::StatusOr<Month> Parse(absl::string_view text);
  // `month` is 1..12; the caller guarantees it.
  constexpr Month(int year, int month) : year_(year), month_(month) {}

  int year() const { return year_; }
  int month() const { return month_; }  // 1..12
  std::string ToString() const;         // "2018-10"
  std::string LongName() const;         // "October 2018"

  // Months since year 0: consecutive months differ by one.
  int Ordinal() const { return year_ * 12 + (month_ - 1); }
  static Month FromOrdinal(int ordinal);
  Month Plus(int months) const { return FromOrdinal(Ordinal() + months); }

  // The financial year (April to March) that contains this month.
  FinancialYear financial_year() const;
  // 1 for April .. 12 for March.
  int MonthOfFinancialYear() const { return (month_ + 8) % 12 + 1; }
  // Financial quarter 1 (April-June) .. 4 (January-March).
  int FinancialQuarter() const { return (MonthOfFinancialYear() - 1) / 3 + 1; }

  friend auto operator<=>(const Month&, const Month&) = default;

 private:
  int year_;
  int month_;
};

// A financial year, April to March, "2018-19".
class FinancialYear {
 public:
  // InvalidArgument unless `text` is YYYY-YY where YY is the next year.
  static absl::StatusOr<FinancialYear> Parse(absl::string_view text);
  explicit constexpr FinancialYear(int start_year) : start_year_(start_year) {}

  int start_year() const { return start_year_; }
  std::string ToString() const;  // "2018-19"
  Month first_month() const { return Month(start_year_, 4); }
  Month last_month() const { return Month(start_year_ + 1, 3); }
  bool Contains(Month m) const { return m.financial_year() == *this; }
  // April .. `through` (inclusive), or the whole year if `through` is later.
  std::vector<Month> MonthsThrough(Month through) const;
  FinancialYear Plus(int years) const { return FinancialYear(start_year_ + years); }

  friend auto operator<=>(const FinancialYear&, const FinancialYear&) = default;

 private:
  int start_year_;
};

// School terms of an academic year (September to August): autumn
// (September-December), spring (January-March), summer (April-August).
enum class Term { kAutumn, kSpring, kSummer };

// The term a month falls in, and the academic year's first calendar year.
struct TermOfMonth {
  Term term;
  int academic_year_start;
};
TermOfMonth TermOf(Month m);
absl::string_view TermName(Term t);  // "autumn", "spring", "summer"

}  // namespace carescore

#endif  // CARESCORE_COMMON_PERIOD_H_
