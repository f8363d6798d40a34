#include "services/escalations/pseudonym.h"

#include <re2/re2.h>

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace carescore::escalations {
namespace {

constexpr absl::string_view kPseudonymous =
    "records must be pseudonymous: use the case system's pseudonymous child reference, "
    "never a name, NHS number or other identifier";

bool IsNhsSeparator(char c) { return c == ' ' || c == '.' || c == '-' || c == '_'; }

bool ValidNhsCheckDigit(const std::string& digits) {
  if (digits.size() != 10) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9] - '0';
}

const re2::RE2& EmailPattern() {
  static const re2::RE2* const kEmail =
      new re2::RE2("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  return *kEmail;
}

}  // namespace

bool LooksLikeNhsNumber(absl::string_view text) {
  std::string digits;
  for (char c : text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.') {
      return false;
    }
  }
  return ValidNhsCheckDigit(digits);
}

bool ContainsNhsNumber(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    // A group: digits joined by short runs of separators.
    std::string digits;
    size_t j = i;
    while (j < text.size()) {
      if (absl::ascii_isdigit(static_cast<unsigned char>(text[j]))) {
        digits.push_back(text[j]);
        ++j;
        continue;
      }
      size_t k = j;
      while (k < text.size() && k - j < 3 && IsNhsSeparator(text[k])) ++k;
      if (k == j || k >= text.size() || !absl::ascii_isdigit(static_cast<unsigned char>(text[k])))
        break;
      j = k;
    }
    if (ValidNhsCheckDigit(digits)) return true;
    i = j;
  }
  return false;
}

bool ContainsEmailAddress(absl::string_view text) {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), EmailPattern());
}

absl::Status CheckChildRef(absl::string_view ref) {
  if (ref.empty()) return absl::InvalidArgumentError("child_ref is required");
  if (LooksLikeNhsNumber(ref) || ContainsNhsNumber(ref)) {
    return absl::InvalidArgumentError(
        absl::StrCat("child_ref looks like an NHS number: ", kPseudonymous));
  }
  for (char c : ref) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat("child_ref contains spaces, like a name: ", kPseudonymous));
    }
    if (c == '@') {
      return absl::InvalidArgumentError(
          absl::StrCat("child_ref looks like an e-mail address: ", kPseudonymous));
    }
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return absl::InvalidArgumentError(absl::StrCat(
          "child_ref may hold only letters, digits, '.', '_' and '-': ", kPseudonymous));
    }
  }
  if (ref.size() > 64) {
    return absl::InvalidArgumentError("child_ref is longer than 64 characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<ChildRefRule> ChildRefRule::Make(absl::string_view pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re =
      std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--child-ref-pattern \"", pattern, "\" is not a regular expression: ", re->error()));
  }
  return ChildRefRule(std::move(re));
}

ChildRefRule ChildRefRule::Default() {
  static const ChildRefRule* const kDefault = new ChildRefRule(*Make(kDefaultChildRefPattern));
  return *kDefault;
}

const std::string& ChildRefRule::pattern() const { return re_->pattern(); }

absl::Status ChildRefRule::Check(absl::string_view ref) const {
  absl::Status base = CheckChildRef(ref);
  if (!base.ok()) return base;
  if (!re2::RE2::FullMatch(re2::StringPiece(ref.data(), ref.size()), *re_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("child_ref does not have the shape of this council's references (",
                     re_->pattern(), ", --child-ref-pattern): ", kPseudonymous));
  }
  return absl::OkStatus();
}

absl::Status CheckFreeText(absl::string_view text, absl::string_view field, size_t max_chars) {
  if (text.size() > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is longer than the limit of ", max_chars, " characters"));
  }
  if (ContainsNhsNumber(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " holds what looks like an NHS number: ", kPseudonymous));
  }
  if (ContainsEmailAddress(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " holds what looks like an e-mail address: ", kPseudonymous));
  }
  return absl::OkStatus();
}

}  // namespace carescore::escalations
