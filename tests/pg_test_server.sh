#!/usr/bin/env bash
# The PostgreSQL server ctest's `postgresql` tests share: `start DIR` runs
# initdb into DIR and starts a server on 127.0.0.1 and a free port (written
# to DIR/port), as the postgres user when run as root; `stop DIR` stops it
# and removes DIR; `restart DIR` stops it at once, as a crash would, and
# starts it again (fault tests). The tests each make their own database on it.
# fsync is off (the OS keeps what was written, which is all a killed server
# needs); commits stay synchronous, so a restart loses nothing acknowledged.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=$1
dir=$2
as_server() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    [ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is not installed: run scripts/install-deps.sh" >&2; exit 1; }
    if [ -f "$dir/port" ]; then as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 700 "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_server "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
    as_server "$bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null
    echo "$port" >"$dir/port"
    echo "test PostgreSQL on 127.0.0.1:$port ($dir)"
    ;;
  restart)
    port=$(cat "$dir/port")
    as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
    as_server "$bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
      start >/dev/null
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|restart|stop DIR" >&2; exit 2 ;;
esac
