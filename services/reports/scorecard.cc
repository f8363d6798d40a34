#include "services/reports/scorecard.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/measure.h"

namespace carescore::reports {
namespace {

bool IsJudged(v1::Polarity p) { return p == v1::POLARITY_HIGH || p == v1::POLARITY_LOW; }

bool HasRatio(const v1::Value& v) { return v.has_numerator() && v.has_denominator(); }

std::string Shown(double v, const v1::Indicator& indicator) {
  return FormatFigure(v, DecimalPlaces(indicator));
}

}  // namespace

YearToDate ComputeYearToDate(const v1::Indicator& indicator,
                             const std::map<std::string, v1::Value>& months, Month month) {
  YearToDate ytd;
  const FinancialYear fy = month.financial_year();
  switch (indicator.period_type()) {
    case v1::PERIOD_TYPE_FINANCIAL_YTD:
      break;
    case v1::PERIOD_TYPE_YTD_AVERAGE: {
      auto it = months.find(month.ToString());
      if (it != months.end() && it->second.has_value()) ytd.value = it->second.value();
      ytd.note = "each month's figure is already the year-to-date average";
      return ytd;
    }
    case v1::PERIOD_TYPE_ROLLING_12M:
      ytd.note = "each month's figure already covers the last 12 months";
      return ytd;
    case v1::PERIOD_TYPE_MONTH_END:
      ytd.note = "a snapshot at the end of the month: no year to date";
      return ytd;
    default:
      ytd.note = "reported only in some months: no year to date";
      return ytd;
  }
  std::vector<const v1::Value*> held;
  std::vector<std::string> absent;
  std::vector<std::string> without_ratio;
  for (Month m : fy.MonthsThrough(month)) {
    auto it = months.find(m.ToString());
    if (it == months.end() || !it->second.has_value()) {
      absent.push_back(m.ToString());
      continue;
    }
    held.push_back(&it->second);
    if (!HasRatio(it->second)) without_ratio.push_back(m.ToString());
  }
  if (held.empty()) {
    ytd.note = "no months held this financial year";
    return ytd;
  }
  const std::string gaps =
      absent.empty() ? "" : absl::StrCat(" (no figure for ", absl::StrJoin(absent, ", "), ")");
  if (indicator.unit() == v1::UNIT_COUNT) {
    double sum = 0;
    for (const v1::Value* v : held) sum += v->value();
    ytd.value = sum;
    ytd.note = absl::StrCat("sum of ", held.size(), " months", gaps);
    return ytd;
  }
  if (indicator.unit() == v1::UNIT_PERCENT || indicator.unit() == v1::UNIT_RATE_PER_10K) {
    if (!without_ratio.empty()) {
      ytd.note = absl::StrCat("no year-to-date figure: no numerator and denominator for ",
                              absl::StrJoin(without_ratio, ", "));
      return ytd;
    }
    PooledRatio pooled;
    for (const v1::Value* v : held) pooled.Add(v->numerator(), v->denominator());
    ytd.value = pooled.Value(UnitScale(indicator.unit()));
    ytd.numerator = pooled.numerator();
    ytd.denominator = pooled.denominator();
    ytd.note =
        absl::StrCat(FormatFigure(pooled.numerator(), 0), " of ",
                     FormatFigure(pooled.denominator(), 0), " over ", held.size(), " months", gaps);
    return ytd;
  }
  ytd.note = "no year-to-date rule for this unit";
  return ytd;
}

v1::Direction DirectionOf(double current, double previous, const v1::Indicator& indicator) {
  const int places = DecimalPlaces(indicator);
  const double now = RoundHalfAwayFromZero(current, places);
  const double before = RoundHalfAwayFromZero(previous, places);
  if (now == before) return v1::DIRECTION_NO_CHANGE;
  const bool up = now > before;
  switch (indicator.polarity()) {
    case v1::POLARITY_HIGH:
      return up ? v1::DIRECTION_IMPROVING : v1::DIRECTION_DECLINING;
    case v1::POLARITY_LOW:
      return up ? v1::DIRECTION_DECLINING : v1::DIRECTION_IMPROVING;
    default:
      return up ? v1::DIRECTION_INCREASE : v1::DIRECTION_DECREASE;
  }
}

v1::Rag RagOf(double value, const v1::Target& target, const v1::Indicator& indicator) {
  const double v = RoundHalfAwayFromZero(value, DecimalPlaces(indicator));
  if (target.kind() == v1::TARGET_KIND_THRESHOLDS && target.has_red_threshold() &&
      target.has_green_threshold()) {
    if (indicator.polarity() == v1::POLARITY_HIGH) {
      if (v < target.red_threshold()) return v1::RAG_RED;
      if (v >= target.green_threshold()) return v1::RAG_GREEN;
      return v1::RAG_AMBER;
    }
    if (indicator.polarity() == v1::POLARITY_LOW) {
      if (v >= target.red_threshold()) return v1::RAG_RED;
      if (v < target.green_threshold()) return v1::RAG_GREEN;
      return v1::RAG_AMBER;
    }
  }
  if (target.kind() == v1::TARGET_KIND_RANGE && target.has_range_low() && target.has_range_high()) {
    if (v >= target.range_low() && v <= target.range_high()) return v1::RAG_GREEN;
    const double tolerance = target.range_tolerance_pct() / 100.0;
    if (v >= target.range_low() * (1 - tolerance) && v <= target.range_high() * (1 + tolerance)) {
      return v1::RAG_AMBER;
    }
    return v1::RAG_RED;
  }
  return v1::RAG_NONE;
}

std::optional<v1::Flag> SignificanceOf(const v1::Value& current, const v1::Value& previous,
                                       const v1::Indicator& indicator) {
  if (indicator.unit() != v1::UNIT_PERCENT || !HasRatio(current) || !HasRatio(previous)) {
    return std::nullopt;
  }
  const double n1 = current.denominator();
  const double n2 = previous.denominator();
  if (n1 <= 0 || n2 <= 0) return std::nullopt;
  const double p1 = current.numerator() / n1;
  const double p2 = previous.numerator() / n2;
  const double pooled = (current.numerator() + previous.numerator()) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  v1::Flag flag;
  const std::string test = "two-proportion z-test against last month, 5% level";
  if (se == 0 || std::fabs((p1 - p2) / se) < 1.96) {
    flag.set_kind(v1::FLAG_KIND_NOT_SIGNIFICANT);
    flag.set_message(
        absl::StrCat("the change from last month is not statistically significant (", test, ")"));
  } else {
    flag.set_kind(v1::FLAG_KIND_SIGNIFICANT);
    flag.set_message(
        absl::StrCat("the change from last month is statistically significant (", test, ")"));
  }
  return flag;
}

v1::ComparatorFigures ComparatorFiguresOf(const v1::Benchmark& b, const double* in_month,
                                          const v1::Indicator& indicator) {
  v1::ComparatorFigures c;
  c.set_source(b.source());
  if (b.has_financial_year()) c.set_financial_year(b.financial_year());
  if (b.has_month()) c.set_month(b.month());
  if (b.indicator_code() != indicator.code()) c.set_indicator_code(b.indicator_code());
  // The gaps are the in-month value's, as the scorecard shows them.
  auto with_gap = [&](bool has, double comparator, void (v1::ComparatorFigures::*set)(double),
                      void (v1::ComparatorFigures::*set_gap)(double)) {
    if (!has) return;
    (c.*set)(comparator);
    if (in_month != nullptr) (c.*set_gap)(*in_month - comparator);
  };
  with_gap(b.has_sn_average(), b.sn_average(), &v1::ComparatorFigures::set_sn_average,
           &v1::ComparatorFigures::set_gap_sn_average);
  with_gap(b.has_best_sn(), b.best_sn(), &v1::ComparatorFigures::set_best_sn,
           &v1::ComparatorFigures::set_gap_best_sn);
  with_gap(b.has_national_average(), b.national_average(),
           &v1::ComparatorFigures::set_national_average,
           &v1::ComparatorFigures::set_gap_national_average);
  with_gap(b.has_top_quartile_threshold(), b.top_quartile_threshold(),
           &v1::ComparatorFigures::set_top_quartile_threshold,
           &v1::ComparatorFigures::set_gap_top_quartile_threshold);
  if (b.source() == v1::COMPARATOR_SOURCE_COMPUTED) {
    if (b.has_value()) c.set_la_value(b.value());
    c.set_quartile(b.quartile());
    c.set_rank(b.rank());
    c.set_rank_of(b.rank_of());
    c.set_sn_count(b.sn_count());
    c.set_model(b.model());
    c.set_national_method(b.national_method());
    for (const std::string& n : b.notes()) c.add_notes(n);
  }
  return c;
}

v1::ScorecardLine BuildLine(const IndicatorFigures& figures, Month month) {
  v1::ScorecardLine line;
  BuildLineInto(figures, month, line);
  return line;
}

void BuildLineInto(const IndicatorFigures& figures, Month month, v1::ScorecardLine& line) {
  const v1::Indicator& ind = figures.indicator;
  line.set_section(ind.section());
  line.set_code(ind.code());
  line.set_title(ind.title());
  line.set_polarity(ind.polarity());
  line.set_unit(ind.unit());
  line.set_period_type(ind.period_type());
  line.set_decimal_places(DecimalPlaces(ind));
  line.set_rag_basis(ind.rag_basis());

  // The financial year so far and the months before it: from April of the
  // previous financial year.
  const Month first = month.financial_year().Plus(-1).first_month();
  for (Month m = first; m <= month; m = m.Plus(1)) {
    v1::MonthFigure* f = line.add_months();
    f->set_month(m.ToString());
    auto it = figures.months.find(m.ToString());
    if (it == figures.months.end()) continue;
    if (it->second.has_value()) f->set_value(it->second.value());
    if (it->second.has_numerator()) f->set_numerator(it->second.numerator());
    if (it->second.has_denominator()) f->set_denominator(it->second.denominator());
  }

  const v1::Value* current = nullptr;
  const v1::Value* previous = nullptr;
  if (auto it = figures.months.find(month.ToString());
      it != figures.months.end() && it->second.has_value()) {
    current = &it->second;
    line.set_value(current->value());
    if (current->has_numerator()) line.set_numerator(current->numerator());
    if (current->has_denominator()) line.set_denominator(current->denominator());
  }
  if (auto it = figures.months.find(month.Plus(-1).ToString());
      it != figures.months.end() && it->second.has_value()) {
    previous = &it->second;
    line.set_previous_value(previous->value());
  }

  line.set_dot(current != nullptr && previous != nullptr
                   ? DirectionOf(current->value(), previous->value(), ind)
                   : v1::DIRECTION_NONE);

  YearToDate ytd = ComputeYearToDate(ind, figures.months, month);
  if (ytd.value) line.set_ytd(*ytd.value);
  if (ytd.numerator) line.set_ytd_numerator(*ytd.numerator);
  if (ytd.denominator) line.set_ytd_denominator(*ytd.denominator);
  line.set_ytd_note(ytd.note);
  if (ind.period_type() == v1::PERIOD_TYPE_FINANCIAL_YTD && !ytd.value &&
      (ind.unit() == v1::UNIT_PERCENT || ind.unit() == v1::UNIT_RATE_PER_10K)) {
    v1::Flag* f = line.add_flags();
    f->set_kind(v1::FLAG_KIND_NO_YTD);
    f->set_message(ytd.note);
  }

  // RAG.
  const std::string fy = month.financial_year().ToString();
  line.set_rag(v1::RAG_NONE);
  if (ind.rag_basis() == v1::RAG_BASIS_NONE || ind.rag_basis() == v1::RAG_BASIS_UNSPECIFIED ||
      ind.polarity() == v1::POLARITY_INFO) {
    line.set_rag_note("not RAG rated");
  } else if (!figures.target.has_value() || figures.target->kind() == v1::TARGET_KIND_NONE) {
    line.set_rag_note(absl::StrCat("no target set for ", fy));
  } else {
    *line.mutable_target() = *figures.target;
    const bool on_ytd = ind.rag_basis() == v1::RAG_BASIS_YTD;
    const std::optional<double> rated =
        on_ytd ? ytd.value
               : (current != nullptr ? std::optional<double>(current->value()) : std::nullopt);
    if (!rated.has_value()) {
      line.set_rag_note(on_ytd ? "rated on the year to date, which is not available"
                               : "no figure this month");
    } else {
      line.set_rag(RagOf(*rated, *figures.target, ind));
      if (on_ytd) line.set_rag_note("rated on the year to date");
    }
  }

  // The next milestone on the trajectory.
  for (const v1::Milestone& m : figures.milestones) {
    if (m.month() < month.ToString()) continue;
    *line.mutable_next_milestone() = m;
    if (current != nullptr) line.set_distance_to_milestone(m.target_value() - current->value());
    break;
  }

  // Four years of outturn before this financial year.
  for (int back = 4; back >= 1; --back) {
    const std::string year = month.financial_year().Plus(-back).ToString();
    v1::OutturnFigure* o = line.add_outturns();
    o->set_financial_year(year);
    auto it = figures.outturns.find(year);
    if (it != figures.outturns.end() && it->second.has_value()) o->set_value(it->second.value());
  }

  const double in_month_value = current != nullptr ? current->value() : 0;
  const double* in_month = current != nullptr ? &in_month_value : nullptr;
  if (figures.published.has_value()) {
    *line.mutable_published() = ComparatorFiguresOf(*figures.published, in_month, ind);
  }
  if (figures.computed.has_value()) {
    *line.mutable_computed() = ComparatorFiguresOf(*figures.computed, in_month, ind);
  }
  if (figures.computed_month.has_value()) {
    *line.mutable_computed_month() = ComparatorFiguresOf(*figures.computed_month, in_month, ind);
  }

  // Flags.
  if (current != nullptr && current->has_denominator() &&
      current->denominator() < kSmallDenominator) {
    v1::Flag* f = line.add_flags();
    f->set_kind(v1::FLAG_KIND_SMALL_DENOMINATOR);
    f->set_message(absl::StrCat("only ", FormatFigure(current->denominator(), 0),
                                " in the denominator: one more or fewer moves the figure by ",
                                FormatFigure(UnitScale(ind.unit()) / current->denominator(), 1),
                                " points"));
  }
  if (current != nullptr && previous != nullptr) {
    if (std::optional<v1::Flag> sig = SignificanceOf(*current, *previous, ind)) {
      *line.add_flags() = *sig;
    }
  }
  if (figures.history.size() > 1 && figures.history.front().has_value() && current != nullptr) {
    const v1::Value& first_reported = figures.history.front();
    const double moved = current->value() - first_reported.value();
    if (Shown(first_reported.value(), ind) != Shown(current->value(), ind)) {
      v1::Flag* f = line.add_flags();
      f->set_kind(v1::FLAG_KIND_REVISED);
      f->set_message(absl::StrCat("first reported as ", Shown(first_reported.value(), ind),
                                  ", now ", Shown(current->value(), ind), " after ",
                                  figures.history.size() - 1, " revision",
                                  figures.history.size() > 2 ? "s" : "", " (moved ",
                                  moved > 0 ? "+" : "", Shown(moved, ind), ")"));
    }
  }
  if (!IsJudged(ind.polarity()) && line.dot() == v1::DIRECTION_UNSPECIFIED) {
    line.set_dot(v1::DIRECTION_NONE);
  }
}

}  // namespace carescore::reports
