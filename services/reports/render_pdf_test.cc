// The PDF renderer against a real headless Chromium (labelled integration:
// it runs Debian's chromium, which takes a few seconds).

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "services/reports/report_renderer.h"

namespace carescore::reports {
namespace {

TEST(RenderPdfTest, MissingChromiumIsUnavailable) {
  absl::StatusOr<std::string> pdf = RenderPdf("<p>x</p>", "/nonexistent/chromium");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kUnavailable);
}

TEST(RenderPdfTest, ChromiumPrintsTheHtml) {
  const char* chromium = std::getenv("CARESCORE_CHROMIUM");
  absl::StatusOr<std::string> pdf =
      RenderPdf("<!doctype html><h1>Corporate Parenting Performance Report</h1>",
                chromium != nullptr ? chromium : "chromium");
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
}

TEST(RenderPdfTest, AChromiumThatFailsIsUnavailable) {
  // `false` runs and exits 1 without writing a PDF.
  absl::StatusOr<std::string> pdf = RenderPdf("<p>x</p>", "false");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace carescore::reports
