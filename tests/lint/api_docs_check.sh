#!/usr/bin/env bash
# docs/api.md is exactly what scripts/gen_api_docs.py makes from the protos
# now; if not, prints the difference and the command that regenerates it.
# Usage: api_docs_check.sh [PROTOC]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 scripts/gen_api_docs.py --protoc "${1:-protoc}" --check docs/api.md
