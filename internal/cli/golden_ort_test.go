//go:build ort

package cli_test

import (
	"regexp"
	"strings"
)

// bench and eval through ONNX Runtime, their timings masked.
func runtimeGoldenCases() []goldenCase {
	digits := "../../testdata/digits/digits_cnn.onnx"
	evalFlags := []string{"--preset", "none", "--resize", "0", "--threads", "1", "-j", "1"}
	benchMask := maskNumbers(`"runtime_load_ms": `, `"session_create_ms": `, `"measured_s": `, `"min": `, `"p50": `, `"p90": `, `"p99": `, `"max": `,
		`"mean": `, `"stdev": `, `"throughput_per_s": `, `"peak_rss_bytes": `, `"achieved_gmacs_per_s": `, `"low": `, `"high": `)
	benchMask = chain(benchMask, maskStrings(`"runtime_version"`, `"runtime_library"`))
	tableMask := func(s string) string { return maskRuntimeTable(s) }
	evalMask := chain(maskNumbers(`"images_per_sec": `, `"seconds": `, `"inference_seconds": `), maskStrings(`"runtime"`))
	return []goldenCase{
		{name: "bench_lenet_json", args: []string{"bench", lenet, "--runs", "3", "--threads", "1", "--format", "json"}, mask: benchMask},
		{name: "bench_lenet_table", args: []string{"bench", lenet, "--runs", "3", "--threads", "1"}, mask: tableMask},
		{name: "bench_usage", args: []string{"bench", "--runs", "0", lenet}},
		{name: "eval_digits_json", args: append([]string{"eval", digits, "--data", "../../testdata/digits/val", "--format", "json"}, evalFlags...), mask: evalMask},
		{name: "eval_digits_table", args: append([]string{"eval", digits, "--data", "../../testdata/digits/val.csv", "--limit", "50"}, evalFlags...), mask: tableMask},
		{name: "eval_no_data", args: []string{"eval", digits}},
	}
}

// maskRuntimeTable blanks the lines of bench's and eval's tables that hold
// timings or the runtime's location, and folds runs of spaces: a timing's
// width moves the columns a tabwriter aligns.
func maskRuntimeTable(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		lines[i] = l
		for _, p := range []string{"runtime ", "session ", "runs ", "latency ", "throughput ", "peak RSS ", "MACs ", "speed "} {
			if strings.HasPrefix(l, p) {
				lines[i] = p + "(masked)"
			}
		}
		if strings.HasPrefix(l, "min ") {
			lines[i] = "(masked)"
		}
	}
	return strings.Join(lines, "\n")
}

// maskStrings replaces the string values of the given JSON keys (where the
// runtime library lives differs from machine to machine).
func maskStrings(keys ...string) func(string) string {
	var res []*regexp.Regexp
	for _, k := range keys {
		res = append(res, regexp.MustCompile(`(`+regexp.QuoteMeta(k)+`: )"[^"]*"`))
	}
	return func(s string) string {
		for _, re := range res {
			s = re.ReplaceAllString(s, `${1}"S"`)
		}
		return s
	}
}

func chain(fs ...func(string) string) func(string) string {
	return func(s string) string {
		for _, f := range fs {
			s = f(s)
		}
		return s
	}
}
