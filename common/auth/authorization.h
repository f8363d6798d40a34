#ifndef CARESCORE_COMMON_AUTH_AUTHORIZATION_H_
#define CARESCORE_COMMON_AUTH_AUTHORIZATION_H_

// Who may call what: the one table of roles per RPC, and LA scope. Pure
// functions over a verified Caller (token.h), thread-safe.
//
// Roles: analyst, iro, team_manager, service_manager, head_of_service,
// panel_member, national_analyst, admin, service (the services' own calls
// to each other). README.md's "Roles" table is this table in words.
//
// LA scope: a caller covers the LAs its token lists; admin and
// national_analyst cover every LA (for the RPCs their role may call). A
// request names LAs in its `la_code` fields (at any depth: an import's rows
// each name one); an empty `la_code` means every LA (a default target, an
// unfiltered list) and needs a caller covering every LA. A `service` caller
// acts for someone: the LAs it names must be covered by the caller it acts
// for, but it may ask for every LA (comparators are computed from them all
// and only aggregates leave the benchmark service).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/token.h"
#include "google/protobuf/message.h"

namespace carescore::auth {

// The rule for one RPC.
struct Rule {
  std::vector<std::string> roles;  // Any of these may call it.
  enum class Scope {
    kNone,      // Reference data: no LA involved.
    kOptional,  // An empty la_code is allowed to anyone the role allows.
    kRequired,  // Every la_code must be covered; empty means every LA.
  } scope = Scope::kRequired;
  bool child_level = false;  // Reads or writes casework about a child.
  bool write = false;
};

// The rule for "Service/Method" (e.g. "IndicatorService/ListValues"); null
// for an RPC the table does not know, which nobody may call.
const Rule* RuleFor(absl::string_view method);
// Every role the table knows, for the CLI's checks and help.
const std::vector<std::string>& KnownRoles();
// Every method in the table, for tests and docs.
std::vector<std::string> KnownMethods();

// Every la_code in `request`, at any depth (empty ones included), each once,
// in the order first named.
std::vector<std::string> LaCodesOf(const google::protobuf::Message& request);
// `la_codes` with each code once, in the order first named.
std::vector<std::string> UniqueLaCodes(std::vector<std::string> la_codes);

// OK if `caller` (acting for `on_behalf_of` when it is a service) may call
// `method` for `la_codes`; PermissionDenied otherwise, with an ErrorInfo
// reason (ROLE_NOT_ALLOWED, LA_NOT_ALLOWED) and a message that names the
// method and role or LA but never echoes request contents.
absl::Status Authorize(const Caller& caller, const Caller* on_behalf_of, absl::string_view method,
                       const std::vector<std::string>& la_codes);

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_AUTHORIZATION_H_
