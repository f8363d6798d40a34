#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the dev preset (Debug,
# warnings as errors) and runs ctest: unit tests, in-process gRPC service
# tests, the protos lint, and the end-to-end test that starts the real
# carescored and drives it with the real CLI. Starts nothing that outlives it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)"
