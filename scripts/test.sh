#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the dev preset (Debug,
# warnings as errors) and runs ctest: unit tests, in-process gRPC service
# tests, the protos lint, and the end-to-end test that starts the real
# carescored and drives it with the real CLI, and the fuzz targets (built
# with clang by tests/fuzz/run.sh, 20 s each; CARESCORE_FUZZ=0 skips them).
# CARESCORE_ASAN=1 adds the whole suite again under ASan and UBSan (the asan
# preset, in build/asan).
# Starts nothing that outlives it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)"

if [ "${CARESCORE_ASAN:-0}" != 1 ]; then
  echo "== ASan/UBSan suite not run (CARESCORE_ASAN=1 runs it)"
  exit 0
fi
echo "== the whole suite again under ASan and UBSan (asan preset, build/asan)"
start=$(date +%s)
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"
echo "== ASan/UBSan suite passed in $(($(date +%s) - start))s"
