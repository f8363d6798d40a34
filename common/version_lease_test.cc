#include "common/version_lease.h"

#include <chrono>

#include "gtest/gtest.h"

namespace carescore {
namespace {

using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

struct Versioned {
  int64_t version;
  absl::Duration lease;
};

TEST(LeasedVersionsTest, HoldsAVersionForItsLeaseFromTheRequest) {
  TimePoint now{};
  int fetches = 0;
  int64_t stored = 1;
  LeasedVersions<Versioned> versions(
      [&](const std::string&) -> absl::StatusOr<Versioned> {
        ++fetches;
        now += milliseconds(30);  // The request takes 30 ms.
        return Versioned{stored, absl::Milliseconds(100)};
      },
      [](const Versioned& v) { return v.lease; }, [&] { return now; });

  EXPECT_FALSE(versions.Peek("372").has_value());  // Never fetched.
  EXPECT_EQ(fetches, 0);
  EXPECT_EQ(versions.Get("372")->version, 1);  // Asked at 0, lapses at 100.
  EXPECT_EQ(versions.Peek("372")->version, 1);
  stored = 2;
  now = TimePoint{} + milliseconds(99);
  EXPECT_EQ(versions.Get("372")->version, 1);
  EXPECT_EQ(fetches, 1);
  now = TimePoint{} + milliseconds(100);
  EXPECT_FALSE(versions.Peek("372").has_value());  // Lapsed.
  EXPECT_EQ(versions.Get("372")->version, 2);      // Lapsed: asks again.
  EXPECT_EQ(fetches, 2);
  EXPECT_EQ(versions.Get("373")->version, 2);  // Keys are separate.
  EXPECT_EQ(fetches, 3);
}

TEST(LeasedVersionsTest, ZeroLeaseAsksEveryTimeAndErrorsAreNotHeld) {
  int fetches = 0;
  bool fail = true;
  LeasedVersions<Versioned> versions(
      [&](const std::string&) -> absl::StatusOr<Versioned> {
        ++fetches;
        if (fail) return absl::UnavailableError("down");
        return Versioned{7, absl::ZeroDuration()};
      },
      [](const Versioned& v) { return v.lease; });
  EXPECT_EQ(versions.Get("k").status().code(), absl::StatusCode::kUnavailable);
  fail = false;
  EXPECT_EQ(versions.Get("k")->version, 7);
  EXPECT_EQ(versions.Get("k")->version, 7);
  EXPECT_EQ(fetches, 3);
}

TEST(WriteFenceTest, AWriteIsAnsweredOnlyAfterTheLease) {
  WriteFence fence(absl::Milliseconds(50));
  const auto start = std::chrono::steady_clock::now();
  fence.AfterCommit();
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
  WriteFence none(absl::ZeroDuration());
  EXPECT_EQ(none.lease(), absl::ZeroDuration());
}

}  // namespace
}  // namespace carescore
