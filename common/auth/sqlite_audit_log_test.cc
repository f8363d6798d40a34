#include "common/auth/sqlite_audit_log.h"

#include <unistd.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace carescore::auth {
namespace {

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

TEST(SqliteAuditLogTest, AppendsAChainThatVerifies) {
  auto log = *SqliteAuditLog::Open(":memory:");
  ASSERT_TRUE(log->Append(Entry("iro-12", "EscalationService/GetEscalation", "372")).ok());
  ASSERT_TRUE(log->Append(Entry("iro-3", "EscalationService/ListEscalations", "382")).ok());
  ASSERT_TRUE(
      log->Append(Entry("analyst-1", "IndicatorService/ListValues", "382", "PERMISSION_DENIED"))
          .ok());
  absl::StatusOr<std::vector<AuditEntry>> all = log->List(AuditFilter());
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].seq, 1);
  EXPECT_EQ((*all)[0].prev_hash, "");
  EXPECT_EQ((*all)[1].prev_hash, (*all)[0].hash);
  EXPECT_EQ((*all)[2].result, "PERMISSION_DENIED");
  absl::StatusOr<AuditVerification> v = log->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->entries, 3);
  EXPECT_EQ(v->first_bad_seq, 0);

  AuditFilter by_la;
  by_la.la_code = "382";
  EXPECT_EQ(log->List(by_la)->size(), 2u);
  AuditFilter by_subject;
  by_subject.subject = "iro-12";
  EXPECT_EQ(log->List(by_subject)->size(), 1u);
  AuditFilter page;
  page.after_seq = 1;
  page.limit = 1;
  ASSERT_EQ(log->List(page)->size(), 1u);
  EXPECT_EQ(log->List(page)->front().seq, 2);
}

TEST(SqliteAuditLogTest, AnEntryChangedByHandIsNamed) {
  const std::string path =
      ::testing::TempDir() + "/audit_changed_" + std::to_string(getpid()) + ".db";
  std::filesystem::remove(path);
  {
    auto log = *SqliteAuditLog::Open(path);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(log->Append(Entry("iro-12", "EscalationService/GetEscalation", "372")).ok());
    }
  }
  {
    auto db = *SqliteDb::Open(path);
    ASSERT_TRUE(db->Exec("UPDATE audit_log SET subject = 'someone-else' WHERE seq = 3").ok());
  }
  auto log = *SqliteAuditLog::Open(path);
  absl::StatusOr<AuditVerification> v = log->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->first_bad_seq, 3);
  EXPECT_NE(v->problem.find("do not match its hash"), std::string::npos);
}

TEST(SqliteAuditLogTest, ARemovedEntryIsNamedAndTheChainGoesOnAfterReopening) {
  const std::string path =
      ::testing::TempDir() + "/audit_removed_" + std::to_string(getpid()) + ".db";
  std::filesystem::remove(path);
  {
    auto log = *SqliteAuditLog::Open(path);
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(log->Append(Entry("iro-12", "EscalationService/GetEscalation", "372")).ok());
    }
  }
  {
    auto log = *SqliteAuditLog::Open(path);  // Appends continue the chain.
    ASSERT_TRUE(log->Append(Entry("iro-12", "EscalationService/GetEscalation", "372")).ok());
    EXPECT_EQ(log->Verify()->first_bad_seq, 0);
    EXPECT_EQ(log->Verify()->entries, 5);
  }
  {
    auto db = *SqliteDb::Open(path);
    ASSERT_TRUE(db->Exec("DELETE FROM audit_log WHERE seq = 2").ok());
  }
  auto log = *SqliteAuditLog::Open(path);
  EXPECT_EQ(log->Verify()->first_bad_seq, 3);
}

}  // namespace
}  // namespace carescore::auth
