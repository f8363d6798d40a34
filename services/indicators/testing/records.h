#ifndef CARESCORE_SERVICES_INDICATORS_TESTING_RECORDS_H_
#define CARESCORE_SERVICES_INDICATORS_TESTING_RECORDS_H_

// Small hand-made records for the indicator tests, with Rotherham's real
// codes and figures.

#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "carescore/v1/indicators.pb.h"

namespace carescore::indicators::testing {

inline v1::LocalAuthority La(const std::string& code, const std::string& name) {
  v1::LocalAuthority la;
  la.set_la_code(code);
  la.set_ons_code("E08000018");
  la.set_name(name);
  la.set_region("Yorkshire and the Humber");
  la.set_status(v1::LA_STATUS_CURRENT);
  return la;
}

inline v1::Indicator Reviews() {
  v1::Indicator i;
  i.set_code("6.8");
  i.set_section("Looked After Children");
  i.set_title("Looked after children reviews held within timescales");
  i.set_polarity(v1::POLARITY_HIGH);
  i.set_unit(v1::UNIT_PERCENT);
  i.set_period_type(v1::PERIOD_TYPE_FINANCIAL_YTD);
  i.set_rag_basis(v1::RAG_BASIS_IN_MONTH);
  return i;
}

inline v1::Indicator NumberLac() {
  v1::Indicator i;
  i.set_code("6.1");
  i.set_section("Looked After Children");
  i.set_title("Number of looked after children");
  i.set_polarity(v1::POLARITY_INFO);
  i.set_unit(v1::UNIT_COUNT);
  i.set_period_type(v1::PERIOD_TYPE_MONTH_END);
  i.set_rag_basis(v1::RAG_BASIS_NONE);
  return i;
}

inline v1::ValueInput Val(const std::string& la, const std::string& code, const std::string& month,
                          std::optional<double> value, std::optional<double> num = std::nullopt,
                          std::optional<double> den = std::nullopt) {
  v1::ValueInput v;
  v.set_la_code(la);
  v.set_indicator_code(code);
  v.set_month(month);
  if (value) v.set_value(*value);
  if (num) v.set_numerator(*num);
  if (den) v.set_denominator(*den);
  return v;
}

inline v1::ValueInput Outturn(const std::string& la, const std::string& code,
                              const std::string& year, double value) {
  v1::ValueInput v;
  v.set_la_code(la);
  v.set_indicator_code(code);
  v.set_financial_year(year);
  v.set_value(value);
  return v;
}

}  // namespace carescore::indicators::testing

#endif  // CARESCORE_SERVICES_INDICATORS_TESTING_RECORDS_H_
