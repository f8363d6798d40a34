#include "common/paging.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(PagingTest, SizeDefaultsAndIsCapped) {
  EXPECT_EQ(*PageSize(0, 100, 1000), 100);
  EXPECT_EQ(*PageSize(7, 100, 1000), 7);
  EXPECT_EQ(*PageSize(5000, 100, 1000), 1000);
  absl::StatusOr<int> negative = PageSize(-1, 100, 1000);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(negative.status().message(), "page_size -1 is negative");
}

TEST(PagingTest, TokensRoundTripAndForeignOnesAreRefused) {
  const std::string token = EncodePageToken("372|6.8|2018-10");
  EXPECT_EQ(*DecodePageToken(token), "372|6.8|2018-10");
  for (const char* bad : {"", "not base64!", "%%%"}) {
    absl::StatusOr<std::string> refused = DecodePageToken(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace carescore
