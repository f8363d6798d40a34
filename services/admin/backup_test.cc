// Backups of the real SQLite stores of a data folder and their restore: the
// same data back, one moment across the files while writes go on, and every
// kind of damaged archive refused with the folder left as it was.
#include "services/admin/backup.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/sqlite_db.h"
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

constexpr absl::Time kNow = absl::FromUnixSeconds(1541408400);  // 2018-11-05T09:00:00Z

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Every file in `dir`, recursively, by path relative to it.
std::vector<std::string> FilesIn(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// An archive's entries in order: name and content.
std::vector<std::pair<std::string, std::string>> Entries(const std::string& archive) {
  std::vector<std::pair<std::string, std::string>> out;
  absl::StatusOr<std::unique_ptr<TarReader>> reader = TarReader::Open(archive);
  EXPECT_TRUE(reader.ok());
  while (reader.ok()) {
    absl::StatusOr<std::optional<TarEntry>> e = (*reader)->Next();
    EXPECT_TRUE(e.ok()) << e.status();
    if (!e.ok() || !e->has_value()) break;
    std::string content;
    EXPECT_TRUE((*reader)
                    ->ReadContent([&content](absl::string_view b) {
                      content.append(b.data(), b.size());
                      return absl::OkStatus();
                    })
                    .ok());
    out.emplace_back((*e)->name, std::move(content));
  }
  return out;
}

void WriteEntries(const std::string& archive,
                  const std::vector<std::pair<std::string, std::string>>& entries) {
  fs::remove(archive);
  absl::StatusOr<std::unique_ptr<TarWriter>> tar = TarWriter::Create(archive);
  ASSERT_TRUE(tar.ok());
  for (const auto& [name, content] : entries) {
    ASSERT_TRUE((*tar)->AddBytes(name, content, kNow).ok());
  }
  ASSERT_TRUE((*tar)->Finish().ok());
}

// A data folder as carescored leaves it: the five stores, open, with a
// little of everything, and the secrets that must stay behind.
class BackupTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) /
            absl::StrCat("backup_", getpid(), "_",
                         testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    data_ = root_ / "data";
    fs::create_directories(data_);
    indicators_ = *indicators::SqliteIndicatorStore::Open(Data("indicators.db"));
    benchmarks_ = *benchmarks::SqliteBenchmarkStore::Open(Data("benchmarks.db"));
    escalations_ = *escalations::SqliteEscalationStore::Open(Data("escalations.db"));
    commentary_ = *reports::SqliteCommentaryStore::Open(Data("reports.db"));
    audit_ = *auth::SqliteAuditLog::Open(Data("audit.db"));
    WriteAll(Data("auth-key.pem"), "-----BEGIN PRIVATE KEY-----\nsecret\n");
    WriteAll(Data("auth-key.pub.pem"), "-----BEGIN PUBLIC KEY-----\n");
    WriteAll(Data("cache.key"), "0123456789abcdef0123456789abcdef");

    v1::LocalAuthority la;
    la.set_la_code("372");
    la.set_name("Rotherham");
    la.set_ons_code("E08000018");
    la.set_region("Yorkshire and the Humber");
    ASSERT_TRUE(indicators_->UpsertLocalAuthorities({la}).ok());
    v1::ValueInput value;
    value.set_la_code("372");
    value.set_indicator_code("6.8");
    value.set_month("2018-10");
    value.set_value(89.9);
    ASSERT_TRUE(indicators_->AppendValues("test", {value}).ok());
    v1::Neighbour n;
    n.set_la_code("372");
    n.set_neighbour_la_code("373");
    n.set_rank(1);
    n.set_closeness("Extremely close");
    ASSERT_TRUE(benchmarks_->ReplaceNeighbours("2025", {n}).ok());
    absl::StatusOr<v1::Escalation> raised = escalations_->Insert(Case("C-1"));
    ASSERT_TRUE(raised.ok());
    case_id_ = raised->id();
    v1::Commentary c;
    c.set_la_code("372");
    c.set_month("2018-10");
    c.set_section("Placements");
    c.set_text("Stability is improving.");
    c.set_author("Head of Service");
    ASSERT_TRUE(commentary_->Put(c).ok());
    ASSERT_TRUE(audit_->Append(Entry("EscalationService/RaiseEscalation")).ok());
  }
  void TearDown() override { fs::remove_all(root_); }

  static v1::Escalation Case(const std::string& child) {
    v1::Escalation e;
    e.set_la_code("372");
    e.set_child_ref(child);
    e.set_iro_id("iro-12");
    e.set_stage(1);
    e.add_themes("contact");
    e.mutable_raised_at()->set_seconds(absl::ToUnixSeconds(kNow));
    return e;
  }
  static auth::AuditEntry Entry(const std::string& method) {
    auth::AuditEntry e;
    e.at = kNow;
    e.subject = "iro-12";
    e.roles = "iro";
    e.method = method;
    e.la_codes = "372";
    e.result = "OK";
    return e;
  }

  std::string Data(const std::string& name) const { return (data_ / name).string(); }
  std::string Root(const std::string& name) const { return (root_ / name).string(); }
  BackupService Service() const {
    return BackupService({"", data_.string(), ""}, [] { return kNow; });
  }
  // A backup of the data folder, copied to `name` in the test's folder.
  std::string TakeTo(const std::string& name) {
    absl::StatusOr<std::unique_ptr<BackupArchive>> archive = Service().Take();
    EXPECT_TRUE(archive.ok()) << archive.status();
    if (!archive.ok()) return "";
    fs::copy_file((*archive)->path(), Root(name));
    return Root(name);
  }

  fs::path root_;
  fs::path data_;
  std::unique_ptr<indicators::SqliteIndicatorStore> indicators_;
  std::unique_ptr<benchmarks::SqliteBenchmarkStore> benchmarks_;
  std::unique_ptr<escalations::SqliteEscalationStore> escalations_;
  std::unique_ptr<reports::SqliteCommentaryStore> commentary_;
  std::unique_ptr<auth::SqliteAuditLog> audit_;
  std::string case_id_;
};

TEST_F(BackupTest, TheArchiveHoldsTheManifestAndEveryDatabaseButNoSecret) {
  absl::StatusOr<std::unique_ptr<BackupArchive>> archive = Service().Take();
  ASSERT_TRUE(archive.ok()) << archive.status();
  const auto entries = Entries((*archive)->path());
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (const auto& [name, content] : entries) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"manifest.json", "indicators.db", "benchmarks.db",
                                             "escalations.db", "reports.db", "audit.db"}));
  for (const auto& [name, content] : entries) {
    EXPECT_FALSE(absl::StrContains(content, "BEGIN PRIVATE KEY")) << name;
    EXPECT_FALSE(absl::StrContains(content, "0123456789abcdef0123456789abcdef")) << name;
  }

  absl::StatusOr<Manifest> manifest = ParseManifest(entries[0].second);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(manifest->format_version, 1);
  EXPECT_EQ(manifest->carescore_version, CarescoreVersion());
  EXPECT_EQ(manifest->created_at, kNow);
  EXPECT_EQ(manifest->all_data_version, *indicators_->AllDataVersion());
  EXPECT_EQ(manifest->catalogue_version, *indicators_->CatalogueVersion());
  EXPECT_EQ(manifest->comparators_version, *benchmarks_->Version());
  ASSERT_EQ(manifest->parts.size(), 5U);
  for (size_t i = 0; i < 5; ++i) {
    const PartInfo& part = manifest->parts[i];
    EXPECT_EQ(part.name, entries[i + 1].first);
    EXPECT_EQ(part.bytes, static_cast<int64_t>(entries[i + 1].second.size()));
    Sha256 sha;
    sha.Update(entries[i + 1].second);
    EXPECT_EQ(part.sha256, sha.HexDigest()) << part.name;
    EXPECT_GT(part.schema_version, 0) << part.name;
  }
  EXPECT_EQ(manifest->parts[0].table_rows.at("local_authorities"), 1);
  EXPECT_EQ(manifest->parts[0].table_rows.at("observations"), 1);
  EXPECT_EQ(manifest->parts[2].table_rows.at("escalations"), 1);
  EXPECT_EQ(manifest->parts[3].table_rows.at("commentary"), 1);
  EXPECT_EQ(manifest->parts[4].table_rows.at("audit_log"), 1);
  ASSERT_EQ(manifest->not_included.size(), 2U);
  EXPECT_TRUE(absl::StrContains(manifest->not_included[0].name, "auth-key.pem"));
  EXPECT_EQ(manifest->not_included[1].name, "cache.key");
  // The archive's own size and digest, for the client to check.
  absl::StatusOr<FileDigest> digest = DigestFile((*archive)->path());
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(digest->bytes, (*archive)->bytes());
  EXPECT_EQ(digest->sha256, (*archive)->sha256());

  // Nothing of the backup stays in the data folder once it is gone.
  const std::string folder = fs::path((*archive)->path()).parent_path().string();
  archive->reset();
  EXPECT_FALSE(fs::exists(folder));
}

TEST_F(BackupTest, ARestoredFolderServesTheSameData) {
  const std::string archive = TakeTo("backup.tar");
  const fs::path restored = root_ / "restored";
  absl::StatusOr<Manifest> manifest = RestoreBackup(archive, restored.string());
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(FilesIn(restored),
            (std::vector<std::string>{"audit.db", "benchmarks.db", "escalations.db",
                                      "indicators.db", "reports.db"}));

  auto indicators = indicators::SqliteIndicatorStore::Open((restored / "indicators.db").string());
  ASSERT_TRUE(indicators.ok()) << indicators.status();
  EXPECT_EQ(*(*indicators)->AllDataVersion(), *indicators_->AllDataVersion());
  EXPECT_EQ(*(*indicators)->DataVersion("372"), *indicators_->DataVersion("372"));
  EXPECT_EQ((*indicators)->GetLocalAuthority("372")->name(), "Rotherham");
  auto benchmarks = benchmarks::SqliteBenchmarkStore::Open((restored / "benchmarks.db").string());
  ASSERT_TRUE(benchmarks.ok());
  EXPECT_EQ(*(*benchmarks)->Version(), *benchmarks_->Version());
  EXPECT_EQ((*benchmarks)->ListNeighbours("2025", "372")->size(), 1U);
  auto escalations =
      escalations::SqliteEscalationStore::Open((restored / "escalations.db").string());
  ASSERT_TRUE(escalations.ok());
  absl::StatusOr<std::optional<v1::Escalation>> found = (*escalations)->Find(case_id_);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->SerializeAsString(), (*escalations_->Find(case_id_))->SerializeAsString());
  // The next id follows on from the backup's.
  EXPECT_EQ((*escalations)->Insert(Case("C-2"))->id(), escalations_->Insert(Case("C-2"))->id());
  auto commentary = reports::SqliteCommentaryStore::Open((restored / "reports.db").string());
  ASSERT_TRUE(commentary.ok());
  EXPECT_EQ((*commentary)->List("372", "2018-10")->at(0).text(), "Stability is improving.");
  auto audit = auth::SqliteAuditLog::Open((restored / "audit.db").string());
  ASSERT_TRUE(audit.ok());
  absl::StatusOr<auth::AuditVerification> verified = (*audit)->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->entries, 1);
  EXPECT_EQ(verified->first_bad_seq, 0);
  // The chain goes on from the restored last entry.
  EXPECT_TRUE((*audit)->Append(Entry("IndicatorService/WriteValues")).ok());
  EXPECT_EQ((*audit)->Verify()->first_bad_seq, 0);
}

TEST_F(BackupTest, WritesDuringBackupsNeverSplitALogicalStep) {
  // Each step raises a case and writes its audit entry, two databases,
  // under one hold: every backup has as many of one as of the other.
  std::atomic<bool> stop{false};
  std::atomic<int> steps{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      SqliteWriteHold step;
      ASSERT_TRUE(escalations_->Insert(Case(absl::StrCat("C-", i))).ok());
      ASSERT_TRUE(audit_->Append(Entry("EscalationService/RaiseEscalation")).ok());
      steps.fetch_add(1);
    }
  });
  std::vector<int64_t> counts;
  for (int i = 0; i < 6; ++i) {
    absl::StatusOr<std::unique_ptr<BackupArchive>> archive = Service().Take();
    ASSERT_TRUE(archive.ok()) << archive.status();
    const Manifest& m = (*archive)->manifest();
    const int64_t cases = m.parts[2].table_rows.at("escalations");
    EXPECT_EQ(cases, m.parts[4].table_rows.at("audit_log")) << "backup " << i;
    counts.push_back(cases);
  }
  stop.store(true);
  writer.join();
  EXPECT_GT(steps.load(), 0);
  EXPECT_NE(counts.front(), counts.back());  // The writes went on meanwhile.
}

TEST_F(BackupTest, StoresInPostgresqlAreBackedUpWithPgDump) {
  absl::StatusOr<std::unique_ptr<BackupArchive>> archive =
      BackupService({"postgresql://carescore@db:5432/carescore", data_.string(), ""}).Take();
  EXPECT_EQ(archive.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(archive.status().message(), "pg_dump"));
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunRestore("x.tar", Root("r"), "postgresql://db/carescore", out, err), 2);
  EXPECT_TRUE(absl::StrContains(err.str(), "pg_restore"));
}

TEST_F(BackupTest, AnAuditLogElsewhereIsTheOneBackedUp) {
  auto other = auth::SqliteAuditLog::Open(Root("elsewhere-audit.db"));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Append(Entry("A/B")).ok());
  ASSERT_TRUE((*other)->Append(Entry("A/C")).ok());
  absl::StatusOr<std::unique_ptr<BackupArchive>> archive =
      BackupService({"", data_.string(), Root("elsewhere-audit.db")}).Take();
  ASSERT_TRUE(archive.ok()) << archive.status();
  EXPECT_EQ((*archive)->manifest().parts[4].table_rows.at("audit_log"), 2);
}

TEST_F(BackupTest, AFolderWithADatabaseIsNeverRestoredInto) {
  const std::string archive = TakeTo("backup.tar");
  for (const std::string file : {"indicators.db", "other.db", "audit.db-wal"}) {
    const fs::path target = root_ / ("target-" + file);
    fs::create_directories(target);
    WriteAll((target / file).string(), "keep me");
    absl::StatusOr<Manifest> restored = RestoreBackup(archive, target.string());
    EXPECT_EQ(restored.status().code(), absl::StatusCode::kFailedPrecondition) << file;
    EXPECT_TRUE(absl::StrContains(restored.status().message(), file)) << restored.status();
    EXPECT_EQ(FilesIn(target), std::vector<std::string>{file});
    EXPECT_EQ(ReadAll((target / file).string()), "keep me");
  }
  // Anything else in the folder is fine (a prepared key, say).
  const fs::path keyed = root_ / "keyed";
  fs::create_directories(keyed);
  WriteAll((keyed / "auth-key.pub.pem").string(), "pem");
  EXPECT_TRUE(RestoreBackup(archive, keyed.string()).ok());
  EXPECT_EQ(RestoreBackup(Root("missing.tar"), Root("nowhere")).status().code(),
            absl::StatusCode::kNotFound);
}

// Restores `archive` into a new folder and into an existing empty one;
// both must fail with DataLoss (or `code`) naming `what`, leaving nothing.
void ExpectRefused(const fs::path& root, const std::string& archive, absl::string_view what,
                   absl::StatusCode code = absl::StatusCode::kDataLoss) {
  const fs::path fresh = root / "fresh-target";
  const fs::path empty = root / "empty-target";
  fs::remove_all(fresh);
  fs::remove_all(empty);
  fs::create_directories(empty);
  for (const fs::path& target : {fresh, empty}) {
    absl::StatusOr<Manifest> restored = RestoreBackup(archive, target.string());
    EXPECT_EQ(restored.status().code(), code) << restored.status();
    EXPECT_TRUE(absl::StrContains(restored.status().message(), what))
        << restored.status() << " does not say " << what;
  }
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_EQ(FilesIn(empty), std::vector<std::string>{});
}

TEST_F(BackupTest, ATruncatedArchiveIsRefusedAndLeavesNothing) {
  const std::string whole = ReadAll(TakeTo("backup.tar"));
  for (size_t keep : {whole.size() / 2, whole.size() - 1024, whole.size() - 1, size_t{100}}) {
    WriteAll(Root("cut.tar"), whole.substr(0, keep));
    ExpectRefused(root_, Root("cut.tar"), "truncated");
  }
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunRestore(Root("cut.tar"), Root("cli-target"), "", out, err), 1);
  EXPECT_TRUE(absl::StrContains(err.str(), "truncated")) << err.str();
  EXPECT_TRUE(absl::StrContains(err.str(), "is as it was")) << err.str();
  EXPECT_FALSE(fs::exists(Root("cli-target")));
}

TEST_F(BackupTest, AChangedByteInAPartIsNamed) {
  const std::string path = TakeTo("backup.tar");
  auto entries = Entries(path);
  // Where the first part's bytes are: after the manifest's header, content
  // and padding, and the part's own header.
  const size_t manifest_blocks = (entries[0].second.size() + 511) / 512;
  std::string whole = ReadAll(path);
  const size_t at = 512 * (1 + manifest_blocks + 1) + entries[1].second.size() / 2;
  whole[at] = static_cast<char>(whole[at] ^ 0x01);
  WriteAll(Root("flipped.tar"), whole);
  ExpectRefused(root_, Root("flipped.tar"), "indicators.db does not match the SHA-256");
}

TEST_F(BackupTest, AnArchiveThatDisagreesWithItsManifestIsRefused) {
  const auto entries = Entries(TakeTo("backup.tar"));
  // A part left out.
  auto without_audit = entries;
  without_audit.pop_back();
  WriteEntries(Root("no-audit.tar"), without_audit);
  ExpectRefused(root_, Root("no-audit.tar"), "no audit.db");
  // No manifest.
  WriteEntries(Root("no-manifest.tar"), {entries.begin() + 1, entries.end()});
  ExpectRefused(root_, Root("no-manifest.tar"), "no manifest.json");
  // A file no backup holds.
  auto extra = entries;
  extra.emplace_back("auth-key.pem", "secret");
  WriteEntries(Root("extra.tar"), extra);
  ExpectRefused(root_, Root("extra.tar"), "auth-key.pem");
  // A part that is not a database, with a manifest made to match it.
  absl::StatusOr<Manifest> manifest = ParseManifest(entries[0].second);
  ASSERT_TRUE(manifest.ok());
  auto garbage = entries;
  garbage[1].second = std::string(8192, 'x');
  Sha256 sha;
  sha.Update(garbage[1].second);
  manifest->parts[0].sha256 = sha.HexDigest();
  manifest->parts[0].bytes = 8192;
  garbage[0].second = ManifestJson(*manifest);
  WriteEntries(Root("garbage.tar"), garbage);
  ExpectRefused(root_, Root("garbage.tar"), "indicators.db");
  // Row counts that are not the part's.
  absl::StatusOr<Manifest> counted = ParseManifest(entries[0].second);
  counted->parts[2].table_rows["escalations"] = 99;
  auto miscounted = entries;
  miscounted[0].second = ManifestJson(*counted);
  WriteEntries(Root("miscounted.tar"), miscounted);
  ExpectRefused(root_, Root("miscounted.tar"), "escalations.db does not hold");
  // A newer format.
  absl::StatusOr<Manifest> newer = ParseManifest(entries[0].second);
  newer->format_version = kBackupFormatVersion + 1;
  auto from_the_future = entries;
  from_the_future[0].second = ManifestJson(*newer);
  WriteEntries(Root("newer.tar"), from_the_future);
  ExpectRefused(root_, Root("newer.tar"), "newer carescore", absl::StatusCode::kFailedPrecondition);
  // Not JSON at all.
  auto not_json = entries;
  not_json[0].second = "{ not json";
  WriteEntries(Root("not-json.tar"), not_json);
  ExpectRefused(root_, Root("not-json.tar"), "manifest");
}

TEST_F(BackupTest, RunRestoreSaysWhatItRestored) {
  const std::string archive = TakeTo("backup.tar");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(RunRestore(archive, Root("cli-target"), "", out, err), 0) << err.str();
  EXPECT_TRUE(absl::StrContains(out.str(), "5 databases")) << out.str();
  EXPECT_TRUE(absl::StrContains(out.str(), "indicators.db: schema 2")) << out.str();
  EXPECT_TRUE(absl::StrContains(out.str(), "not in the backup: auth-key.pem")) << out.str();
  EXPECT_EQ(FilesIn(Root("cli-target")).size(), 5U);
}

}  // namespace
}  // namespace carescore::admin
