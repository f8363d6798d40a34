#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/reports/report_renderer.h"

extern char** environ;

namespace carescore::reports {
namespace {

namespace fs = std::filesystem;

// Every Chromium process carries this variable (children inherit it), so a
// helper that leaves the process group (the crash handler starts its own
// session) is still found and killed.
constexpr char kRenderMarker[] = "CARESCORE_PDF_RENDER=";

// The Chromiums being waited for by some RenderPdf call: their main
// processes are reaped by that call, never by another call's clean-up.
absl::Mutex in_flight_mu;
std::set<pid_t>& InFlight() ABSL_EXCLUSIVE_LOCKS_REQUIRED(in_flight_mu) {
  static auto* const pids = new std::set<pid_t>();
  return *pids;
}

struct Process {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgid = 0;
  char state = '?';
  std::string name;
};

// Every process /proc shows now (those that vanish while read are skipped).
std::vector<Process> Processes() {
  std::vector<Process> out;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    Process p;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &p.pid)) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // "pid (name) state ppid pgrp ...": the name may hold spaces and ')'.
    const size_t open = line.find('(');
    const size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    p.name = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 1));
    rest >> p.state >> p.ppid >> p.pgid;
    if (rest.fail()) continue;
    out.push_back(std::move(p));
  }
  return out;
}

bool Carries(pid_t pid, const std::string& marker) {
  std::ifstream environ_file(absl::StrCat("/proc/", pid, "/environ"), std::ios::binary);
  std::string entry;
  while (std::getline(environ_file, entry, '\0')) {
    if (entry == marker) return true;
  }
  return false;
}

bool IsChromium(const Process& p) { return absl::StartsWith(p.name, "chrom"); }

// One look at the process table: reaps this process's dead Chromium
// children that no RenderPdf call is waiting for, and kills what is left of
// the render whose group is `group` (none if 0) and whose processes carry
// `marker` (none if empty). True while some of that render is still there.
bool Sweep(pid_t group, const std::string& marker) {
  std::set<pid_t> in_flight;
  {
    absl::MutexLock lock(&in_flight_mu);
    in_flight = InFlight();
  }
  const pid_t self = getpid();
  bool left = false;
  for (const Process& p : Processes()) {
    // While any process of the group is left, even a zombie, its id cannot
    // be another's.
    const bool in_group = group != 0 && p.pgid == group;
    if (p.state == 'Z') {
      if (p.ppid == self && (in_group || (IsChromium(p) && in_flight.count(p.pid) == 0))) {
        // A dead leader waits for its other threads to end before it can
        // be reaped.
        int status = 0;
        if (waitpid(p.pid, &status, WNOHANG) == 0 && in_group) left = true;
      } else if (in_group) {
        left = true;  // Its parent, dying too, has not let it go yet.
      }
    } else if (in_group || (!marker.empty() && Carries(p.pid, marker))) {
      kill(p.pid, SIGKILL);
      left = true;
    }
  }
  return left;
}

// Kills every process of the render whose main process is `pid` (its
// process group, and any helper that left the group) and reaps what this
// process is the parent of, for at most 5 seconds (a killed process can
// take a while to exit on a busy machine); a later call's Sweep reaps any
// that outlive that. The main process must not have been reaped yet, so
// its group id cannot have been reused.
void KillRender(pid_t pid, const std::string& marker) {
  kill(-pid, SIGKILL);
  for (const Process& p : Processes()) {
    if (p.pid != pid && p.state != 'Z' && Carries(p.pid, marker)) kill(p.pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  {
    absl::MutexLock lock(&in_flight_mu);
    InFlight().erase(pid);
  }
  // The killed helpers are re-parented to this process (a subreaper, see
  // RenderPdf) as their parents die; until reaped they would still show in
  // the process table.
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (Sweep(pid, marker) && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(10));
}

}  // namespace

absl::StatusOr<std::string> RenderPdf(const std::string& html, const std::string& chromium,
                                      const CallScope& scope, absl::Duration timeout) {
  // Nobody waits for a PDF started after its caller has gone.
  absl::Status live = scope.Check("printing the PDF");
  if (!live.ok()) return live;
  // Chromium's crash handler leaves the process group and daemonises; as a
  // subreaper this process inherits such orphans and can reap them, where
  // init (or nobody, when this server is PID 1 in a container) otherwise
  // would, leaving zombies behind.
  static std::once_flag subreaper;
  std::call_once(subreaper, [] { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); });
  // Strays of an earlier render that exited only after it gave up on them.
  Sweep(0, "");

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
  std::string marker = absl::StrCat(kRenderMarker, dir.string());
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!absl::StartsWith(*e, kRenderMarker)) envp.push_back(*e);
  }
  envp.push_back(marker.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  // Its own process group (id = its pid): one kill reaches every process
  // it starts.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  int spawned = 0;
  {
    // Registered before any other call's clean-up can see it as a stray.
    absl::MutexLock lock(&in_flight_mu);
    spawned = posix_spawnp(&pid, chromium.c_str(), &actions, &attributes, argv.data(), envp.data());
    if (spawned == 0) InFlight().insert(pid);
  }
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    fs::remove_all(dir, ec);
    return absl::UnavailableError(absl::StrCat("cannot run ", chromium, " to make the PDF (",
                                               std::strerror(spawned),
                                               "); install Debian's chromium package"));
  }
  const absl::Time deadline = absl::Now() + timeout;
  siginfo_t exited{};
  while (true) {
    // WNOWAIT: the main process stays a zombie, holding its group id, until
    // KillRender has killed the rest of the group.
    exited.si_pid = 0;
    if (waitid(P_PID, static_cast<id_t>(pid), &exited, WEXITED | WNOHANG | WNOWAIT) != 0) {
      // Reaped elsewhere (nothing here does that): its group id may
      // already be another's, so nothing is killed.
      const int error = errno;
      {
        absl::MutexLock lock(&in_flight_mu);
        InFlight().erase(pid);
      }
      fs::remove_all(dir, ec);
      return absl::InternalError(
          absl::StrCat("lost track of Chromium while it printed: ", std::strerror(error)));
    }
    if (exited.si_pid == pid) break;
    absl::Status stop = scope.Check("printing the PDF");
    if (stop.ok() && absl::Now() > deadline) {
      stop = absl::DeadlineExceededError("Chromium took too long to print the PDF");
    }
    if (!stop.ok()) {
      KillRender(pid, marker);
      fs::remove_all(dir, ec);
      return stop;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  // Whatever Chromium left running goes with it.
  KillRender(pid, marker);
  std::ifstream pdf(out, std::ios::binary);
  std::ostringstream bytes;
  bytes << pdf.rdbuf();
  fs::remove_all(dir, ec);
  const std::string result = bytes.str();
  const bool succeeded = exited.si_code == CLD_EXITED && exited.si_status == 0;
  if (!succeeded || result.rfind("%PDF", 0) != 0) {
    return absl::UnavailableError("Chromium did not produce a PDF");
  }
  return result;
}

}  // namespace carescore::reports
