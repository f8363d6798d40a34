#include "services/escalations/policy_flags.h"

#include "gtest/gtest.h"

namespace carescore::escalations {
namespace {

TEST(PolicyFlagsTest, DefaultsAndCouncilSettings) {
  CLI::App app;
  PolicyFlags flags;
  AddPolicyFlags(app, flags);
  const char* argv[] = {"x",
                        "--child-ref-pattern",
                        "^LL\\.[0-9]{5}$",
                        "--earliest-date",
                        "2010-04-01",
                        "--max-watch-streams",
                        "8"};
  app.parse(7, argv);
  absl::StatusOr<EscalationPolicy> policy = MakePolicy(flags);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->child_refs.Check("LL.88812").ok());
  EXPECT_FALSE(policy->child_refs.Check("C-104233").ok());
  EXPECT_EQ(policy->earliest_date, absl::CivilDay(2010, 4, 1));
  EXPECT_EQ(policy->max_watch_streams, 8);
  EXPECT_EQ(policy->max_watch_streams_per_actor, kDefaultMaxWatchStreamsPerActor);

  PolicyFlags defaults;
  absl::StatusOr<EscalationPolicy> plain = MakePolicy(defaults);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->earliest_date, absl::CivilDay(2000, 1, 1));
  EXPECT_TRUE(plain->child_refs.Check("C-104233").ok());
  EXPECT_FALSE(plain->child_refs.Check("JohnSmith").ok());

  PolicyFlags bad;
  bad.child_ref_pattern = "([A-Z";
  EXPECT_EQ(MakePolicy(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = PolicyFlags();
  bad.earliest_date = "1/1/2000";
  EXPECT_EQ(MakePolicy(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carescore::escalations
