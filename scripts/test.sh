#!/usr/bin/env bash
# Runs every test of netscore on a fresh machine: installs what the tests
# need (Debian's ONNX backend node tests, Chromium for the HTML report's
# browser test, CA certificates and gcc for ONNX Runtime, libturbojpeg0-dev
# for eval's JPEG decoding, PostgreSQL for the store, queue and API tests,
# gcc-aarch64-linux-gnu and qemu-user-static for the emulated arm64 worker),
# then vet and the whole suite, built without and with the ONNX Runtime
# commands, against a throwaway PostgreSQL (scripts/pg.sh) whose URL is
# NETSCORE_TEST_POSTGRES. NETSCORE_SKIP_POSTGRES=1 runs without it (those
# tests skip); otherwise a PostgreSQL that cannot start fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -d /usr/share/libonnx-testdata/data/node ] || need+=(libonnx-testdata)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)   # ONNX Runtime comes from the npm registry over HTTPS
command -v gcc >/dev/null || need+=(gcc)   # cgo, for the runtime commands
[ -f /usr/include/turbojpeg.h ] || need+=(libturbojpeg0-dev)   # eval's JPEG decoder in the ort build
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)   # the arm64 worker's cross build
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)   # ... run as an emulated device
if [ "${NETSCORE_SKIP_POSTGRES:-}" != 1 ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  need+=(postgresql)   # scripts/pg.sh would install it too; one apt-get update for all
fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ONNX Runtime for bench and eval: `netscore ort install`, a verified library
# in the user cache dir (~/.cache/netscore/ort/), where every test finds it.
scripts/install-ort.sh >/dev/null

# The arm64 worker (cross-compiled, with the linux-arm64 library), built
# once here for internal/fleet's emulated-device test, which runs it under
# qemu-user.
arm64_start=$SECONDS
NETSCORE_ARM64_WORKER="$(scripts/build-arm64-worker.sh bin/linux-arm64)"
export NETSCORE_ARM64_WORKER
echo "test.sh: arm64 worker built in $((SECONDS - arm64_start)) s" >&2

# Both builds: without the runtime (pure Go, CGO_ENABLED=0 works) and with it.
go vet ./...
go vet -tags ort ./...

# A PostgreSQL of this run's own (its state file apart from a developer's
# scripts/pg.sh start), stopped on exit, pass or fail.
if [ "${NETSCORE_SKIP_POSTGRES:-}" = 1 ]; then
  echo "NETSCORE_SKIP_POSTGRES=1: no PostgreSQL started; tests that need one skip" >&2
  unset NETSCORE_TEST_POSTGRES
else
  NETSCORE_PG_STATE="$(mktemp -d)/pg.env"
  export NETSCORE_PG_STATE
  trap 'scripts/pg.sh stop; rm -rf -- "$(dirname "$NETSCORE_PG_STATE")"' EXIT
  if ! NETSCORE_TEST_POSTGRES="$(scripts/pg.sh start)"; then
    echo "test.sh: FAILED: PostgreSQL could not be started (above), so its tests cannot run;" \
      "set NETSCORE_SKIP_POSTGRES=1 to run the rest without it" >&2
    exit 1
  fi
  export NETSCORE_TEST_POSTGRES
fi

# Screenshots of the served pages' browser tests (internal/server) are kept
# here as test artifacts.
export NETSCORE_ARTIFACTS="${NETSCORE_ARTIFACTS:-$PWD/artifacts}"

go test -count=1 ./...
go test -count=1 -tags ort ./...
