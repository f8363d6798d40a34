#include "services/reports/scorecard_response.h"

#include <cstdint>
#include <utility>

#include "carescore/v1/reports.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace carescore::reports {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

// A buffer of exactly `size` bytes, filled by `write` (which returns the
// end it reached).
template <typename Write>
std::string Filled(size_t size, Write write) {
  std::string out(size, '\0');
  uint8_t* start = reinterpret_cast<uint8_t*>(out.data());
  uint8_t* end = write(start);
  out.resize(static_cast<size_t>(end - start));
  return out;
}

}  // namespace

std::string ScorecardResponseHead(size_t scorecard_size) {
  constexpr int kField = v1::GetScorecardResponse::kScorecardFieldNumber;
  const auto length = static_cast<uint32_t>(scorecard_size);
  return Filled(WireFormatLite::TagSize(kField, WireFormatLite::TYPE_MESSAGE) +
                    CodedOutputStream::VarintSize32(length),
                [&](uint8_t* p) {
                  p = WireFormatLite::WriteTagToArray(kField,
                                                      WireFormatLite::WIRETYPE_LENGTH_DELIMITED, p);
                  return CodedOutputStream::WriteVarint32ToArray(length, p);
                });
}

std::string ScorecardResponseTail(absl::string_view cache) {
  constexpr int kField = v1::GetScorecardResponse::kCacheFieldNumber;
  const std::string word(cache);
  return Filled(WireFormatLite::TagSize(kField, WireFormatLite::TYPE_STRING) +
                    WireFormatLite::StringSize(word),
                [&](uint8_t* p) { return WireFormatLite::WriteStringToArray(kField, word, p); });
}

grpc::ByteBuffer ScorecardResponseBuffer(ScorecardBytes card) {
  // The slice owns the scorecard's string: a cached scorecard is not copied.
  auto* owned = new std::string(std::move(card.scorecard));
  grpc::Slice slices[3] = {
      grpc::Slice(ScorecardResponseHead(owned->size())),
      grpc::Slice(
          owned->data(), owned->size(), [](void* p) { delete static_cast<std::string*>(p); },
          owned),
      grpc::Slice(ScorecardResponseTail(card.cache)),
  };
  return grpc::ByteBuffer(slices, 3);
}

}  // namespace carescore::reports
