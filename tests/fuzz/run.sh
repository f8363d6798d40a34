#!/usr/bin/env bash
# Builds the fuzz targets with clang (the `fuzz` preset: clang++, libFuzzer,
# ASan and UBSan, in build/fuzz) and runs each for a bounded time from its
# committed seeds (fuzz_one.sh; CARESCORE_FUZZ_SECONDS, default 20, each).
# Fails if any target finds a problem, naming the reproducer. The dev build's
# ctest runs this as `fuzz.clang_targets`. One run at a time per checkout.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/fuzz
exec 9>build/fuzz/.run.lock
flock 9
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
start=$(date +%s)
cmake --preset fuzz "${launcher[@]}" >build/fuzz/.configure.log 2>&1 ||
  { cat build/fuzz/.configure.log; exit 1; }
cmake --build --preset fuzz -j "$(nproc)"
built=$(date +%s)
echo "== fuzz targets built with clang in $((built - start))s"
ctest --preset fuzz
echo "== fuzzing took $(($(date +%s) - built))s"
