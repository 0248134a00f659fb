#!/usr/bin/env bash
# netscore's TFLite speed goals (bench/README.md, "TFLite"):
#   - the MobileNetV2 TFLite file (3.5 M params, 3.9 MB) through the whole
#     `netscore inspect` process in under 10 ms;
#   - a folder of all the TFLite fixtures (testdata/tflite and
#     testdata/tflite/ops, not the broken files of testdata/tflite/bad) in
#     one call in under 100 ms;
#   - the folder of third-party MediaPipe models (testdata/tflite/thirdparty:
#     five committed, seven after testdata/gen/fetch_thirdparty_tflite.sh
#     --all; 3-7 MB of float16 weights, one with sparse tensors) in one
#     call in under 100 ms.
#
#   bench/tflite.sh                  a few seconds on 2 cores
#   RUNS=50 bench/tflite.sh          more timed runs per case (default 30)
#   MOBILENET=FILE bench/tflite.sh   the MobileNetV2 file, when not in a
#                                    shared/models/tflite above the checkout
#
# Outputs go to bench/out/ (gitignored): tflite_results.md (the summary
# table), hyperfine exports and tflite.log. Timings are hyperfine's wall
# clock of the whole process, files in the page cache ("warm"); "cold"
# evicts the model files' pages before each run (bench/run.sh evict).
set -euo pipefail

cd "$(dirname "$0")/.."

. bench/common.sh
exec > >(tee "$OUT/tflite.log") 2>&1
need_tools

# The MobileNetV2 file lives in a shared/models/tflite above the checkout
# (as internal/format/tflite/counts_test.go looks for it).
if [ -z "${MOBILENET:-}" ]; then
	dir=$PWD
	while [ "$dir" != / ]; do
		f=$dir/shared/models/tflite/mobilenet_v2_quantized_1x3x224x224.tflite
		if [ -f "$f" ]; then
			MOBILENET=$f
			break
		fi
		dir=$(dirname "$dir")
	done
fi
[ -f "${MOBILENET:-}" ] || {
	echo "no mobilenet_v2_quantized_1x3x224x224.tflite in a shared/models/tflite above $PWD; set MOBILENET=FILE"
	exit 1
}

machine_and_build

# One folder holding every fixture, so the call is `netscore inspect DIR`.
FIX=$OUT/tflite_fixtures
rm -rf "$FIX"
mkdir -p "$FIX"
cp testdata/tflite/*.tflite "$FIX/"
for f in testdata/tflite/ops/*.tflite; do
	cp "$f" "$FIX/ops_$(basename "$f")"
done
N=$(find "$FIX" -name '*.tflite' | wc -l)
echo "fixtures: $N files, $(du -sk "$FIX" | cut -f1) KB in $FIX"

# netscore must report the independent count (testdata/tflite/counts.csv).
want=$(awk -F, '$1 ~ /^mobilenet_v2/ {print $2}' testdata/tflite/counts.csv)
got=$("$NS" inspect --format json "$MOBILENET" | sed -n 's/^  "params": \([0-9]*\),/\1/p')
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	echo "FAIL: netscore reports $got params for MobileNetV2, counts.csv has $want"
	exit 1
fi
echo "mobilenet_v2: netscore reports $got params, as counts.csv"
"$NS" inspect "$FIX" >/dev/null 2>&1 || {
	echo "FAIL: netscore inspect $FIX exits non-zero"
	exit 1
}

# rss FILE...: max RSS in KB over 10 runs.
rss() {
	for _ in $(seq 10); do
		/usr/bin/time -f %M "$NS" inspect "$@" 2>&1 >/dev/null | tail -1
	done | sort -n | tail -1
}

declare -A RSS
TP=testdata/tflite/thirdparty
NTP=$(find "$TP" -name '*.tflite' | wc -l)
for c in mobilenet fixtures thirdparty; do
	case $c in
	mobilenet) files=("$MOBILENET") ;;
	fixtures) files=("$FIX") ;;
	thirdparty) files=("$TP") ;;
	esac
	echo "-- $c"
	RSS[$c]=$(rss "${files[@]}")
	echo "max RSS: ${RSS[$c]} KB"
	hyperfine -N --warmup 5 --runs "$RUNS" --style basic -n "$c" \
		--export-csv "$OUT/tflite_warm_$c.csv" "$NS inspect ${files[*]}" | grep -E 'Time|Range'
	# The fixtures folder: evict every file in it.
	evict=("${files[@]}")
	[ "$c" = fixtures ] && evict=("$FIX"/*.tflite)
	[ "$c" = thirdparty ] && evict=("$TP"/*.tflite)
	hyperfine -N --runs "$COLD_RUNS" --style basic -n "$c (cold)" \
		--prepare "bench/run.sh evict ${evict[*]}" \
		--export-csv "$OUT/tflite_cold_$c.csv" "$NS inspect ${files[*]}" | grep -E 'Time|Range'
done

{
	echo "| case | goal | warm mean ± sd (max) | cold mean | max RSS | result |"
	echo "|---|---|---|---|---|---|"
	row() { # case label goal_ms
		local c=$1 label=$2 gms=$3
		echo "| $label | < $gms ms | $(mean_ms "$OUT/tflite_warm_$c.csv") ± $(sd_ms "$OUT/tflite_warm_$c.csv") ms ($(max_ms "$OUT/tflite_warm_$c.csv")) | $(mean_ms "$OUT/tflite_cold_$c.csv") ms | $(kb_mb "${RSS[$c]}") MiB | $(pass "$(mean_ms "$OUT/tflite_warm_$c.csv")" "$gms") |"
	}
	row mobilenet "MobileNetV2 int8 TFLite ($(($(stat -c %s "$MOBILENET") / 1024)) KB)" 10
	row fixtures "$N TFLite fixtures, one call (\`inspect DIR\`)" 100
	row thirdparty "$NTP MediaPipe models ($(du -sk "$TP" | cut -f1) KB), one call (\`inspect $TP\`)" 100
	echo
	echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$OUT/tflite_results.md"
