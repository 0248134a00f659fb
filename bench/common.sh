# Shared by bench/run.sh and bench/tflite.sh, sourced from the repository
# root: the output folder, run counts, tools, and readers of hyperfine's CSV
# exports.
OUT=bench/out
RUNS=${RUNS:-30}
COLD_RUNS=${COLD_RUNS:-10}
mkdir -p "$OUT"

install() { # package
	echo "installing $1"
	apt-get install -y "$1" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$1" >/dev/null; }
}

# need_tools installs hyperfine and /usr/bin/time when missing.
need_tools() {
	command -v hyperfine >/dev/null || install hyperfine
	[ -x /usr/bin/time ] || install time
}

# machine_and_build prints the machine, tools, load and commit, and builds
# netscore into $NS.
machine_and_build() {
	echo "== machine"
	echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
	echo "kernel: $(uname -r)"
	echo "go:     $(go version)"
	echo "tools:  $(hyperfine --version)"
	echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; the machine is shared, so numbers above ~0.3 mean noise)"
	echo "date:   $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' ':!internal/cli/bench_test.go' || echo ' + uncommitted changes')"

	echo "== build"
	go build -o "$OUT/netscore" ./cmd/netscore
	NS=$OUT/netscore
}

# hyperfine mean, standard deviation and max in ms from its CSV export.
mean_ms() { awk -F, 'NR==2 {printf "%.1f", $2*1000}' "$1"; }
sd_ms() { awk -F, 'NR==2 {printf "%.1f", $3*1000}' "$1"; }
max_ms() { awk -F, 'NR==2 {printf "%.1f", $8*1000}' "$1"; }

pass() { awk -v v="$1" -v lim="$2" 'BEGIN {print (v < lim) ? "PASS" : "FAIL"}'; }
kb_mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }
