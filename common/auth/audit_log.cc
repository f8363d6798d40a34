#include "common/auth/audit_log.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace carescore::auth {

std::string AuditHash(const AuditEntry& e, const std::string& prev_hash) {
  std::string text;
  for (const std::string& field :
       {prev_hash, absl::StrCat(e.seq), absl::StrCat(absl::ToUnixMicros(e.at)), e.subject, e.roles,
        e.on_behalf_of, e.method, e.la_codes, e.resource, e.result}) {
    absl::StrAppend(&text, field.size(), ":", field, ";");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

void AuditChainCheck::Next(const AuditEntry& e) {
  if (!intact()) return;
  ++v_.entries;
  if (e.seq != v_.entries) {
    v_.first_bad_seq = e.seq;
    v_.problem = absl::StrCat("entry ", v_.entries, " is missing (the next is ", e.seq, ")");
  } else if (e.prev_hash != prev_) {
    v_.first_bad_seq = e.seq;
    v_.problem = "its previous hash is not the hash of the entry before it";
  } else if (AuditHash(e, prev_) != e.hash) {
    v_.first_bad_seq = e.seq;
    v_.problem = "its fields do not match its hash (changed after it was written)";
  }
  prev_ = e.hash;
}

}  // namespace carescore::auth
