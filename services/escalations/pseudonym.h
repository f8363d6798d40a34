#ifndef CARESCORE_SERVICES_ESCALATIONS_PSEUDONYM_H_
#define CARESCORE_SERVICES_ESCALATIONS_PSEUDONYM_H_

// Escalation records name a child by a pseudonymous reference only. This
// refuses references that look like real identifiers, references that do
// not have the shape the council's case system gives its references
// (ChildRefRule), and free text (notes, teams, IRO ids, outcomes) that holds
// an NHS number or an e-mail address. Messages name the field and never
// echo the value.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace re2 {
class RE2;
}

namespace carescore::escalations {

// The default shape: one to four upper-case letters, an optional dash, one
// to ten digits (C-104233). A council whose references look otherwise sets
// its own with --child-ref-pattern.
inline constexpr absl::string_view kDefaultChildRefPattern = "^[A-Z]{1,4}-?[0-9]{1,10}$";

// True for ten digits (spaces, dots or dashes allowed between) whose last
// digit is the NHS number's modulus 11 check digit.
bool LooksLikeNhsNumber(absl::string_view text);

// True if `text` holds an NHS number anywhere: a group of exactly ten
// digits, possibly separated by spaces, dots, dashes or underscores (up to
// three between two digits), with a valid check digit; letters around it do
// not hide it ("NHS9434765919").
bool ContainsNhsNumber(absl::string_view text);

// True if `text` holds something shaped like an e-mail address.
bool ContainsEmailAddress(absl::string_view text);

// The checks every reference passes whatever the council's pattern: OK for
// 1..64 characters of letters, digits, '.', '_' and '-' that hold no NHS
// number. InvalidArgument otherwise, saying records must be pseudonymous: a
// name (white space), an NHS number, an e-mail address.
[[nodiscard]] absl::Status CheckChildRef(absl::string_view ref);

// A council's reference shape (--child-ref-pattern, a full-match RE2
// regular expression) on top of CheckChildRef. Copyable, thread-safe.
class ChildRefRule {
 public:
  // InvalidArgument if `pattern` is not a valid regular expression.
  static absl::StatusOr<ChildRefRule> Make(absl::string_view pattern);
  // The rule with kDefaultChildRefPattern.
  static ChildRefRule Default();

  [[nodiscard]] absl::Status Check(absl::string_view ref) const;
  const std::string& pattern() const;

 private:
  explicit ChildRefRule(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
  std::shared_ptr<const re2::RE2> re_;
};

// Free text in `field`: at most `max_chars` bytes, no NHS number, no e-mail
// address. InvalidArgument naming the field (and the limit) otherwise.
[[nodiscard]] absl::Status CheckFreeText(absl::string_view text, absl::string_view field,
                                         size_t max_chars);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_PSEUDONYM_H_
