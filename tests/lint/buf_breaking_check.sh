#!/usr/bin/env bash
# The protos against the last released API (protos/released/carescore-v1.binpb,
# a buf image of the protos as released): no field renumbered, retyped or
# deleted without `reserved`, no RPC removed (buf's FILE rules). Then proves
# the check bites: a copy of the protos with one field number changed must
# fail it. Refresh the image only when releasing:
#   (cd protos && ../node_modules/.bin/buf build -o released/carescore-v1.binpb)
# and then drop buf.yaml's breaking.except list (the FILE_SAME_* rules for the
# file options that the released image predates).
set -euo pipefail
cd "$(dirname "$0")/../../protos"
buf=../node_modules/.bin/buf
[ -x "$buf" ] || { echo "buf not installed (scripts/install-deps.sh)"; exit 1; }
"$buf" breaking --against released/carescore-v1.binpb
echo "protos: no breaking change against the released image"

here=$PWD
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r . "$copy/protos"
# GetScorecardRequest.la_code is field 1; make it 9.
sed -i '/^message GetScorecardRequest {/,/^}/ s/\(string la_code = \)1;/\19;/' \
  "$copy/protos/carescore/v1/reports.proto"
grep -q 'string la_code = 9;' "$copy/protos/carescore/v1/reports.proto" ||
  { echo "the test could not renumber GetScorecardRequest.la_code" >&2; exit 1; }
if (cd "$copy/protos" && "$here/$buf" breaking --against "$here/released/carescore-v1.binpb" \
      >/dev/null 2>&1); then
  echo "a renumbered field was not caught by buf breaking" >&2
  exit 1
fi
echo "a renumbered field is caught"
