#include "services/stores/store_copy.h"

#include <filesystem>

#include "absl/time/clock.h"
#include "common/auth/pg_audit_log.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/pg_db.h"
#include "common/proto_time.h"
#include "common/testing/pg_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/benchmarks/pg_benchmark_store.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/escalations/pg_escalation_store.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/indicators/pg_indicator_store.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/indicators/testing/records.h"
#include "services/reports/commentary_store.h"
#include "services/reports/pg_commentary_store.h"

namespace carescore::stores {
namespace {

using indicators::testing::La;
using indicators::testing::Reviews;
using indicators::testing::Val;
using ::testing::HasSubstr;

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<std::string> url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    dir_ = std::filesystem::temp_directory_path() /
           ("carescore-copy-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string File(const char* name) const { return (dir_ / name).string(); }

  // A loaded data folder: two revisions of a value, an escalation with a
  // second transition, an audit, commentary, neighbours and audit entries.
  void Load() {
    auto ind = indicators::SqliteIndicatorStore::Open(File("indicators.db"));
    ASSERT_TRUE(ind.ok()) << ind.status();
    ASSERT_TRUE(
        (*ind)->UpsertLocalAuthorities({La("372", "Rotherham"), La("373", "Sheffield")}).ok());
    ASSERT_TRUE((*ind)->UpsertIndicators({Reviews()}).ok());
    ASSERT_TRUE((*ind)->AppendValues("first", {Val("372", "6.8", "2018-09", 90.0, 126, 140)}).ok());
    ASSERT_TRUE((*ind)
                    ->AppendValues("second", {Val("372", "6.8", "2018-09", 90.7, 127, 140),
                                              Val("373", "6.8", "2018-09", 1.0 / 3.0)})
                    .ok());

    auto bench = benchmarks::SqliteBenchmarkStore::Open(File("benchmarks.db"));
    ASSERT_TRUE(bench.ok()) << bench.status();
    v1::Neighbour n;
    n.set_la_code("372");
    n.set_neighbour_la_code("373");
    n.set_rank(1);
    ASSERT_TRUE((*bench)->ReplaceNeighbours("sn-2025", {n}).ok());

    auto esc = escalations::SqliteEscalationStore::Open(File("escalations.db"));
    ASSERT_TRUE(esc.ok()) << esc.status();
    v1::Escalation e;
    e.set_la_code("372");
    e.set_stage(1);
    e.set_team("LAC 2");
    *e.mutable_raised_at() = ProtoFromMicros(absl::ToUnixMicros(absl::Now()));
    e.add_transitions()->set_note("raised");
    auto inserted = (*esc)->Insert(e);
    ASSERT_TRUE(inserted.ok()) << inserted.status();
    v1::Escalation moved = *inserted;
    moved.set_stage(2);
    moved.add_transitions()->set_note("stage 2");
    ASSERT_TRUE((*esc)->Update(moved, 1).ok());
    ASSERT_TRUE((*esc)->LogAccess("iro-1", "read", inserted->id()).ok());

    auto notes = reports::SqliteCommentaryStore::Open(File("reports.db"));
    ASSERT_TRUE(notes.ok()) << notes.status();
    v1::Commentary c;
    c.set_la_code("372");
    c.set_month("2018-10");
    c.set_section("Looked After Children");
    c.set_text("Reviews\tback on track\nafter a dip \\ see 6.8");
    ASSERT_TRUE((*notes)->Put(c).ok());

    auto audit = auth::SqliteAuditLog::Open(File("audit.db"));
    ASSERT_TRUE(audit.ok()) << audit.status();
    for (int i = 0; i < 5; ++i) {
      auth::AuditEntry entry;
      entry.at = absl::Now();
      entry.subject = "analyst-" + std::to_string(i);
      entry.method = "IndicatorService/ImportValues";
      entry.la_codes = "372";
      entry.result = "OK";
      ASSERT_TRUE((*audit)->Append(entry).ok());
    }
  }

  std::string url_;
  std::filesystem::path dir_;
};

TEST_F(StoreCopyTest, CopiesEveryStoreWithFullHistory) {
  Load();
  absl::StatusOr<CopyReport> report = CopySqliteToPostgres(dir_.string(), url_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->audit_entries, 5);
  EXPECT_GT(report->all_data_version, 0);

  auto ind = indicators::PgIndicatorStore::Open(url_);
  ASSERT_TRUE(ind.ok()) << ind.status();
  auto history = (*ind)->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-09"});
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].source(), "first");
  EXPECT_EQ((*history)[1].value(), 90.7);
  indicators::ValueQuery all;
  auto values = (*ind)->ListValues(all);
  ASSERT_TRUE(values.ok());
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[1].value(), 1.0 / 3.0);  // Every bit of the double.
  auto sqlite_ind = indicators::SqliteIndicatorStore::Open(File("indicators.db"));
  EXPECT_EQ(*(*ind)->DataVersion("372"), *(*sqlite_ind)->DataVersion("372"));
  EXPECT_EQ(*(*ind)->CatalogueVersion(), *(*sqlite_ind)->CatalogueVersion());
  // A load after the copy carries on the numbering.
  auto next = (*ind)->AppendValues("third", {Val("372", "6.8", "2018-10", 91.0)});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_GT(next->load_id, (*history)[1].load_id());

  auto esc = escalations::PgEscalationStore::Open(url_);
  ASSERT_TRUE(esc.ok()) << esc.status();
  auto found = (*esc)->Find("ESC-000001");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->transitions_size(), 2);
  EXPECT_EQ((*found)->stage(), 2);
  v1::Escalation another;
  another.set_la_code("372");
  *another.mutable_raised_at() = ProtoFromMicros(absl::ToUnixMicros(absl::Now()));
  auto second = (*esc)->Insert(another);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id(), "ESC-000002");  // Ids carry on after the copied ones.

  auto notes = reports::PgCommentaryStore::Open(url_);
  ASSERT_TRUE(notes.ok());
  auto listed = (*notes)->List("372", "2018-10");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].text(), "Reviews\tback on track\nafter a dip \\ see 6.8");

  auto bench = benchmarks::PgBenchmarkStore::Open(url_);
  ASSERT_TRUE(bench.ok());
  auto neighbours = (*bench)->ListNeighbours("sn-2025", "372");
  ASSERT_TRUE(neighbours.ok());
  ASSERT_EQ(neighbours->size(), 1u);

  auto audit = auth::PgAuditLog::Open(url_);
  ASSERT_TRUE(audit.ok());
  auth::AuditEntry later;
  later.at = absl::Now();
  later.subject = "after-copy";
  later.result = "OK";
  ASSERT_TRUE((*audit)->Append(later).ok());
  auto verified = (*audit)->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->entries, 6);
  EXPECT_EQ(verified->first_bad_seq, 0);
}

TEST_F(StoreCopyTest, RefusesANonEmptyTargetAndLeavesItAlone) {
  Load();
  ASSERT_TRUE(CopySqliteToPostgres(dir_.string(), url_).ok());
  absl::StatusOr<CopyReport> again = CopySqliteToPostgres(dir_.string(), url_);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("not empty"));
  auto ind = indicators::PgIndicatorStore::Open(url_);
  ASSERT_TRUE(ind.ok());
  EXPECT_EQ((*ind)->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-09"})->size(), 2u);
}

TEST_F(StoreCopyTest, ATamperedAuditLogIsRefusedAndNothingStays) {
  Load();
  {
    auto db = SqliteDb::Open(File("audit.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("UPDATE audit_log SET subject = 'someone-else' WHERE seq = 3").ok());
  }
  absl::StatusOr<CopyReport> report = CopySqliteToPostgres(dir_.string(), url_);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
  EXPECT_THAT(report.status().message(), HasSubstr("entry 3"));
  // The schemas were dropped: the target is empty again.
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_, "");
  ASSERT_TRUE(conn.ok());
  absl::StatusOr<PgResult> left =
      (*conn)->Exec("SELECT count(*) FROM pg_namespace WHERE nspname IN ('indicators', 'audit')");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->Int(0, 0), 0);
}

TEST_F(StoreCopyTest, AFolderWithoutStoresIsNamed) {
  absl::StatusOr<CopyReport> report = CopySqliteToPostgres(dir_.string(), url_);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(report.status().message(), HasSubstr("indicators.db"));
}

}  // namespace
}  // namespace carescore::stores
