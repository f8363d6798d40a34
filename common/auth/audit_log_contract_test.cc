// The AuditLog contract, run unchanged against SqliteAuditLog and
// PgAuditLog, then what only PostgreSQL shows: several replicas appending
// to one chain, and rows changed behind the log's back.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/audit_log.h"
#include "common/auth/pg_audit_log.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/pg_db.h"
#include "common/testing/pg_server.h"
#include "gtest/gtest.h"

namespace carescore::auth {
namespace {

using LogFactory = absl::StatusOr<std::unique_ptr<AuditLog>> (*)();

absl::StatusOr<std::unique_ptr<AuditLog>> OpenSqlite() {
  absl::StatusOr<std::unique_ptr<SqliteAuditLog>> log = SqliteAuditLog::Open(":memory:");
  if (!log.ok()) return log.status();
  return std::unique_ptr<AuditLog>(*std::move(log));
}

absl::StatusOr<std::string> FreshDatabase() {
  absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
  if (!server.ok()) return server.status();
  return (*server)->NewDatabase();
}

absl::StatusOr<std::unique_ptr<AuditLog>> OpenPostgres() {
  absl::StatusOr<std::string> url = FreshDatabase();
  if (!url.ok()) return url.status();
  absl::StatusOr<std::unique_ptr<PgAuditLog>> log = PgAuditLog::Open(*url);
  if (!log.ok()) return log.status();
  return std::unique_ptr<AuditLog>(*std::move(log));
}

AuditEntry Entry(const std::string& subject, const std::string& method, const std::string& la,
                 const std::string& result = "OK") {
  AuditEntry e;
  e.at = absl::FromUnixSeconds(1700000000);
  e.subject = subject;
  e.roles = "iro";
  e.method = method;
  e.la_codes = la;
  e.resource = "ESC-000001";
  e.result = result;
  return e;
}

std::vector<AuditEntry> All(AuditLog& log) {
  AuditFilter all;
  all.limit = -1;
  absl::StatusOr<std::vector<AuditEntry>> entries = log.List(all);
  EXPECT_TRUE(entries.ok()) << entries.status();
  return entries.ok() ? *std::move(entries) : std::vector<AuditEntry>();
}

// Every entry numbered 1..n in order and chained to the one before it.
void ExpectOneChain(const std::vector<AuditEntry>& entries, size_t n) {
  ASSERT_EQ(entries.size(), n);
  std::string prev;
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(entries[i].prev_hash, prev) << "seq " << entries[i].seq;
    EXPECT_EQ(entries[i].hash, AuditHash(entries[i], prev)) << "seq " << entries[i].seq;
    prev = entries[i].hash;
  }
}

class AuditLogContractTest : public ::testing::TestWithParam<LogFactory> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<AuditLog>> log = GetParam()();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }
  std::unique_ptr<AuditLog> log_;
};

TEST_P(AuditLogContractTest, AppendsAChainThatVerifies) {
  ASSERT_TRUE(log_->Append(Entry("iro-12", "EscalationService/GetEscalation", "372")).ok());
  ASSERT_TRUE(log_->Append(Entry("iro-3", "EscalationService/ListEscalations", "382")).ok());
  ASSERT_TRUE(
      log_->Append(Entry("analyst-1", "IndicatorService/ListValues", "382", "PERMISSION_DENIED"))
          .ok());
  absl::StatusOr<std::vector<AuditEntry>> all = log_->List(AuditFilter());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].seq, 1);
  EXPECT_EQ((*all)[0].prev_hash, "");
  EXPECT_EQ((*all)[1].prev_hash, (*all)[0].hash);
  EXPECT_EQ((*all)[2].result, "PERMISSION_DENIED");
  absl::StatusOr<AuditVerification> v = log_->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->entries, 3);
  EXPECT_EQ(v->first_bad_seq, 0);
  EXPECT_EQ(v->problem, "");

  AuditFilter by_la;
  by_la.la_code = "382";
  EXPECT_EQ(log_->List(by_la)->size(), 2u);
  AuditFilter by_subject;
  by_subject.subject = "iro-12";
  EXPECT_EQ(log_->List(by_subject)->size(), 1u);
  AuditFilter page;
  page.after_seq = 1;
  page.limit = 1;
  ASSERT_EQ(log_->List(page)->size(), 1u);
  EXPECT_EQ(log_->List(page)->front().seq, 2);
}

TEST_P(AuditLogContractTest, AnEmptyLogVerifies) {
  absl::StatusOr<AuditVerification> v = log_->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->entries, 0);
  EXPECT_EQ(v->first_bad_seq, 0);
  EXPECT_TRUE(All(*log_).empty());
}

TEST_P(AuditLogContractTest, EveryFieldIsKeptAndHashed) {
  AuditEntry e = Entry("svc-reports", "ReportService/GetScorecard", "372,382");
  e.at = absl::FromUnixMicros(1700000000123456);
  e.roles = "service,analyst";
  e.on_behalf_of = "head-of-service-4";
  e.resource = "ESC-000009 QAC-000002";
  e.seq = 99;               // Ignored: Append numbers it.
  e.hash = "not-the-hash";  // Ignored: Append computes it.
  ASSERT_TRUE(log_->Append(e).ok());
  AuditEntry odd = Entry("o'brien \"the\"\tiro\nsecond line \\ é", "M/N", "");
  odd.result = "PERMISSION_DENIED";
  ASSERT_TRUE(log_->Append(odd).ok());

  const std::vector<AuditEntry> all = All(*log_);
  ExpectOneChain(all, 2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].at, absl::FromUnixMicros(1700000000123456));
  EXPECT_EQ(all[0].subject, "svc-reports");
  EXPECT_EQ(all[0].roles, "service,analyst");
  EXPECT_EQ(all[0].on_behalf_of, "head-of-service-4");
  EXPECT_EQ(all[0].method, "ReportService/GetScorecard");
  EXPECT_EQ(all[0].la_codes, "372,382");
  EXPECT_EQ(all[0].resource, "ESC-000009 QAC-000002");
  EXPECT_EQ(all[0].result, "OK");
  EXPECT_EQ(all[1].subject, "o'brien \"the\"\tiro\nsecond line \\ é");
  EXPECT_EQ(all[1].la_codes, "");
  EXPECT_EQ(log_->Verify()->first_bad_seq, 0);
}

TEST_P(AuditLogContractTest, ListFiltersByWholeLaCodeMethodAndTime) {
  AuditEntry a = Entry("iro-1", "EscalationService/GetEscalation", "372,382");
  a.at = absl::FromUnixSeconds(1000);
  AuditEntry b = Entry("iro-1", "EscalationService/ListEscalations", "3820");
  b.at = absl::FromUnixSeconds(2000);
  AuditEntry c = Entry("iro-2", "EscalationService/GetEscalation", "382");
  c.at = absl::FromUnixSeconds(3000);
  for (const AuditEntry& e : {a, b, c}) ASSERT_TRUE(log_->Append(e).ok());

  auto seqs = [this](const AuditFilter& f) {
    std::vector<int64_t> out;
    absl::StatusOr<std::vector<AuditEntry>> got = log_->List(f);
    EXPECT_TRUE(got.ok()) << got.status();
    if (got.ok()) {
      for (const AuditEntry& e : *got) out.push_back(e.seq);
    }
    return out;
  };
  AuditFilter la;
  la.la_code = "382";  // A whole code in the list, never part of "3820".
  EXPECT_EQ(seqs(la), (std::vector<int64_t>{1, 3}));
  la.la_code = "38";
  EXPECT_TRUE(seqs(la).empty());
  AuditFilter method;
  method.method = "EscalationService/GetEscalation";
  EXPECT_EQ(seqs(method), (std::vector<int64_t>{1, 3}));
  method.subject = "iro-2";
  EXPECT_EQ(seqs(method), (std::vector<int64_t>{3}));
  AuditFilter time;
  time.from = absl::FromUnixSeconds(2000);  // Both ends included.
  time.to = absl::FromUnixSeconds(3000);
  EXPECT_EQ(seqs(time), (std::vector<int64_t>{2, 3}));
  time.to = absl::FromUnixSeconds(2999);
  EXPECT_EQ(seqs(time), (std::vector<int64_t>{2}));
  AuditFilter none;
  none.limit = 0;
  EXPECT_TRUE(seqs(none).empty());
  AuditFilter unlimited;
  unlimited.limit = -1;
  EXPECT_EQ(seqs(unlimited), (std::vector<int64_t>{1, 2, 3}));
}

TEST_P(AuditLogContractTest, PagesWalkTheWholeLogInOrder) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(log_->Append(Entry(absl::StrCat("iro-", i), "M/N", "372")).ok());
  }
  std::vector<int64_t> seen;
  AuditFilter page;
  page.limit = 3;
  for (;;) {
    absl::StatusOr<std::vector<AuditEntry>> got = log_->List(page);
    ASSERT_TRUE(got.ok()) << got.status();
    if (got->empty()) break;
    for (const AuditEntry& e : *got) seen.push_back(e.seq);
    page.after_seq = got->back().seq;
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST_P(AuditLogContractTest, ConcurrentAppendsFormOneChain) {
  constexpr int kThreads = 8;
  constexpr int kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log_->Append(Entry(absl::StrCat("t", t), "M/N", "372")).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ExpectOneChain(All(*log_), kThreads * kEach);
  absl::StatusOr<AuditVerification> v = log_->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->entries, kThreads * kEach);
  EXPECT_EQ(v->first_bad_seq, 0) << v->problem;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditLogContractTest, ::testing::Values(&OpenSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, AuditLogContractTest, ::testing::Values(&OpenPostgres));

// PostgreSQL only: two PgAuditLog objects on one database stand for two
// replicas; a raw connection changes rows as someone with database access
// might.
class PgAuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> url = FreshDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }
  std::unique_ptr<PgAuditLog> Open() {
    absl::StatusOr<std::unique_ptr<PgAuditLog>> log = PgAuditLog::Open(url_);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *std::move(log) : nullptr;
  }
  void Sql(const std::string& sql) {
    absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_, "audit");
    ASSERT_TRUE(conn.ok()) << conn.status();
    absl::StatusOr<PgResult> done = (*conn)->Exec(sql);
    ASSERT_TRUE(done.ok()) << done.status();
    ASSERT_GT(done->affected(), 0) << sql;
  }
  std::string url_;
};

TEST_F(PgAuditLogTest, ReplicasAppendingAtOnceFormOneChain) {
  std::unique_ptr<PgAuditLog> a = Open();
  std::unique_ptr<PgAuditLog> b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PgAuditLog& log = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < kEach; ++i) {
        if (!log.Append(Entry(absl::StrCat("t", t, "-", i), "M/N", "372")).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const std::vector<AuditEntry> entries = All(*b);
  ExpectOneChain(entries, kThreads * kEach);
  for (PgAuditLog* log : {a.get(), b.get()}) {
    absl::StatusOr<AuditVerification> v = log->Verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->entries, kThreads * kEach);
    EXPECT_EQ(v->first_bad_seq, 0) << v->problem;
  }
}

TEST_F(PgAuditLogTest, ARowChangedByHandIsNamed) {
  std::unique_ptr<PgAuditLog> log = Open();
  ASSERT_NE(log, nullptr);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(log->Append(Entry("iro-12", "EscalationService/GetEscalation", "372")).ok());
  }
  Sql("UPDATE audit_log SET subject = 'someone-else' WHERE seq = 3");
  absl::StatusOr<AuditVerification> v = log->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->entries, 3);
  EXPECT_EQ(v->first_bad_seq, 3);
  EXPECT_NE(v->problem.find("do not match its hash"), std::string::npos) << v->problem;
}

TEST_F(PgAuditLogTest, ARelinkedRowIsNamed) {
  std::unique_ptr<PgAuditLog> log = Open();
  ASSERT_NE(log, nullptr);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(log->Append(Entry("iro-1", "M/N", "372")).ok());
  Sql("UPDATE audit_log SET prev_hash = 'ab' || prev_hash WHERE seq = 2");
  absl::StatusOr<AuditVerification> v = log->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->first_bad_seq, 2);
  EXPECT_NE(v->problem.find("previous hash"), std::string::npos) << v->problem;
}

TEST_F(PgAuditLogTest, ARemovedRowIsNamedAndAnotherLogObjectContinuesTheChain) {
  {
    std::unique_ptr<PgAuditLog> log = Open();
    ASSERT_NE(log, nullptr);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(log->Append(Entry("iro-1", "M/N", "372")).ok());
  }
  {
    std::unique_ptr<PgAuditLog> log = Open();  // A restarted replica.
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->Append(Entry("iro-1", "M/N", "372")).ok());
    EXPECT_EQ(log->Verify()->first_bad_seq, 0);
    EXPECT_EQ(log->Verify()->entries, 5);
  }
  Sql("DELETE FROM audit_log WHERE seq = 2");
  std::unique_ptr<PgAuditLog> log = Open();
  ASSERT_NE(log, nullptr);
  absl::StatusOr<AuditVerification> v = log->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->first_bad_seq, 3);
  EXPECT_NE(v->problem.find("entry 2 is missing"), std::string::npos) << v->problem;
}

TEST_F(PgAuditLogTest, VerifyReadsAChainLongerThanOnePage) {
  // A valid chain of more entries than Verify reads at once, written with
  // COPY (appending them one by one would take long), then one changed
  // past the first page.
  std::unique_ptr<PgAuditLog> log = Open();
  ASSERT_NE(log, nullptr);
  constexpr int kEntries = 10250;
  std::string data;
  std::string prev;
  for (int i = 1; i <= kEntries; ++i) {
    AuditEntry e = Entry(absl::StrCat("iro-", i), "M/N", "372");
    e.seq = i;
    e.prev_hash = prev;
    e.hash = AuditHash(e, prev);
    prev = e.hash;
    PgCopyRow(&data,
              {absl::StrCat(e.seq), absl::StrCat(absl::ToUnixMicros(e.at)), e.subject, e.roles,
               e.on_behalf_of, e.method, e.la_codes, e.resource, e.result, e.prev_hash, e.hash});
  }
  {
    absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_, "audit");
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)
                    ->CopyIn("COPY audit_log(seq, at_us, subject, roles, on_behalf_of, method, "
                             "la_codes, resource, result, prev_hash, hash) FROM STDIN",
                             data)
                    .ok());
  }
  absl::StatusOr<AuditVerification> v = log->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->entries, kEntries);
  EXPECT_EQ(v->first_bad_seq, 0) << v->problem;

  ASSERT_TRUE(log->Append(Entry("iro-last", "M/N", "372")).ok());  // Chained to the COPY's last.
  EXPECT_EQ(log->Verify()->entries, kEntries + 1);
  EXPECT_EQ(log->Verify()->first_bad_seq, 0);

  Sql("UPDATE audit_log SET result = 'OK?' WHERE seq = 10123");
  v = log->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->first_bad_seq, 10123);
  EXPECT_EQ(v->entries, 10123);
}

}  // namespace
}  // namespace carescore::auth
