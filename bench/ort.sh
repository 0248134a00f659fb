#!/usr/bin/env bash
# Harness overhead of `netscore bench`: its latency against a tight C loop
# around ONNX Runtime's Run (bench/ortloop/ortloop.c; also its RunWithBinding
# variant) for the same model, library and thread count. Results: bench/ort.md.
#
#   bench/ort.sh                       # 7 rounds (order rotated) of 300 runs per harness, 1 thread
#   ROUNDS=3 RUNS=100 THREADS=2 bench/ort.sh
#   NETSCORE=/path/to/netscore bench/ort.sh    # an already built netscore (-tags ort)
#   MODELS="bench/out/resnet18_w.onnx" bench/ort.sh
#
# Needs gcc, Go (scripts/install-ort.sh fetches ONNX Runtime) and, for the default models,
# Debian's python3-torch and python3-torchvision (bench/ortloop/export.py).
# Raw figures go to bench/out/ort_rounds_tTHREADS.csv, the summary (Markdown) to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-7}
RUNS=${RUNS:-300}
WARMUP=${WARMUP:-10}
THREADS=${THREADS:-1}
mkdir -p bench/out

lib=$(scripts/install-ort.sh | tail -n 1)
if [ -z "${NETSCORE:-}" ]; then
  NETSCORE=bench/out/netscore-ort
  go build -tags ort -o "$NETSCORE" ./cmd/netscore
fi
hdr=$(go list -m -f '{{.Dir}}' github.com/yalue/onnxruntime_go)
[ -f "$hdr/onnxruntime_c_api.h" ] || { go mod download github.com/yalue/onnxruntime_go; hdr=$(go list -m -f '{{.Dir}}' github.com/yalue/onnxruntime_go); }
gcc -O2 -Wall -I"$hdr" -o bench/out/ortloop bench/ortloop/ortloop.c -ldl -lm

if [ -z "${MODELS:-}" ]; then
  /usr/bin/python3 bench/ortloop/export.py bench/out >&2
  # A near-empty model (the harness's own cost shows), LeNet-5, and two
  # mid-size networks.
  MODELS="testdata/extra/if_const_branches.onnx testdata/extra/lenet5.onnx bench/out/mobilenet_v2_w.onnx bench/out/resnet18_w.onnx"
fi

csv=bench/out/ort_rounds_t${THREADS}.csv
echo "model,round,tool,p50_ms,mean_ms,min_ms" >"$csv"
echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
echo "# ORT $lib, threads=$THREADS runs=$RUNS warmup=$WARMUP rounds=$ROUNDS" >&2

run_netscore() {
  "$NETSCORE" bench "$1" --threads "$THREADS" --warmup "$WARMUP" --runs "$RUNS" --format json |
    /usr/bin/python3 -c 'import json,sys; l=json.load(sys.stdin)["latency_ms"]; print(l["p50"], l["mean"], l["min"])'
}
run_c() {
  bench/out/ortloop "$lib" "$1" "$THREADS" "$WARMUP" "$RUNS" |
    sed -E 's/.*p50_ms=([0-9.]+) mean_ms=([0-9.]+) min_ms=([0-9.]+).*/\1 \2 \3/'
}
run_cbind() {
  bench/out/ortloop "$lib" "$1" "$THREADS" "$WARMUP" "$RUNS" binding |
    sed -E 's/.*p50_ms=([0-9.]+) mean_ms=([0-9.]+) min_ms=([0-9.]+).*/\1 \2 \3/'
}

for m in $MODELS; do
  name=$(basename "$m" .onnx)
  for r in $(seq 1 "$ROUNDS"); do
    # Rotate which goes first, so drift in the machine's load hits all.
    case $((r % 3)) in
      1) order="netscore c cbind" ;;
      2) order="c cbind netscore" ;;
      0) order="cbind netscore c" ;;
    esac
    for tool in $order; do
      read -r p50 mean mn < <(run_$tool "$m")
      echo "$name,$r,$tool,$p50,$mean,$mn" >>"$csv"
      echo "$name round $r $tool: p50 $p50 ms, mean $mean ms" >&2
    done
  done
done

/usr/bin/python3 - "$csv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
models = list(dict.fromkeys(r["model"] for r in rows))
med = statistics.median
tools = {"c": "C loop, Run", "cbind": "C loop, RunWithBinding", "netscore": "netscore bench"}
def get(m, tool, k):
    return [float(r[k]) for r in rows if r["model"] == m and r["tool"] == tool]
def ms(v):
    return f"{v*1e3:.3g} µs" if v < 1 else f"{v:.4g} ms"
print("Per tool, over rounds: median of the per-round p50, best (lowest) per-round p50, median of the per-round mean.")
print()
print("| model | tool | rounds | median p50 | best p50 | median mean |")
print("|---|---|---:|---:|---:|---:|")
for m in models:
    for t, name in tools.items():
        p50 = get(m, t, "p50_ms")
        if p50:
            print(f"| {m} | {name} | {len(p50)} | {ms(med(p50))} | {ms(min(p50))} | {ms(med(get(m, t, 'mean_ms')))} |")
print()
print("netscore bench against each C loop: (netscore / C - 1) of the median p50, of the best p50, and the median over rounds of each round's p50 ratio (paired).")
print()
print("| model | vs | median p50 | best p50 | paired p50 |")
print("|---|---|---:|---:|---:|")
for m in models:
    n = get(m, "netscore", "p50_ms")
    for t in ["c", "cbind"]:
        c = get(m, t, "p50_ms")
        if n and c:
            paired = med(a / b - 1 for a, b in zip(n, c))
            print(f"| {m} | {tools[t]} | {100*(med(n)/med(c)-1):+.1f}% | {100*(min(n)/min(c)-1):+.1f}% | {100*paired:+.1f}% |")
EOF
