#include "services/escalations/pseudonym.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace carescore::escalations {
namespace {

constexpr absl::string_view kPseudonymous =
    "records must be pseudonymous: use the case system's pseudonymous child reference, "
    "never a name, NHS number or other identifier";

}  // namespace

bool LooksLikeNhsNumber(absl::string_view text) {
  std::string digits;
  for (char c : text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  if (digits.size() != 10) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9] - '0';
}

absl::Status CheckChildRef(absl::string_view ref) {
  if (ref.empty()) return absl::InvalidArgumentError("child_ref is required");
  if (LooksLikeNhsNumber(ref)) {
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

}  // namespace carescore::escalations
