#!/usr/bin/env bash
# Runs every test of netscore on a fresh machine: installs what the tests
# need (Debian's ONNX backend node tests, Chromium for the HTML report's
# browser test, CA certificates and gcc for ONNX Runtime, libturbojpeg0-dev
# for eval's JPEG decoding), then vet and the whole suite,
# built without and with the ONNX Runtime commands.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -d /usr/share/libonnx-testdata/data/node ] || need+=(libonnx-testdata)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)   # ONNX Runtime comes from the npm registry over HTTPS
command -v gcc >/dev/null || need+=(gcc)   # cgo, for the runtime commands
[ -f /usr/include/turbojpeg.h ] || need+=(libturbojpeg0-dev)   # eval's JPEG decoder in the ort build
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

# Both builds: without the runtime (pure Go, CGO_ENABLED=0 works) and with it.
go vet ./...
go vet -tags ort ./...
go test -count=1 ./...
go test -count=1 -tags ort ./...
