#ifndef CARESCORE_TESTS_FUZZ_INDICATOR_CALLS_H_
#define CARESCORE_TESTS_FUZZ_INDICATOR_CALLS_H_

// The real indicator rules on a fresh in-memory SQLite store, holding
// Rotherham (372) and Kirklees (382) and two indicators (6.8, a percentage;
// 6.1, a count), and a way to run any of their requests against it: for the
// indicator fuzz target and for the targets of the services that read it.

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "carescore/v1/indicators.pb.h"
#include "fuzz_calls.pb.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "tests/fuzz/fuzz_support.h"

namespace carescore::fuzz {

class IndicatorWorld {
 public:
  IndicatorWorld() {
    absl::StatusOr<std::unique_ptr<indicators::SqliteIndicatorStore>> opened =
        indicators::SqliteIndicatorStore::Open(":memory:");
    if (!opened.ok()) std::abort();
    store_ = *std::move(opened);
    service_ = std::make_unique<indicators::IndicatorService>(*store_);
    v1::ImportLocalAuthoritiesRequest las;
    for (const auto& [code, name] : {std::pair{"372", "Rotherham"}, std::pair{"382", "Kirklees"}}) {
      v1::LocalAuthority* la = las.add_local_authorities();
      la->set_la_code(code);
      la->set_ons_code(code[1] == '7' ? "E08000018" : "E08000034");
      la->set_name(name);
      la->set_region("Yorkshire and the Humber");
      la->set_status(v1::LA_STATUS_CURRENT);
    }
    if (!service_->ImportLocalAuthorities(las).ok()) std::abort();
    v1::ImportIndicatorsRequest catalogue;
    v1::Indicator* reviews = catalogue.add_indicators();
    reviews->set_code("6.8");
    reviews->set_section("Looked After Children");
    reviews->set_title("Looked after children reviews held within timescales");
    reviews->set_polarity(v1::POLARITY_HIGH);
    reviews->set_unit(v1::UNIT_PERCENT);
    reviews->set_period_type(v1::PERIOD_TYPE_FINANCIAL_YTD);
    reviews->set_rag_basis(v1::RAG_BASIS_IN_MONTH);
    v1::Indicator* number = catalogue.add_indicators();
    number->set_code("6.1");
    number->set_section("Looked After Children");
    number->set_title("Number of looked after children");
    number->set_polarity(v1::POLARITY_INFO);
    number->set_unit(v1::UNIT_COUNT);
    number->set_period_type(v1::PERIOD_TYPE_MONTH_END);
    number->set_rag_basis(v1::RAG_BASIS_NONE);
    if (!service_->ImportIndicators(catalogue).ok()) std::abort();
  }

  indicators::IndicatorService& service() { return *service_; }

  // Runs one request as the gRPC edge would hand it to the rules.
  void Run(const IndicatorCall& call) {
    indicators::IndicatorService& s = *service_;
    switch (call.request_case()) {
      case IndicatorCall::kImportLocalAuthorities:
        Drop(s.ImportLocalAuthorities(call.import_local_authorities()));
        break;
      case IndicatorCall::kGetLocalAuthority:
        Drop(s.GetLocalAuthority(call.get_local_authority()));
        break;
      case IndicatorCall::kListLocalAuthorities:
        Drop(s.ListLocalAuthorities(call.list_local_authorities()));
        break;
      case IndicatorCall::kImportIndicators:
        Drop(s.ImportIndicators(call.import_indicators()));
        break;
      case IndicatorCall::kGetIndicator:
        Drop(s.GetIndicator(call.get_indicator()));
        break;
      case IndicatorCall::kListIndicators:
        Drop(s.ListIndicators(call.list_indicators()));
        break;
      case IndicatorCall::kSetTargets:
        Drop(s.SetTargets(call.set_targets()));
        break;
      case IndicatorCall::kListTargets:
        Drop(s.ListTargets(call.list_targets()));
        break;
      case IndicatorCall::kSetMilestones:
        Drop(s.SetMilestones(call.set_milestones()));
        break;
      case IndicatorCall::kListMilestones:
        Drop(s.ListMilestones(call.list_milestones()));
        break;
      case IndicatorCall::kWriteValues:
        Drop(s.WriteValues(call.write_values()));
        break;
      case IndicatorCall::kImportValues: {
        // As the edge gathers a stream: the first source given, every value.
        std::string source;
        std::vector<v1::ValueInput> values;
        for (const v1::ImportValuesRequest& chunk : call.import_values().messages()) {
          if (source.empty()) source = chunk.source();
          values.insert(values.end(), chunk.values().begin(), chunk.values().end());
        }
        Drop(s.ImportValues(source, values));
        break;
      }
      case IndicatorCall::kListValues:
        Drop(s.ListValues(call.list_values()));
        break;
      case IndicatorCall::kListValueHistory:
        Drop(s.ListValueHistory(call.list_value_history()));
        break;
      case IndicatorCall::kGetDataVersion:
        Drop(s.GetDataVersion(call.get_data_version()));
        break;
      case IndicatorCall::REQUEST_NOT_SET:
        break;
    }
  }

 private:
  std::unique_ptr<indicators::SqliteIndicatorStore> store_;
  std::unique_ptr<indicators::IndicatorService> service_;
};

}  // namespace carescore::fuzz

#endif  // CARESCORE_TESTS_FUZZ_INDICATOR_CALLS_H_
