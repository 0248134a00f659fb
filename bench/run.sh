#!/usr/bin/env bash
# netscore's speed and memory benchmarks (bench/README.md explains them).
#
#   bench/run.sh                 everything, about a minute on 2 cores
#   RUNS=50 bench/run.sh         more timed runs per case (default 30)
#   CHECK=0 bench/run.sh         skip the onnx.checker pass over the big models
#   bench/run.sh evict FILE...   drop FILE's clean pages from the page cache
#
# Outputs go to bench/out/ (gitignored): results.md (the summary table),
# hyperfine exports, the go test -bench output and run.log (all of it).
#
# Timings are wall clock of the whole `netscore inspect` process, from
# hyperfine. "warm" means the model file is in the page cache (the usual
# case: the tool is run on a model just written or already inspected).
# The page cache cannot be dropped system-wide here; "cold" runs evict only
# the model files' pages (dd iflag=nocache) before each run, so the netscore
# binary itself stays cached.
set -euo pipefail

cd "$(dirname "$0")/.."

evict() {
	for f in "$@"; do
		dd if="$f" iflag=nocache count=0 status=none
	done
}
if [ "${1:-}" = evict ]; then
	shift
	evict "$@"
	exit 0
fi

. bench/common.sh
RSS_RUNS=${RSS_RUNS:-10}
exec > >(tee "$OUT/run.log") 2>&1
need_tools

machine_and_build

echo "== generate the big models (weights inline as raw_data)"
# genbig writes in 8 MiB chunks, which leaves the file in the page cache in
# large folios, as onnx.save (one write of the whole model) does.
VGG=$OUT/vgg_big.onnx
BERT=$OUT/bert_big.onnx
go run ./bench/genbig -arch vgg -o "$VGG" | tee "$OUT/vgg_big.txt"
go run ./bench/genbig -arch bert -o "$BERT" | tee "$OUT/bert_big.txt"
sync "$VGG" "$BERT"

# netscore must report what the generator wrote.
for m in vgg_big bert_big; do
	want=$(sed -n 's/.* params=\([0-9]*\).*/\1/p' "$OUT/$m.txt")
	got=$("$NS" inspect --format json "$OUT/$m.onnx" | sed -n 's/^  "params": \([0-9]*\),/\1/p')
	if [ "$want" != "$got" ]; then
		echo "FAIL: netscore reports $got params for $m, genbig wrote $want"
		exit 1
	fi
	echo "$m: netscore reports $got params, as written"
done
if [ "${CHECK:-1}" != 0 ] && /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
	# check_model(path, full_check=True) would write inferred shapes back
	# into the file (onnx 1.12): check a loaded copy instead.
	/usr/bin/python3 -c '
import sys, onnx
for p in sys.argv[1:]:
    onnx.checker.check_model(onnx.load(p), full_check=True)
    print(p, "passes onnx.checker (full_check)")' "$VGG" "$BERT"
	# The checker read the files: write them afresh so the page cache is as
	# a writer leaves it.
	go run ./bench/genbig -arch vgg -o "$VGG" >/dev/null
	go run ./bench/genbig -arch bert -o "$BERT" >/dev/null
	sync "$VGG" "$BERT"
fi

ZOO=(testdata/models/*.onnx)
echo "zoo: ${#ZOO[@]} models"
[ "${#ZOO[@]}" = 35 ] || echo "note: the goal speaks of 35 models, found ${#ZOO[@]}"
RESNET=testdata/models/resnet50_op13_dyn.onnx

# rss NAME FILE...: max RSS in KB over RSS_RUNS runs: "max median". With
# EVICT=1 the files are evicted before each run (netscore reads them first).
rss() {
	local name=$1
	shift
	for _ in $(seq "$RSS_RUNS"); do
		[ "${EVICT:-0}" = 1 ] && evict "$@"
		/usr/bin/time -f %M "$NS" inspect "$@" 2>&1 >/dev/null | tail -1
	done | sort -n >"$OUT/rss_$name.txt"
	echo "$(tail -1 "$OUT/rss_$name.txt") $(sed -n "$(((RSS_RUNS + 1) / 2))p" "$OUT/rss_$name.txt")"
}

# warm NAME FILE...: hyperfine over the whole process, files in the cache.
warm() {
	local name=$1
	shift
	hyperfine -N --warmup 5 --runs "$RUNS" --style basic -n "$name" \
		--export-csv "$OUT/warm_$name.csv" --export-markdown "$OUT/warm_$name.md" \
		"$NS inspect $*" | grep -E 'Time|Range'
}

# cold NAME FILE...: the files' pages evicted before every run.
cold() {
	local name=$1
	shift
	hyperfine -N --runs "$COLD_RUNS" --style basic -n "$name (cold)" \
		--prepare "bench/run.sh evict $*" \
		--export-csv "$OUT/cold_$name.csv" \
		"$NS inspect $*" | grep -E 'Time|Range'
}

echo "== warm cache: time (hyperfine, $RUNS runs after 5 warm-ups) and max RSS (/usr/bin/time -f %M, $RSS_RUNS runs)"
declare -A RSS
for c in resnet50 zoo vgg_big bert_big; do
	case $c in
	resnet50) files=("$RESNET") ;;
	zoo) files=("${ZOO[@]}") ;;
	vgg_big) files=("$VGG") ;;
	bert_big) files=("$BERT") ;;
	esac
	echo "-- $c"
	# RSS first: timing runs do not change the page cache of a cached file,
	# but keep the order fixed anyway.
	RSS[$c]=$(rss "$c" "${files[@]}")
	echo "max RSS: ${RSS[$c]% *} KB (median ${RSS[$c]#* } KB)"
	warm "$c" "${files[@]}"
done

echo "== cold file cache: the model files evicted before each of $COLD_RUNS runs"
for c in resnet50 zoo vgg_big bert_big; do
	case $c in
	resnet50) files=("$RESNET") ;;
	zoo) files=("${ZOO[@]}") ;;
	vgg_big) files=("$VGG") ;;
	bert_big) files=("$BERT") ;;
	esac
	echo "-- $c"
	cold "$c" "${files[@]}"
done

echo "== max RSS of the big models in other page-cache states"
# Mapped file pages count in RSS, and the kernel maps a whole large folio
# on a fault: RSS depends on how the file's pages got into the cache.
declare -A RSS_COLD RSS_READ
for c in vgg_big bert_big; do
	f=$OUT/$c.onnx
	RSS_COLD[$c]=$(EVICT=1 rss "${c}_cold" "$f")
	echo "$c, evicted before each run (netscore reads it from disk): max RSS ${RSS_COLD[$c]% *} KB (median ${RSS_COLD[$c]#* } KB)"
	evict "$f"
	cat "$f" >/dev/null
	RSS_READ[$c]=$(rss "${c}_read" "$f")
	echo "$c, evicted then read by cat (readahead): max RSS ${RSS_READ[$c]% *} KB (median ${RSS_READ[$c]#* } KB)"
done

echo "== go test -bench (in process, warm)"
go test -bench . -run '^$' -benchmem -count 3 ./internal/cli/ | tee "$OUT/gobench.txt"

{
	echo "| case | goal | warm mean ± sd (max) | cold mean | max RSS | result |"
	echo "|---|---|---|---|---|---|"
	row() { # case label goal_ms goal_rss_kb
		local c=$1 label=$2 gms=$3 grss=$4 res
		res=$(pass "$(mean_ms "$OUT/warm_$c.csv")" "$gms")
		if [ -n "$grss" ] && [ "$(pass "${RSS[$c]% *}" "$grss")" = FAIL ]; then res=FAIL; fi
		local goal="< ${gms} ms"
		[ -n "$grss" ] && goal="$goal, < $((grss / 1024)) MiB RSS"
		echo "| $label | $goal | $(mean_ms "$OUT/warm_$c.csv") ± $(sd_ms "$OUT/warm_$c.csv") ms ($(max_ms "$OUT/warm_$c.csv")) | $(mean_ms "$OUT/cold_$c.csv") ms | $(kb_mb "${RSS[$c]% *}") MiB | $res |"
	}
	row resnet50 "ResNet-50, shape only (37 KB)" 20 ""
	row zoo "${#ZOO[@]} models, one call" 1000 ""
	row vgg_big "VGG-like, 417 MB inline weights, 32 tensors" 100 65536
	row bert_big "BERT-base-like, 436 MB inline weights, 200 tensors (extra)" 100 65536
	echo
	echo "Max RSS above is with the big files in the page cache as their writer left them (8 MiB writes, like onnx.save)."
	echo "Evicted before each run, netscore reading from disk: vgg_big $(kb_mb "${RSS_COLD[vgg_big]% *}") MiB, bert_big $(kb_mb "${RSS_COLD[bert_big]% *}") MiB."
	echo "Evicted, then read by cat: vgg_big $(kb_mb "${RSS_READ[vgg_big]% *}") MiB, bert_big $(kb_mb "${RSS_READ[bert_big]% *}") MiB."
	echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$OUT/results.md"
