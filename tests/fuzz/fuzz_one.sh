#!/usr/bin/env bash
# Fuzzes one libFuzzer target for a bounded time, starting from its committed
# seeds, and fails on any finding (a crash, a sanitizer report, a leak, an
# input slower than 5 s), naming the reproducer it wrote to FINDINGS_DIR.
# The corpus grows in a temporary folder, never in the source tree.
#   fuzz_one.sh FUZZER SEEDS_DIR FINDINGS_DIR [SEED_TYPE PROTOC PROTO IMPORT_DIR...]
# With SEED_TYPE, seeds named *.textproto are that message in protobuf text
# format, turned into wire bytes with `protoc --encode`; other seeds are used
# as they are. CARESCORE_FUZZ_SECONDS (default 20) sets the time.
# Reproduce a finding: FUZZER FINDINGS_DIR/crash-...
set -euo pipefail
fuzzer=$1 seeds=$2 findings=$3
shift 3
seconds=${CARESCORE_FUZZ_SECONDS:-20}
name=$(basename "$fuzzer")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$findings"
count=0
for seed in "$seeds"/*; do
  [ -f "$seed" ] || continue
  case "$seed" in
    *.textproto)
      (($# >= 4)) || { echo "$seed: a text seed needs SEED_TYPE PROTOC PROTO IMPORT_DIR" >&2; exit 1; }
      type=$1 protoc=$2 proto=$3
      includes=()
      for dir in "${@:4}"; do includes+=("-I$dir"); done
      if ! "$protoc" "${includes[@]}" --encode="$type" "$proto" <"$seed" \
          >"$work/corpus/$(basename "$seed" .textproto)"; then
        echo "$seed: not a valid $type in text format" >&2
        exit 1
      fi
      ;;
    *) cp "$seed" "$work/corpus/" ;;
  esac
  count=$((count + 1))
done

echo "== $name: ${seconds}s from $count seeds"
set +e
"$fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$findings/" "$work/corpus" >"$work/log" 2>&1
rc=$?
set -e
if ((rc != 0)); then
  cp "$work/log" "$findings/log.txt"
  tail -n 80 "$work/log"
  echo "== $name FOUND A PROBLEM (exit $rc); full log: $findings/log.txt" >&2
  grep -h "Test unit written to" "$work/log" | sed 's/.*written to /== reproducer: /' >&2 || true
  echo "== reproduce with: $fuzzer <reproducer>" >&2
  exit 1
fi
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|DONE" "$work/log" || true
echo "== $name: no findings"
