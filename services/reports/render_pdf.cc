#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/reports/report_renderer.h"

extern char** environ;

namespace carescore::reports {

namespace fs = std::filesystem;

absl::StatusOr<std::string> RenderPdf(const std::string& html, const std::string& chromium,
                                      absl::Duration timeout) {
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path() / absl::StrCat("carescore-pdf-", getpid(), "-",
                                                                absl::ToUnixNanos(absl::Now()));
  fs::create_directories(dir / "profile", ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot make a temp folder: ", ec.message()));
  const fs::path in = dir / "report.html";
  const fs::path out = dir / "report.pdf";
  {
    std::ofstream f(in, std::ios::binary);
    f << html;
  }
  // The flags keep Chromium from reaching for the network, which is closed
  // here, and from needing a sandbox, which root in a container lacks.
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-dev-shm-usage",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--no-pdf-header-footer",
                                   absl::StrCat("--user-data-dir=", (dir / "profile").string()),
                                   absl::StrCat("--print-to-pdf=", out.string()),
                                   absl::StrCat("file://", in.string())};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    fs::remove_all(dir, ec);
    return absl::UnavailableError(absl::StrCat("cannot run ", chromium, " to make the PDF (",
                                               std::strerror(spawned),
                                               "); install Debian's chromium package"));
  }
  const absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      fs::remove_all(dir, ec);
      return absl::DeadlineExceededError("Chromium took too long to print the PDF");
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  std::ifstream pdf(out, std::ios::binary);
  std::ostringstream bytes;
  bytes << pdf.rdbuf();
  fs::remove_all(dir, ec);
  const std::string result = bytes.str();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || result.rfind("%PDF", 0) != 0) {
    return absl::UnavailableError("Chromium did not produce a PDF");
  }
  return result;
}

}  // namespace carescore::reports
