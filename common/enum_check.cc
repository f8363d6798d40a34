#include "common/enum_check.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "google/protobuf/descriptor.h"

namespace carescore {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Undefined(const FieldDescriptor& field, const std::string& path, int number) {
  return WithErrorInfo(
      absl::InvalidArgumentError(
          absl::StrCat(path, ": ", number, " is not a value of ", field.enum_type()->full_name())),
      v1::INVALID_ENUM_VALUE, {{"field", path}});
}

// The map key as the path shows it: strings quoted, numbers and bools bare.
std::string MapKey(const Message& entry) {
  const FieldDescriptor* key = entry.GetDescriptor()->map_key();
  const Reflection* r = entry.GetReflection();
  switch (key->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return absl::StrCat("\"", r->GetString(entry, key), "\"");
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(entry, key));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(entry, key));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(entry, key));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(entry, key));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(entry, key) ? "true" : "false";
    default:
      return "?";
  }
}

absl::Status Check(const Message& message, const std::string& prefix) {
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  // Only fields that are set: an unset proto3 enum is 0, always defined.
  r->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string name = absl::StrCat(prefix, field->name());
    if (field->is_map()) {
      const FieldDescriptor* value = field->message_type()->map_value();
      if (value->cpp_type() != FieldDescriptor::CPPTYPE_ENUM &&
          value->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        continue;
      }
      for (int i = 0; i < r->FieldSize(message, field); ++i) {
        const Message& entry = r->GetRepeatedMessage(message, field, i);
        const std::string path = absl::StrCat(name, "[", MapKey(entry), "]");
        const Reflection* er = entry.GetReflection();
        if (value->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          const int number = er->GetEnumValue(entry, value);
          if (value->enum_type()->FindValueByNumber(number) == nullptr) {
            return Undefined(*value, path, number);
          }
        } else if (absl::Status s = Check(er->GetMessage(entry, value), path + "."); !s.ok()) {
          return s;
        }
      }
      continue;
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      if (field->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, field); ++i) {
          const int number = r->GetRepeatedEnumValue(message, field, i);
          if (field->enum_type()->FindValueByNumber(number) == nullptr) {
            return Undefined(*field, absl::StrCat(name, "[", i, "]"), number);
          }
        }
      } else {
        const int number = r->GetEnumValue(message, field);
        if (field->enum_type()->FindValueByNumber(number) == nullptr) {
          return Undefined(*field, name, number);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, field); ++i) {
          absl::Status s =
              Check(r->GetRepeatedMessage(message, field, i), absl::StrCat(name, "[", i, "]."));
          if (!s.ok()) return s;
        }
      } else if (absl::Status s = Check(r->GetMessage(message, field), name + "."); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckEnums(const Message& message) { return Check(message, ""); }

}  // namespace carescore
