// The archive container: what the writer makes, the reader and GNU tar read
// back; a cut or a changed byte anywhere is caught.
#include "services/admin/tar_archive.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace carescore::admin {
namespace {

namespace fs = std::filesystem;

constexpr absl::Time kWhen = absl::FromUnixSeconds(1541408400);  // 2018-11-05T09:00:00Z

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Every entry's content by name, or the reader's first error.
absl::StatusOr<std::map<std::string, std::string>> ReadArchive(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TarReader>> reader = TarReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::map<std::string, std::string> out;
  while (true) {
    absl::StatusOr<std::optional<TarEntry>> entry = (*reader)->Next();
    if (!entry.ok()) return entry.status();
    if (!entry->has_value()) return out;
    std::string& content = out[(*entry)->name];
    absl::Status read = (*reader)->ReadContent([&content](absl::string_view bytes) {
      content.append(bytes.data(), bytes.size());
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (static_cast<int64_t>(content.size()) != (*entry)->size) {
      return absl::InternalError("the content is not the header's size");
    }
  }
}

class TarArchiveTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           absl::StrCat("tar_", getpid(), "_",
                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // An archive of `files` (name -> content), each added from a file but
  // the first, added from memory.
  std::string Write(const std::map<std::string, std::string>& files,
                    const std::string& name = "out.tar") {
    absl::StatusOr<std::unique_ptr<TarWriter>> tar = TarWriter::Create(Path(name));
    EXPECT_TRUE(tar.ok()) << tar.status();
    bool first = true;
    for (const auto& [entry, content] : files) {
      if (first) {
        EXPECT_TRUE((*tar)->AddBytes(entry, content, kWhen).ok());
        first = false;
        continue;
      }
      const std::string source = Path("src-" + entry);
      WriteAll(source, content);
      EXPECT_TRUE((*tar)->AddFile(entry, source, kWhen).ok());
    }
    EXPECT_TRUE((*tar)->Finish().ok());
    return Path(name);
  }

  fs::path dir_;
};

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(gen() & 0xff);
  return out;
}

TEST_F(TarArchiveTest, WhatIsWrittenReadsBackWhole) {
  const std::map<std::string, std::string> files = {
      {"a.json", "{\"x\": 1}\n"},
      {"big.db", RandomBytes((size_t{5} << 20) / 2 + 7, 1)},  // Several reads' worth.
      {"block.db", std::string(512, 'b')},
      {"empty.db", ""}};
  const std::string archive = Write(files);
  absl::StatusOr<std::map<std::string, std::string>> read = ReadArchive(archive);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, files);
  // Headers and contents in 512-byte blocks, and the two-block end marker.
  EXPECT_EQ(fs::file_size(archive) % 512, 0U);
  EXPECT_EQ(static_cast<int>(fs::status(archive).permissions() & fs::perms::all), 0600);
  // Creating over an existing file is refused.
  EXPECT_EQ(TarWriter::Create(archive).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(TarArchiveTest, TarItselfListsAndUnpacksIt) {
  if (std::system("tar --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tar here";
  const std::map<std::string, std::string> files = {{"manifest.json", "{}\n"},
                                                    {"x.db", RandomBytes(70000, 2)}};
  const std::string archive = Write(files);
  fs::create_directories(dir_ / "unpacked");
  ASSERT_EQ(std::system(absl::StrCat("tar -xf ", archive, " -C ", Path("unpacked")).c_str()), 0);
  for (const auto& [name, content] : files) {
    EXPECT_EQ(ReadAll(Path("unpacked/" + name)), content) << name;
  }
}

TEST_F(TarArchiveTest, ACutAnywhereIsNamedAsTruncation) {
  const std::string whole =
      ReadAll(Write({{"manifest.json", "{\"a\": 1}"}, {"x.db", RandomBytes(3000, 3)}}));
  // In the first header, in the manifest's padding, in the second header,
  // inside x.db, in its padding, in the end marker, and the marker gone.
  for (size_t keep : {size_t{100}, size_t{700}, size_t{1100}, size_t{2500}, size_t{4600},
                      whole.size() - 600, whole.size() - 512, whole.size() - 1024}) {
    const std::string cut = Path(absl::StrCat("cut-", keep, ".tar"));
    WriteAll(cut, whole.substr(0, keep));
    absl::StatusOr<std::map<std::string, std::string>> read = ReadArchive(cut);
    ASSERT_FALSE(read.ok()) << "kept " << keep << " bytes";
    EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_NE(read.status().message().find("truncated"), absl::string_view::npos) << read.status();
  }
}

TEST_F(TarArchiveTest, EveryChangedByteIsCaughtByTheReaderOrTheContent) {
  const std::map<std::string, std::string> files = {{"manifest.json", "{\"a\": 1}"},
                                                    {"x.db", RandomBytes(700, 4)}};
  const std::string path = Write(files);
  const std::string whole = ReadAll(path);
  // One byte changed in place at a time, and put back.
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  const auto put = [&file](size_t at, char c) {
    file.seekp(static_cast<std::streamoff>(at));
    file.put(c);
    file.flush();
  };
  for (size_t i = 0; i < whole.size(); ++i) {
    put(i, static_cast<char>(whole[i] ^ 0x20));
    absl::StatusOr<std::map<std::string, std::string>> read = ReadArchive(path);
    put(i, whole[i]);
    // Where the reader takes it, a manifest's SHA-256 of each file is what
    // catches the change: the content differs.
    if (read.ok()) {
      EXPECT_NE(*read, files) << "byte " << i << " changed unnoticed";
    } else {
      EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss) << read.status();
    }
  }
}

TEST_F(TarArchiveTest, TrailingGarbageAndOtherEntryTypesAreRefused) {
  std::string whole = ReadAll(Write({{"manifest.json", "{}"}}));
  WriteAll(Path("padded.tar"), whole + std::string(10240 - whole.size() % 10240, '\0'));
  EXPECT_TRUE(ReadArchive(Path("padded.tar")).ok());  // Zeros, as tar pads.
  WriteAll(Path("garbage.tar"), whole + "more");
  EXPECT_EQ(ReadArchive(Path("garbage.tar")).status().code(), absl::StatusCode::kDataLoss);
  // A symbolic link's type, with the checksum made right.
  whole[156] = '2';
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) {
    sum += (i >= 148 && i < 156) ? unsigned{' '} : static_cast<unsigned char>(whole[i]);
  }
  std::array<char, 8> field{};
  std::snprintf(field.data(), field.size(), "%06o", sum);
  whole.replace(148, 6, field.data(), 6);
  WriteAll(Path("link.tar"), whole);
  absl::StatusOr<std::map<std::string, std::string>> read = ReadArchive(Path("link.tar"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(read.status().message().find("not a regular file"), absl::string_view::npos)
      << read.status();
}

TEST_F(TarArchiveTest, OnlyPlainNamesAreWritten) {
  absl::StatusOr<std::unique_ptr<TarWriter>> tar = TarWriter::Create(Path("names.tar"));
  ASSERT_TRUE(tar.ok());
  for (const std::string& name : {std::string(""), std::string("a/b"), std::string(".."),
                                  std::string(101, 'n'), std::string("tab\tname")}) {
    EXPECT_EQ((*tar)->AddBytes(name, "x", kWhen).code(), absl::StatusCode::kInvalidArgument)
        << name;
  }
  EXPECT_TRUE((*tar)->AddBytes(std::string(100, 'n'), "x", kWhen).ok());
  EXPECT_EQ((*tar)->AddFile("missing.db", Path("no-such-file"), kWhen).code(),
            absl::StatusCode::kUnavailable);
}

TEST(Sha256Test, KnownDigestsAndFiles) {
  Sha256 abc;
  abc.Update("a");
  abc.Update("bc");
  EXPECT_EQ(abc.HexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string path = testing::TempDir() + "/sha_" + std::to_string(getpid());
  WriteAll(path, "abc");
  absl::StatusOr<FileDigest> digest = DigestFile(path);
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(digest->bytes, 3);
  EXPECT_EQ(digest->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  fs::remove(path);
}

}  // namespace
}  // namespace carescore::admin
