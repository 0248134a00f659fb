#!/usr/bin/env bash
# Fetches the third-party TFLite models of testdata/tflite/thirdparty/ from
# the npm registry (Google MediaPipe's web packages, Apache License 2.0) with
# `npm pack`, and checks every file's sha256 against the list below.
#
#   testdata/gen/fetch_thirdparty_tflite.sh        the five committed files: re-fetch and check
#   testdata/gen/fetch_thirdparty_tflite.sh --all  also the two not committed (1 and 2.8 MB;
#                                                  gitignored there, and TestThirdParty counts
#                                                  them when present)
#
# Needs npm (Debian's `npm`) and network access to registry.npmjs.org.
set -euo pipefail

cd "$(dirname "$0")/../tflite/thirdparty"

# package@version  file-in-package  sha256  committed?
MODELS=(
	"@mediapipe/face_detection@0.4.1657300184 face_detection_short_range.tflite 3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633 yes"
	"@mediapipe/face_detection@0.4.1657300184 face_detection_full_range_sparse.tflite 671dd2f9ed11a78436fc21cc42357a803dfc6f73e9fb86541be942d5716c2dce yes"
	"@mediapipe/selfie_segmentation@0.1.1675465747 selfie_segmentation.tflite 8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27 yes"
	"@mediapipe/hands@0.4.1675469240 hand_landmark_lite.tflite d7fde8ac11f8ce03f8663775bfc323f4fc9f2a38062b4f4efa142874ef5b2a48 yes"
	"@mediapipe/face_detection@0.4.1657300184 face_detection_full_range.tflite 99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3 no"
	"@mediapipe/selfie_segmentation@0.1.1675465747 selfie_segmentation_landscape.tflite 4aafe6223bb8dac6fac8ca8ed56852870a33051ef3f6238822d282a109962894 yes"
	"@mediapipe/pose@0.5.1675469404 pose_landmark_lite.tflite f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61 no"
)

all=no
[ "${1:-}" = --all ] && all=yes

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A packed
fail=0
for m in "${MODELS[@]}"; do
	read -r pkg file sum committed <<<"$m"
	[ "$committed" = yes ] || [ "$all" = yes ] || continue
	if [ -z "${packed[$pkg]:-}" ]; then
		dir=$tmp/$(echo "$pkg" | tr '@/' '__')
		mkdir -p "$dir"
		tgz=$(cd "$dir" && npm pack --silent "$pkg" | tail -1)
		tar -xzf "$dir/$tgz" -C "$dir"
		packed[$pkg]=$dir/package
	fi
	src=${packed[$pkg]}/$file
	if ! echo "$sum  $src" | sha256sum -c --quiet -; then
		echo "FAIL: $file from $pkg does not have sha256 $sum"
		fail=1
		continue
	fi
	install -m 644 "$src" "$file"
	echo "ok  $file  ($pkg, $(stat -c %s "$file") bytes)"
done
exit $fail
