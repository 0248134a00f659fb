#!/usr/bin/env bash
# netscore compare on 100 models: does it use both cores? Times -j 1 against
# the default (all cores) with hyperfine, and prints user+sys CPU time over
# wall time (near 2 on 2 cores means both were busy).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/compare
rm -rf "$out" && mkdir -p "$out/models"
go build -o bench/out/netscore ./cmd/netscore
echo "model,top1" > "$out/acc.csv"
i=0
while [ $i -lt 100 ]; do # 100 files: the 35 fixtures, repeated under new names
  for f in testdata/models/*.onnx; do
    [ $i -lt 100 ] || break
    name=$(printf "m%03d_%s" $i "$(basename "$f")")
    cp "$f" "$out/models/$name"
    echo "${name%.onnx},$((50 + i % 40)).5" >> "$out/acc.csv"
    i=$((i + 1))
  done
done
NS=bench/out/netscore
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
hyperfine -N --warmup 2 --runs 10 --export-markdown "$out/hyperfine.md" \
  "$NS compare -j 1 --manifest $out/acc.csv --format csv $out/models" \
  "$NS compare --manifest $out/acc.csv --format csv $out/models"
for j in 1 2; do
  /usr/bin/time -f "-j $j: wall %e s, user %U s, sys %S s, CPU %P" "$NS" compare -j $j --manifest "$out/acc.csv" --format csv "$out/models" >/dev/null
done
