#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (Debian's postgresql package, loopback only).
#
#   scripts/pg-test-server.sh start DIR    # initdb in DIR (once), start on a free port, print the URL
#   scripts/pg-test-server.sh stop DIR     # fast shutdown
#   scripts/pg-test-server.sh restart DIR  # stop and start on the same port (failure tests)
#   scripts/pg-test-server.sh url DIR      # print the URL of a started cluster
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
# Authentication is `trust` on 127.0.0.1 only: this is for tests, never for data.
set -euo pipefail

cmd=${1:?usage: $0 start|stop|restart|url DIR}
dir=${2:?usage: $0 start|stop|restart|url DIR}

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2
    exit 3
fi

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() {
    echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$dir"
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    [[ -f "$dir/port" ]] || free_port >"$dir/port"
    # fsync off: a test cluster need not survive a power cut; a restart still loses nothing.
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $(cat "$dir/port") -k $dir -c fsync=off -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    url
}

stop() {
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    restart) stop; start ;;
    url) url ;;
    *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
