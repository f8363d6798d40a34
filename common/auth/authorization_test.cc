#include "common/auth/authorization.h"

#include "carescore/v1/benchmarks.pb.h"
#include "carescore/v1/escalations.pb.h"
#include "carescore/v1/indicators.pb.h"
#include "carescore/v1/reports.pb.h"
#include "common/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace carescore::auth {
namespace {

Caller Token(std::vector<std::string> roles, std::vector<std::string> las = {}) {
  Caller c;
  c.subject = "someone";
  c.roles = std::move(roles);
  c.la_codes = std::move(las);
  return c;
}

TEST(AuthorizationTest, EveryRpcOfEveryServiceHasARule) {
  // Linking the messages registers their files in the generated pool.
  v1::ListValuesRequest values;
  v1::GetBenchmarkRequest benchmark;
  v1::RaiseEscalationRequest raise;
  v1::GetScorecardRequest scorecard;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  int methods = 0;
  for (const char* name : {"carescore.v1.IndicatorService", "carescore.v1.BenchmarkService",
                           "carescore.v1.EscalationService", "carescore.v1.ReportService"}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = service->name() + "/" + service->method(i)->name();
      EXPECT_NE(RuleFor(method), nullptr) << method << " has no rule";
      ++methods;
    }
  }
  EXPECT_GT(methods, 40);
  EXPECT_EQ(RuleFor("IndicatorService/NoSuchMethod"), nullptr);
}

TEST(AuthorizationTest, AnAnalystReadsItsOwnLaOnly) {
  const Caller analyst = Token({"analyst"}, {"372"});
  EXPECT_TRUE(Authorize(analyst, nullptr, "IndicatorService/ListValues", {"372"}).ok());
  absl::Status other = Authorize(analyst, nullptr, "IndicatorService/ListValues", {"382"});
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(other), "LA_NOT_ALLOWED");
  // Every LA at once (an unfiltered list) is not one LA's to ask for.
  EXPECT_EQ(Authorize(analyst, nullptr, "IndicatorService/ListValues", {""}).code(),
            absl::StatusCode::kPermissionDenied);
  // An import naming another LA on any row is refused whole.
  EXPECT_EQ(Authorize(analyst, nullptr, "IndicatorService/WriteValues", {"372", "382"}).code(),
            absl::StatusCode::kPermissionDenied);
  // Casework is not an analyst's; the counts are.
  absl::Status cases = Authorize(analyst, nullptr, "EscalationService/ListEscalations", {"372"});
  EXPECT_EQ(ErrorReason(cases), "ROLE_NOT_ALLOWED");
  EXPECT_TRUE(Authorize(analyst, nullptr, "EscalationService/GetEscalationSummary", {"372"}).ok());
  // Reference data needs no LA.
  EXPECT_TRUE(Authorize(analyst, nullptr, "IndicatorService/ListIndicators", {}).ok());
}

TEST(AuthorizationTest, PanelMembersReadReportsButNoChildLevelData) {
  const Caller panel = Token({"panel_member"}, {"372"});
  EXPECT_TRUE(Authorize(panel, nullptr, "ReportService/GetScorecard", {"372"}).ok());
  EXPECT_TRUE(Authorize(panel, nullptr, "ReportService/GetReport", {"372"}).ok());
  for (const char* method : {"EscalationService/GetEscalation", "EscalationService/ListEscalations",
                             "EscalationService/WatchEscalations", "IndicatorService/ListValues",
                             "ReportService/SetCommentary"}) {
    EXPECT_EQ(Authorize(panel, nullptr, method, {"372"}).code(),
              absl::StatusCode::kPermissionDenied)
        << method;
  }
}

TEST(AuthorizationTest, NationalAnalystsAndAdminsCoverEveryLa) {
  const Caller national = Token({"national_analyst"});
  EXPECT_TRUE(Authorize(national, nullptr, "IndicatorService/ListValues", {"382", ""}).ok());
  EXPECT_TRUE(Authorize(national, nullptr, "BenchmarkService/ListRanks", {}).ok());
  EXPECT_EQ(Authorize(national, nullptr, "EscalationService/ListEscalations", {"372"}).code(),
            absl::StatusCode::kPermissionDenied);
  const Caller admin = Token({"admin"});
  EXPECT_TRUE(Authorize(admin, nullptr, "EscalationService/ListEscalations", {""}).ok());
  EXPECT_TRUE(Authorize(admin, nullptr, "AuditService/VerifyAuditLog", {}).ok());
  EXPECT_EQ(Authorize(national, nullptr, "AuditService/ListAuditEntries", {}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizationTest, AServiceActsWithinTheScopeOfItsCaller) {
  const Caller service = Token({"service"});
  const Caller panel = Token({"panel_member"}, {"372"});
  // The report service reading 372's values for a 372 panel member.
  EXPECT_TRUE(Authorize(service, &panel, "IndicatorService/ListValues", {"372"}).ok());
  // Not another LA's, whoever asks through it.
  EXPECT_EQ(Authorize(service, &panel, "IndicatorService/ListValues", {"382"}).code(),
            absl::StatusCode::kPermissionDenied);
  // Every LA's values, for comparators (only aggregates leave the service).
  EXPECT_TRUE(Authorize(service, &panel, "IndicatorService/ListValues", {""}).ok());
  // Nothing beyond what the services need.
  EXPECT_EQ(Authorize(service, &panel, "EscalationService/ListEscalations", {"372"}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Authorize(service, &panel, "IndicatorService/WriteValues", {"372"}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizationTest, LaCodesAreFoundAtAnyDepth) {
  v1::WriteValuesRequest write;
  write.add_values()->set_la_code("372");
  write.add_values()->set_la_code("382");
  write.add_values()->set_la_code("372");  // Each LA once, however many rows name it.
  EXPECT_EQ(LaCodesOf(write), (std::vector<std::string>{"372", "382"}));
  v1::ListValuesRequest list;
  EXPECT_EQ(LaCodesOf(list), (std::vector<std::string>{""}));
  list.set_la_code("372");
  EXPECT_EQ(LaCodesOf(list), (std::vector<std::string>{"372"}));
  EXPECT_TRUE(LaCodesOf(v1::ListIndicatorsRequest()).empty());
}

}  // namespace
}  // namespace carescore::auth
