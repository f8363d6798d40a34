// The PDF renderer against a real headless Chromium (labelled integration:
// it runs Debian's chromium, which takes a few seconds): it prints, and it
// leaves no Chromium process behind when the caller goes or its deadline
// passes, neither called directly nor through the service's wire edge.

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_scope.h"
#include "common/testing/loopback_server.h"
#include "gtest/gtest.h"
#include "services/reports/report_grpc_service.h"
#include "services/reports/report_renderer.h"
#include "services/reports/testing/report_fixture.h"

namespace carescore::reports {
namespace {

namespace fs = std::filesystem;

std::string Chromium() {
  const char* chromium = std::getenv("CARESCORE_CHROMIUM");
  return chromium != nullptr ? chromium : "chromium";
}

// Marks every process this test's Chromiums start (they inherit the
// environment) and counts the ones alive.
class ChromiumWatch {
 public:
  ChromiumWatch()
      : entry_(absl::StrCat("CARESCORE_PDF_TEST_RUN=", getpid(), "-",
                            absl::ToUnixNanos(absl::Now()))) {
    setenv("CARESCORE_PDF_TEST_RUN", entry_.substr(entry_.find('=') + 1).c_str(), 1);
  }
  ~ChromiumWatch() { unsetenv("CARESCORE_PDF_TEST_RUN"); }

  // Processes carrying the mark (a zombie's environment is unreadable: see
  // Zombies); with `helpers_only`, only Chromium's helper processes
  // (zygotes, renderers: "--type=" on their command line).
  int Alive(bool helpers_only = false) const {
    int count = 0;
    for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
      pid_t pid = 0;
      if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
      std::ifstream environ_file(entry.path() / "environ", std::ios::binary);
      std::string variable;
      bool marked = false;
      while (!marked && std::getline(environ_file, variable, '\0')) marked = variable == entry_;
      if (!marked) continue;
      std::ifstream cmdline(entry.path() / "cmdline", std::ios::binary);
      std::string arg;
      bool helper = false;
      while (!helper && std::getline(cmdline, arg, '\0')) helper = arg.rfind("--type=", 0) == 0;
      if (helper || !helpers_only) ++count;
    }
    return count;
  }

  // This process's children that are dead but not reaped, by name.
  static std::vector<std::string> Zombies() {
    std::vector<std::string> zombies;
    for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
      pid_t pid = 0;
      if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
      std::ifstream stat(entry.path() / "stat");
      std::string line;
      if (!std::getline(stat, line)) continue;
      const size_t close = line.rfind(')');
      if (close == std::string::npos) continue;
      char state = '?';
      pid_t ppid = 0;
      std::istringstream rest(line.substr(close + 1));
      rest >> state >> ppid;
      if (ppid == getpid() && state == 'Z') zombies.push_back(line.substr(0, close + 1));
    }
    return zombies;
  }

 private:
  std::string entry_;
};

TEST(RenderPdfTest, MissingChromiumIsUnavailable) {
  absl::StatusOr<std::string> pdf = RenderPdf("<p>x</p>", "/nonexistent/chromium");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kUnavailable);
}

TEST(RenderPdfTest, ChromiumPrintsTheHtml) {
  ChromiumWatch watch;
  absl::StatusOr<std::string> pdf =
      RenderPdf("<!doctype html><h1>Corporate Parenting Performance Report</h1>", Chromium());
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
  EXPECT_EQ(watch.Alive(), 0);
  EXPECT_EQ(ChromiumWatch::Zombies(), std::vector<std::string>{});
}

TEST(RenderPdfTest, AChromiumThatFailsIsUnavailable) {
  // `false` runs and exits 1 without writing a PDF.
  absl::StatusOr<std::string> pdf = RenderPdf("<p>x</p>", "false");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kUnavailable);
}

TEST(RenderPdfTest, AScopeAlreadyOverStartsNoChromium) {
  ChromiumWatch watch;
  CallScope over(absl::Now() - absl::Milliseconds(1), nullptr);
  // A Chromium that does not exist would be Unavailable if it were run.
  absl::StatusOr<std::string> pdf = RenderPdf("<p>x</p>", "/nonexistent/chromium", over);
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(RenderPdfTest, ACancelledCallerKillsChromiumAndEveryProcessItStarted) {
  ChromiumWatch watch;
  // Cancelled once Chromium has started helpers (zygotes, renderers), so
  // there is a whole tree to kill.
  std::atomic<bool> cancelled = false;
  std::atomic<int> most_helpers = 0;
  std::atomic<bool> done = false;
  std::thread watcher([&] {
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (!done && absl::Now() < give_up) {
      const int helpers = watch.Alive(/*helpers_only=*/true);
      if (helpers > most_helpers) most_helpers = helpers;
      if (helpers >= 2) cancelled = true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    cancelled = true;
  });
  CallScope scope(absl::InfiniteFuture(), [&cancelled] { return cancelled.load(); });
  const absl::Time start = absl::Now();
  absl::StatusOr<std::string> pdf = RenderPdf("<!doctype html><h1>Report</h1>", Chromium(), scope);
  done = true;
  watcher.join();
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kCancelled) << pdf.status();
  EXPECT_GE(most_helpers, 2) << "Chromium started no helpers before it was cancelled";
  EXPECT_LT(absl::Now() - start, absl::Seconds(25));
  // Gone as soon as RenderPdf returns, not a second later.
  EXPECT_EQ(watch.Alive(), 0);
  EXPECT_EQ(ChromiumWatch::Zombies(), std::vector<std::string>{});
}

TEST(RenderPdfTest, APassedDeadlineKillsChromiumWithinMoments) {
  ChromiumWatch watch;
  CallScope scope(absl::Now() + absl::Milliseconds(200), nullptr);
  const absl::Time start = absl::Now();
  absl::StatusOr<std::string> pdf = RenderPdf("<!doctype html><h1>Report</h1>", Chromium(), scope);
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kDeadlineExceeded) << pdf.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(watch.Alive(), 0);
  EXPECT_EQ(ChromiumWatch::Zombies(), std::vector<std::string>{});
}

// GetReport format=pdf through the wire edge with a 200 ms deadline: the
// server stops printing and no Chromium is left a second later.
class PdfDeadlineTest : public ReportServiceFixture {};

TEST_F(PdfDeadlineTest, A200MsDeadlineOnAPdfReportLeavesNoChromiumRunning) {
  ChromiumWatch watch;
  // Chromium through a script that notes it was started: the deadline must
  // be met by killing it, not by never starting it.
  const fs::path dir =
      fs::temp_directory_path() /
      absl::StrCat("carescore-pdf-test-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
  fs::create_directories(dir);
  const fs::path started = dir / "started";
  const fs::path wrapper = dir / "chromium";
  {
    std::ofstream script(wrapper);
    script << "#!/bin/sh\ntouch '" << started.string() << "'\nexec '" << Chromium() << "' \"$@\"\n";
  }
  fs::permissions(wrapper, fs::perms::owner_all);
  ReportDependencies deps;
  deps.chromium = wrapper.string();
  std::unique_ptr<ReportService> service = MakeService(deps);
  ReportGrpcService edge(*service, 2);
  carescore::testing::LoopbackServer server({&edge});
  ASSERT_TRUE(server.ok());
  auto stub = v1::ReportService::NewStub(server.channel());

  v1::GetReportRequest request;
  request.set_la_code("372");
  request.set_month("2018-10");
  request.set_format(v1::REPORT_FORMAT_PDF);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  v1::GetReportResponse response;
  grpc::Status status = stub->GetReport(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  absl::SleepFor(absl::Seconds(1));
  EXPECT_TRUE(fs::exists(started)) << "the report was answered before Chromium was started";
  EXPECT_EQ(watch.Alive(), 0);
  EXPECT_EQ(ChromiumWatch::Zombies(), std::vector<std::string>{});
  // The handler has finished too: shutting down waits for nothing.
  const absl::Time shutdown = absl::Now();
  server.Shutdown();
  EXPECT_LT(absl::Now() - shutdown, absl::Seconds(1));
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace carescore::reports
