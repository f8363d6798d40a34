#ifndef CARESCORE_SERVICES_ESCALATIONS_TESTING_ESCALATION_FIXTURE_H_
#define CARESCORE_SERVICES_ESCALATIONS_TESTING_ESCALATION_FIXTURE_H_

// The one fixture of the escalation service tests: the real rules on an
// in-memory SQLite store (behind a FailingEscalationStore, so a test can make
// the next store call fail), the real indicator rules holding England's LAs
// (data/england/local_authorities.csv, read with common/csv.h) reached
// through a DirectIndicatorReader, the default ladder, a change feed and a
// clock the test sets (`now_`, noon UK time on 1 June 2019 unless changed).
// The test target defines CARESCORE_ENGLAND_DIR.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"
#include "common/csv.h"
#include "common/proto_time.h"
#include "common/words.h"
#include "gtest/gtest.h"
#include "services/escalations/change_feed.h"
#include "services/escalations/escalation_service.h"
#include "services/escalations/ladder.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/escalations/testing/failing_escalation_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"

namespace carescore::escalations::testing {

inline absl::TimeZone London() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &tz));
  return tz;
}

// `hour`:00 UK time on a day (10:00 unless given).
inline absl::Time UkTime(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), London());
}

inline google::protobuf::Timestamp At(int y, int m, int d, int hour = 10) {
  return TimeToProto(UkTime(y, m, d, hour));
}

// England's LAs as the import file lists them.
inline std::vector<v1::LocalAuthority> EnglandLas() {
  std::vector<v1::LocalAuthority> las;
  absl::StatusOr<CsvTable> table =
      CsvTable::ReadFile(std::string(CARESCORE_ENGLAND_DIR) + "/local_authorities.csv");
  EXPECT_TRUE(table.ok()) << table.status();
  if (!table.ok()) return las;
  for (const CsvRow& row : table->rows()) {
    v1::LocalAuthority la;
    la.set_la_code(std::string(table->Field(row, "la_code")));
    la.set_ons_code(std::string(table->Field(row, "ons_code")));
    la.set_name(std::string(table->Field(row, "name")));
    la.set_region(std::string(table->Field(row, "region")));
    absl::StatusOr<v1::LaStatus> status = ParseLaStatus(table->Field(row, "status"));
    EXPECT_TRUE(status.ok()) << status.status();
    la.set_status(status.ok() ? *status : v1::LA_STATUS_CURRENT);
    las.push_back(std::move(la));
  }
  return las;
}

class EscalationServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<indicators::SqliteIndicatorStore>> indicator_store =
        indicators::SqliteIndicatorStore::Open(":memory:");
    ASSERT_TRUE(indicator_store.ok()) << indicator_store.status();
    indicator_store_ = *std::move(indicator_store);
    indicator_service_ = std::make_unique<indicators::IndicatorService>(*indicator_store_);
    reader_ = std::make_unique<indicators::DirectIndicatorReader>(*indicator_service_);
    v1::ImportLocalAuthoritiesRequest r;
    for (v1::LocalAuthority& la : EnglandLas()) *r.add_local_authorities() = std::move(la);
    ASSERT_GT(r.local_authorities_size(), 100);
    ASSERT_TRUE(indicator_service_->ImportLocalAuthorities(r).ok());
    absl::StatusOr<std::unique_ptr<SqliteEscalationStore>> store =
        SqliteEscalationStore::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    failing_store_ = std::make_unique<FailingEscalationStore>(*store_);
    UseLadder(Ladder::Default());
  }

  // Replaces the service with one on the same stores and feed, but `ladder`.
  void UseLadder(Ladder ladder) {
    service_ = std::make_unique<EscalationService>(*failing_store_, *reader_, std::move(ladder),
                                                   feed_, [this] { return now_; });
  }

  // A valid request: Rotherham, child C-1001, IRO iro-7, team LAC 2.
  v1::RaiseEscalationRequest Raise(int stage, google::protobuf::Timestamp at) {
    v1::RaiseEscalationRequest r;
    r.set_la_code("372");
    r.set_child_ref("C-1001");
    r.set_iro_id("iro-7");
    r.set_team("LAC 2");
    r.add_themes("permanence_drift");
    r.set_stage(stage);
    *r.mutable_raised_at() = at;
    return r;
  }

  v1::Escalation RaiseOk(int stage, google::protobuf::Timestamp at) {
    auto raised = service_->RaiseEscalation(Raise(stage, at));
    EXPECT_TRUE(raised.ok()) << raised.status();
    return raised.ok() ? raised->escalation() : v1::Escalation();
  }

  // How many escalations the service lists (this logs an access).
  int Stored() {
    v1::ListEscalationsRequest all;
    all.set_page_size(1000);
    return service_->ListEscalations(all)->escalations_size();
  }

  // What the store holds, read past the service (no access logged).
  std::vector<v1::Escalation> InStore() {
    absl::StatusOr<std::vector<v1::Escalation>> all = store_->List(EscalationFilter());
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? *all : std::vector<v1::Escalation>();
  }

  std::vector<std::string> AccessLog() {
    absl::StatusOr<std::vector<std::string>> log = store_->AccessLog(1000);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *log : std::vector<std::string>();
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2019, 6, 1, 12, 0, 0), London());
  std::unique_ptr<indicators::SqliteIndicatorStore> indicator_store_;
  std::unique_ptr<indicators::IndicatorService> indicator_service_;
  std::unique_ptr<indicators::DirectIndicatorReader> reader_;
  std::unique_ptr<SqliteEscalationStore> store_;
  std::unique_ptr<FailingEscalationStore> failing_store_;
  ChangeFeed feed_;
  std::unique_ptr<EscalationService> service_;
};

}  // namespace carescore::escalations::testing

#endif  // CARESCORE_SERVICES_ESCALATIONS_TESTING_ESCALATION_FIXTURE_H_
