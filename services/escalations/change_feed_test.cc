#include "services/escalations/change_feed.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace carescore::escalations {
namespace {

v1::WatchEscalationsResponse Change(const std::string& id) {
  v1::WatchEscalationsResponse change;
  change.mutable_escalation()->set_id(id);
  change.set_change(v1::TRANSITION_KIND_RAISED);
  return change;
}

// Keeps what it is given, like a relay whose changes have not come back
// yet; fails on demand.
class RecordingRelay : public ChangeFeed::Relay {
 public:
  absl::Status Send(const v1::WatchEscalationsResponse& change) override {
    if (!fail.ok()) return fail;
    sent.push_back(change.escalation().id());
    return absl::OkStatus();
  }
  absl::Status fail = absl::OkStatus();
  std::vector<std::string> sent;
};

TEST(ChangeFeedTest, WithoutARelayPublishedChangesReachWatchersOnce) {
  ChangeFeed feed;
  uint64_t cursor = feed.Next();
  feed.Publish(Change("ESC-000001"));
  std::optional<v1::WatchEscalationsResponse> got = feed.Wait(&cursor, absl::Milliseconds(10));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->escalation().id(), "ESC-000001");
  EXPECT_FALSE(feed.Wait(&cursor, absl::Milliseconds(10)).has_value());
}

TEST(ChangeFeedTest, WithARelayPublishSendsAndOnlyDeliverAddsToTheFeed) {
  ChangeFeed feed;
  RecordingRelay relay;
  feed.SetRelay(&relay);
  uint64_t cursor = feed.Next();
  feed.Publish(Change("ESC-000001"));
  EXPECT_EQ(relay.sent, std::vector<std::string>{"ESC-000001"});
  // Not kept locally: the relay brings it back, and it must arrive once.
  EXPECT_FALSE(feed.Wait(&cursor, absl::Milliseconds(10)).has_value());
  feed.Deliver(Change("ESC-000001"));
  std::optional<v1::WatchEscalationsResponse> got = feed.Wait(&cursor, absl::Milliseconds(10));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->escalation().id(), "ESC-000001");
  EXPECT_FALSE(feed.Wait(&cursor, absl::Milliseconds(10)).has_value());
}

TEST(ChangeFeedTest, AChangeTheRelayCannotSendStillReachesLocalWatchers) {
  ChangeFeed feed;
  RecordingRelay relay;
  relay.fail = absl::UnavailableError("database down");
  feed.SetRelay(&relay);
  uint64_t cursor = feed.Next();
  feed.Publish(Change("ESC-000002"));
  std::optional<v1::WatchEscalationsResponse> got = feed.Wait(&cursor, absl::Milliseconds(10));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->escalation().id(), "ESC-000002");
}

TEST(ChangeFeedTest, DetachingTheRelayGoesBackToLocalDelivery) {
  ChangeFeed feed;
  RecordingRelay relay;
  feed.SetRelay(&relay);
  feed.SetRelay(nullptr);
  uint64_t cursor = feed.Next();
  feed.Publish(Change("ESC-000003"));
  EXPECT_TRUE(relay.sent.empty());
  EXPECT_TRUE(feed.Wait(&cursor, absl::Milliseconds(10)).has_value());
}

}  // namespace
}  // namespace carescore::escalations
