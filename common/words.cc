#include "common/words.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace carescore {
namespace {

// An enum's words: by default its value names without the enum's prefix, in
// lower case (POLARITY_RATE_PER_10K -> "rate_per_10k"), so a value added to
// the proto has a word at once; `overrides` replace the few words people
// use instead of the name.
template <typename E>
class WordTable {
 public:
  explicit WordTable(std::vector<std::pair<E, std::string>> overrides = {},
                     std::string unspecified_word = "unspecified")
      : unspecified_(std::move(unspecified_word)) {
    const google::protobuf::EnumDescriptor* d = google::protobuf::GetEnumDescriptor<E>();
    // Every value's name starts with the UNSPECIFIED value's prefix.
    const std::string& zero = d->FindValueByNumber(0)->name();
    const std::string prefix = zero.substr(0, zero.size() - std::string("UNSPECIFIED").size());
    for (int i = 0; i < d->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* v = d->value(i);
      if (v->number() == 0) continue;
      std::string word = absl::AsciiStrToLower(v->name().substr(prefix.size()));
      for (const auto& [value, replacement] : overrides) {
        if (static_cast<int>(value) == v->number()) word = replacement;
      }
      // An empty word is shown for the value but never parsed or listed.
      if (!word.empty()) words_.push_back(word);
      entries_.emplace_back(static_cast<E>(v->number()), std::move(word));
    }
    what_ = d->name();
  }

  std::string Word(E value) const {
    for (const auto& [v, word] : entries_) {
      if (v == value) return word;
    }
    return unspecified_;
  }

  absl::StatusOr<E> Parse(absl::string_view word) const {
    const std::string wanted = absl::AsciiStrToLower(absl::StripAsciiWhitespace(word));
    for (const auto& [v, w] : entries_) {
      if (!w.empty() && absl::AsciiStrToLower(w) == wanted) return v;
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown ", Spaced(what_), " \"", word,
                                                   "\": expected one of ",
                                                   absl::StrJoin(words_, ", ")));
  }

  const std::vector<std::string>& Words() const { return words_; }

 private:
  // "RagBasis" -> "RAG basis", "PeriodType" -> "period type".
  static std::string Spaced(const std::string& camel) {
    if (camel == "RagBasis") return "RAG basis";
    std::string out;
    for (char c : camel) {
      if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !out.empty()) out.push_back(' ');
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
    return out;
  }

  std::vector<std::pair<E, std::string>> entries_;
  std::vector<std::string> words_;
  std::string unspecified_;
  std::string what_;
};

}  // namespace

#define CARESCORE_ENUM_WORDS_IMPL(Name, Enum, ...)                                               \
  namespace {                                                                                    \
  const WordTable<Enum>& Name##Table() {                                                         \
    static const auto* const kTable = new WordTable<Enum>(__VA_ARGS__);                          \
    return *kTable;                                                                              \
  }                                                                                              \
  }                                                                                              \
  std::string Name##Word(Enum value) { return Name##Table().Word(value); }                       \
  absl::StatusOr<Enum> Parse##Name(absl::string_view word) { return Name##Table().Parse(word); } \
  const std::vector<std::string>& Name##Words() { return Name##Table().Words(); }

CARESCORE_ENUM_WORDS_IMPL(Polarity, v1::Polarity)
CARESCORE_ENUM_WORDS_IMPL(Unit, v1::Unit)
CARESCORE_ENUM_WORDS_IMPL(PeriodType, v1::PeriodType)
CARESCORE_ENUM_WORDS_IMPL(RagBasis, v1::RagBasis)
CARESCORE_ENUM_WORDS_IMPL(LaStatus, v1::LaStatus)
CARESCORE_ENUM_WORDS_IMPL(Direction, v1::Direction, {{v1::DIRECTION_NONE, ""}}, "")
CARESCORE_ENUM_WORDS_IMPL(Rag, v1::Rag, {}, "none")
CARESCORE_ENUM_WORDS_IMPL(EscalationStatus, v1::EscalationStatus,
                          {{v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS, "referred"}})
CARESCORE_ENUM_WORDS_IMPL(AuditGrade, v1::AuditGrade)
CARESCORE_ENUM_WORDS_IMPL(ComparatorSource, v1::ComparatorSource)
CARESCORE_ENUM_WORDS_IMPL(SnAggregate, v1::SnAggregate)
CARESCORE_ENUM_WORDS_IMPL(NationalMethod, v1::NationalMethod)
CARESCORE_ENUM_WORDS_IMPL(QuartileBand, v1::QuartileBand,
                          {{v1::QUARTILE_BAND_A, "A"},
                           {v1::QUARTILE_BAND_B, "B"},
                           {v1::QUARTILE_BAND_C, "C"},
                           {v1::QUARTILE_BAND_D, "D"}},
                          "")
CARESCORE_ENUM_WORDS_IMPL(ReportFormat, v1::ReportFormat)

#undef CARESCORE_ENUM_WORDS_IMPL

}  // namespace carescore
