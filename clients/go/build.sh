#!/usr/bin/env bash
# Builds the Go client offline against Debian's Go packages
# (/usr/share/gocode): generates carescorev1 from protos/ with protoc-gen-go
# and protoc-gen-go-grpc, lays out a GOPATH in OUT_DIR (links to the sources
# here, and the generated package), vets the client and builds the example
# into OUT_DIR/bin/scorecard. Nothing is written to the source tree.
#
# Usage: build.sh OUT_DIR [PROTOS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
protos=$(cd "${2:-$here/../../protos}" && pwd)
module=carescore.gov.uk/carescore/clients/go
gopath=$out/gopath
pkg=$gopath/src/$module

rm -rf "$pkg"
mkdir -p "$pkg" "$out/bin"
for f in "$here"/*.go "$here/go.mod" "$here/examples"; do ln -s "$f" "$pkg/"; done
(cd "$protos" && protoc -I . -I /usr/include --go_out="$gopath/src" --go-grpc_out="$gopath/src" \
  carescore/v1/*.proto)

export GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOFLAGS= GOPROXY=off
[ -n "${HOME:-}" ] || export GOCACHE="$out/gocache"
cd "$pkg"
go vet "$module" "$module/examples/scorecard"
go build -o "$out/bin/scorecard" "$module/examples/scorecard"
