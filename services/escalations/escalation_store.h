#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_STORE_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_STORE_H_

// Where escalations, audits, closure days and the access log are kept. The
// EscalationService validates; the store makes each write all or nothing
// and refuses a lost update. Implementations must be thread-safe.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"

namespace carescore::escalations {

struct EscalationFilter {
  std::string la_code;  // Each empty or unspecified: any.
  v1::EscalationStatus status = v1::ESCALATION_STATUS_UNSPECIFIED;
  int stage = 0;
  std::string team;
  std::string theme;
  std::string iro_id;
  std::optional<absl::Time> raised_from;  // Inclusive.
  std::optional<absl::Time> raised_to;    // Exclusive.
  // Paging: results start strictly after (raised_at, id).
  std::optional<std::pair<absl::Time, std::string>> after;
  int limit = 0;  // 0: no limit.
};

class EscalationStore {
 public:
  virtual ~EscalationStore() = default;

  // Gives `escalation` the next id ("ESC-000001") and stores it.
  virtual absl::StatusOr<v1::Escalation> Insert(v1::Escalation escalation) = 0;
  // Replaces a stored escalation if it still has `expected_transitions`
  // transitions; Aborted if someone changed it meanwhile or it is absent
  // (the service reads it first, so absent means removed meanwhile).
  [[nodiscard]] virtual absl::Status Update(const v1::Escalation& escalation,
                                            int expected_transitions) = 0;
  virtual absl::StatusOr<std::optional<v1::Escalation>> Find(absl::string_view id) = 0;
  // Ordered by raised_at, then id.
  virtual absl::StatusOr<std::vector<v1::Escalation>> List(const EscalationFilter& filter) = 0;

  // Stores the audit and, if given, the escalation it opens, linked both
  // ways, in one transaction; ids are assigned ("QAC-000001").
  virtual absl::StatusOr<std::pair<v1::Audit, std::optional<v1::Escalation>>> InsertAudit(
      v1::Audit audit, std::optional<v1::Escalation> escalation) = 0;
  // Audits of `la_code` (any if empty) with review dates in [from, to].
  virtual absl::StatusOr<std::vector<v1::Audit>> ListAudits(absl::string_view la_code,
                                                            absl::CivilDay from,
                                                            absl::CivilDay to) = 0;

  // `la_code` empty: closed for every LA.
  [[nodiscard]] virtual absl::Status AddClosures(absl::string_view la_code,
                                                 const std::vector<absl::CivilDay>& days,
                                                 absl::string_view reason) = 0;
  // The LA's own closure days and every LA's.
  virtual absl::StatusOr<std::set<absl::CivilDay>> Closures(absl::string_view la_code) = 0;

  // Who read or changed what, and when.
  [[nodiscard]] virtual absl::Status LogAccess(absl::string_view actor, absl::string_view action,
                                               absl::string_view subject) = 0;
  // The access log, oldest first (for audits of the audit).
  virtual absl::StatusOr<std::vector<std::string>> AccessLog(int limit) = 0;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_STORE_H_
