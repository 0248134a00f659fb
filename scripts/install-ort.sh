#!/usr/bin/env bash
# Installs the ONNX Runtime shared library that `netscore bench` (and the
# other runtime commands) load, into .cache/ort/ of this checkout.
#
# The library comes from the npm registry's onnxruntime-node package, which
# ships prebuilt CPU builds for Linux x64/arm64 and macOS arm64. Only the
# tarball is fetched (`npm pack`): a plain `npm install` of that package runs
# an install script that downloads from elsewhere. The library is checked
# against a pinned SHA-256 before it is put in place.
#
# Idempotent: a second run finds the verified library and only prints its
# path. Prints the library's absolute path on stdout (the last line), all
# else on stderr.
#
#   scripts/install-ort.sh                # then: go build -tags ort ./cmd/netscore
#   NETSCORE_ORT_LIB=/path/libonnxruntime.so netscore bench ...   # another build (GPU, other OS)
set -euo pipefail
cd "$(dirname "$0")/.."

ORT_VERSION=1.30.0
dest_dir=.cache/ort

fail() { echo "install-ort: $*" >&2; exit 1; }

os=$(uname -s)
arch=$(uname -m)
case "$os/$arch" in
  Linux/x86_64)
    member=package/bin/napi-v6/linux/x64/libonnxruntime.so.1
    lib=libonnxruntime.so.1
    sha256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23 ;;
  Linux/aarch64 | Linux/arm64)
    member=package/bin/napi-v6/linux/arm64/libonnxruntime.so.1
    lib=libonnxruntime.so.1
    sha256=1f549d46250b005580b597f4164984aaf75b3bcb9f3aeb07c7f8a8fe60b23c76 ;;
  Darwin/arm64)
    member=package/bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib
    lib=libonnxruntime.1.dylib
    sha256=685d2be5dba1309c89d3a5324b7fd06a5c42f1a61bfea32d14c4cc28d072121d ;;
  *)
    fail "no prebuilt ONNX Runtime $ORT_VERSION for $os/$arch in onnxruntime-node; build or download one and set NETSCORE_ORT_LIB=/path/to/libonnxruntime" ;;
esac
dest=$dest_dir/$lib

sha_of() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

abs() { echo "$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")"; }

if [ -f "$dest" ] && [ "$(sha_of "$dest")" = "$sha256" ]; then
  echo "install-ort: ONNX Runtime $ORT_VERSION already installed (sha256 $sha256)" >&2
  abs "$dest"
  exit 0
fi

command -v npm >/dev/null || fail "npm not found: install it (Debian: apt-get install npm) or set NETSCORE_ORT_LIB"
command -v tar >/dev/null || fail "tar not found"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "install-ort: fetching onnxruntime-node@$ORT_VERSION from the npm registry" >&2
# npm pack checks the tarball against the registry's integrity hash.
tgz=$(cd "$tmp" && npm pack --silent "onnxruntime-node@$ORT_VERSION" | tail -n 1) ||
  fail "npm pack onnxruntime-node@$ORT_VERSION failed (is the npm registry reachable?)"
[ -f "$tmp/$tgz" ] || fail "npm pack did not produce a tarball (got '$tgz')"

tar -xzf "$tmp/$tgz" -C "$tmp" "$member" || fail "$member not found in $tgz"
got=$(sha_of "$tmp/$member")
[ "$got" = "$sha256" ] || fail "checksum mismatch for $member: got $got, want $sha256"

mkdir -p "$dest_dir"
# Atomic replace: a half-written library is never left at $dest.
cp "$tmp/$member" "$dest.tmp.$$"
chmod 0644 "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"

if [ "$os" = Linux ] && command -v ldd >/dev/null; then
  if missing=$(ldd "$dest" 2>&1 | grep 'not found'); then
    fail "$dest needs libraries this system lacks: $missing"
  fi
fi

echo "install-ort: ONNX Runtime $ORT_VERSION installed, sha256 $got" >&2
abs "$dest"
