#!/usr/bin/env bash
# Installs the ONNX Runtime shared library that `netscore bench` and `eval`
# load, into the user cache dir (~/.cache/netscore/ort/<version>/ on Linux,
# ~/Library/Caches/netscore/ort/<version>/ on macOS), where every netscore
# finds it whatever its working directory: tests, `go run`, a `go install`ed
# binary.
#
# It is `netscore ort install` run from this checkout (`go run`, no cgo
# needed): the onnxruntime-node tarball of the pinned version is fetched
# from the npm registry over HTTPS (no npm needed), checked against a pinned
# size and SHA-256 before it is unpacked, and only this platform's library is
# extracted, checked against its own pinned SHA-256 and renamed into place.
# Arguments go to `netscore ort install` (--dir DIR, --from URL|FILE).
#
# Idempotent: a second run finds the verified library and only prints its
# path. Prints the library's absolute path on stdout (the last line), all
# else on stderr.
#
#   scripts/install-ort.sh                # then: go build -tags ort ./cmd/netscore
#   NETSCORE_ORT_LIB=/path/libonnxruntime.so netscore bench ...   # another build (GPU, other OS)
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "install-ort: $*" >&2; exit 1; }

command -v go >/dev/null || fail "go not found: install Go (https://go.dev/dl/)"
dest=$(go run ./cmd/netscore ort install "$@" | tail -n 1)
[ -f "$dest" ] || fail "netscore ort install did not print the library's path (got '$dest')"

if [ "$(uname -s)" = Linux ] && command -v ldd >/dev/null; then
  if missing=$(ldd "$dest" 2>&1 | grep 'not found'); then
    fail "$dest needs libraries this system lacks: $missing"
  fi
fi
echo "$dest"
