#include "common/paging.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace carescore {
namespace {

constexpr char kTokenVersion = 1;
constexpr size_t kFingerprintBytes = 8;
constexpr size_t kChecksumBytes = 4;

// FNV-1a, 64 bits: fixed by its definition, unlike absl::Hash, which is
// seeded per process and would make a token from one replica fail on the
// next.
uint64_t Fnv1a(absl::string_view bytes, uint64_t hash = 14695981039346656037ull) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

void AppendBigEndian(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = bytes; i-- > 0;) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t ReadBigEndian(absl::string_view in) {
  uint64_t value = 0;
  for (char c : in) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

absl::Status BadToken(absl::string_view why) {
  return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat("page_token ", why)),
                       v1::INVALID_PAGE_TOKEN, {{"field", "page_token"}});
}

}  // namespace

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0) {
    return WithErrorInfo(
        absl::InvalidArgumentError(absl::StrCat("page_size ", requested, " is negative")),
        v1::INVALID_FIELD, {{"field", "page_size"}});
  }
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

uint64_t RequestFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> filters(request.New());
  filters->CopyFrom(request);
  const google::protobuf::Descriptor* type = filters->GetDescriptor();
  const google::protobuf::Reflection* reflection = filters->GetReflection();
  for (const char* name : {"page_size", "page_token"}) {
    if (const google::protobuf::FieldDescriptor* f = type->FindFieldByName(name)) {
      reflection->ClearField(filters.get(), f);
    }
  }
  // Deterministic serialization writes map entries in key order, so equal
  // requests give equal bytes.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    filters->SerializePartialToCodedStream(&coded);
  }
  return Fnv1a(bytes, Fnv1a(absl::StrCat(type->full_name(), "\n")));
}

std::string EncodePageToken(const google::protobuf::Message& request,
                            absl::string_view resume_key) {
  std::string raw(1, kTokenVersion);
  AppendBigEndian(raw, RequestFingerprint(request), kFingerprintBytes);
  raw.append(resume_key.data(), resume_key.size());
  AppendBigEndian(raw, Fnv1a(raw), kChecksumBytes);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(const google::protobuf::Message& request,
                                            absl::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  // Re-encoding must give the token back: otherwise a changed last
  // character could decode to the same bytes and pass.
  if (!absl::WebSafeBase64Unescape(token, &raw) || absl::WebSafeBase64Escape(raw) != token ||
      raw.size() < 1 + kFingerprintBytes + 1 + kChecksumBytes || raw[0] != kTokenVersion) {
    return BadToken("is not one this service issued");
  }
  const absl::string_view body(raw.data(), raw.size() - kChecksumBytes);
  if (ReadBigEndian(absl::string_view(raw).substr(body.size())) != (Fnv1a(body) & 0xffffffffull)) {
    return BadToken("is corrupted: send it exactly as next_page_token gave it");
  }
  if (ReadBigEndian(body.substr(1, kFingerprintBytes)) != RequestFingerprint(request)) {
    return BadToken(
        "was issued for a request with other filters: repeat the first page's filters "
        "(only page_size may change), or send no page_token to start again");
  }
  return std::string(body.substr(1 + kFingerprintBytes));
}

void AppendKeyPart(std::string& key, absl::string_view part) {
  // "\0" is escaped and "\0\1" ends the part, so a part that is a prefix of
  // another sorts first and no part can run into the next.
  for (char c : part) {
    key.push_back(c);
    if (c == '\0') key.push_back('\xff');
  }
  key.append("\0\1", 2);
}

void AppendDescendingKeyPart(std::string& key, absl::string_view part) {
  // The ascending encoding is prefix-free, so its complement orders the
  // other way round, byte by byte.
  std::string ascending;
  AppendKeyPart(ascending, part);
  for (char c : ascending) key.push_back(static_cast<char>(~static_cast<unsigned char>(c)));
}

void AppendKeyPart(std::string& key, int64_t number) {
  AppendBigEndian(key, static_cast<uint64_t>(number) ^ (uint64_t{1} << 63), 8);
}

}  // namespace carescore
