#include "services/escalations/pg_change_relay.h"

#include <poll.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "spdlog/spdlog.h"

namespace carescore::escalations {
namespace {

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (the default
// build's limit).
constexpr size_t kMaxPayloadBytes = 7999;
constexpr absl::string_view kByValue = "m:";
constexpr absl::string_view kByReference = "r:";
// How long the listener sleeps in poll(): the longest Stop waits for it.
constexpr int kPollMillis = 200;
// Between attempts to listen again; well under a second at first, so a
// short restart costs little.
constexpr absl::Duration kFirstRetry = absl::Milliseconds(100);
constexpr absl::Duration kLastRetry = absl::Seconds(1);

// libpq's messages span lines and indent with tabs; one line reads better
// in a log.
std::string OneLine(const char* message) {
  return absl::StrJoin(
      absl::StrSplit(message != nullptr ? message : "", absl::ByAnyChar("\n\t"), absl::SkipEmpty()),
      " ");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgConn>> PgChangeRelay::Listen(const std::string& url) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url, "");
  if (!conn.ok()) return conn.status();
  absl::Status listening = (*conn)->Run(absl::StrCat("LISTEN ", kPgChangeChannel));
  if (!listening.ok()) return listening;
  return conn;
}

absl::StatusOr<std::unique_ptr<PgChangeRelay>> PgChangeRelay::Start(const std::string& url,
                                                                    ChangeFeed& feed,
                                                                    EscalationStore& store) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "", 4);
  if (!pool.ok()) return pool.status();
  // Listening before attaching: this replica's own first change must find
  // its listener already there.
  absl::StatusOr<std::unique_ptr<PgConn>> listener = Listen(url);
  if (!listener.ok()) return listener.status();
  auto relay = std::unique_ptr<PgChangeRelay>(
      new PgChangeRelay(*std::move(pool), *std::move(listener), feed, store, url));
  feed.SetRelay(relay.get());
  return relay;
}

PgChangeRelay::PgChangeRelay(std::unique_ptr<PgPool> pool, std::unique_ptr<PgConn> listener,
                             ChangeFeed& feed, EscalationStore& store, std::string url)
    : pool_(std::move(pool)),
      feed_(feed),
      store_(store),
      url_(std::move(url)),
      thread_(&PgChangeRelay::Run, this, std::move(listener)) {}

PgChangeRelay::~PgChangeRelay() {
  feed_.SetRelay(nullptr);
  stop_.Notify();
  thread_.join();
}

absl::Status PgChangeRelay::Send(const v1::WatchEscalationsResponse& change) {
  std::string payload = absl::StrCat(kByValue, absl::Base64Escape(change.SerializeAsString()));
  if (payload.size() > kMaxPayloadBytes) {
    payload = absl::StrCat(kByReference, static_cast<int>(change.change()), ":",
                           change.escalation().id());
  }
  absl::Status sent;
  // A pooled connection outlived by a server restart fails on first use
  // and is dropped; the second try then connects afresh. Nothing was sent
  // by the first: a NOTIFY goes out only when its statement commits.
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<PgLease> conn = pool_->Acquire();
    if (!conn.ok()) return conn.status();
    absl::StatusOr<PgResult> notified = (*conn)->Exec(
        "SELECT pg_notify($1, $2)", {PgParam::Text(kPgChangeChannel), PgParam::Text(payload)});
    if (notified.ok()) return absl::OkStatus();
    sent = notified.status();
    if ((*conn)->healthy()) return sent;
  }
  return sent;
}

void PgChangeRelay::Run(std::unique_ptr<PgConn> listener) {
  absl::Duration retry = kFirstRetry;
  bool told_down = false;
  while (!stop_.HasBeenNotified()) {
    if (listener == nullptr) {
      absl::StatusOr<std::unique_ptr<PgConn>> again = Listen(url_);
      if (!again.ok()) {
        if (!told_down) {
          spdlog::warn("escalation change relay cannot listen: {} (retrying)",
                       std::string(again.status().message()));
          told_down = true;
        }
        if (stop_.WaitForNotificationWithTimeout(retry)) break;
        retry = std::min(retry * 2, kLastRetry);
        continue;
      }
      listener = *std::move(again);
      sessions_.fetch_add(1);
      retry = kFirstRetry;
      told_down = false;
      spdlog::info(
          "escalation change relay listening again at {}; changes made while it was "
          "disconnected did not reach this replica's watchers",
          listener->where());
    }
    pollfd fd{PQsocket(listener->raw()), POLLIN, 0};
    const int ready = poll(&fd, 1, kPollMillis);
    // PQconsumeInput reads what arrived; it fails, and the connection turns
    // unhealthy, when the server has gone.
    if ((ready > 0 && PQconsumeInput(listener->raw()) == 0) || !listener->healthy()) {
      spdlog::warn("escalation change relay lost its connection to {}: {} (listening again)",
                   listener->where(), OneLine(PQerrorMessage(listener->raw())));
      listener.reset();
      continue;
    }
    while (PGnotify* n = PQnotifies(listener->raw())) {
      if (absl::string_view(n->relname) == kPgChangeChannel) Receive(n->extra);
      PQfreemem(n);
    }
  }
}

void PgChangeRelay::Receive(absl::string_view payload) {
  v1::WatchEscalationsResponse change;
  if (absl::ConsumePrefix(&payload, kByValue)) {
    std::string bytes;
    if (!absl::Base64Unescape(payload, &bytes) || !change.ParseFromString(bytes)) {
      spdlog::warn("escalation change relay: an unreadable change was ignored");
      return;
    }
    feed_.Deliver(change);
    return;
  }
  if (!absl::ConsumePrefix(&payload, kByReference)) {
    spdlog::warn("escalation change relay: a change in an unknown form was ignored");
    return;
  }
  std::vector<absl::string_view> parts = absl::StrSplit(payload, absl::MaxSplits(':', 1));
  int kind = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &kind) ||
      !v1::TransitionKind_IsValid(kind)) {
    spdlog::warn("escalation change relay: an unreadable change was ignored");
    return;
  }
  absl::StatusOr<std::optional<v1::Escalation>> found = store_.Find(parts[1]);
  if (!found.ok() || !found->has_value()) {
    spdlog::warn(
        "escalation change relay: escalation {} changed but cannot be read back ({}); "
        "watchers miss the change",
        std::string(parts[1]),
        found.ok() ? "no longer stored" : std::string(found.status().message()));
    return;
  }
  *change.mutable_escalation() = **std::move(found);
  change.set_change(static_cast<v1::TransitionKind>(kind));
  feed_.Deliver(change);
}

}  // namespace carescore::escalations
