#ifndef CARESCORE_SERVICES_ESCALATIONS_PSEUDONYM_H_
#define CARESCORE_SERVICES_ESCALATIONS_PSEUDONYM_H_

// Escalation records name a child by a pseudonymous reference only. This
// refuses references that look like real identifiers.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace carescore::escalations {

// True for ten digits (spaces or dashes allowed between) whose last digit is
// the NHS number's modulus 11 check digit.
bool LooksLikeNhsNumber(absl::string_view text);

// OK for 1..64 characters of letters, digits, '.', '_' and '-' that are not
// an NHS number. InvalidArgument otherwise, saying records must be
// pseudonymous: a name (white space), an NHS number, an e-mail address.
[[nodiscard]] absl::Status CheckChildRef(absl::string_view ref);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_PSEUDONYM_H_
