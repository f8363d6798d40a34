#!/usr/bin/env bash
# The PostgreSQL server ctest's `postgresql` tests share: `start DIR` runs
# initdb and starts a server on 127.0.0.1 and a free port, as the postgres
# user when run as root, and writes the port to DIR/port; `stop DIR` stops
# it and removes it; `restart DIR` stops it at once, as a crash would, and
# starts it again (fault tests). The tests each make their own database on it.
# The server's own files live in a folder of their own under the temporary
# root (named in DIR/datadir), since the postgres user may not be able to
# enter DIR (a clone in a private folder).
# fsync is off (the OS keeps what was written, which is all a killed server
# needs); commits stay synchronous, so a restart loses nothing acknowledged.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=$1
dir=$2
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
run_server() {
  local home=$1 port=$2
  as_server "$bin/pg_ctl" -D "$home/data" -w -t 60 -l "$home/server.log" \
    -o "-p $port -k $home -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
}
stop_server() {
  [ -f "$dir/datadir" ] || return 0
  local home
  home=$(cat "$dir/datadir")
  if [ -d "$home/data" ]; then as_server "$bin/pg_ctl" -D "$home/data" -m immediate stop >/dev/null 2>&1 || true; fi
}
case "$cmd" in
  start)
    [ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is not installed: run scripts/install-deps.sh" >&2; exit 1; }
    stop_server
    if [ -f "$dir/datadir" ]; then rm -rf "$(cat "$dir/datadir")"; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    home=$(mktemp -d "${TMPDIR:-/tmp}/carescore-pg-XXXXXX")
    chmod 700 "$home"
    [ "$(id -u)" -ne 0 ] || chown postgres "$home"
    echo "$home" >"$dir/datadir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_server "$bin/initdb" -D "$home/data" -A trust -U postgres --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    run_server "$home" "$port"
    echo "$port" >"$dir/port"
    echo "test PostgreSQL on 127.0.0.1:$port ($home)"
    ;;
  restart)
    as_server "$bin/pg_ctl" -D "$(cat "$dir/datadir")/data" -m immediate stop >/dev/null 2>&1
    run_server "$(cat "$dir/datadir")" "$(cat "$dir/port")"
    ;;
  stop)
    stop_server
    if [ -f "$dir/datadir" ]; then rm -rf "$(cat "$dir/datadir")"; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|restart|stop DIR" >&2; exit 2 ;;
esac
