// What only SqliteAuditLog's file shows: rows changed by hand in it, and a
// log reopened on it. The AuditLog contract is in audit_log_contract_test.cc.

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
