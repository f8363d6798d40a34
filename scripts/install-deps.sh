#!/usr/bin/env bash
# Installs what carescore needs on Debian 12 that is not there yet: the
# compiler tool chain, gRPC/protobuf, the libraries, and (from npm) the buf
# CLI the tests lint the protos with. Safe to run again. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsqlite3-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev clang-format
  clang libclang-rt-14-dev
  grpc-proto python3 python3-grpcio python3-protobuf
  libhiredis-dev redis-server libxlsxwriter-dev libjemalloc-dev libssl-dev openssl
  chromium poppler-utils python3-openpyxl tzdata
  postgresql libpq-dev python3-yaml
  golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-google-genproto-dev
  protoc-gen-go protoc-gen-go-grpc
)
# Node.js may come from elsewhere (with its own npm); Debian's only if absent.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# The manifests' checks (tests/deploy_check.sh): any kubectl and
# docker-compose will do; Debian's only where none is installed (another
# kubectl package owns /usr/bin/kubectl and would clash).
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# buf (protos lint) and grpc-js, pinned in package-lock.json.
if [ ! -x node_modules/.bin/buf ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm tools (buf)"
  npm ci --no-audit --no-fund --loglevel=error
fi
