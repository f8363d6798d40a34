#include "clients/cli/token_commands.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/authorization.h"
#include "common/auth/token.h"
#include "common/validation.h"

namespace carescore::cli {
namespace {

constexpr int64_t kMaxTtlDays = 366;

// `status` with "<flag> <path>: " in front.
absl::Status About(const absl::Status& status, absl::string_view flag, absl::string_view path) {
  return absl::Status(status.code(), absl::StrCat(flag, " ", path, ": ", status.message()));
}

absl::StatusOr<std::string> PrivateKey(const MintCommandOptions& o) {
  if (o.private_key.empty() == o.data_dir.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of --private-key FILE and --data-dir DIR (carescored's data folder)");
  }
  if (!o.private_key.empty()) {
    absl::StatusOr<std::string> pem = auth::ReadKeyFile(o.private_key);
    if (!pem.ok()) return About(pem.status(), "--private-key", o.private_key);
    return pem;
  }
  // The key carescored made on its first start. Making one here would give
  // tokens that no server trusts.
  const std::string path = o.data_dir + "/auth-key.pem";
  absl::StatusOr<std::string> pem = auth::ReadKeyFile(path);
  if (!pem.ok()) {
    return absl::NotFoundError(absl::StrCat(
        "--data-dir ", o.data_dir, ": no key at ", path, "; start carescored once with --data-dir ",
        o.data_dir, " (it makes its key pair there), or give --private-key FILE"));
  }
  return pem;
}

}  // namespace

absl::StatusOr<absl::Duration> ParseTtl(absl::string_view text) {
  const auto refused = [&text] {
    return absl::InvalidArgumentError(
        absl::StrCat("--ttl \"", text,
                     "\" is not a time to live such as 90s, 15m, 8h or 2d (negative, e.g. -1h, "
                     "for an expired token), not 0, at most ",
                     kMaxTtlDays, "d"));
  };
  // Digits only, with an optional minus: no spaces, plus signs or hex.
  const absl::string_view number = text.substr(0, text.empty() ? 0 : text.size() - 1);
  const absl::string_view digits = absl::StartsWith(number, "-") ? number.substr(1) : number;
  if (digits.empty() || digits.size() > 9 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return refused();
  }
  int64_t count = 0;
  if (!absl::SimpleAtoi(number, &count) || count == 0 || count < -kMaxTtlDays * 86400 ||
      count > kMaxTtlDays * 86400) {
    return refused();
  }
  absl::Duration ttl;
  switch (text.back()) {
    case 's':
      ttl = absl::Seconds(count);
      break;
    case 'm':
      ttl = absl::Minutes(count);
      break;
    case 'h':
      ttl = absl::Hours(count);
      break;
    case 'd':
      ttl = absl::Hours(24 * count);
      break;
    default:
      return refused();
  }
  if (absl::AbsDuration(ttl) > absl::Hours(24 * kMaxTtlDays)) return refused();
  return ttl;
}

absl::StatusOr<std::string> MintFromOptions(const MintCommandOptions& o, absl::Time now) {
  if (o.subject.empty()) return absl::InvalidArgumentError("--subject is required");
  if (o.roles.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--role is required: one or more of ",
                                                   absl::StrJoin(auth::KnownRoles(), ", ")));
  }
  for (const std::string& role : o.roles) {
    if (std::find(auth::KnownRoles().begin(), auth::KnownRoles().end(), role) ==
        auth::KnownRoles().end()) {
      return absl::InvalidArgumentError(absl::StrCat("--role \"", role, "\" is not a role: one of ",
                                                     absl::StrJoin(auth::KnownRoles(), ", ")));
    }
  }
  for (const std::string& la : o.la_codes) {
    if (!IsLaCode(la)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--la \"", la, "\" is not a DfE LA code (three digits, e.g. 372)"));
    }
  }
  absl::StatusOr<absl::Duration> ttl = ParseTtl(o.ttl);
  if (!ttl.ok()) return ttl.status();
  absl::StatusOr<std::string> pem = PrivateKey(o);
  if (!pem.ok()) return pem.status();

  auth::MintOptions mint;
  mint.subject = o.subject;
  mint.roles = o.roles;
  mint.la_codes = o.la_codes;
  mint.ttl = *ttl;
  mint.issuer = o.issuer;
  mint.audience = o.audience;
  absl::StatusOr<std::string> token = auth::MintToken(*pem, mint, now);
  if (!token.ok()) {
    return o.private_key.empty() ? About(token.status(), "--data-dir", o.data_dir)
                                 : About(token.status(), "--private-key", o.private_key);
  }
  return token;
}

TokenCommands::TokenCommands(CLI::App& app, absl::Status& result) : result_(result) {
  token_ = app.add_subcommand("token", "Bearer tokens, for development and the embedded default");
  token_->require_subcommand(1);
  CLI::App* mint = token_->add_subcommand(
      "mint",
      "Print a signed bearer token (one line). For development and the embedded default: "
      "carescored makes its key pair in its data folder on first start, and trusts it. "
      "Production tokens come from the council's identity provider. Needs no server.");
  mint->add_option("--subject", mint_.subject, "Who the token names (its `sub`)")->required();
  mint->add_option("--role", mint_.roles,
                   absl::StrCat("Role (repeatable): ", absl::StrJoin(auth::KnownRoles(), ", ")))
      ->required();
  mint->add_option("--la", mint_.la_codes,
                   "LA code the token covers (repeatable, e.g. --la 372 --la 382; none: no LA)");
  mint->add_option("--ttl", mint_.ttl,
                   "Time to live: 90s, 15m, 8h, 2d; negative (e.g. -1h) for an expired token")
      ->capture_default_str();
  CLI::Option* key = mint->add_option("--private-key", mint_.private_key,
                                      "PEM private key to sign with (EC "
                                      "P-256: ES256, or RSA: RS256)");
  CLI::Option* dir = mint->add_option(
      "--data-dir", mint_.data_dir,
      "carescored's data folder: sign with the key it made there (DIR/auth-key.pem)");
  key->excludes(dir);
  dir->excludes(key);
  mint->add_option("--issuer", mint_.issuer, "The `iss` claim, if the servers check one");
  mint->add_option("--audience", mint_.audience, "The `aud` claim, if the servers check one");
  mint->callback([this] { result_ = Mint(); });
}

absl::Status TokenCommands::Mint() {
  absl::StatusOr<std::string> token = MintFromOptions(mint_);
  if (!token.ok()) return token.status();
  std::cout << *token << "\n";
  return absl::OkStatus();
}

}  // namespace carescore::cli
