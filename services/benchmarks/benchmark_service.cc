#include "services/benchmarks/benchmark_service.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/paging.h"
#include "common/period.h"
#include "common/row_errors.h"
#include "common/validation.h"
#include "services/benchmarks/comparators.h"

namespace carescore::benchmarks {
namespace {

int RowNumber(int declared, int index) { return declared > 0 ? declared : index + 1; }

// The period of a request, checked; `kind` and `text` are set on success.
template <typename Request>
absl::Status ReadPeriod(const Request& request, v1::PeriodKind& kind, std::string& text) {
  if (request.has_month()) {
    kind = v1::PERIOD_KIND_MONTH;
    text = request.month();
    absl::Status s = Month::Parse(text).status();
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("month: ", s.message()));
    return absl::OkStatus();
  }
  if (request.has_financial_year()) {
    kind = v1::PERIOD_KIND_FINANCIAL_YEAR;
    text = request.financial_year();
    absl::Status s = FinancialYear::Parse(text).status();
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("financial_year: ", s.message()));
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("a month or a financial year is required");
}

absl::StatusOr<std::map<std::string, v1::LocalAuthority>> LasByCode(
    indicators::IndicatorReader& reader) {
  absl::StatusOr<std::vector<v1::LocalAuthority>> las = reader.ListLocalAuthorities();
  if (!las.ok()) return las.status();
  std::map<std::string, v1::LocalAuthority> by_code;
  for (v1::LocalAuthority& la : *las) by_code.emplace(la.la_code(), std::move(la));
  return by_code;
}

LaValue ToLaValue(const v1::Value& v) {
  LaValue lv{v.la_code(), v.value(), std::nullopt, std::nullopt};
  if (v.has_numerator()) lv.numerator = v.numerator();
  if (v.has_denominator()) lv.denominator = v.denominator();
  return lv;
}

// Every LA's value of one indicator in one period (values recorded as
// missing are not values).
absl::StatusOr<std::vector<LaValue>> AllValues(indicators::IndicatorReader& reader,
                                               const std::string& code, v1::PeriodKind kind,
                                               const std::string& period,
                                               const std::string& la_code = "") {
  v1::ListValuesRequest request;
  request.set_la_code(la_code);
  request.set_indicator_code(code);
  request.set_period_kind(kind);
  request.set_from_period(period);
  request.set_to_period(period);
  request.set_view(v1::VALUE_VIEW_FIGURES);
  absl::StatusOr<std::vector<v1::Value>> values = reader.ListValues(request);
  if (!values.ok()) return values.status();
  std::vector<LaValue> out;
  out.reserve(values->size());
  for (const v1::Value& v : *values) {
    if (v.has_value()) out.push_back(ToLaValue(v));
  }
  return out;
}

void SetPeriod(v1::Benchmark& b, v1::PeriodKind kind, const std::string& period) {
  if (kind == v1::PERIOD_KIND_FINANCIAL_YEAR) {
    b.set_financial_year(period);
  } else {
    b.set_month(period);
  }
}

// Gaps from the LA's own value to each comparator present.
void FillGaps(v1::Benchmark& b, const v1::Indicator& indicator) {
  if (!b.has_value()) return;
  if (b.has_sn_average()) *b.mutable_gap_sn_average() = GapTo(b.value(), b.sn_average(), indicator);
  if (b.has_best_sn()) *b.mutable_gap_best_sn() = GapTo(b.value(), b.best_sn(), indicator);
  if (b.has_national_average()) {
    *b.mutable_gap_national_average() = GapTo(b.value(), b.national_average(), indicator);
  }
  if (b.has_top_quartile_threshold()) {
    *b.mutable_gap_top_quartile_threshold() =
        GapTo(b.value(), b.top_quartile_threshold(), indicator);
  }
}

std::string Describe(const std::string& code, const std::string& la, const std::string& period) {
  return absl::StrCat(code, " for LA ", la, " in ", period);
}

// Computed comparators for `b.la_code()` from every LA's value of the
// indicator in the period (`all`, not empty) and the LA's neighbours.
void ComputeInto(v1::Benchmark& b, const v1::Indicator& indicator, const std::vector<LaValue>& all,
                 const NeighbourList& sn, v1::SnAggregate asked) {
  b.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  b.set_la_count(static_cast<int32_t>(all.size()));
  std::map<std::string, double> by_la;
  for (const LaValue& v : all) by_la[v.la_code] = v.value;
  auto own = by_la.find(b.la_code());
  if (own != by_la.end()) {
    b.set_value(own->second);
  } else {
    b.add_notes(absl::StrCat("no value held for LA ", b.la_code(), ": not ranked"));
  }

  if (std::optional<NationalFigure> national = National(all, indicator)) {
    b.set_national_average(national->value);
    b.set_national_method(national->method);
    if (national->method == v1::NATIONAL_METHOD_MEAN) {
      b.add_notes(
          "no numerators and denominators for every LA: the national figure is the "
          "mean of LA values, not pooled");
    }
  }

  const v1::SnAggregate aggregate =
      asked == v1::SN_AGGREGATE_MEDIAN ? v1::SN_AGGREGATE_MEDIAN : v1::SN_AGGREGATE_MEAN;
  b.set_sn_aggregate(aggregate);
  const v1::Polarity polarity = indicator.polarity();
  if (sn.model.empty()) {
    b.add_notes(sn.note);
  } else {
    b.set_model(sn.model);
    b.set_sn_size(static_cast<int32_t>(sn.neighbours.size()));
    std::vector<double> values;
    for (const v1::Neighbour& n : sn.neighbours) {
      auto it = by_la.find(n.neighbour_la_code());
      if (it == by_la.end()) continue;
      values.push_back(it->second);
      if (IsRankable(polarity) && (!b.has_best_sn() || Better(it->second, b.best_sn(), polarity))) {
        b.set_best_sn(it->second);
        b.set_best_sn_la_code(n.neighbour_la_code());
      }
    }
    b.set_sn_count(static_cast<int32_t>(values.size()));
    if (sn.neighbours.empty()) {
      b.add_notes(absl::StrCat("LA ", b.la_code(), " has no neighbours in model ", sn.model));
    } else if (values.empty()) {
      b.add_notes("no statistical neighbour has a value");
    } else {
      b.set_sn_average(Aggregate(values, aggregate));
    }
  }

  if (!IsRankable(polarity)) {
    b.add_notes("no polarity: averages only, no rank, best or quartile");
  } else {
    const std::vector<Ranked> ranked = RankAll(all, polarity);
    b.set_rank_of(static_cast<int32_t>(ranked.size()));
    for (const Ranked& r : ranked) {
      if (r.la_code == b.la_code()) b.set_rank(r.rank);
    }
    if (!indicator.quartiles()) {
      b.add_notes("the DfE does not band this measure into quartiles (its range is too small)");
    } else {
      std::vector<double> values;
      for (const LaValue& v : all) values.push_back(v.value);
      const Quartiles q = QuartilesOf(std::move(values));
      b.set_top_quartile_threshold(TopQuartileThreshold(q, polarity));
      if (b.has_value()) b.set_quartile(Band(b.value(), q, polarity));
    }
  }
  FillGaps(b, indicator);
}

}  // namespace

absl::StatusOr<v1::ImportNeighboursResponse> BenchmarkService::ImportNeighbours(
    const v1::ImportNeighboursRequest& request) {
  const std::string model(absl::StripAsciiWhitespace(request.model()));
  if (model.empty()) {
    return absl::InvalidArgumentError("model is required: the neighbour model's name, e.g. 2025");
  }
  absl::StatusOr<std::map<std::string, v1::LocalAuthority>> las = LasByCode(indicators_);
  if (!las.ok()) return las.status();
  RowErrors errors;
  if (request.neighbours().empty()) errors.Add(0, "neighbours", "no rows given");
  std::set<std::pair<std::string, int>> ranks;
  std::set<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < request.neighbours_size(); ++i) {
    const v1::Neighbour& n = request.neighbours(i);
    const int row = RowNumber(n.row(), i);
    if (las->count(n.la_code()) == 0) {
      errors.Add(row, "la_code", absl::StrCat("unknown LA \"", n.la_code(), "\""));
    }
    if (las->count(n.neighbour_la_code()) == 0) {
      errors.Add(row, "neighbour_la_code",
                 absl::StrCat("unknown LA \"", n.neighbour_la_code(), "\""));
    }
    if (n.la_code() == n.neighbour_la_code()) {
      errors.Add(row, "neighbour_la_code",
                 absl::StrCat("LA ", n.la_code(), " cannot be its own neighbour"));
    }
    if (n.rank() < 1) {
      errors.Add(row, "rank", absl::StrCat(n.rank(), " is not a rank (1 = closest)"));
    } else if (!ranks.insert({n.la_code(), n.rank()}).second) {
      errors.Add(row, "rank",
                 absl::StrCat("LA ", n.la_code(), " has a second neighbour at rank ", n.rank()));
    }
    if (!pairs.insert({n.la_code(), n.neighbour_la_code()}).second) {
      errors.Add(
          row, "neighbour_la_code",
          absl::StrCat(n.neighbour_la_code(), " is listed twice as a neighbour of ", n.la_code()));
    }
  }
  absl::Status invalid = errors.ToStatus("neighbours");
  if (!invalid.ok()) return invalid;
  std::vector<v1::Neighbour> neighbours(request.neighbours().begin(), request.neighbours().end());
  for (v1::Neighbour& n : neighbours) n.clear_row();
  absl::Status stored = store_.ReplaceNeighbours(model, neighbours);
  if (!stored.ok()) return stored;
  fence_.AfterCommit();
  std::set<std::string> covered;
  for (const v1::Neighbour& n : neighbours) covered.insert(n.la_code());
  v1::ImportNeighboursResponse response;
  response.set_written(static_cast<int32_t>(neighbours.size()));
  response.set_local_authorities(static_cast<int32_t>(covered.size()));
  return response;
}

absl::StatusOr<std::string> BenchmarkService::ResolveModel(const std::string& requested) {
  absl::StatusOr<std::vector<std::string>> models = store_.ListModels();
  if (!models.ok()) return models.status();
  if (requested.empty()) {
    if (models->empty()) {
      return WithErrorInfo(
          absl::NotFoundError(
              "no statistical neighbour model is loaded (carescore import neighbours FILE --model "
              "NAME)"),
          v1::MODEL_NOT_FOUND);
    }
    return models->front();
  }
  for (const std::string& m : *models) {
    if (m == requested) return m;
  }
  return WithErrorInfo(
      absl::NotFoundError(absl::StrCat("no neighbour model named \"", QuoteInput(requested), "\"")),
      v1::MODEL_NOT_FOUND, {{"model", requested}});
}

absl::StatusOr<v1::ListNeighboursResponse> BenchmarkService::ListNeighbours(
    const v1::ListNeighboursRequest& request) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  absl::StatusOr<std::string> model = ResolveModel(request.model());
  if (!model.ok()) return model.status();
  absl::StatusOr<std::vector<v1::Neighbour>> list =
      store_.ListNeighbours(*model, request.la_code());
  if (!list.ok()) return list.status();
  if (list->empty()) {
    return WithErrorInfo(absl::NotFoundError(absl::StrCat("LA ", request.la_code(),
                                                          " has no neighbours in model ", *model)),
                         v1::NO_DATA_FOR_PERIOD,
                         {{"la_code", request.la_code()}, {"model", *model}});
  }
  v1::ListNeighboursResponse response;
  response.set_model(*model);
  absl::Status paged = PageByKey(
      request, 200, 1000, *std::move(list),
      [](const v1::Neighbour& n) {
        std::string key;
        AppendKeyPart(key, int64_t{n.rank()});
        AppendKeyPart(key, n.neighbour_la_code());
        return key;
      },
      response.mutable_neighbours(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::ListModelsResponse> BenchmarkService::ListModels(
    const v1::ListModelsRequest& request) {
  absl::StatusOr<std::vector<std::string>> models = store_.ListModels();
  if (!models.ok()) return models.status();
  v1::ListModelsResponse response;
  absl::Status paged = PageByKey(
      request, 100, 1000, *std::move(models),
      [](const std::string& m) {
        std::string key;
        AppendDescendingKeyPart(key, m);  // Newest (greatest) first.
        return key;
      },
      response.mutable_models(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

absl::StatusOr<v1::ImportPublishedComparatorsResponse> BenchmarkService::ImportPublishedComparators(
    const v1::ImportPublishedComparatorsRequest& request) {
  absl::StatusOr<std::map<std::string, v1::LocalAuthority>> las = LasByCode(indicators_);
  if (!las.ok()) return las.status();
  RowErrors errors;
  if (request.comparators().empty()) errors.Add(0, "comparators", "no rows given");
  // Each indicator once: its unit bounds its comparators (no percentage of 150).
  std::map<std::string, std::optional<v1::Indicator>> known_indicators;
  std::set<std::string> keys;
  for (int i = 0; i < request.comparators_size(); ++i) {
    const v1::PublishedComparator& c = request.comparators(i);
    const int row = RowNumber(c.row(), i);
    if (las->count(c.la_code()) == 0) {
      errors.Add(row, "la_code", absl::StrCat("unknown LA \"", c.la_code(), "\""));
    }
    auto known = known_indicators.find(c.indicator_code());
    if (known == known_indicators.end()) {
      absl::StatusOr<v1::Indicator> found = indicators_.GetIndicator(c.indicator_code());
      if (!found.ok() && found.status().code() != absl::StatusCode::kNotFound) {
        return found.status();
      }
      known =
          known_indicators
              .emplace(c.indicator_code(),
                       found.ok() ? std::optional<v1::Indicator>(*std::move(found)) : std::nullopt)
              .first;
    }
    if (!known->second.has_value()) {
      errors.Add(row, "code",
                 absl::StrCat("a comparator for unknown indicator \"", c.indicator_code(), "\""));
    }
    if (absl::Status s = FinancialYear::Parse(c.financial_year()).status(); !s.ok()) {
      errors.Add(row, "year", s.message());
    }
    bool any = false;
    for (const auto& [field, present, v] :
         {std::tuple{"statistical_neighbour_average", c.has_sn_average(), c.sn_average()},
          std::tuple{"best_statistical_neighbour", c.has_best_sn(), c.best_sn()},
          std::tuple{"national_average", c.has_national_average(), c.national_average()},
          std::tuple{"national_top_quartile_threshold", c.has_top_quartile_threshold(),
                     c.top_quartile_threshold()}}) {
      any = any || present;
      if (present && !std::isfinite(v)) {
        errors.Add(row, field, "must be a finite number");
      } else if (present && known->second.has_value()) {
        CheckInUnitRange(*known->second, v, field, row, errors);
      }
    }
    if (!any) errors.Add(row, "statistical_neighbour_average", "the row has no figure at all");
    if (!keys.insert(absl::StrCat(c.la_code(), "|", c.indicator_code(), "|", c.financial_year()))
             .second) {
      errors.Add(row, "code",
                 absl::StrCat("duplicate row: ",
                              Describe(c.indicator_code(), c.la_code(), c.financial_year())));
    }
  }
  absl::Status invalid = errors.ToStatus("published comparators");
  if (!invalid.ok()) return invalid;
  std::vector<v1::PublishedComparator> comparators(request.comparators().begin(),
                                                   request.comparators().end());
  for (v1::PublishedComparator& c : comparators) c.clear_row();
  absl::Status stored = store_.UpsertPublished(comparators);
  if (!stored.ok()) return stored;
  fence_.AfterCommit();
  v1::ImportPublishedComparatorsResponse response;
  response.set_written(static_cast<int32_t>(comparators.size()));
  return response;
}

absl::StatusOr<v1::ListPublishedComparatorsResponse> BenchmarkService::ListPublishedComparators(
    const v1::ListPublishedComparatorsRequest& request) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  absl::StatusOr<std::vector<v1::PublishedComparator>> found =
      store_.ListPublished(request.la_code());
  if (!found.ok()) return found.status();
  absl::StatusOr<int64_t> version = store_.Version();
  if (!version.ok()) return version.status();
  v1::ListPublishedComparatorsResponse response;
  absl::Status paged = PageByKey(
      request, 500, 5000, *std::move(found),
      [](const v1::PublishedComparator& c) {
        std::string key;
        AppendKeyPart(key, c.indicator_code());
        AppendKeyPart(key, c.financial_year());
        return key;
      },
      response.mutable_comparators(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  response.set_version(*version);
  return response;
}

absl::StatusOr<v1::GetBenchmarkResponse> BenchmarkService::GetBenchmark(
    const v1::GetBenchmarkRequest& request) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  if (request.indicator_code().empty()) {
    return absl::InvalidArgumentError("indicator_code is required");
  }
  v1::PeriodKind kind = v1::PERIOD_KIND_MONTH;
  std::string period;
  absl::Status period_ok = ReadPeriod(request, kind, period);
  if (!period_ok.ok()) return period_ok;
  if (request.source() == v1::COMPARATOR_SOURCE_PUBLISHED &&
      kind != v1::PERIOD_KIND_FINANCIAL_YEAR) {
    return absl::InvalidArgumentError(
        "published comparators are per financial year: give a financial year, not a month");
  }
  absl::StatusOr<v1::Indicator> indicator = indicators_.GetIndicator(request.indicator_code());
  if (!indicator.ok()) return indicator.status();
  absl::StatusOr<std::map<std::string, v1::LocalAuthority>> las = LasByCode(indicators_);
  if (!las.ok()) return las.status();
  if (las->count(request.la_code()) == 0) {
    return LaNotFound(request.la_code());
  }

  v1::GetBenchmarkResponse response;
  v1::Benchmark& b = *response.mutable_benchmark();
  b.set_la_code(request.la_code());
  b.set_indicator_code(request.indicator_code());
  b.set_decimal_places(indicator->effective_decimal_places());
  SetPeriod(b, kind, period);

  std::optional<v1::PublishedComparator> published;
  if (request.source() != v1::COMPARATOR_SOURCE_COMPUTED &&
      kind == v1::PERIOD_KIND_FINANCIAL_YEAR) {
    absl::StatusOr<std::optional<v1::PublishedComparator>> found =
        store_.FindPublished(request.la_code(), request.indicator_code(), period);
    if (!found.ok()) return found.status();
    published = *found;
  }
  if (request.source() == v1::COMPARATOR_SOURCE_PUBLISHED && !published.has_value()) {
    return WithErrorInfo(
        absl::NotFoundError(
            absl::StrCat("no published comparators for ",
                         Describe(request.indicator_code(), request.la_code(), period),
                         " (carescore import benchmarks FILE --year ", period, ")")),
        v1::COMPARATOR_NOT_FOUND,
        {{"la_code", request.la_code()}, {"indicator_code", request.indicator_code()}});
  }

  if (published.has_value()) {
    b.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
    absl::StatusOr<std::vector<LaValue>> own =
        AllValues(indicators_, request.indicator_code(), kind, period, request.la_code());
    if (!own.ok()) return own.status();
    if (!own->empty()) b.set_value(own->front().value);
    if (published->has_sn_average()) b.set_sn_average(published->sn_average());
    if (published->has_best_sn()) b.set_best_sn(published->best_sn());
    if (published->has_national_average()) {
      b.set_national_average(published->national_average());
      b.set_national_method(v1::NATIONAL_METHOD_PUBLISHED);
    }
    if (published->has_top_quartile_threshold()) {
      b.set_top_quartile_threshold(published->top_quartile_threshold());
    }
    if (!b.has_value()) b.add_notes(absl::StrCat("no value held for LA ", request.la_code()));
    FillGaps(b, *indicator);
    return response;
  }

  b.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  absl::StatusOr<std::vector<LaValue>> all =
      AllValues(indicators_, request.indicator_code(), kind, period);
  if (!all.ok()) return all.status();
  if (all->empty()) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no LA has a value of ", request.indicator_code(), " in ",
                                         period, ": nothing to compute comparators from")),
        v1::NO_DATA_FOR_PERIOD, {{"indicator_code", request.indicator_code()}});
  }
  absl::StatusOr<NeighbourList> sn = Neighbours(request.model(), request.la_code());
  if (!sn.ok()) return sn.status();
  ComputeInto(b, *indicator, *all, *sn, request.sn_aggregate());
  return response;
}

absl::StatusOr<NeighbourList> BenchmarkService::Neighbours(const std::string& model,
                                                           const std::string& la_code) {
  NeighbourList sn;
  absl::StatusOr<std::string> resolved = ResolveModel(model);
  if (resolved.status().code() == absl::StatusCode::kNotFound) {
    sn.note = std::string(resolved.status().message());
    return sn;
  }
  if (!resolved.ok()) return resolved.status();
  absl::StatusOr<std::vector<v1::Neighbour>> neighbours = store_.ListNeighbours(*resolved, la_code);
  if (!neighbours.ok()) return neighbours.status();
  sn.model = *resolved;
  sn.neighbours = *std::move(neighbours);
  return sn;
}

absl::StatusOr<v1::BatchGetBenchmarksResponse> BenchmarkService::BatchGetBenchmarks(
    const v1::BatchGetBenchmarksRequest& request) {
  if (absl::Status la = CheckLaCode(request.la_code()); !la.ok()) return la;
  if (request.indicator_codes().empty() || request.indicator_codes_size() > kMaxBatchBenchmarks) {
    return absl::InvalidArgumentError(absl::StrCat("indicator_codes: give 1 to ",
                                                   kMaxBatchBenchmarks, " codes, not ",
                                                   request.indicator_codes_size()));
  }
  // The periods asked, month first.
  std::vector<std::pair<v1::PeriodKind, std::string>> periods;
  if (!request.month().empty()) {
    absl::Status s = Month::Parse(request.month()).status();
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("month: ", s.message()));
    periods.emplace_back(v1::PERIOD_KIND_MONTH, request.month());
  }
  if (!request.financial_year().empty()) {
    absl::Status s = FinancialYear::Parse(request.financial_year()).status();
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("financial_year: ", s.message()));
    periods.emplace_back(v1::PERIOD_KIND_FINANCIAL_YEAR, request.financial_year());
  }
  if (periods.empty()) return absl::InvalidArgumentError("a month or a financial year is required");
  absl::Status known_la = indicators_.GetLocalAuthority(request.la_code()).status();
  if (!known_la.ok()) return known_la;
  absl::StatusOr<std::vector<v1::Indicator>> catalogue = indicators_.ListIndicators();
  if (!catalogue.ok()) return catalogue.status();
  std::map<std::string, const v1::Indicator*> known;
  for (const v1::Indicator& i : *catalogue) known[i.code()] = &i;
  std::vector<std::string> codes;  // Known, each once, in the order asked.
  std::set<std::string> seen;
  for (const std::string& code : request.indicator_codes()) {
    if (known.count(code) != 0 && seen.insert(code).second) codes.push_back(code);
  }

  v1::BatchGetBenchmarksResponse response;
  std::optional<NeighbourList> sn;
  std::set<std::string> answered;
  for (const auto& [kind, period] : periods) {
    if (codes.empty()) break;
    // Every LA's values of every asked indicator in the period, in one read.
    v1::ListValuesRequest values_request;
    values_request.set_period_kind(kind);
    values_request.set_from_period(period);
    values_request.set_to_period(period);
    for (const std::string& code : codes) values_request.add_indicator_codes(code);
    if (request.has_as_of()) *values_request.mutable_as_of() = request.as_of();
    values_request.set_page_size(10000);
    values_request.set_view(v1::VALUE_VIEW_FIGURES);
    absl::StatusOr<std::vector<v1::Value>> values = indicators_.ListValues(values_request);
    if (!values.ok()) return values.status();
    std::map<std::string, std::vector<LaValue>> by_code;
    for (const v1::Value& v : *values) {
      if (v.has_value()) by_code[v.indicator_code()].push_back(ToLaValue(v));
    }
    for (const std::string& code : codes) {
      auto found = by_code.find(code);
      if (found == by_code.end()) continue;
      if (!sn.has_value()) {
        absl::StatusOr<NeighbourList> list = Neighbours(request.model(), request.la_code());
        if (!list.ok()) return list.status();
        sn = *std::move(list);
      }
      const v1::Indicator& indicator = *known.at(code);
      v1::Benchmark& b = *response.add_benchmarks();
      b.set_la_code(request.la_code());
      b.set_indicator_code(code);
      b.set_decimal_places(indicator.effective_decimal_places());
      SetPeriod(b, kind, period);
      ComputeInto(b, indicator, found->second, *sn, request.sn_aggregate());
      answered.insert(code);
    }
  }
  std::set<std::string> unanswered;
  for (const std::string& code : request.indicator_codes()) {
    if (answered.count(code) == 0 && unanswered.insert(code).second) response.add_no_values(code);
  }
  return response;
}

absl::StatusOr<v1::GetComparatorsVersionResponse> BenchmarkService::GetComparatorsVersion(
    const v1::GetComparatorsVersionRequest& /*request*/) {
  absl::StatusOr<int64_t> version = store_.Version();
  if (!version.ok()) return version.status();
  v1::GetComparatorsVersionResponse response;
  response.set_version(*version);
  *response.mutable_lease() = LeaseToProto(fence_.lease());
  return response;
}

absl::StatusOr<v1::ListRanksResponse> BenchmarkService::ListRanks(
    const v1::ListRanksRequest& request) {
  if (request.indicator_code().empty()) {
    return absl::InvalidArgumentError("indicator_code is required");
  }
  v1::PeriodKind kind = v1::PERIOD_KIND_MONTH;
  std::string period;
  absl::Status period_ok = ReadPeriod(request, kind, period);
  if (!period_ok.ok()) return period_ok;
  absl::StatusOr<v1::Indicator> indicator = indicators_.GetIndicator(request.indicator_code());
  if (!indicator.ok()) return indicator.status();
  if (!IsRankable(indicator->polarity())) {
    return absl::FailedPreconditionError(absl::StrCat(
        request.indicator_code(), " has no polarity (",
        indicator->polarity() == v1::POLARITY_INFO ? "info" : "range", "): it is not ranked"));
  }
  absl::StatusOr<std::vector<LaValue>> all =
      AllValues(indicators_, request.indicator_code(), kind, period);
  if (!all.ok()) return all.status();
  if (all->empty()) {
    return WithErrorInfo(absl::NotFoundError(absl::StrCat(
                             "no LA has a value of ", request.indicator_code(), " in ", period)),
                         v1::NO_DATA_FOR_PERIOD, {{"indicator_code", request.indicator_code()}});
  }
  absl::StatusOr<std::map<std::string, v1::LocalAuthority>> las = LasByCode(indicators_);
  if (!las.ok()) return las.status();
  v1::ListRanksResponse response;
  response.set_decimal_places(indicator->effective_decimal_places());
  std::vector<double> values;
  for (const LaValue& v : *all) values.push_back(v.value);
  const Quartiles q = QuartilesOf(values);
  response.set_q1(q.q1);
  response.set_q2(q.q2);
  response.set_q3(q.q3);
  const bool banded = indicator->quartiles();
  if (banded) {
    response.set_top_quartile_threshold(TopQuartileThreshold(q, indicator->polarity()));
  } else {
    response.add_notes(
        "the DfE does not band this measure into quartiles (its range is too small)");
  }
  const std::vector<Ranked> ranked = RankAll(*all, indicator->polarity());
  response.set_rank_of(static_cast<int32_t>(ranked.size()));
  std::vector<v1::LaRank> ranks;
  for (const Ranked& r : ranked) {
    v1::LaRank& out = ranks.emplace_back();
    out.set_la_code(r.la_code);
    auto la = las->find(r.la_code);
    if (la != las->end()) out.set_name(la->second.name());
    out.set_value(r.value);
    out.set_rank(r.rank);
    if (banded) out.set_quartile(Band(r.value, q, indicator->polarity()));
  }
  // Best first, ties in LA code order. Every page carries the quartiles
  // and rank_of, which are over all LAs.
  absl::Status paged = PageByKey(
      request, 200, 1000, std::move(ranks),
      [](const v1::LaRank& r) {
        std::string key;
        AppendKeyPart(key, int64_t{r.rank()});
        AppendKeyPart(key, r.la_code());
        return key;
      },
      response.mutable_ranks(), response.mutable_next_page_token());
  if (!paged.ok()) return paged;
  return response;
}

}  // namespace carescore::benchmarks
