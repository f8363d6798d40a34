#include "common/period.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace carescore {
namespace {

constexpr std::array<const char*, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// Digits only: SimpleAtoi alone would accept "+7" or " 7".
bool ParseDigits(absl::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, &out);
}

}  // namespace

absl::StatusOr<Month> Month::Parse(absl::string_view text) {
  int year = 0;
  int month = 0;
  if (text.size() != 7 || text[4] != '-' || !ParseDigits(text.substr(0, 4), year) ||
      !ParseDigits(text.substr(5, 2), month)) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed month \"", text, "\": expected YYYY-MM, e.g. 2018-10"));
  }
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed month \"", text, "\": month must be 01 to 12"));
  }
  if (year < 1900 || year > 2999) {
    return absl::InvalidArgumentError(
        absl::StrCat("month \"", text, "\" is out of range (1900 to 2999)"));
  }
  return Month(year, month);
}

namespace {

// "YYYY-NN" for years 0..9999 and NN 0..99: hand-made, as scorecards
// format thousands of periods and StrFormat showed in their profile.
std::string YearDashTwoDigits(int year, int two) {
  std::string out(7, '0');
  out[0] = static_cast<char>('0' + year / 1000 % 10);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + two / 10 % 10);
  out[6] = static_cast<char>('0' + two % 10);
  return out;
}

}  // namespace

std::string Month::ToString() const { return YearDashTwoDigits(year_, month_); }

std::string Month::LongName() const {
  return absl::StrCat(kMonthNames[static_cast<size_t>(month_ - 1)], " ", year_);
}

Month Month::FromOrdinal(int ordinal) { return Month(ordinal / 12, ordinal % 12 + 1); }

FinancialYear Month::financial_year() const {
  return FinancialYear(month_ >= 4 ? year_ : year_ - 1);
}

absl::StatusOr<FinancialYear> FinancialYear::Parse(absl::string_view text) {
  int start = 0;
  int end = 0;
  if (text.size() != 7 || text[4] != '-' || !ParseDigits(text.substr(0, 4), start) ||
      !ParseDigits(text.substr(5, 2), end)) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed financial year \"", text, "\": expected YYYY-YY, e.g. 2018-19"));
  }
  if ((start + 1) % 100 != end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed financial year \"", text, "\": a financial year runs April ", start,
        " to March ", start + 1, ", so it is written ", FinancialYear(start).ToString()));
  }
  if (start < 1900 || start > 2998) {
    return absl::InvalidArgumentError(
        absl::StrCat("financial year \"", text, "\" is out of range"));
  }
  return FinancialYear(start);
}

std::string FinancialYear::ToString() const {
  return YearDashTwoDigits(start_year_, (start_year_ + 1) % 100);
}

std::vector<Month> FinancialYear::MonthsThrough(Month through) const {
  std::vector<Month> months;
  for (Month m = first_month(); m <= last_month() && m <= through; m = m.Plus(1)) {
    months.push_back(m);
  }
  return months;
}

TermOfMonth TermOf(Month m) {
  if (m.month() >= 9) return {Term::kAutumn, m.year()};
  if (m.month() <= 3) return {Term::kSpring, m.year() - 1};
  return {Term::kSummer, m.year() - 1};
}

absl::string_view TermName(Term t) {
  switch (t) {
    case Term::kAutumn:
      return "autumn";
    case Term::kSpring:
      return "spring";
    case Term::kSummer:
      return "summer";
  }
  return "unknown";
}

}  // namespace carescore
