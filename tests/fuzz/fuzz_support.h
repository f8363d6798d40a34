#ifndef CARESCORE_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define CARESCORE_TESTS_FUZZ_FUZZ_SUPPORT_H_

// What the fuzz targets share. A target only cares that a call returns
// (whatever it returns) without a crash, a sanitizer report or a hang, so
// results are handed to Drop, which says so where a cast would hide it.

#include <cstddef>
#include <cstdint>

#include "google/protobuf/message.h"

namespace carescore::fuzz {

template <typename T>
void Drop(const T& /*result*/) {}

// Parses the fuzz input as `message`'s wire bytes; false for bytes that are
// not such a message (libFuzzer then moves on).
inline bool ParseInput(const uint8_t* data, size_t size, google::protobuf::Message& message) {
  return message.ParseFromArray(data, static_cast<int>(size));
}

}  // namespace carescore::fuzz

#endif  // CARESCORE_TESTS_FUZZ_FUZZ_SUPPORT_H_
