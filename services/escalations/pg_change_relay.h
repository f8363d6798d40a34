#ifndef CARESCORE_SERVICES_ESCALATIONS_PG_CHANGE_RELAY_H_
#define CARESCORE_SERVICES_ESCALATIONS_PG_CHANGE_RELAY_H_

// Carries escalation changes between replicas that share one PostgreSQL
// database, so a dashboard watching any replica sees changes made through
// every one, within a second: PostgreSQL's LISTEN/NOTIFY on the channel
// kPgChangeChannel of that database.
//
// Send is pg_notify(channel, payload) over a pooled connection. The
// payload is "m:" and the base64 of the serialized WatchEscalationsResponse;
// a change whose payload would reach PostgreSQL's 8000-byte limit is sent as
// "r:<TransitionKind number>:<escalation id>" instead, and each receiver
// reads the escalation back from its store (as it is then: a later change
// may already be in it).
//
// A thread owns one more connection, LISTENing: it waits on the socket
// (waking every 200 ms to notice Stop) and Delivers each change into the
// local feed. If that connection breaks (the server restarts), it connects
// and LISTENs again, retrying up to once a second; changes sent while it
// was not listening are lost to this replica's watchers (logged), as
// NOTIFY keeps nothing for absent listeners. A silently dead network path
// is noticed only as fast as the URL's TCP keepalive settings allow.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "common/pg_db.h"
#include "services/escalations/change_feed.h"
#include "services/escalations/escalation_store.h"

namespace carescore::escalations {

inline constexpr absl::string_view kPgChangeChannel = "carescore_escalation_changes";

class PgChangeRelay final : public ChangeFeed::Relay {
 public:
  // Connects to `url` (postgresql://...), LISTENs, starts the listener
  // thread, then attaches itself to `feed` (ChangeFeed::SetRelay), so that
  // from then on every change published there goes through the database.
  // `feed` and `store` (this database's escalations, for changes sent by
  // reference) outlive *this. Unavailable if the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgChangeRelay>> Start(const std::string& url,
                                                              ChangeFeed& feed,
                                                              EscalationStore& store);
  // Detaches from the feed (local delivery again) and stops the listener.
  ~PgChangeRelay() override;
  PgChangeRelay(const PgChangeRelay&) = delete;
  PgChangeRelay& operator=(const PgChangeRelay&) = delete;

  // Retries once on a fresh connection if the pooled one was lost (a server
  // restart); otherwise the pool's error.
  absl::Status Send(const v1::WatchEscalationsResponse& change) override;

  // How many times the listener has started listening: 1 after Start, one
  // more after each reconnection. For tests and diagnostics.
  uint64_t sessions() const { return sessions_.load(); }

 private:
  PgChangeRelay(std::unique_ptr<PgPool> pool, std::unique_ptr<PgConn> listener, ChangeFeed& feed,
                EscalationStore& store, std::string url);
  // A connection LISTENing on the channel.
  static absl::StatusOr<std::unique_ptr<PgConn>> Listen(const std::string& url);
  // The listener thread's loop; `listener` is the connection Start opened.
  void Run(std::unique_ptr<PgConn> listener);
  // Delivers one notification's payload into the feed.
  void Receive(absl::string_view payload);

  std::unique_ptr<PgPool> pool_;  // For Send.
  ChangeFeed& feed_;
  EscalationStore& store_;
  const std::string url_;
  std::atomic<uint64_t> sessions_{1};
  absl::Notification stop_;
  std::thread thread_;  // Last: starts once the members above exist.
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_PG_CHANGE_RELAY_H_
