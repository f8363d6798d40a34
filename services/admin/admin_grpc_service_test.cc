// AdminService.Backup through a real server behind the auth gate: an admin
// receives the whole archive in pieces, checked against the summary and
// restorable; nobody else gets a byte; every backup is in the audit log.
#include "services/admin/admin_grpc_service.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "carescore/v1/admin.grpc.pb.h"
#include "common/auth/testing/test_auth.h"
#include "common/testing/loopback_server.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/admin/restore.h"
#include "services/admin/tar_archive.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/commentary_store.h"

namespace carescore::admin {
namespace {

namespace fs = std::filesystem;

class AdminGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            absl::StrCat("admin_grpc_", getpid(), "_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    data_ = root_ / "data";
    fs::create_directories(data_);
    indicators_ = *indicators::SqliteIndicatorStore::Open(Data("indicators.db"));
    benchmarks_ = *benchmarks::SqliteBenchmarkStore::Open(Data("benchmarks.db"));
    escalations_ = *escalations::SqliteEscalationStore::Open(Data("escalations.db"));
    commentary_ = *reports::SqliteCommentaryStore::Open(Data("reports.db"));
    // The gate's audit log is the data folder's: it is in the backup too.
    auth_ = std::make_unique<auth::testing::TestAuth>(Data("audit.db"));
    // Enough commentary for an archive of several messages.
    for (int i = 0; i < 12; ++i) {
      v1::Commentary c;
      c.set_la_code("372");
      c.set_month("2018-10");
      c.set_section(absl::StrCat("Section ", i));
      c.set_text(std::string(size_t{200} * 1024, static_cast<char>('a' + i)));
      ASSERT_TRUE(commentary_->Put(c).ok());
    }
    backups_ = std::make_unique<BackupService>(BackupSources{"", data_.string(), ""});
    edge_ = std::make_unique<AdminGrpcService>(*backups_, &auth_->gate());
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{edge_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::AdminService::NewStub(server_->channel());
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(root_);
  }

  std::string Data(const std::string& name) const { return (data_ / name).string(); }

  struct Received {
    grpc::Status status;
    std::string bytes;
    int messages = 0;
    int summaries = 0;
    v1::BackupSummary summary;
  };
  Received Backup(const std::string& bearer) {
    grpc::ClientContext context;
    if (!bearer.empty()) context.AddMetadata("authorization", bearer);
    std::unique_ptr<grpc::ClientReader<v1::BackupResponse>> reader =
        stub_->Backup(&context, v1::BackupRequest());
    Received out;
    v1::BackupResponse message;
    while (reader->Read(&message)) {
      ++out.messages;
      if (message.has_summary()) {
        ++out.summaries;
        out.summary = message.summary();
      }
      EXPECT_LE(message.data().size(), kBackupChunkBytes);
      out.bytes += message.data();
    }
    out.status = reader->Finish();
    return out;
  }

  fs::path root_;
  fs::path data_;
  std::unique_ptr<indicators::SqliteIndicatorStore> indicators_;
  std::unique_ptr<benchmarks::SqliteBenchmarkStore> benchmarks_;
  std::unique_ptr<escalations::SqliteEscalationStore> escalations_;
  std::unique_ptr<reports::SqliteCommentaryStore> commentary_;
  std::unique_ptr<auth::testing::TestAuth> auth_;
  std::unique_ptr<BackupService> backups_;
  std::unique_ptr<AdminGrpcService> edge_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

TEST_F(AdminGrpcServiceTest, AnAdminReceivesTheWholeArchive) {
  Received got = Backup(auth_->Bearer("ops-1", {"admin"}));
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  EXPECT_GE(got.messages, 3);
  EXPECT_EQ(got.summaries, 1);
  EXPECT_EQ(static_cast<int64_t>(got.bytes.size()), got.summary.archive_bytes());
  Sha256 sha;
  sha.Update(got.bytes);
  EXPECT_EQ(sha.HexDigest(), got.summary.archive_sha256());
  EXPECT_EQ(got.summary.format_version(), kBackupFormatVersion);
  ASSERT_EQ(got.summary.parts_size(), 5);
  EXPECT_EQ(got.summary.parts(0).name(), "indicators.db");
  EXPECT_EQ(got.summary.parts(3).name(), "reports.db");
  EXPECT_EQ(got.summary.parts(3).table_rows().at("commentary"), 12);
  EXPECT_EQ(got.summary.parts(3).rows(), 12);

  // What arrived restores.
  const std::string archive = (root_ / "received.tar").string();
  std::ofstream(archive, std::ios::binary) << got.bytes;
  absl::StatusOr<Manifest> restored = RestoreBackup(archive, (root_ / "restored").string());
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->parts[3].sha256, got.summary.parts(3).sha256());

  // The backup is in the audit log, naming the archive it sent.
  auth::AuditFilter filter;
  filter.method = "AdminService/Backup";
  absl::StatusOr<std::vector<auth::AuditEntry>> entries = auth_->audit_log().List(filter);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].subject, "ops-1");
  EXPECT_EQ((*entries)[0].result, "OK");
  EXPECT_EQ((*entries)[0].resource, "sha256:" + got.summary.archive_sha256());
}

TEST_F(AdminGrpcServiceTest, NobodyElseGetsAByte) {
  Received analyst = Backup(auth_->Bearer("analyst-1", {"analyst"}, {"372"}));
  EXPECT_EQ(analyst.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(auth::testing::Reason(analyst.status), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(analyst.messages, 0);
  Received head = Backup(auth_->Bearer("hos-1", {"head_of_service"}, {"372"}));
  EXPECT_EQ(head.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Received anonymous = Backup("");
  EXPECT_EQ(anonymous.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(anonymous.messages, 0);
  // Each refusal is in the audit log.
  auth::AuditFilter filter;
  filter.method = "AdminService/Backup";
  absl::StatusOr<std::vector<auth::AuditEntry>> entries = auth_->audit_log().List(filter);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 3U);
}

TEST_F(AdminGrpcServiceTest, StoresInPostgresqlAreRefused) {
  BackupService postgres(BackupSources{"postgresql://db/carescore", data_.string(), ""});
  AdminGrpcService edge(postgres, &auth_->gate());
  carescore::testing::LoopbackServer server({&edge});
  ASSERT_TRUE(server.ok());
  auto stub = v1::AdminService::NewStub(server.channel());
  grpc::ClientContext context;
  context.AddMetadata("authorization", auth_->Bearer("ops-1", {"admin"}));
  auto reader = stub->Backup(&context, v1::BackupRequest());
  v1::BackupResponse message;
  EXPECT_FALSE(reader->Read(&message));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("pg_dump"), std::string::npos);
}

}  // namespace
}  // namespace carescore::admin
