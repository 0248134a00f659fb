#!/usr/bin/env bash
# Builds netscore for linux/arm64 devices (Raspberry Pi 4/5, Jetson, Graviton)
# on a Debian x86 machine, with the ONNX Runtime commands (bench, eval, worker):
#
#   OUT/netscore-linux-arm64   cross-compiled with cgo (-tags ort,noturbojpeg)
#                              by Debian's gcc-aarch64-linux-gnu
#   OUT/libonnxruntime.so.1    linux-arm64 ONNX Runtime from the same pinned
#                              onnxruntime-node tarball as this machine's,
#                              put there by `netscore ort install --platform
#                              linux/arm64` (tarball and library checked
#                              against their pinned SHA-256)
#   OUT/qemu-root/             what qemu-user needs to run the binary here as
#   OUT/netscore-qemu            a simulated device: the arm64 C library
#                              (Debian's libc6-arm64-cross) and an arm64
#                              /proc/cpuinfo; netscore-qemu runs it with both
#
# Usage: scripts/build-arm64-worker.sh [OUT]      (OUT default: bin/linux-arm64)
#
# Installs what it lacks (root or sudo, apt, quiet): gcc-aarch64-linux-gnu
# (with libc6-dev-arm64-cross) and qemu-user-static. Idempotent; the
# library is downloaded once into the user cache
# (~/.cache/netscore/ort/<version>/linux-arm64/) and copied from there.
#
# JPEG: the host build decodes JPEG with libjpeg-turbo (cgo, -lturbojpeg),
# which for arm64 would need Debian's multiarch arm64 packages (dpkg
# --add-architecture arm64, a second package index, arm64 libc6 in /lib).
# This build is tagged noturbojpeg instead and decodes JPEG with Go's
# image/jpeg (eval of PNG exact, of JPEG within 1-3 levels of Pillow's, as
# a pure-Go netscore); bench, the fleet's only job kind, reads no image.
#
# Under qemu the binary's latencies are the emulator's: a worker run so
# registers emulated=true (its kernel is x86) and labels every result so.
# ONNX Runtime's CPU detection (pytorch cpuinfo) crashes on an x86
# /proc/cpuinfo, hence the arm64 one in qemu-root/proc (qemu -L lays the
# folder over the file system).
#
# On a device: copy netscore-linux-arm64 and libonnxruntime.so.1 together
# and set NETSCORE_ORT_LIB to the library (README: "ARM devices").
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bin/linux-arm64}"

fail() { echo "build-arm64-worker: $*" >&2; exit 1; }

need=()
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)   # pulls libc6-dev-arm64-cross
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
[ -f /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)   # ONNX Runtime's C++ runtime, under qemu
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "build-arm64-worker: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v go >/dev/null || fail "go not found: install Go (https://go.dev/dl/)"

mkdir -p "$out"
out=$(cd "$out" && pwd)

start=$SECONDS
CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc \
  go build -tags ort,noturbojpeg -o "$out/netscore-linux-arm64" ./cmd/netscore
echo "build-arm64-worker: cross-compiled $out/netscore-linux-arm64 in $((SECONDS - start)) s" >&2

# The library through netscore's own installer (a host build, go run): into
# the cache once, then a verified copy beside the binary.
cached=$(go run ./cmd/netscore ort install --platform linux/arm64 2>/dev/null | tail -n 1)
[ -f "$cached" ] || fail "netscore ort install --platform linux/arm64 failed (run it to see why)"
go run ./cmd/netscore ort install --platform linux/arm64 --dir "$out" --from "$cached" >/dev/null 2>&1 ||
  fail "copying $cached into $out failed: netscore ort install --platform linux/arm64 --dir $out --from $cached"

# qemu-user's root: the arm64 C library (the binary's interpreter is
# /lib/ld-linux-aarch64.so.1) and a /proc/cpuinfo with one arm64 core
# (Cortex-A72, a Raspberry Pi 4's) per host processor.
root="$out/qemu-root"
mkdir -p "$root/proc"
ln -sfn /usr/aarch64-linux-gnu/lib "$root/lib"
host=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
n=$(grep -c '^processor' /proc/cpuinfo || true)
[ "${n:-0}" -gt 0 ] || n=$(nproc)
{
  for ((i = 0; i < n; i++)); do
    printf 'processor\t: %d\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\n' "$i"
    printf 'CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n'
  done
  printf 'Model\t\t: arm64 emulated by qemu-user on %s\n' "${host:-an x86 host}"
} >"$root/proc/cpuinfo.tmp"
mv "$root/proc/cpuinfo.tmp" "$root/proc/cpuinfo"

cat >"$out/netscore-qemu" <<'EOF'
#!/bin/sh
# Runs the arm64 netscore beside this file under qemu-user (a simulated
# device: its latencies are the emulator's), with the library beside it.
here=$(cd "$(dirname "$0")" && pwd)
export NETSCORE_ORT_LIB="${NETSCORE_ORT_LIB:-$here/libonnxruntime.so.1}"
exec qemu-aarch64-static -L "$here/qemu-root" "$here/netscore-linux-arm64" "$@"
EOF
chmod +x "$out/netscore-qemu"

"$out/netscore-qemu" version >/dev/null || fail "$out/netscore-qemu version failed"
echo "build-arm64-worker: $out: netscore-linux-arm64, libonnxruntime.so.1, netscore-qemu (e.g. $out/netscore-qemu worker --db ... --server ...)" >&2
echo "$out"
