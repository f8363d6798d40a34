#!/usr/bin/env bash
# The layering the code is built on, checked:
# 1. No header the rules use (every services/*/*.h but the gRPC edges, the
#    gRPC readers and the flag helpers) pulls in grpc++, directly or through
#    what it includes: the rules know readers, stores and messages only.
# 2. The CLI (`carescore`) links no service's server library: it is a client
#    of the API like any other.
# Usage: layering_check.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."
cxx=${CXX:-c++}

bad=0
for h in services/*/*.h; do
  case "$h" in
    *grpc*|*_flag.h|*/scorecard_response.h) continue ;;
  esac
  deps=$("$cxx" -std=c++20 -x c++ -M -MG -I. -I"$build/protos" "$h" 2>/dev/null) ||
    { echo "cannot read the includes of $h" >&2; bad=1; continue; }
  if grep -q 'grpcpp/' <<<"$deps"; then
    echo "$h pulls in grpc++ (through: $(grep -o '[^ ]*\.h' <<<"$deps" | grep -v '^/usr' |
      xargs -r grep -l 'grpcpp/' 2>/dev/null | tr '\n' ' '))" >&2
    bad=1
  fi
done

link=$(ninja -C "$build" -t commands bin/carescore | tail -1)
for lib in indicators benchmarks escalations reports scorecard_cache report_renderers \
           indicator_grpc_reader benchmark_grpc_reader escalation_grpc_reader server; do
  if grep -q "libcarescore_${lib}\.a" <<<"$link"; then
    echo "the CLI links the server library carescore_${lib}" >&2
    bad=1
  fi
done
((bad == 0)) || exit 1
echo "rules headers free of grpc++; the CLI links no server library"
