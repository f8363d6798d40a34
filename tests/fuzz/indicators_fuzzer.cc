// Fuzzes the indicator service's rules: a sequence of its requests
// (fuzz_calls.proto's IndicatorCalls), each parsed from the fuzzed bytes, run
// in order against the real IndicatorService on a fresh in-memory SQLite
// store holding two LAs and two indicators. Any request must be answered (or
// refused) without a crash, a sanitizer report or a hang.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "carescore/v1/indicators.pb.h"
#include "fuzz_calls.pb.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/indicator_calls.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  carescore::fuzz::IndicatorCalls calls;
  if (!carescore::fuzz::ParseInput(data, size, calls)) return 0;
  carescore::fuzz::IndicatorWorld world;
  for (const carescore::fuzz::IndicatorCall& call : calls.calls()) world.Run(call);
  return 0;
}
