// The EscalationStore contract, run unchanged against SQLite and PostgreSQL;
// then what only replicas sharing PostgreSQL need: unique ids and the
// optimistic lock across two store objects on one database, and the change
// relay between two replicas' feeds (also across a server restart).

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/proto_time.h"
#include "common/testing/pg_server.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/escalations/change_feed.h"
#include "services/escalations/escalation_store.h"
#include "services/escalations/pg_change_relay.h"
#include "services/escalations/pg_escalation_store.h"
#include "services/escalations/sqlite_escalation_store.h"

namespace carescore::escalations {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

constexpr absl::Time kMorning = absl::FromUnixSeconds(1559390400);  // 2019-06-01 12:00 UTC.

// An open stage 1 case of `la` raised at `raised`, with its first step.
v1::Escalation Case(absl::string_view la, absl::Time raised) {
  v1::Escalation e;
  e.set_la_code(std::string(la));
  e.set_child_ref("C-1001");
  e.set_iro_id("iro-7");
  e.set_team("LAC 2");
  e.add_themes("permanence_drift");
  e.set_stage(1);
  e.set_status(v1::ESCALATION_STATUS_OPEN);
  *e.mutable_raised_at() = TimeToProto(raised);
  *e.mutable_stage_started_at() = TimeToProto(raised);
  e.set_due_date("2019-06-06");
  e.set_resolve_by("2019-07-01");
  v1::Transition* t = e.add_transitions();
  t->set_kind(v1::TRANSITION_KIND_RAISED);
  t->set_to_stage(1);
  t->set_actor("iro-7");
  *t->mutable_at() = TimeToProto(raised);
  return e;
}

v1::Audit Audit(absl::string_view la, absl::string_view review_date) {
  v1::Audit a;
  a.set_la_code(std::string(la));
  a.set_child_ref("C-2002");
  a.set_review_date(std::string(review_date));
  a.set_grade(v1::AUDIT_GRADE_GOOD);
  a.set_iro_id("iro-7");
  a.set_team("LAC 2");
  *a.mutable_recorded_at() = TimeToProto(kMorning);
  return a;
}

std::vector<std::string> Ids(const std::vector<v1::Escalation>& escalations) {
  std::vector<std::string> ids;
  ids.reserve(escalations.size());
  for (const v1::Escalation& e : escalations) ids.push_back(e.id());
  return ids;
}

std::vector<std::string> AuditIds(const std::vector<v1::Audit>& audits) {
  std::vector<std::string> ids;
  ids.reserve(audits.size());
  for (const v1::Audit& a : audits) ids.push_back(a.id());
  return ids;
}

enum class Backend { kSqlite, kPostgres };

class EscalationStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      absl::StatusOr<std::unique_ptr<SqliteEscalationStore>> store =
          SqliteEscalationStore::Open(":memory:");
      ASSERT_TRUE(store.ok()) << store.status();
      store_ = *std::move(store);
      return;
    }
    absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<std::string> url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    absl::StatusOr<std::unique_ptr<PgEscalationStore>> store = PgEscalationStore::Open(*url);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  v1::Escalation InsertOk(v1::Escalation e) {
    absl::StatusOr<v1::Escalation> inserted = store_->Insert(std::move(e));
    EXPECT_TRUE(inserted.ok()) << inserted.status();
    return inserted.ok() ? *inserted : v1::Escalation();
  }

  std::vector<std::string> ListIds(const EscalationFilter& filter) {
    absl::StatusOr<std::vector<v1::Escalation>> listed = store_->List(filter);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? Ids(*listed) : std::vector<std::string>();
  }

  std::unique_ptr<EscalationStore> store_;
};

TEST_P(EscalationStoreContractTest, InsertNumbersFromOneAndFindReturnsTheWholeCase) {
  const v1::Escalation first = InsertOk(Case("372", kMorning));
  const v1::Escalation second = InsertOk(Case("373", kMorning));
  EXPECT_EQ(first.id(), "ESC-000001");
  EXPECT_EQ(second.id(), "ESC-000002");
  absl::StatusOr<std::optional<v1::Escalation>> found = store_->Find("ESC-000002");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**found, second)) << (*found)->DebugString();
}

TEST_P(EscalationStoreContractTest, FindOfAnUnknownIdIsEmptyNotAnError) {
  absl::StatusOr<std::optional<v1::Escalation>> found = store_->Find("ESC-000404");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_P(EscalationStoreContractTest, ListOrdersByRaisedAtThenId) {
  InsertOk(Case("372", kMorning + absl::Hours(2)));  // ESC-000001
  InsertOk(Case("372", kMorning));                   // ESC-000002
  InsertOk(Case("372", kMorning + absl::Hours(1)));  // ESC-000003
  InsertOk(Case("372", kMorning));                   // ESC-000004
  EXPECT_THAT(ListIds(EscalationFilter()),
              ElementsAre("ESC-000002", "ESC-000004", "ESC-000003", "ESC-000001"));
}

TEST_P(EscalationStoreContractTest, ListFiltersByEachFieldAndTheirCombination) {
  v1::Escalation a = Case("372", kMorning);
  a.add_themes("contact");
  v1::Escalation b = Case("373", kMorning + absl::Hours(24));
  b.set_team("LAC 3");
  b.set_iro_id("iro-8");
  b.clear_themes();
  b.add_themes("contact");
  b.set_stage(2);
  b.set_status(v1::ESCALATION_STATUS_RESPONDED);
  v1::Escalation c = Case("372", kMorning + absl::Hours(48));
  c.set_team("LAC 3");
  c.clear_themes();
  c.add_themes("health");
  c.set_stage(3);
  c.set_status(v1::ESCALATION_STATUS_RESOLVED);
  InsertOk(a);  // ESC-000001
  InsertOk(b);  // ESC-000002
  InsertOk(c);  // ESC-000003

  EscalationFilter f;
  f.la_code = "372";
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000001", "ESC-000003"));
  f = EscalationFilter();
  f.status = v1::ESCALATION_STATUS_RESPONDED;
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000002"));
  f = EscalationFilter();
  f.stage = 3;
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000003"));
  f = EscalationFilter();
  f.team = "LAC 3";
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000002", "ESC-000003"));
  f = EscalationFilter();
  f.theme = "contact";
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000001", "ESC-000002"));
  f.theme = "conta";  // A whole theme, not part of one.
  EXPECT_THAT(ListIds(f), IsEmpty());
  f = EscalationFilter();
  f.iro_id = "iro-8";
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000002"));
  f = EscalationFilter();
  f.raised_from = kMorning + absl::Hours(24);  // Inclusive.
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000002", "ESC-000003"));
  f = EscalationFilter();
  f.raised_to = kMorning + absl::Hours(24);  // Exclusive.
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000001"));
  f.raised_from = kMorning + absl::Hours(24);
  f.raised_to = kMorning + absl::Hours(48);
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000002"));
  f = EscalationFilter();
  f.la_code = "372";
  f.team = "LAC 3";
  EXPECT_THAT(ListIds(f), ElementsAre("ESC-000003"));
  f.la_code = "999";
  EXPECT_THAT(ListIds(f), IsEmpty());
}

TEST_P(EscalationStoreContractTest, PagesResumeStrictlyAfterTheLastKeySeen) {
  for (int i = 0; i < 7; ++i) InsertOk(Case("372", kMorning + absl::Hours(i / 2)));  // Pairs tie.
  const std::vector<std::string> all = ListIds(EscalationFilter());
  ASSERT_THAT(all, SizeIs(7));
  std::vector<std::string> paged;
  EscalationFilter f;
  f.limit = 3;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<std::vector<v1::Escalation>> got = store_->List(f);
    ASSERT_TRUE(got.ok()) << got.status();
    if (got->empty()) break;
    EXPECT_LE(got->size(), size_t{3});
    for (const v1::Escalation& e : *got) paged.push_back(e.id());
    f.after = std::make_pair(TimeFromProto(got->back().raised_at()), got->back().id());
  }
  EXPECT_EQ(paged, all);
}

TEST_P(EscalationStoreContractTest, UpdateReplacesTheCaseWhenNobodyChangedItMeanwhile) {
  v1::Escalation e = InsertOk(Case("372", kMorning));
  e.set_status(v1::ESCALATION_STATUS_RESPONDED);
  e.set_stage(2);
  v1::Transition* t = e.add_transitions();
  t->set_kind(v1::TRANSITION_KIND_RESPONDED);
  t->set_actor("la-manager");
  *t->mutable_at() = TimeToProto(kMorning + absl::Hours(3));
  ASSERT_TRUE(store_->Update(e, 1).ok());
  absl::StatusOr<std::optional<v1::Escalation>> found = store_->Find(e.id());
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**found, e));
  // The filter columns follow the case.
  EscalationFilter f;
  f.status = v1::ESCALATION_STATUS_RESPONDED;
  f.stage = 2;
  EXPECT_THAT(ListIds(f), ElementsAre(e.id()));
}

TEST_P(EscalationStoreContractTest, UpdateFromAStaleTransitionCountIsAbortedAndChangesNothing) {
  v1::Escalation e = InsertOk(Case("372", kMorning));
  v1::Escalation first = e;
  first.add_transitions()->set_kind(v1::TRANSITION_KIND_RESPONDED);
  ASSERT_TRUE(store_->Update(first, 1).ok());
  v1::Escalation late = e;
  late.set_status(v1::ESCALATION_STATUS_WITHDRAWN);
  late.add_transitions()->set_kind(v1::TRANSITION_KIND_WITHDRAWN);
  EXPECT_EQ(store_->Update(late, 1).code(), absl::StatusCode::kAborted);
  absl::StatusOr<std::optional<v1::Escalation>> found = store_->Find(e.id());
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**found, first));
}

TEST_P(EscalationStoreContractTest, UpdateOfACaseNeverStoredIsRefused) {
  v1::Escalation ghost = Case("372", kMorning);
  ghost.set_id("ESC-000404");
  // Both stores say Aborted (nothing matched), not NotFound.
  EXPECT_EQ(store_->Update(ghost, 1).code(), absl::StatusCode::kAborted);
  EXPECT_THAT(ListIds(EscalationFilter()), IsEmpty());
}

TEST_P(EscalationStoreContractTest, AnAuditAndTheEscalationItOpensAreLinkedBothWays) {
  auto plain = store_->InsertAudit(Audit("372", "2019-05-01"), std::nullopt);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->first.id(), "QAC-000001");
  EXPECT_EQ(plain->first.escalation_id(), "");
  EXPECT_FALSE(plain->second.has_value());
  InsertOk(Case("372", kMorning));  // ESC-000001: audits and escalations count apart.
  auto linked = store_->InsertAudit(Audit("372", "2019-05-02"), Case("372", kMorning));
  ASSERT_TRUE(linked.ok()) << linked.status();
  const v1::Audit& audit = linked->first;
  ASSERT_TRUE(linked->second.has_value());
  const v1::Escalation& opened = *linked->second;
  EXPECT_EQ(audit.id(), "QAC-000002");
  EXPECT_EQ(opened.id(), "ESC-000002");
  EXPECT_EQ(audit.escalation_id(), "ESC-000002");
  EXPECT_EQ(opened.audit_id(), "QAC-000002");
  absl::StatusOr<std::optional<v1::Escalation>> found = store_->Find("ESC-000002");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**found, opened));
  absl::StatusOr<std::vector<v1::Audit>> stored =
      store_->ListAudits("372", absl::CivilDay(2019, 5, 2), absl::CivilDay(2019, 5, 2));
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_THAT(*stored, SizeIs(1));
  EXPECT_TRUE(MessageDifferencer::Equals(stored->front(), audit));
}

TEST_P(EscalationStoreContractTest, ListAuditsTakesAnLaOrAllAndAnInclusiveDayRange) {
  for (const auto& [la, day] :
       std::vector<std::pair<std::string, std::string>>{{"372", "2019-05-15"},     // QAC-000001
                                                        {"373", "2019-05-15"},     // QAC-000002
                                                        {"372", "2019-05-01"},     // QAC-000003
                                                        {"372", "2019-06-01"},     // QAC-000004
                                                        {"372", "2019-04-30"}}) {  // QAC-000005
    ASSERT_TRUE(store_->InsertAudit(Audit(la, day), std::nullopt).ok());
  }
  absl::StatusOr<std::vector<v1::Audit>> of_372 =
      store_->ListAudits("372", absl::CivilDay(2019, 5, 1), absl::CivilDay(2019, 5, 15));
  ASSERT_TRUE(of_372.ok()) << of_372.status();
  EXPECT_THAT(AuditIds(*of_372), ElementsAre("QAC-000003", "QAC-000001"));
  absl::StatusOr<std::vector<v1::Audit>> of_all =
      store_->ListAudits("", absl::CivilDay(2019, 5, 15), absl::CivilDay(2019, 6, 1));
  ASSERT_TRUE(of_all.ok()) << of_all.status();
  EXPECT_THAT(AuditIds(*of_all), ElementsAre("QAC-000001", "QAC-000002", "QAC-000004"));
}

TEST_P(EscalationStoreContractTest, AnLasClosuresAreItsOwnAndEveryLas) {
  ASSERT_TRUE(store_
                  ->AddClosures("372", {absl::CivilDay(2019, 12, 27), absl::CivilDay(2019, 12, 30)},
                                "office closed")
                  .ok());
  ASSERT_TRUE(store_->AddClosures("", {absl::CivilDay(2019, 12, 31)}, "all closed").ok());
  ASSERT_TRUE(store_->AddClosures("373", {absl::CivilDay(2019, 12, 23)}, "training").ok());
  // Again, with a day given twice and a new reason: kept once.
  ASSERT_TRUE(store_
                  ->AddClosures("372", {absl::CivilDay(2019, 12, 27), absl::CivilDay(2019, 12, 27)},
                                "flood")
                  .ok());
  ASSERT_TRUE(store_->AddClosures("372", {}, "nothing").ok());
  absl::StatusOr<std::set<absl::CivilDay>> closed = store_->Closures("372");
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_THAT(*closed, ElementsAre(absl::CivilDay(2019, 12, 27), absl::CivilDay(2019, 12, 30),
                                   absl::CivilDay(2019, 12, 31)));
  absl::StatusOr<std::set<absl::CivilDay>> elsewhere = store_->Closures("999");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_THAT(*elsewhere, ElementsAre(absl::CivilDay(2019, 12, 31)));
}

TEST_P(EscalationStoreContractTest, TheAccessLogIsOldestFirstStampedAndLimited) {
  const absl::Time before = absl::Now();
  ASSERT_TRUE(store_->LogAccess("iro-7", "read", "ESC-000001").ok());
  ASSERT_TRUE(store_->LogAccess("admin", "list", "372").ok());
  ASSERT_TRUE(store_->LogAccess("iro-8", "watch", "all").ok());
  absl::StatusOr<std::vector<std::string>> two = store_->AccessLog(2);
  ASSERT_TRUE(two.ok()) << two.status();
  ASSERT_THAT(*two, SizeIs(2));
  EXPECT_THAT((*two)[0], EndsWith("Z iro-7 read ESC-000001"));
  EXPECT_THAT((*two)[1], EndsWith("Z admin list 372"));
  EXPECT_THAT((*two)[0], MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                      "\\.[0-9]{6}Z .*"));
  absl::Time stamped;
  std::string error;
  ASSERT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E6SZ", (*two)[0].substr(0, 27), &stamped, &error))
      << error;
  EXPECT_GE(stamped, absl::FromUnixMicros(absl::ToUnixMicros(before)));
  EXPECT_LE(stamped, absl::Now());
  absl::StatusOr<std::vector<std::string>> all = store_->AccessLog(10);
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(*all, SizeIs(3));
  absl::StatusOr<std::vector<std::string>> unlimited = store_->AccessLog(-1);
  ASSERT_TRUE(unlimited.ok()) << unlimited.status();
  EXPECT_THAT(*unlimited, SizeIs(3));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, EscalationStoreContractTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, EscalationStoreContractTest,
                         ::testing::Values(Backend::kPostgres));

// Two store objects on one database, as two replicas would have.
class PgReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<std::string> url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    for (std::unique_ptr<PgEscalationStore>* replica : {&a_, &b_}) {
      absl::StatusOr<std::unique_ptr<PgEscalationStore>> store = PgEscalationStore::Open(*url, 4);
      ASSERT_TRUE(store.ok()) << store.status();
      *replica = *std::move(store);
    }
  }
  std::unique_ptr<PgEscalationStore> a_;
  std::unique_ptr<PgEscalationStore> b_;
};

TEST_F(PgReplicasTest, WhatOneReplicaWritesTheOtherReads) {
  absl::StatusOr<v1::Escalation> e = a_->Insert(Case("372", kMorning));
  ASSERT_TRUE(e.ok()) << e.status();
  absl::StatusOr<std::optional<v1::Escalation>> found = b_->Find(e->id());
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**found, *e));
  auto audit = b_->InsertAudit(Audit("372", "2019-05-01"), Case("372", kMorning));
  ASSERT_TRUE(audit.ok()) << audit.status();
  EXPECT_EQ(audit->second->id(), "ESC-000002");
  absl::StatusOr<std::vector<v1::Audit>> audits =
      a_->ListAudits("", absl::CivilDay(2019, 5, 1), absl::CivilDay(2019, 5, 1));
  ASSERT_TRUE(audits.ok());
  EXPECT_THAT(AuditIds(*audits), ElementsAre("QAC-000001"));
  ASSERT_TRUE(a_->AddClosures("372", {absl::CivilDay(2019, 12, 27)}, "closed").ok());
  absl::StatusOr<std::set<absl::CivilDay>> closed = b_->Closures("372");
  ASSERT_TRUE(closed.ok());
  EXPECT_THAT(*closed, ElementsAre(absl::CivilDay(2019, 12, 27)));
  ASSERT_TRUE(a_->LogAccess("iro-7", "read", "ESC-000001").ok());
  ASSERT_TRUE(b_->LogAccess("iro-8", "read", "ESC-000002").ok());
  absl::StatusOr<std::vector<std::string>> log = a_->AccessLog(10);
  ASSERT_TRUE(log.ok());
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_THAT((*log)[1], EndsWith("iro-8 read ESC-000002"));
}

TEST_F(PgReplicasTest, ConcurrentWritersOnBothReplicasGetUniqueGaplessIdsAndLoseNothing) {
  constexpr int kThreadsPerReplica = 3;
  constexpr int kInserts = 15;
  constexpr int kAudits = 5;
  constexpr int kLogs = 10;
  absl::Mutex mu;
  std::vector<std::string> escalation_ids;
  std::vector<std::string> audit_ids;
  std::vector<absl::Status> errors;
  std::vector<std::thread> writers;
  for (int i = 0; i < 2 * kThreadsPerReplica; ++i) {
    EscalationStore* store = i % 2 == 0 ? a_.get() : b_.get();
    writers.emplace_back([&, store, i] {
      for (int n = 0; n < kInserts + kAudits + kLogs; ++n) {
        std::vector<std::string> escalations;
        std::vector<std::string> audits;
        absl::Status s;
        if (n < kInserts) {
          absl::StatusOr<v1::Escalation> e = store->Insert(Case("372", kMorning));
          s = e.status();
          if (e.ok()) escalations.push_back(e->id());
        } else if (n < kInserts + kAudits) {
          auto linked = store->InsertAudit(Audit("372", "2019-05-01"), Case("372", kMorning));
          s = linked.status();
          if (linked.ok()) {
            audits.push_back(linked->first.id());
            escalations.push_back(linked->second->id());
          }
        } else {
          s = store->LogAccess(absl::StrCat("writer-", i), "read", absl::StrCat(n));
        }
        absl::MutexLock lock(&mu);
        if (!s.ok()) errors.push_back(s);
        escalation_ids.insert(escalation_ids.end(), escalations.begin(), escalations.end());
        audit_ids.insert(audit_ids.end(), audits.begin(), audits.end());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (const absl::Status& s : errors) ADD_FAILURE() << s;
  constexpr int kThreads = 2 * kThreadsPerReplica;
  std::set<std::string> want_escalations;
  for (int n = 1; n <= kThreads * (kInserts + kAudits); ++n) {
    want_escalations.insert(absl::StrFormat("ESC-%06d", n));
  }
  std::set<std::string> want_audits;
  for (int n = 1; n <= kThreads * kAudits; ++n) want_audits.insert(absl::StrFormat("QAC-%06d", n));
  EXPECT_THAT(escalation_ids, SizeIs(want_escalations.size()));  // No id given twice...
  EXPECT_EQ(std::set<std::string>(escalation_ids.begin(), escalation_ids.end()),
            want_escalations);  // ...and none skipped.
  EXPECT_THAT(audit_ids, SizeIs(want_audits.size()));
  EXPECT_EQ(std::set<std::string>(audit_ids.begin(), audit_ids.end()), want_audits);
  absl::StatusOr<std::vector<v1::Escalation>> stored = b_->List(EscalationFilter());
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(*stored, SizeIs(want_escalations.size()));
  absl::StatusOr<std::vector<std::string>> log = a_->AccessLog(-1);
  ASSERT_TRUE(log.ok());
  EXPECT_THAT(*log, SizeIs(kThreads * kLogs));
}

TEST_F(PgReplicasTest, AnUpdateFromACountTheOtherReplicaMovedOnIsAborted) {
  absl::StatusOr<v1::Escalation> e = a_->Insert(Case("372", kMorning));
  ASSERT_TRUE(e.ok());
  absl::StatusOr<std::optional<v1::Escalation>> seen_by_b = b_->Find(e->id());
  ASSERT_TRUE(seen_by_b.ok() && seen_by_b->has_value());
  v1::Escalation by_a = *e;
  by_a.set_status(v1::ESCALATION_STATUS_RESPONDED);
  by_a.add_transitions()->set_kind(v1::TRANSITION_KIND_RESPONDED);
  ASSERT_TRUE(a_->Update(by_a, 1).ok());
  v1::Escalation by_b = **seen_by_b;
  by_b.set_status(v1::ESCALATION_STATUS_WITHDRAWN);
  by_b.add_transitions()->set_kind(v1::TRANSITION_KIND_WITHDRAWN);
  EXPECT_EQ(b_->Update(by_b, 1).code(), absl::StatusCode::kAborted);
  absl::StatusOr<std::optional<v1::Escalation>> now = b_->Find(e->id());
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**now, by_a));
}

TEST_F(PgReplicasTest, OfUpdatesRacingFromOneCountExactlyOneWins) {
  absl::StatusOr<v1::Escalation> e = a_->Insert(Case("372", kMorning));
  ASSERT_TRUE(e.ok());
  constexpr size_t kRacers = 8;
  std::vector<absl::Status> results(kRacers);
  std::vector<v1::Escalation> versions(kRacers, *e);
  std::vector<std::thread> racers;
  for (size_t i = 0; i < kRacers; ++i) {
    versions[i].set_outcome(absl::StrCat("racer ", i));
    versions[i].add_transitions()->set_kind(v1::TRANSITION_KIND_RESOLVED);
    racers.emplace_back(
        [&, i] { results[i] = (i % 2 == 0 ? a_.get() : b_.get())->Update(versions[i], 1); });
  }
  for (std::thread& t : racers) t.join();
  std::optional<size_t> winner;
  for (size_t i = 0; i < kRacers; ++i) {
    if (results[i].ok()) {
      EXPECT_FALSE(winner.has_value()) << "two updates from one count both won";
      winner = i;
    } else {
      EXPECT_EQ(results[i].code(), absl::StatusCode::kAborted) << results[i];
    }
  }
  ASSERT_TRUE(winner.has_value());
  absl::StatusOr<std::optional<v1::Escalation>> stored = a_->Find(e->id());
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(**stored, versions[*winner]));
}

// Changes published within a second reach a feed's watchers this fast.
constexpr absl::Duration kWithin = absl::Seconds(1);
// How long a feed is watched for a duplicate that must not come.
constexpr absl::Duration kQuiet = absl::Milliseconds(300);

v1::WatchEscalationsResponse Change(const v1::Escalation& e, v1::TransitionKind kind) {
  v1::WatchEscalationsResponse change;
  *change.mutable_escalation() = e;
  change.set_change(kind);
  return change;
}

// One watcher of a feed, from now on.
class Watcher {
 public:
  explicit Watcher(ChangeFeed& feed) : feed_(feed), cursor_(feed.Next()) {}
  // The next `n` changes, waiting at most `within` in all (fewer if late).
  std::vector<v1::WatchEscalationsResponse> Next(int n, absl::Duration within = kWithin) {
    std::vector<v1::WatchEscalationsResponse> got;
    const absl::Time deadline = absl::Now() + within;
    while (static_cast<int>(got.size()) < n) {
      std::optional<v1::WatchEscalationsResponse> change =
          feed_.Wait(&cursor_, std::max(deadline - absl::Now(), absl::ZeroDuration()));
      if (!change.has_value()) break;
      got.push_back(*std::move(change));
    }
    return got;
  }
  // True if nothing more comes for kQuiet.
  bool Quiet() { return !feed_.Wait(&cursor_, kQuiet).has_value(); }

 private:
  ChangeFeed& feed_;
  uint64_t cursor_;
};

// Two replicas on one database: each its store, feed and relay.
class PgChangeRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status();
    absl::StatusOr<std::string> url = (*server)->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    ASSERT_NO_FATAL_FAILURE(StartReplicas(*url));
  }

  void StartReplicas(const std::string& url) {
    for (size_t i = 0; i < 2; ++i) {
      absl::StatusOr<std::unique_ptr<PgEscalationStore>> store = PgEscalationStore::Open(url, 2);
      ASSERT_TRUE(store.ok()) << store.status();
      stores_[i] = *std::move(store);
      absl::StatusOr<std::unique_ptr<PgChangeRelay>> relay =
          PgChangeRelay::Start(url, feeds_[i], *stores_[i]);
      ASSERT_TRUE(relay.ok()) << relay.status();
      relays_[i] = *std::move(relay);
    }
  }

  void TearDown() override {
    for (std::unique_ptr<PgChangeRelay>& relay : relays_) relay.reset();
  }

  // Publishes a change through replica `from` and expects it once at each
  // replica's watcher, within a second.
  void ExpectEachReplicaGetsOnce(size_t from, const v1::WatchEscalationsResponse& change) {
    Watcher a(feeds_[0]);
    Watcher b(feeds_[1]);
    feeds_[from].Publish(change);
    for (Watcher* w : {&a, &b}) {
      std::vector<v1::WatchEscalationsResponse> got = w->Next(1);
      ASSERT_THAT(got, SizeIs(1)) << "not delivered within " << kWithin;
      EXPECT_TRUE(MessageDifferencer::Equals(got[0], change));
    }
    EXPECT_TRUE(a.Quiet()) << "delivered twice";
    EXPECT_TRUE(b.Quiet()) << "delivered twice";
  }

  std::array<std::unique_ptr<PgEscalationStore>, 2> stores_;
  std::array<ChangeFeed, 2> feeds_;
  std::array<std::unique_ptr<PgChangeRelay>, 2> relays_;
};

TEST_F(PgChangeRelayTest, AChangeReachesEveryReplicasWatchersOnceWithinASecond) {
  v1::Escalation e = Case("372", kMorning);
  e.set_id("ESC-000001");
  ASSERT_NO_FATAL_FAILURE(ExpectEachReplicaGetsOnce(0, Change(e, v1::TRANSITION_KIND_RAISED)));
  ASSERT_NO_FATAL_FAILURE(ExpectEachReplicaGetsOnce(1, Change(e, v1::TRANSITION_KIND_RESPONDED)));
}

TEST_F(PgChangeRelayTest, ManyChangesFromBothReplicasAtOnceArriveOnceEach) {
  constexpr int kPerReplica = 25;
  Watcher a(feeds_[0]);
  Watcher b(feeds_[1]);
  std::vector<std::thread> publishers;
  publishers.reserve(2);
  for (size_t r = 0; r < 2; ++r) {
    publishers.emplace_back([this, r] {
      for (int n = 0; n < kPerReplica; ++n) {
        v1::Escalation e = Case("372", kMorning);
        e.set_id(absl::StrCat("replica-", r, "-", n));
        feeds_[r].Publish(Change(e, v1::TRANSITION_KIND_RAISED));
      }
    });
  }
  for (std::thread& t : publishers) t.join();
  std::set<std::string> want;
  for (int r = 0; r < 2; ++r) {
    for (int n = 0; n < kPerReplica; ++n) want.insert(absl::StrCat("replica-", r, "-", n));
  }
  for (Watcher* w : {&a, &b}) {
    std::vector<v1::WatchEscalationsResponse> got = w->Next(2 * kPerReplica, absl::Seconds(5));
    std::vector<std::string> ids;
    ids.reserve(got.size());
    for (const v1::WatchEscalationsResponse& c : got) ids.push_back(c.escalation().id());
    EXPECT_THAT(ids, SizeIs(want.size()));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), want);
    EXPECT_TRUE(w->Quiet());
  }
}

TEST_F(PgChangeRelayTest, AChangeTooLargeForANotificationIsReadBackFromTheStore) {
  v1::Escalation big = Case("372", kMorning);
  for (int i = 0; i < 4; ++i) {
    v1::Transition* t = big.add_transitions();
    t->set_kind(v1::TRANSITION_KIND_RESPONDED);
    t->set_note(std::string(4000, static_cast<char>('a' + i)));
  }
  absl::StatusOr<v1::Escalation> stored = stores_[0]->Insert(big);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_GT(stored->ByteSizeLong(), size_t{8000});
  ASSERT_NO_FATAL_FAILURE(
      ExpectEachReplicaGetsOnce(1, Change(*stored, v1::TRANSITION_KIND_ESCALATED)));
}

TEST_F(PgChangeRelayTest, WithoutItsRelayAFeedDeliversLocallyAgain) {
  relays_[0].reset();
  Watcher a(feeds_[0]);
  Watcher b(feeds_[1]);
  v1::Escalation e = Case("372", kMorning);
  e.set_id("ESC-000009");
  feeds_[0].Publish(Change(e, v1::TRANSITION_KIND_RAISED));
  EXPECT_THAT(a.Next(1), SizeIs(1));
  EXPECT_TRUE(a.Quiet());
  EXPECT_TRUE(b.Quiet());
}

// On a server of its own, which it restarts.
class PgChangeRelayRestartTest : public PgChangeRelayTest {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::PgServer>> server = testing::PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::StatusOr<std::string> url = server_->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    ASSERT_NO_FATAL_FAILURE(StartReplicas(*url));
  }
  void TearDown() override {
    PgChangeRelayTest::TearDown();
    for (std::unique_ptr<PgEscalationStore>& store : stores_) store.reset();
    server_.reset();
  }
  std::unique_ptr<testing::PgServer> server_;
};

TEST_F(PgChangeRelayRestartTest, RelaysListenAgainAfterTheServerRestarts) {
  v1::Escalation e = Case("372", kMorning);
  e.set_id("ESC-000001");
  ASSERT_NO_FATAL_FAILURE(ExpectEachReplicaGetsOnce(0, Change(e, v1::TRANSITION_KIND_RAISED)));
  const std::array<uint64_t, 2> sessions = {relays_[0]->sessions(), relays_[1]->sessions()};
  ASSERT_TRUE(server_->Restart().ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while ((relays_[0]->sessions() == sessions[0] || relays_[1]->sessions() == sessions[1]) &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_GT(relays_[0]->sessions(), sessions[0]) << "relay A never listened again";
  ASSERT_GT(relays_[1]->sessions(), sessions[1]) << "relay B never listened again";
  // Relay A's pooled connection died with the server: the send retries.
  ASSERT_NO_FATAL_FAILURE(ExpectEachReplicaGetsOnce(0, Change(e, v1::TRANSITION_KIND_RESPONDED)));
  ASSERT_NO_FATAL_FAILURE(ExpectEachReplicaGetsOnce(1, Change(e, v1::TRANSITION_KIND_RESOLVED)));
}

}  // namespace
}  // namespace carescore::escalations
