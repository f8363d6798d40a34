#include "services/indicators/indicator_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/error_info.h"
#include "common/measure.h"
#include "common/paging.h"
#include "common/period.h"
#include "common/proto_time.h"
#include "common/row_errors.h"
#include "common/validation.h"

namespace carescore::indicators {
namespace {

constexpr int kDefaultCataloguePage = 100;
constexpr int kMaxCataloguePage = 1000;
constexpr int kDefaultValuePage = 1000;
constexpr int kMaxValuePage = 10000;
// Targets, milestones and value history.
constexpr int kDefaultDetailPage = 200;
constexpr int kMaxDetailPage = 1000;

int RowNumber(int declared, size_t index) {
  return declared > 0 ? declared : static_cast<int>(index) + 1;
}

constexpr absl::string_view kKeySep = "\x1f";

absl::StatusOr<std::map<std::string, v1::Indicator>> CatalogueByCode(IndicatorStore& store) {
  absl::StatusOr<std::vector<v1::Indicator>> all = store.ListIndicators();
  if (!all.ok()) return all.status();
  std::map<std::string, v1::Indicator> by_code;
  for (v1::Indicator& i : *all) by_code.emplace(i.code(), std::move(i));
  return by_code;
}

absl::StatusOr<std::set<std::string>> LaCodes(IndicatorStore& store) {
  absl::StatusOr<std::vector<v1::LocalAuthority>> all = store.ListLocalAuthorities();
  if (!all.ok()) return all.status();
  std::set<std::string> codes;
  for (const v1::LocalAuthority& la : *all) codes.insert(la.la_code());
  return codes;
}

void Decorate(v1::Indicator& indicator) {
  indicator.set_effective_decimal_places(DecimalPlaces(indicator));
}

std::string UnknownLa(absl::string_view code) {
  return absl::StrCat("unknown LA \"", code, "\": import it first (carescore import las)");
}

std::string UnknownIndicator(absl::string_view code) {
  return absl::StrCat("unknown indicator \"", code,
                      "\": import it first (carescore import indicators)");
}

// Checks a period bound of a query in the format of `kind`.
absl::Status CheckBound(v1::PeriodKind kind, absl::string_view field, absl::string_view text) {
  if (text.empty()) return absl::OkStatus();
  absl::Status s = kind == v1::PERIOD_KIND_FINANCIAL_YEAR ? FinancialYear::Parse(text).status()
                                                          : Month::Parse(text).status();
  if (s.ok()) return s;
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", s.message()));
}

}  // namespace

absl::StatusOr<v1::ImportLocalAuthoritiesResponse> IndicatorService::ImportLocalAuthorities(
    const v1::ImportLocalAuthoritiesRequest& request) {
  RowErrors errors;
  if (request.local_authorities().empty()) errors.Add(0, "local_authorities", "no rows given");
  std::set<std::string> seen;
  for (int i = 0; i < request.local_authorities_size(); ++i) {
    const v1::LocalAuthority& la = request.local_authorities(i);
    CheckLocalAuthority(la, i + 1, errors);
    if (!seen.insert(la.la_code()).second) {
      errors.Add(i + 1, "la_code",
                 absl::StrCat("LA ", la.la_code(), " appears twice in the batch"));
    }
  }
  absl::Status invalid = errors.ToStatus("local authorities");
  if (!invalid.ok()) return invalid;
  absl::Status stored = store_.UpsertLocalAuthorities(
      {request.local_authorities().begin(), request.local_authorities().end()});
  if (!stored.ok()) return stored;
  fence_.AfterCommit();
  v1::ImportLocalAuthoritiesResponse response;
  response.set_written(request.local_authorities_size());
  return response;
}

absl::StatusOr<v1::GetLocalAuthorityResponse> IndicatorService::GetLocalAuthority(
    const v1::GetLocalAuthorityRequest& request) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  absl::StatusOr<v1::LocalAuthority> la = store_.GetLocalAuthority(request.la_code());
  if (!la.ok()) return la.status();
  v1::GetLocalAuthorityResponse response;
  *response.mutable_local_authority() = *std::move(la);
  return response;
}

absl::StatusOr<v1::ListLocalAuthoritiesResponse> IndicatorService::ListLocalAuthorities(
    const v1::ListLocalAuthoritiesRequest& request) {
  absl::StatusOr<std::vector<v1::LocalAuthority>> all = store_.ListLocalAuthorities();
  if (!all.ok()) return all.status();
  std::vector<v1::LocalAuthority> listed;
  for (v1::LocalAuthority& la : *all) {
    if (!request.include_former() && la.status() == v1::LA_STATUS_FORMER) continue;
    listed.push_back(std::move(la));
  }
  v1::ListLocalAuthoritiesResponse response;
  absl::Status paged = PageByKey(
      request, kDefaultCataloguePage, kMaxCataloguePage, std::move(listed),
      [](const v1::LocalAuthority& la) { return la.la_code(); },
      response.mutable_local_authorities(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::ImportIndicatorsResponse> IndicatorService::ImportIndicators(
    const v1::ImportIndicatorsRequest& request) {
  RowErrors errors;
  if (request.indicators().empty()) errors.Add(0, "indicators", "no rows given");
  std::set<std::string> seen;
  for (int i = 0; i < request.indicators_size(); ++i) {
    const v1::Indicator& indicator = request.indicators(i);
    CheckIndicator(indicator, i + 1, errors);
    if (!seen.insert(indicator.code()).second) {
      errors.Add(i + 1, "code",
                 absl::StrCat("indicator ", indicator.code(), " appears twice in the batch"));
    }
  }
  absl::Status invalid = errors.ToStatus("indicators");
  if (!invalid.ok()) return invalid;
  std::vector<v1::Indicator> indicators(request.indicators().begin(), request.indicators().end());
  for (v1::Indicator& i : indicators) i.clear_effective_decimal_places();
  absl::Status stored = store_.UpsertIndicators(indicators);
  if (!stored.ok()) return stored;
  fence_.AfterCommit();
  v1::ImportIndicatorsResponse response;
  response.set_written(request.indicators_size());
  return response;
}

absl::StatusOr<v1::GetIndicatorResponse> IndicatorService::GetIndicator(
    const v1::GetIndicatorRequest& request) {
  if (request.code().empty()) return absl::InvalidArgumentError("code is required");
  absl::StatusOr<std::map<std::string, v1::Indicator>> catalogue = CatalogueByCode(store_);
  if (!catalogue.ok()) return catalogue.status();
  auto it = catalogue->find(request.code());
  if (it == catalogue->end()) {
    return IndicatorNotFound(request.code());
  }
  v1::GetIndicatorResponse response;
  *response.mutable_indicator() = std::move(it->second);
  Decorate(*response.mutable_indicator());
  return response;
}

absl::StatusOr<v1::ListIndicatorsResponse> IndicatorService::ListIndicators(
    const v1::ListIndicatorsRequest& request) {
  absl::StatusOr<std::vector<v1::Indicator>> all = store_.ListIndicators();
  if (!all.ok()) return all.status();
  // Keyed by each code's place in the catalogue order, which only grows at
  // the end (a replaced code keeps its place): pages stay consistent while
  // entries are added.
  std::map<std::string, int64_t> place;
  std::vector<v1::Indicator> listed;
  for (v1::Indicator& indicator : *all) {
    place.emplace(indicator.code(), static_cast<int64_t>(place.size()));
    if (!request.section().empty() && indicator.section() != request.section()) continue;
    Decorate(indicator);
    listed.push_back(std::move(indicator));
  }
  v1::ListIndicatorsResponse response;
  absl::Status paged = PageByKey(
      request, kDefaultCataloguePage, kMaxCataloguePage, std::move(listed),
      [&](const v1::Indicator& indicator) {
        std::string key;
        AppendKeyPart(key, place.at(indicator.code()));
        return key;
      },
      response.mutable_indicators(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::SetTargetsResponse> IndicatorService::SetTargets(
    const v1::SetTargetsRequest& request) {
  absl::StatusOr<std::map<std::string, v1::Indicator>> catalogue = CatalogueByCode(store_);
  if (!catalogue.ok()) return catalogue.status();
  absl::StatusOr<std::set<std::string>> las = LaCodes(store_);
  if (!las.ok()) return las.status();
  RowErrors errors;
  if (request.targets().empty()) errors.Add(0, "targets", "no rows given");
  std::set<std::string> seen;
  for (int i = 0; i < request.targets_size(); ++i) {
    const v1::Target& t = request.targets(i);
    const int row = i + 1;
    auto it = catalogue->find(t.indicator_code());
    if (it == catalogue->end()) {
      errors.Add(row, "indicator_code", UnknownIndicator(t.indicator_code()));
      continue;
    }
    if (!t.la_code().empty() && las->count(t.la_code()) == 0) {
      errors.Add(row, "la_code", UnknownLa(t.la_code()));
    }
    CheckTarget(it->second, t, row, errors);
    if (!seen.insert(absl::StrCat(t.indicator_code(), kKeySep, t.financial_year(), kKeySep,
                                  t.la_code()))
             .second) {
      errors.Add(row, "indicator_code",
                 absl::StrCat("a second target for ", t.indicator_code(), " in ",
                              t.financial_year(), " in the same batch"));
    }
  }
  absl::Status invalid = errors.ToStatus("targets");
  if (!invalid.ok()) return invalid;
  absl::Status stored = store_.UpsertTargets({request.targets().begin(), request.targets().end()});
  if (!stored.ok()) return stored;
  fence_.AfterCommit();
  v1::SetTargetsResponse response;
  response.set_written(request.targets_size());
  return response;
}

absl::StatusOr<v1::ListTargetsResponse> IndicatorService::ListTargets(
    const v1::ListTargetsRequest& request) {
  if (!request.financial_year().empty()) {
    absl::Status s = FinancialYear::Parse(request.financial_year()).status();
    if (!s.ok()) return s;
  }
  if (!request.la_code().empty() && !IsLaCode(request.la_code())) {
    return absl::InvalidArgumentError(
        absl::StrCat("la_code \"", request.la_code(), "\" is not a DfE LA code"));
  }
  absl::StatusOr<std::vector<v1::Target>> targets =
      store_.ListTargets({request.indicator_code(), request.financial_year(), request.la_code()});
  if (!targets.ok()) return targets.status();
  v1::ListTargetsResponse response;
  absl::Status paged = PageByKey(
      request, kDefaultDetailPage, kMaxDetailPage, *std::move(targets),
      [](const v1::Target& t) {
        std::string key;
        for (const std::string* part : {&t.indicator_code(), &t.financial_year(), &t.la_code()}) {
          AppendKeyPart(key, *part);
        }
        return key;
      },
      response.mutable_targets(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::SetMilestonesResponse> IndicatorService::SetMilestones(
    const v1::SetMilestonesRequest& request) {
  absl::StatusOr<std::map<std::string, v1::Indicator>> catalogue = CatalogueByCode(store_);
  if (!catalogue.ok()) return catalogue.status();
  auto it = catalogue->find(request.indicator_code());
  if (it == catalogue->end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("indicator_code: ", UnknownIndicator(request.indicator_code())));
  }
  if (!request.la_code().empty()) {
    absl::StatusOr<std::set<std::string>> las = LaCodes(store_);
    if (!las.ok()) return las.status();
    if (las->count(request.la_code()) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("la_code: ", UnknownLa(request.la_code())));
    }
  }
  RowErrors errors;
  std::set<std::string> months;
  std::vector<v1::Milestone> milestones;
  for (int i = 0; i < request.milestones_size(); ++i) {
    v1::Milestone m = request.milestones(i);
    const int row = i + 1;
    if (!m.indicator_code().empty() && m.indicator_code() != request.indicator_code()) {
      errors.Add(row, "indicator_code", "differs from the request's indicator_code");
    }
    if (!m.la_code().empty() && m.la_code() != request.la_code()) {
      errors.Add(row, "la_code", "differs from the request's la_code");
    }
    CheckMilestone(it->second, m, row, errors);
    if (!months.insert(m.month()).second) {
      errors.Add(row, "month", absl::StrCat("a second milestone for ", m.month()));
    }
    m.set_indicator_code(request.indicator_code());
    m.set_la_code(request.la_code());
    milestones.push_back(std::move(m));
  }
  absl::Status invalid = errors.ToStatus("milestones");
  if (!invalid.ok()) return invalid;
  absl::Status stored =
      store_.ReplaceMilestones(request.indicator_code(), request.la_code(), milestones);
  if (!stored.ok()) return stored;
  fence_.AfterCommit();
  v1::SetMilestonesResponse response;
  response.set_written(static_cast<int32_t>(milestones.size()));
  return response;
}

absl::StatusOr<v1::ListMilestonesResponse> IndicatorService::ListMilestones(
    const v1::ListMilestonesRequest& request) {
  std::vector<std::string> las = {request.la_code()};
  if (request.include_defaults() && !request.la_code().empty()) las.insert(las.begin(), "");
  std::vector<v1::Milestone> all;
  for (const std::string& la : las) {
    absl::StatusOr<std::vector<v1::Milestone>> milestones =
        store_.ListMilestones(request.indicator_code(), la);
    if (!milestones.ok()) return milestones.status();
    for (v1::Milestone& m : *milestones) all.push_back(std::move(m));
  }
  // The defaults (la_code "") first, then by indicator and month.
  v1::ListMilestonesResponse response;
  absl::Status paged = PageByKey(
      request, kDefaultDetailPage, kMaxDetailPage, std::move(all),
      [](const v1::Milestone& m) {
        std::string key;
        for (const std::string* part : {&m.la_code(), &m.indicator_code(), &m.month()}) {
          AppendKeyPart(key, *part);
        }
        return key;
      },
      response.mutable_milestones(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<LoadReceipt> IndicatorService::Load(const std::string& source,
                                                   std::vector<v1::ValueInput>& values) {
  if (source.empty()) {
    return absl::InvalidArgumentError(
        "source is required: a label for this load, e.g. the file or extract it came from");
  }
  absl::StatusOr<std::map<std::string, v1::Indicator>> catalogue = CatalogueByCode(store_);
  if (!catalogue.ok()) return catalogue.status();
  absl::StatusOr<std::set<std::string>> las = LaCodes(store_);
  if (!las.ok()) return las.status();

  RowErrors errors;
  if (values.empty()) errors.Add(0, "values", "no rows given");
  std::unordered_set<std::string> keys;
  keys.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const v1::ValueInput& v = values[i];
    const int row = RowNumber(v.row(), i);
    bool known = true;
    if (las->count(v.la_code()) == 0) {
      errors.Add(row, "la_code", UnknownLa(v.la_code()));
      known = false;
    }
    auto it = catalogue->find(v.indicator_code());
    if (it == catalogue->end()) {
      errors.Add(row, "code", UnknownIndicator(v.indicator_code()));
      known = false;
    }
    if (!known) continue;
    if (!CheckValueInput(it->second, v, row, errors)) continue;
    const bool fy = v.period_case() == v1::ValueInput::kFinancialYear;
    std::string key = absl::StrCat(v.la_code(), kKeySep, v.indicator_code(), kKeySep,
                                   fy ? "F" : "M", fy ? v.financial_year() : v.month());
    if (!keys.insert(std::move(key)).second) {
      errors.Add(row, fy ? "financial_year" : "period",
                 absl::StrCat("duplicate row: ", v.indicator_code(), " for LA ", v.la_code(),
                              " in ", fy ? v.financial_year() : v.month(),
                              " appears more than once in this load"));
    }
  }
  absl::Status invalid = errors.ToStatus("values");
  if (!invalid.ok()) return invalid;
  for (v1::ValueInput& v : values) DeriveValue(catalogue->at(v.indicator_code()), v);
  absl::StatusOr<LoadReceipt> receipt = store_.AppendValues(source, values);
  if (receipt.ok()) fence_.AfterCommit();
  return receipt;
}

absl::StatusOr<v1::WriteValuesResponse> IndicatorService::WriteValues(
    const v1::WriteValuesRequest& request) {
  std::vector<v1::ValueInput> values(request.values().begin(), request.values().end());
  absl::StatusOr<LoadReceipt> receipt = Load(request.source(), values);
  if (!receipt.ok()) return receipt.status();
  v1::WriteValuesResponse response;
  response.set_load_id(receipt->load_id);
  response.set_written(receipt->written);
  *response.mutable_recorded_at() = TimeToProto(receipt->recorded_at);
  return response;
}

absl::StatusOr<v1::ImportValuesResponse> IndicatorService::ImportValues(
    const std::string& source, std::vector<v1::ValueInput>& values) {
  absl::StatusOr<LoadReceipt> receipt = Load(source, values);
  if (!receipt.ok()) return receipt.status();
  v1::ImportValuesResponse response;
  response.set_load_id(receipt->load_id);
  response.set_written(receipt->written);
  *response.mutable_recorded_at() = TimeToProto(receipt->recorded_at);
  return response;
}

absl::StatusOr<v1::ListValuesResponse> IndicatorService::ListValues(
    const v1::ListValuesRequest& request) {
  ValueQuery query;
  query.kind = request.period_kind() == v1::PERIOD_KIND_UNSPECIFIED ? v1::PERIOD_KIND_MONTH
                                                                    : request.period_kind();
  if (!request.la_code().empty()) {
    if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  }
  for (const auto& [field, text] : {std::pair{"from_period", request.from_period()},
                                    std::pair{"to_period", request.to_period()}}) {
    absl::Status s = CheckBound(query.kind, field, text);
    if (!s.ok()) return s;
  }
  if (!request.from_period().empty() && !request.to_period().empty() &&
      request.from_period() > request.to_period()) {
    return absl::InvalidArgumentError(absl::StrCat("from_period ", request.from_period(),
                                                   " is after to_period ", request.to_period()));
  }
  absl::StatusOr<int> size = PageSize(request.page_size(), kDefaultValuePage, kMaxValuePage);
  if (!size.ok()) return size.status();
  query.la_code = request.la_code();
  query.indicator_code = request.indicator_code();
  if (request.indicator_codes_size() > 500) {
    return absl::InvalidArgumentError(
        absl::StrCat("indicator_codes: at most 500 codes, not ", request.indicator_codes_size()));
  }
  query.indicator_codes.assign(request.indicator_codes().begin(), request.indicator_codes().end());
  if (!query.indicator_codes.empty() && !query.indicator_code.empty()) {
    query.indicator_codes.push_back(query.indicator_code);  // Either one.
    query.indicator_code.clear();
  }
  query.from_period = request.from_period();
  query.to_period = request.to_period();
  query.include_missing = request.include_missing();
  query.figures_only = request.view() == v1::VALUE_VIEW_FIGURES;
  query.limit = *size + 1;  // One more tells whether there is a next page.
  if (request.has_as_of()) {
    query.as_of = TimeFromProto(request.as_of());
  }
  absl::StatusOr<std::string> after = DecodePageToken(request, request.page_token());
  if (!after.ok()) return after.status();
  if (!after->empty()) {
    // The token checked out (checksum, filters), so it holds a key we made.
    std::vector<std::string> parts = absl::StrSplit(*after, kKeySep);
    if (parts.size() != 3) return absl::InternalError("a page token's key has the wrong shape");
    query.after = ValueKey{parts[0], parts[1], query.kind, parts[2]};
  }
  absl::StatusOr<std::vector<v1::Value>> values = store_.ListValues(query);
  if (!values.ok()) return values.status();
  v1::ListValuesResponse response;
  for (v1::Value& v : *values) {
    if (response.values_size() == *size) {
      const v1::Value& last = response.values(*size - 1);
      response.set_next_page_token(EncodePageToken(
          request,
          absl::StrCat(last.la_code(), kKeySep, last.indicator_code(), kKeySep,
                       last.period_case() == v1::Value::kFinancialYear ? last.financial_year()
                                                                       : last.month())));
      break;
    }
    *response.add_values() = std::move(v);
  }
  return response;
}

absl::StatusOr<v1::ListValueHistoryResponse> IndicatorService::ListValueHistory(
    const v1::ListValueHistoryRequest& request) {
  ValueKey key{request.la_code(), request.indicator_code(), v1::PERIOD_KIND_MONTH, ""};
  switch (request.period_case()) {
    case v1::ListValueHistoryRequest::kMonth: {
      absl::Status s = CheckBound(v1::PERIOD_KIND_MONTH, "month", request.month());
      if (!s.ok()) return s;
      key.period = request.month();
      break;
    }
    case v1::ListValueHistoryRequest::kFinancialYear: {
      absl::Status s =
          CheckBound(v1::PERIOD_KIND_FINANCIAL_YEAR, "financial_year", request.financial_year());
      if (!s.ok()) return s;
      key.kind = v1::PERIOD_KIND_FINANCIAL_YEAR;
      key.period = request.financial_year();
      break;
    }
    default:
      return absl::InvalidArgumentError("a month or a financial year is required");
  }
  if (key.period.empty()) return absl::InvalidArgumentError("the period is empty");
  if (absl::Status la = CheckLaCode(key.la_code); !la.ok()) return la;
  if (key.indicator_code.empty()) return absl::InvalidArgumentError("indicator_code is required");
  absl::StatusOr<std::vector<v1::Value>> history = store_.ValueHistory(key);
  if (!history.ok()) return history.status();
  if (history->empty()) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no value of ", key.indicator_code, " for LA ",
                                         key.la_code, " in ", key.period)),
        v1::NO_DATA_FOR_PERIOD,
        {{"la_code", key.la_code}, {"indicator_code", key.indicator_code}, {"period", key.period}});
  }
  // Oldest first: by revision, which each new load of the value increases.
  v1::ListValueHistoryResponse response;
  absl::Status paged = PageByKey(
      request, kDefaultDetailPage, kMaxDetailPage, *std::move(history),
      [](const v1::Value& v) {
        std::string order;
        AppendKeyPart(order, int64_t{v.revision()});
        AppendKeyPart(order, v.load_id());
        return order;
      },
      response.mutable_values(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::GetDataVersionResponse> IndicatorService::GetDataVersion(
    const v1::GetDataVersionRequest& request) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  absl::StatusOr<int64_t> version = store_.DataVersion(request.la_code());
  if (!version.ok()) return version.status();
  absl::StatusOr<int64_t> all = store_.AllDataVersion();
  if (!all.ok()) return all.status();
  v1::GetDataVersionResponse response;
  response.set_la_code(request.la_code());
  response.set_data_version(*version);
  response.set_all_data_version(*all);
  absl::StatusOr<int> las = store_.LasWithValues();
  if (!las.ok()) return las.status();
  response.set_las_with_values(*las);
  absl::StatusOr<int64_t> catalogue = store_.CatalogueVersion();
  if (!catalogue.ok()) return catalogue.status();
  response.set_catalogue_version(*catalogue);
  *response.mutable_lease() = LeaseToProto(fence_.lease());
  return response;
}

}  // namespace carescore::indicators
