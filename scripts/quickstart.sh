#!/usr/bin/env bash
# The main job on one machine: installs what is missing, builds the release
# binaries, starts carescored on its embedded SQLite store, loads the
# Rotherham October 2018 sample and shows it.
#
#   CARESCORE_LISTEN    where carescored listens (default 127.0.0.1:50051)
#   CARESCORE_DATA_DIR  where it keeps its data (default ./carescore-data)
#   CARESCORE_REDIS     HOST:PORT of a Redis for the scorecard cache (default: in-process)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

./scripts/install-deps.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)" --target carescored carescore

bin="$root/build/release/bin"
listen="${CARESCORE_LISTEN:-127.0.0.1:50051}"
data="${CARESCORE_DATA_DIR:-$root/carescore-data}"
mkdir -p "$data"
pidfile="$data/carescored.pid"
export CARESCORE_SERVER="$listen"

# A carescored left by an earlier run is stopped (SIGTERM: it finishes what
# it is doing) and started again on the new build.
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "== stopping the carescored from an earlier run (pid $(cat "$pidfile"))"
  kill -TERM "$(cat "$pidfile")"
  for _ in $(seq 100); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
fi
echo "== starting carescored on $listen, data in $data (log: $data/carescored.log)"
nohup "$bin/carescored" --listen "$listen" --data-dir "$data" ${CARESCORE_REDIS:+--redis "$CARESCORE_REDIS"} \
  >>"$data/carescored.log" 2>&1 &
echo $! >"$pidfile"
# Every call needs a token. carescored made an ES256 key pair in its data
# folder on first start and trusts it; an admin token signed with it (for
# this machine, 8 hours) goes in a 0600 file the CLI reads.
for _ in $(seq 100); do
  [ -s "$data/auth-key.pem" ] && break
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -20 "$data/carescored.log"; exit 1; }
  sleep 0.1
done
tokenfile="$data/admin.token"
(umask 077 && "$bin/carescore" token mint --data-dir "$data" --subject "quickstart-admin" \
  --role admin --ttl 8h >"$tokenfile")
export CARESCORE_TOKEN_FILE="$tokenfile"
for _ in $(seq 100); do
  "$bin/carescore" las list >/dev/null 2>&1 && break
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -20 "$data/carescored.log"; exit 1; }
  sleep 0.1
done

samples="$root/data/samples"
england="$root/data/england"
echo "== loading the sample: England's LAs and Rotherham's October 2018 figures"
"$bin/carescore" import las "$samples/local_authorities.csv"
"$bin/carescore" import indicators "$samples/indicators.csv" --year 2018-19
"$bin/carescore" import values "$samples/monthly_values.csv" --source "rotherham-2018-10"
"$bin/carescore" import outturns "$samples/annual_outturns.csv" --source "rotherham-outturns"
"$bin/carescore" import benchmarks "$samples/published_benchmarks.csv" --year 2016-17
echo "== and the national statistics: every LA's outturns 2015-16 to 2024-25, and statistical neighbours"
"$bin/carescore" import indicators "$england/indicators.csv"
"$bin/carescore" import outturns "$england/outturns.csv" --source "dfe-lait"
"$bin/carescore" import neighbours "$england/statistical_neighbours_2021.csv" --model 2021
"$bin/carescore" import neighbours "$england/statistical_neighbours_2025.csv" --model 2025

echo
echo "== the catalogue, Looked After Children section"
"$bin/carescore" indicators list --section "Looked After Children"
echo
echo "== 6.8 reviews held within timescales, April to October 2018"
"$bin/carescore" values get --la 372 --code 6.8 --from 2018-04 --to 2018-10
echo
echo "== 8.2 three or more placements in 12 months (target: red >= 13%, green < 10.8%)"
"$bin/carescore" values get --la 372 --code 8.2 --from 2018-04 --to 2018-10
echo
echo "== 8.1 placement stability against the comparators printed in the report (2016-17)"
"$bin/carescore" benchmark --la 372 --code 8.1 --year 2016-17 --source published
echo
echo "== Rotherham's care leavers in suitable accommodation against England, 2024-25 (computed)"
"$bin/carescore" benchmark --la 372 --code CareLeaverAcc --year 2024-25 --source computed
echo
echo "== IRO escalations: the ladder, and a stage 2 raised on Friday 21 December 2018"
"$bin/carescore" escalations ladder
"$bin/carescore" calendar working-days --from 2018-12-21 --count 5
echo
echo "== Commentary from the head of service, then the October 2018 report"
"$bin/carescore" commentary set --la 372 --month 2018-10 --section Placements --author "Head of Service" \
  --text "Placement stability continues to improve: 12.1% of children had three or more moves in the last 12 months, down from 12.7% in September."
reports="$root/out"
mkdir -p "$reports"
for format in html pdf xlsx csv json; do
  "$bin/carescore" report --la 372 --month 2018-10 --format "$format" -o "$reports/rotherham-2018-10.$format"
done
echo
echo "== Highlights, October 2018"
"$bin/carescore" highlights --la 372 --month 2018-10
echo
echo "== The October 2018 scorecard for Rotherham"
"$bin/carescore" scorecard --la 372 --month 2018-10
echo
echo "The report is in $reports/rotherham-2018-10.html (and .pdf, .xlsx, .csv, .json)."
echo "carescored is running (pid $(cat "$pidfile")) on $listen; stop it with: kill $(cat "$pidfile")"
echo "an admin token for 8 hours is in $tokenfile; use it with:"
echo "  export CARESCORE_TOKEN_FILE=$tokenfile"
echo "or mint one for a role and LA: $bin/carescore token mint --data-dir $data --subject me --role analyst --la 372"
echo "try: $bin/carescore --help"
