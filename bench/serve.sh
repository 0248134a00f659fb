#!/usr/bin/env bash
# Load of `netscore serve` (issue 10): bench/serve.sh [sqlite|postgres] [bench/serve flags...]
#
# Builds netscore and the load generator (bench/serve), starts `netscore
# serve` on a free port of 127.0.0.1 with a new temporary --data folder
# (SQLite in it; with "postgres", --db a new database on the server of
# $NETSCORE_TEST_POSTGRES, else of scripts/pg.sh), seeds SEED user models,
# runs CLIENTS clients for DURATION mixing uploads and reads, stops the
# server (SIGTERM), and prints the results (Markdown; JSON and the server's
# log in bench/out/serve-*). Exit 1 on any error, lost, duplicated or
# unfinished model. Traffic goes to loopback only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
STORE=${1:-sqlite}
[ $# -gt 0 ] && shift
CLIENTS=${CLIENTS:-200}
DURATION=${DURATION:-60s}
SEED=${SEED:-1000}

echo "== machine"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
echo "kernel: $(uname -r); $(go version)"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
echo "date:   $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' || echo ' + uncommitted changes')"

echo "== build"
go build -o "$OUT/netscore" ./cmd/netscore
go build -o "$OUT/serveload" ./bench/serve

data=$(mktemp -d /tmp/netscore-serve-bench.XXXXXX)
db=()
dropdb=""
case "$STORE" in
sqlite) ;;
postgres)
	base=${NETSCORE_TEST_POSTGRES:-$(scripts/pg.sh url 2>/dev/null || scripts/pg.sh start)}
	name="bench_$(date +%s)_$$"
	command -v psql >/dev/null || { echo "psql not found (scripts/pg.sh installs postgresql)"; exit 1; }
	psql -q "$base" -c "CREATE DATABASE $name"
	dropdb="$name"
	db=(--db "${base%/*}/$name")
	;;
*) echo "usage: bench/serve.sh [sqlite|postgres] [bench/serve flags]"; exit 2 ;;
esac

log="$OUT/serve-$STORE-server.log"
: >"$log"
"$OUT/netscore" serve --data "$data" --addr 127.0.0.1:0 "${db[@]}" 2>"$log" &
pid=$!
cleanup() {
	kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$data"
	[ -n "$dropdb" ] && psql -q "$base" -c "DROP DATABASE IF EXISTS $dropdb WITH (FORCE)" || true
}
trap cleanup EXIT
url=""
for _ in $(seq 100); do
	url=$(grep -o 'url=http://127.0.0.1:[0-9]*' "$log" | head -1 | cut -d= -f2 || true)
	[ -n "$url" ] && break
	kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
	sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start"; cat "$log"; exit 1; }
echo "== load: $STORE, $url, $CLIENTS clients, $DURATION, $SEED seeded"
echo "command: $OUT/serveload --url $url --clients $CLIENTS --duration $DURATION --seed $SEED $*"
rc=0
"$OUT/serveload" --url "$url" --clients "$CLIENTS" --duration "$DURATION" --seed "$SEED" \
	--json "$OUT/serve-$STORE.json" "$@" | tee "$OUT/serve-$STORE.md" || rc=$?
echo "server log: $log ($(grep -c 'level=ERROR' "$log" || true) ERROR lines)"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
exit $rc
