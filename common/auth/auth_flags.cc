#include "common/auth/auth_flags.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/pg_audit_log.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/pg_db.h"
#include "spdlog/spdlog.h"

namespace carescore::auth {

void AddAuthFlags(CLI::App& app, AuthFlags& flags, bool calls_peers) {
  app.add_option("--auth-public-key", flags.public_keys,
                 "PEM public key that signs callers' tokens (ES256 or RS256); repeat for key "
                 "rotation (default: a development key pair made in the data folder)")
      ->envname("CARESCORE_AUTH_PUBLIC_KEY")
      ->delimiter(',')
      ->check(CLI::ExistingFile);
  app.add_option("--auth-issuer", flags.issuer, "Tokens must have this `iss` (default: any)")
      ->envname("CARESCORE_AUTH_ISSUER");
  app.add_option("--auth-audience", flags.audience, "Tokens must have this `aud` (default: any)")
      ->envname("CARESCORE_AUTH_AUDIENCE");
  app.add_option("--audit-log", flags.audit_log,
                 "SQLite file of the tamper-evident audit log (default: in the data folder)")
      ->envname("CARESCORE_AUDIT_LOG");
  if (!calls_peers) return;
  auto* file = app.add_option("--service-token-file", flags.service_token_file,
                              "Token (role `service`) to send when calling other services, "
                              "read again when the file changes")
                   ->envname("CARESCORE_SERVICE_TOKEN_FILE")
                   ->check(CLI::ExistingFile);
  auto* key = app.add_option("--service-signing-key", flags.service_signing_key,
                             "Private key (PEM) to sign this service's own tokens with; the "
                             "services it calls trust its public key")
                  ->envname("CARESCORE_SERVICE_SIGNING_KEY")
                  ->check(CLI::ExistingFile);
  file->excludes(key);
}

absl::StatusOr<std::unique_ptr<Auth>> MakeAuth(const AuthFlags& flags, const std::string& data_dir,
                                               const AuthRole& role, const std::string& database) {
  std::unique_ptr<Auth> auth(new Auth());
  VerifierOptions options;
  options.issuer = flags.issuer;
  options.audience = flags.audience;
  std::string development_private_key;
  if (flags.public_keys.empty()) {
    absl::StatusOr<KeyPairPaths> pair = EnsureDevelopmentKeyPair(data_dir);
    if (!pair.ok()) return pair.status();
    absl::StatusOr<std::string> pem = ReadKeyFile(pair->public_key);
    if (!pem.ok()) return pem.status();
    options.public_keys_pem.push_back(*std::move(pem));
    auth->development_key_ = pair->private_key;
    development_private_key = pair->private_key;
  }
  for (const std::string& path : flags.public_keys) {
    absl::StatusOr<std::string> pem = ReadKeyFile(path);
    if (!pem.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--auth-public-key: ", pem.status().message()));
    }
    options.public_keys_pem.push_back(*std::move(pem));
  }

  if (role.calls_peers) {
    absl::StatusOr<std::unique_ptr<ServiceToken>> token;
    if (!flags.service_token_file.empty()) {
      token = ServiceToken::FromFile(flags.service_token_file);
    } else if (!flags.service_signing_key.empty()) {
      absl::StatusOr<std::string> pem = ReadKeyFile(flags.service_signing_key);
      if (!pem.ok()) return absl::InvalidArgumentError(pem.status().message());
      token =
          ServiceToken::Signed(*std::move(pem), role.service_name, flags.issuer, flags.audience);
    } else if (role.in_process_peers) {
      // Held in memory only: no file to steal, and a restart retires it.
      absl::StatusOr<KeyPairPem> pair = GenerateEs256KeyPair();
      if (!pair.ok()) return pair.status();
      options.public_keys_pem.push_back(pair->public_key);
      token = ServiceToken::Signed(std::move(pair->private_key), role.service_name, flags.issuer,
                                   flags.audience);
    } else if (!development_private_key.empty()) {
      absl::StatusOr<std::string> pem = ReadKeyFile(development_private_key);
      if (!pem.ok()) return pem.status();
      token =
          ServiceToken::Signed(*std::move(pem), role.service_name, flags.issuer, flags.audience);
    } else {
      return absl::FailedPreconditionError(
          "this service calls other services and tokens come from --auth-public-key: give "
          "--service-token-file (a token with the `service` role) or --service-signing-key "
          "(a private key whose public key the other services trust)");
    }
    if (!token.ok()) return token.status();
    auth->service_token_ = *std::move(token);
  }

  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier =
      TokenVerifier::Create(std::move(options));
  if (!verifier.ok()) return verifier.status();
  auth->verifier_ = *std::move(verifier);

  // Replicas sharing a database must share one chain, so the database wins
  // over a file unless --audit-log names one.
  const bool in_database = !database.empty() && flags.audit_log.empty();
  const std::string audit_path =
      in_database               ? absl::StrCat(RedactedPgUrl(database), " (schema audit)")
      : flags.audit_log.empty() ? (std::filesystem::path(data_dir) / role.audit_file_name).string()
                                : flags.audit_log;
  if (in_database) {
    absl::StatusOr<std::unique_ptr<PgAuditLog>> audit = PgAuditLog::Open(database);
    if (!audit.ok()) {
      return absl::Status(audit.status().code(),
                          absl::StrCat("cannot open the audit log: ", audit.status().message()));
    }
    auth->audit_ = *std::move(audit);
  } else {
    absl::StatusOr<std::unique_ptr<SqliteAuditLog>> audit = SqliteAuditLog::Open(audit_path);
    if (!audit.ok()) {
      return absl::UnavailableError(
          absl::StrCat("cannot open the audit log ", audit_path, ": ", audit.status().message()));
    }
    auth->audit_ = *std::move(audit);
  }
  auth->gate_ = std::make_unique<AuthGate>(*auth->verifier_, auth->audit_.get());
  if (!auth->development_key_.empty()) {
    spdlog::info("tokens: trusting the development key {} (carescore token mint --data-dir {})",
                 auth->development_key_, data_dir);
  }
  spdlog::info("audit log: {}", audit_path);
  return auth;
}

}  // namespace carescore::auth
