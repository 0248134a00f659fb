#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: scripts/pg.sh start|stop|url|restart
#
#   start  installs Debian's postgresql when missing, runs initdb into a new
#          temporary folder (as the unprivileged user netscore-pg when run as
#          root, since postgres refuses to run as root), starts it on a free
#          port of 127.0.0.1 (plus a unix socket in that folder) with trust
#          auth for local connections only, creates the database netscore_test
#          and prints its URL. A second start reuses a server that is running.
#   url    prints the URL of the running server (exit 1 when none runs).
#   stop   stops it and removes the temporary folder.
#   restart [SECONDS]
#          stops the running server (fast: open connections are cut, as a
#          crash or a failover would), waits SECONDS (default 0) and starts it
#          again on the same port with the same data: for the fault tests.
#
# The server is recorded in a state file, one per checkout: $NETSCORE_PG_STATE,
# or .cache/pg/<checkout>.env by default. The data is disposable: fsync is off.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
TIMEOUT=30   # seconds the server gets to accept connections
DB=netscore_test
PGUSER_NAME=netscore   # the superuser initdb creates; the URL's user
RUNAS_USER=netscore-pg

if [ -z "${NETSCORE_PG_STATE:-}" ]; then
  NETSCORE_PG_STATE="$root/.cache/pg/$(basename "$root")-$(printf %s "$root" | cksum | cut -d' ' -f1).env"
fi
state="$NETSCORE_PG_STATE"

die() { echo "pg.sh: $*" >&2; exit 1; }

# The state file's fields: DIR (the temporary folder), PORT, BIN, RUNAS, URL.
load_state() {
  DIR="" PORT="" BIN="" RUNAS="" URL=""
  [ -f "$state" ] || return 1
  local k v
  while IFS='=' read -r k v; do
    case "$k" in DIR|PORT|BIN|RUNAS|URL) printf -v "$k" %s "$v" ;; esac
  done <"$state"
  [ -n "$DIR" ] && [ -n "$PORT" ] && [ -n "$BIN" ] && [ -n "$URL" ]
}

running() {   # the recorded server accepts connections
  load_state && [ -d "$DIR" ] && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -d "$DB" -U "$PGUSER_NAME" -t 2
}

# as CMD...: run CMD as the unprivileged user when we are root, in the temp dir,
# without the lock's descriptor (the server would hold the lock for its life).
as() {
  if [ -z "$RUNAS" ]; then
    (cd "$DIR" && "$@") </dev/null 9>&-
  elif command -v runuser >/dev/null; then
    (cd "$DIR" && runuser -u "$RUNAS" -- "$@") </dev/null 9>&-
  else
    (cd "$DIR" && setpriv --reuid="$RUNAS" --regid="$(id -g "$RUNAS")" --clear-groups -- "$@") </dev/null 9>&-
  fi
}

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

install_postgres() {
  find_bin >/dev/null && return 0
  local SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "pg.sh: installing postgresql" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  find_bin >/dev/null || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
}

# The user that runs the server when we are root: netscore-pg, made if absent.
pick_runas() {
  RUNAS=""
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id -u "$RUNAS_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --user-group "$RUNAS_USER" 2>/dev/null || true
  fi
  if id -u "$RUNAS_USER" >/dev/null 2>&1; then RUNAS="$RUNAS_USER"
  elif id -u nobody >/dev/null 2>&1; then RUNAS=nobody
  else die "running as root and could not create the user $RUNAS_USER (nor find nobody) to run postgres"
  fi
}

# A port nothing listens on (connecting is refused); a race is caught at start.
free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# Stops the server in $DIR (if one runs) and removes $DIR and the state file.
teardown() {
  if [ -n "${DIR:-}" ] && [ -f "$DIR/data/postmaster.pid" ]; then
    as "$BIN/pg_ctl" stop -D "$DIR/data" -m fast -w -t 15 >/dev/null 2>&1 ||
      as "$BIN/pg_ctl" stop -D "$DIR/data" -m immediate -w -t 5 >/dev/null 2>&1 || true
  fi
  if [ -n "${DIR:-}" ] && [ -d "$DIR" ]; then rm -rf -- "$DIR"; fi
  rm -f -- "$state"
}

stop_server() {
  if load_state; then teardown; else rm -f -- "$state"; fi
}

lock() {   # one start or stop at a time per state file
  mkdir -p "$(dirname "$state")"
  exec 9>"$state.lock"
  command -v flock >/dev/null && flock -w $(( TIMEOUT + 15 )) 9 || true
}

server_opts() {
  local opts="-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR"
  opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  echo "$opts"
}

restart() {
  local down="${1:-0}"
  load_state && [ -d "$DIR/data" ] || die "no PostgreSQL recorded for this checkout (scripts/pg.sh start)"
  as "$BIN/pg_ctl" stop -D "$DIR/data" -m fast -w -t "$TIMEOUT" >"$DIR/pg_ctl.out" 2>&1 ||
    die "could not stop PostgreSQL on 127.0.0.1:$PORT: $(tail -n 1 "$DIR/pg_ctl.out")"
  sleep "$down"
  as "$BIN/pg_ctl" start -D "$DIR/data" -l "$DIR/postgres.log" -o "$(server_opts)" -w -t "$TIMEOUT" >"$DIR/pg_ctl.out" 2>&1 ||
    die "PostgreSQL did not start again on 127.0.0.1:$PORT: $(grep -h 'FATAL\|PANIC' "$DIR/postgres.log" | tail -n 1)"
  local deadline=$(( SECONDS + TIMEOUT ))
  until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d "$DB" -t 1; do
    [ "$SECONDS" -lt "$deadline" ] || die "PostgreSQL did not accept connections within ${TIMEOUT} s after the restart"
    sleep 0.1
  done
  echo "$URL"
}

start() {
  if running; then echo "$URL"; return 0; fi
  stop_server   # a stale record: whatever is left of it goes
  install_postgres
  BIN="$(find_bin)"
  pick_runas

  # /tmp, not $TMPDIR, when root: the server's user must reach the folder.
  local tmp="${TMPDIR:-/tmp}"
  [ -z "$RUNAS" ] || tmp=/tmp
  DIR="$(mktemp -d "$tmp/netscore-pg.XXXXXX")"
  [ -z "$RUNAS" ] || chown "$RUNAS:" "$DIR"
  trap teardown EXIT   # until the server is up and recorded

  as "$BIN/initdb" -D "$DIR/data" -U "$PGUSER_NAME" --auth=trust -E UTF8 --no-locale --no-sync \
    >"$DIR/initdb.log" 2>&1 || die "initdb failed: $(tail -n 1 "$DIR/initdb.log")"
  # Trust, but only on the socket in the temp folder and on loopback.
  printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' >"$DIR/data/pg_hba.conf"

  local attempt deadline=$(( SECONDS + TIMEOUT ))
  for attempt in 1 2 3; do
    PORT="$(free_port)"
    URL="postgres://$PGUSER_NAME@127.0.0.1:$PORT/$DB?sslmode=disable"
    printf 'DIR=%s\nPORT=%s\nBIN=%s\nRUNAS=%s\nURL=%s\n' "$DIR" "$PORT" "$BIN" "$RUNAS" "$URL" >"$state"
    local opts
    opts="$(server_opts)"
    if as "$BIN/pg_ctl" start -D "$DIR/data" -l "$DIR/postgres.log" -o "$opts" -w -t "$TIMEOUT" >"$DIR/pg_ctl.out" 2>&1; then
      break
    fi
    # Lost the port to someone else: try another; anything else is fatal.
    if [ "$attempt" -lt 3 ] && grep -q 'could not bind\|could not create any TCP/IP sockets' "$DIR/postgres.log" 2>/dev/null &&
       [ "$SECONDS" -lt "$deadline" ]; then
      : >"$DIR/postgres.log"
      continue
    fi
    local why
    why="$(grep -h 'FATAL\|PANIC' "$DIR/postgres.log" 2>/dev/null | tail -n 1 | sed 's/^.*\(FATAL\|PANIC\): *//')" || true
    [ -n "$why" ] || why="$(grep -hv '^\s*$' "$DIR/postgres.log" "$DIR/pg_ctl.out" 2>/dev/null | tail -n 1)" || true
    if grep -q 'did not start in time' "$DIR/pg_ctl.out" 2>/dev/null; then
      die "PostgreSQL did not start within ${TIMEOUT} s on 127.0.0.1:$PORT${why:+ ($why)}"
    fi
    die "PostgreSQL did not start on 127.0.0.1:$PORT: ${why:-no log}"
  done
  until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -t 1; do
    [ "$SECONDS" -lt "$deadline" ] || die "PostgreSQL did not accept connections within ${TIMEOUT} s on 127.0.0.1:$PORT"
    sleep 0.1
  done
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" "$DB" ||
    die "could not create the database $DB on 127.0.0.1:$PORT"
  trap - EXIT
  echo "$URL"
}

case "${1:-}" in
  start) lock; start ;;
  stop) lock; stop_server ;;
  restart) lock; restart "${2:-0}" ;;
  url) running || die "no PostgreSQL running for this checkout (scripts/pg.sh start)"; echo "$URL" ;;
  *) echo "usage: scripts/pg.sh start|stop|url|restart [SECONDS]" >&2; exit 2 ;;
esac
