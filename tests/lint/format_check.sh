#!/usr/bin/env bash
# Fails if any of our C++ files differs from what clang-format (.clang-format
# at the top) makes of it, and names the files. Fix with:
#   clang-format -i $(git ls-files '*.h' '*.cc')
# Exits 77 (skipped) where clang-format is not installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not installed: skipped"; exit 77; }
mapfile -t files < <(git ls-files '*.h' '*.cc' 2>/dev/null || find common services clients tests -name '*.h' -o -name '*.cc')
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if ((${#bad[@]})); then
  echo "not formatted (clang-format -i FILE): ${bad[*]}" >&2
  exit 1
fi
echo "${#files[@]} files formatted"
