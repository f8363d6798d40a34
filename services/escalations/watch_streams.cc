#include "services/escalations/watch_streams.h"

#include "absl/strings/str_cat.h"

namespace carescore::escalations {

WatchStreams::Ticket::~Ticket() {
  if (owner_ != nullptr) owner_->Close(actor_);
}

absl::StatusOr<WatchStreams::Ticket> WatchStreams::Open(const std::string& actor) {
  absl::MutexLock lock(&mu_);
  if (total_ >= max_total_) {
    return absl::ResourceExhaustedError(absl::StrCat("too many watch streams open (the limit is ",
                                                     max_total_, "): try again later"));
  }
  int& mine = by_actor_[actor];
  if (mine >= max_per_actor_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("this caller already has ", mine, " watch streams open (the limit is ",
                     max_per_actor_, " per caller): close one first"));
  }
  ++mine;
  ++total_;
  return Ticket(this, actor);
}

int WatchStreams::open() const {
  absl::MutexLock lock(&mu_);
  return total_;
}

void WatchStreams::Close(const std::string& actor) {
  absl::MutexLock lock(&mu_);
  --total_;
  auto it = by_actor_.find(actor);
  if (it != by_actor_.end() && --it->second <= 0) by_actor_.erase(it);
}

}  // namespace carescore::escalations
