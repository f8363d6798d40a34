#ifndef CARESCORE_SERVICES_ESCALATIONS_TESTING_FAILING_ESCALATION_STORE_H_
#define CARESCORE_SERVICES_ESCALATIONS_TESTING_FAILING_ESCALATION_STORE_H_

// An EscalationStore for tests that passes every call to a real store
// unless told to fail: FailNext(op, status) makes the next call of `op`
// (or of any operation, for Op::kAny) return `status` without reaching the
// real store, once. Lets a test reach the error paths a working store never
// takes (a disk error, a lost database) and check what the service did and
// did not write. Thread-safe if the wrapped store is.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/escalations/escalation_store.h"

namespace carescore::escalations::testing {

class FailingEscalationStore final : public EscalationStore {
 public:
  enum class Op {
    kAny,
    kInsert,
    kUpdate,
    kFind,
    kList,
    kInsertAudit,
    kListAudits,
    kAddClosures,
    kClosures,
    kLogAccess,
    kAccessLog,
  };

  // `real` outlives *this.
  explicit FailingEscalationStore(EscalationStore& real) : real_(real) {}

  // The next call of `op` fails with `status` (not OK).
  void FailNext(Op op, absl::Status status) {
    absl::MutexLock lock(&mu_);
    failures_[op] = std::move(status);
  }
  // How many calls of `op` have been made (failed ones included).
  int Calls(Op op) const {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(op);
    return it == calls_.end() ? 0 : it->second;
  }

  absl::StatusOr<v1::Escalation> Insert(v1::Escalation escalation) override {
    if (absl::Status s = Take(Op::kInsert); !s.ok()) return s;
    return real_.Insert(std::move(escalation));
  }
  absl::Status Update(const v1::Escalation& escalation, int expected_transitions) override {
    if (absl::Status s = Take(Op::kUpdate); !s.ok()) return s;
    return real_.Update(escalation, expected_transitions);
  }
  absl::StatusOr<std::optional<v1::Escalation>> Find(absl::string_view id) override {
    if (absl::Status s = Take(Op::kFind); !s.ok()) return s;
    return real_.Find(id);
  }
  absl::StatusOr<std::vector<v1::Escalation>> List(const EscalationFilter& filter) override {
    if (absl::Status s = Take(Op::kList); !s.ok()) return s;
    return real_.List(filter);
  }
  absl::StatusOr<std::pair<v1::Audit, std::optional<v1::Escalation>>> InsertAudit(
      v1::Audit audit, std::optional<v1::Escalation> escalation) override {
    if (absl::Status s = Take(Op::kInsertAudit); !s.ok()) return s;
    return real_.InsertAudit(std::move(audit), std::move(escalation));
  }
  absl::StatusOr<std::vector<v1::Audit>> ListAudits(absl::string_view la_code, absl::CivilDay from,
                                                    absl::CivilDay to) override {
    if (absl::Status s = Take(Op::kListAudits); !s.ok()) return s;
    return real_.ListAudits(la_code, from, to);
  }
  absl::Status AddClosures(absl::string_view la_code, const std::vector<absl::CivilDay>& days,
                           absl::string_view reason) override {
    if (absl::Status s = Take(Op::kAddClosures); !s.ok()) return s;
    return real_.AddClosures(la_code, days, reason);
  }
  absl::StatusOr<std::set<absl::CivilDay>> Closures(absl::string_view la_code) override {
    if (absl::Status s = Take(Op::kClosures); !s.ok()) return s;
    return real_.Closures(la_code);
  }
  absl::Status LogAccess(absl::string_view actor, absl::string_view action,
                         absl::string_view subject) override {
    if (absl::Status s = Take(Op::kLogAccess); !s.ok()) return s;
    return real_.LogAccess(actor, action, subject);
  }
  absl::StatusOr<std::vector<std::string>> AccessLog(int limit) override {
    if (absl::Status s = Take(Op::kAccessLog); !s.ok()) return s;
    return real_.AccessLog(limit);
  }

 private:
  // Counts the call; the failure set for `op` (or for any), once, else OK.
  absl::Status Take(Op op) {
    absl::MutexLock lock(&mu_);
    ++calls_[op];
    for (Op key : {op, Op::kAny}) {
      auto it = failures_.find(key);
      if (it == failures_.end()) continue;
      absl::Status s = std::move(it->second);
      failures_.erase(it);
      return s;
    }
    return absl::OkStatus();
  }

  EscalationStore& real_;
  mutable absl::Mutex mu_;
  std::map<Op, absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  std::map<Op, int> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::escalations::testing

#endif  // CARESCORE_SERVICES_ESCALATIONS_TESTING_FAILING_ESCALATION_STORE_H_
