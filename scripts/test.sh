#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the dev preset (Debug,
# warnings as errors) and runs ctest: unit tests, in-process gRPC service
# tests, the protos lint, and the end-to-end test that starts the real
# carescored and drives it with the real CLI, and the fuzz targets (built
# with clang by tests/fuzz/run.sh, 20 s each; CARESCORE_FUZZ=0 skips them).
# Then the suite again under ASan and UBSan (the asan preset, in build/asan,
# without the postgresql, clients and lint labels; CARESCORE_ASAN=0 skips
# it). From a fresh clone on 2 cores: about 24 minutes for the dev build and
# tests (fuzzing beside the rest), 23 for the ASan build and suite.
# Starts nothing that outlives it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)"

if [ "${CARESCORE_ASAN:-1}" = 0 ]; then
  echo "== ASan/UBSan suite skipped (CARESCORE_ASAN=0)"
  exit 0
fi
echo "== the whole suite again under ASan and UBSan (asan preset, build/asan)"
start=$(date +%s)
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"
echo "== ASan/UBSan suite passed in $(($(date +%s) - start))s"
