#include "services/escalations/watch_streams.h"

#include <optional>
#include <vector>

#include "gtest/gtest.h"

namespace carescore::escalations {
namespace {

TEST(WatchStreamsTest, CapsPerCallerAndInTotalAndGivesPlacesBack) {
  WatchStreams streams(/*max_total=*/3, /*max_per_actor=*/2);
  std::vector<WatchStreams::Ticket> held;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<WatchStreams::Ticket> t = streams.Open("iro-7");
    ASSERT_TRUE(t.ok()) << t.status();
    held.push_back(*std::move(t));
  }
  absl::StatusOr<WatchStreams::Ticket> third = streams.Open("iro-7");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.status().message().find("per caller"), absl::string_view::npos);
  {
    absl::StatusOr<WatchStreams::Ticket> other = streams.Open("tm-2");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(streams.open(), 3);
    absl::StatusOr<WatchStreams::Ticket> over = streams.Open("sm-1");
    EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_NE(over.status().message().find("limit is 3"), absl::string_view::npos);
  }
  EXPECT_EQ(streams.open(), 2);  // tm-2's ticket was destroyed.
  held.pop_back();
  EXPECT_TRUE(streams.Open("iro-7").ok());
  held.clear();
  EXPECT_EQ(streams.open(), 0);
}

}  // namespace
}  // namespace carescore::escalations
