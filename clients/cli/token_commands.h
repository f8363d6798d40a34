#ifndef CARESCORE_CLIENTS_CLI_TOKEN_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_TOKEN_COMMANDS_H_

// `carescore token mint`: signs a bearer token with a private key, for
// development and the embedded default (carescored makes its key pair in
// its data folder on first start). Production tokens come from the
// council's identity provider. Needs no server. Construct before parsing:
// it registers the command and holds its option values; the outcome lands
// in `result`.

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace carescore::cli {

struct MintCommandOptions {
  std::string subject;
  std::vector<std::string> roles;
  std::vector<std::string> la_codes;
  std::string ttl = "8h";
  std::string private_key;  // A PEM file, or
  std::string data_dir;     // carescored's data folder: DIR/auth-key.pem.
  std::string issuer;
  std::string audience;
};

// "90s", "15m", "8h", "2d": a whole number and a unit; negative ("-1h") for
// a token that has already expired (tests). InvalidArgument naming --ttl for
// anything else, 0, or more than 366 days either way.
absl::StatusOr<absl::Duration> ParseTtl(absl::string_view text);

// The signed token. InvalidArgument naming the flag for a bad subject, role,
// LA code or TTL, or unless exactly one of --private-key and --data-dir is
// given; NotFound naming the file when the key is missing (with --data-dir:
// start carescored once to make it; the CLI never makes one).
absl::StatusOr<std::string> MintFromOptions(const MintCommandOptions& options,
                                            absl::Time now = absl::Now());

class TokenCommands {
 public:
  TokenCommands(CLI::App& app, absl::Status& result);
  TokenCommands(const TokenCommands&) = delete;
  TokenCommands& operator=(const TokenCommands&) = delete;

  // True when the command line chose a `token` command (which needs no
  // server, so no credentials either).
  bool chosen() const { return token_->parsed(); }

 private:
  absl::Status Mint();

  absl::Status& result_;
  CLI::App* token_ = nullptr;
  MintCommandOptions mint_;
};

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_TOKEN_COMMANDS_H_
