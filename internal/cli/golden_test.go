package cli_test

// Golden outputs: every command's output on the committed fixtures, recorded
// before the library core was split out of the CLI, so that moving code
// changes no byte. Regenerate only for an intended change, in its own
// commit:
//
//	go test ./internal/cli -run Golden -update
//	go test -tags ort ./internal/cli -run Golden -update

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type goldenCase struct {
	name string
	args []string
	// files are outputs the command writes (relative to the temp dir),
	// recorded beside stdout and stderr.
	files []string
	// mask rewrites run-dependent figures (timings) before comparing.
	mask func(string) string
}

const (
	m18   = "../../testdata/models/resnet18_op13_dyn.onnx"
	m50   = "../../testdata/models/resnet50_op13_dyn.onnx"
	mv2   = "../../testdata/models/mobilenet_v2_op13_dyn.onnx"
	lstm  = "../../testdata/models/lstm_classifier_op13_dyn.onnx"
	lenet = "../../testdata/extra/lenet5.onnx"
	qdq   = "../../testdata/extra/qdq_int8_convnet.onnx"
	ifm   = "../../testdata/extra/if_const_branches.onnx"
	fn    = "../../testdata/functions/blocks_as_functions.onnx"
)

func goldenCases() []goldenCase {
	var cs []goldenCase
	add := func(name string, args ...string) { cs = append(cs, goldenCase{name: name, args: args}) }
	for _, f := range []string{"table", "json", "csv", "md"} {
		add("inspect_resnet18_"+f, "inspect", "--format", f, m18)
		add("inspect_layers_lenet_"+f, "inspect", "--layers", "--format", f, lenet)
		add("inspect_many_"+f, "inspect", "--format", f, m18, mv2, lstm, qdq, ifm, fn)
		add("zoo_paper_"+f, "zoo", "--format", f)
		add("compare_manifest_"+f, "compare", "--format", f, "--manifest", "testdata/golden/acc.csv", m18, m50, mv2)
		add("compare_ref_"+f, "compare", "--format", f, "--ref", "paper", "--manifest", "testdata/golden/acc.csv", m18, mv2)
		add("paper_"+f, "paper", "--format", f)
		add("sensitivity_paper_"+f, "sensitivity", "--format", f)
	}
	add("sensitivity_models", "sensitivity", "--manifest", "testdata/golden/acc.csv", "--beta-range", "0.3:0.7:0.1", "--gamma-range", "0.3:0.7:0.1", "--alpha-range", "1.5:2.5:0.5", "--top", "3", m18, mv2)
	add("sensitivity_mmacs", "sensitivity", "--mmacs", "--beta-range", "0.4:0.6:0.1", "--gamma-range", "0.5")
	add("sensitivity_bad_step", "sensitivity", "--beta-range", "0.25:0.75:0")
	add("sensitivity_bad_range", "sensitivity", "--gamma-range", "0.25:0.75")
	add("sensitivity_too_big", "sensitivity", "--alpha-range", "0:100:0.01")
	add("inspect_macs_all", "inspect", "--macs", "all", m50)
	add("inspect_input", "inspect", "--input", "input=2x3x160x160", "--format", "json", mv2)
	add("inspect_dim", "inspect", "--dim", "batch_size=4", mv2)
	add("inspect_params_stored", "inspect", "--params", "stored", "--format", "csv", "../../testdata/params")
	add("inspect_params_bad", "inspect", "--params", "all", m18)
	add("inspect_folder_extra_csv", "inspect", "--format", "csv", "../../testdata/extra")
	add("inspect_missing", "inspect", "../../testdata/nothere.onnx")
	add("zoo_timm_top", "zoo", "--source", "timm", "--top", "25", "--sort", "top1")
	add("zoo_all_density", "zoo", "--source", "all", "--top", "40", "--sort", "density", "--format", "csv")
	add("zoo_mmacs", "zoo", "--mmacs", "--alpha", "1", "--top", "10")
	add("zoo_stats", "zoo", "--source", "all", "--top", "1", "--stats")
	add("score_resnet50", "score", m50, "--top1", "76.13")
	add("score_resnet50_json", "score", m50, "--top1", "76.13", "--format", "json")
	add("score_timm", "score", m18, "--top1", "69.76", "--ref", "timm", "--latency-ms", "12.5")
	add("score_manifest", "score", mv2, "--manifest", "testdata/golden/acc.csv")
	add("score_fraction", "score", m18, "--top1", "0.6976", "--fraction")
	add("score_small", "score", m18, "--top1", "0.7")
	add("score_no_top1", "score", m18)
	add("check_ok", "check", m18, "--max-macs", "2G", "--max-params", "12M", "--top1", "69.76", "--min-netscore", "50")
	add("check_broken", "check", m50, "--max-macs", "2G", "--max-params", "12M", "--max-weight-bytes", "10MiB", "--max-peak-activation-bytes", "1MiB")
	add("check_coverage", "check", "../../testdata/extra/ms_attention.onnx", "--max-params", "1G")
	add("check_none", "check", m18)
	add("compare_yaml", "compare", "--manifest", "testdata/golden/acc.yaml", m18, mv2)
	add("compare_sort_macs", "compare", "--sort", "macs", "--manifest", "testdata/golden/acc.csv", m18, m50, mv2)
	add("compare_bad_sort", "compare", "--sort", "foo", m18)
	// Intervals (n images, bench's median interval) and --score expressions.
	const unc = "testdata/golden/acc_uncertainty.csv"
	for _, f := range []string{"table", "json", "csv", "md"} {
		add("compare_uncertainty_"+f, "compare", "--format", f, "--manifest", unc, m18, m50, mv2)
	}
	add("score_uncertainty", "score", m18, "--manifest", unc, "--ref", "timm")
	add("score_uncertainty_json", "score", m18, "--manifest", unc, "--ref", "timm", "--format", "json")
	add("compare_score_expr", "compare", "--manifest", unc, "--score", "20*log10(top1^2 / (params_m^0.5 * latency_ms^0.5))", m18, m50, mv2)
	add("compare_score_expr_md", "compare", "--format", "md", "--manifest", "testdata/golden/acc.csv", "--ref", "paper", "--score", "top1 - 2*gmacs", m18, mv2)
	add("compare_score_expr_csv", "compare", "--format", "csv", "--manifest", "testdata/golden/acc.csv", "--score", "top1 * 1e6 / flops", m18, mv2)
	add("score_score_expr", "score", m50, "--top1", "76.13", "--score", "top1 / sqrt(gmacs)")
	add("zoo_score_expr", "zoo", "--top", "8", "--score", "top1^2 / params_m")
	add("compare_score_unknown", "compare", "--score", "top1 / latncy_ms", m18)
	add("compare_score_zero", "compare", "--score", "top1 / peak_activation_bytes", m18)
	add("compare_score_ref_latency", "compare", "--manifest", unc, "--ref", "paper", "--score", "top1 / latency_ms", m18)
	add("compare_score_no_latency", "compare", "--manifest", "testdata/golden/acc.csv", "--score", "top1 / latency_ms", m18, m50)
	add("compare_score_and_sort", "compare", "--score", "top1", "--sort", "top1", m18)
	add("score_n_bad", "score", m18, "--top1", "70", "--n", "0")
	// Guessed shapes, partial coverage and input values (testdata/gen/make_gate_fixtures.py).
	const free, sr = "../../testdata/extra/free_hw_custom.onnx", "../../testdata/extra/sr_branches.onnx"
	add("inspect_guessed", "inspect", free)
	add("inspect_guessed_json", "inspect", "--format", "json", free)
	add("inspect_guessed_many", "inspect", free, m18)
	add("inspect_guessed_md", "inspect", "--format", "md", free, m18)
	add("inspect_sized", "inspect", "--input", "x=1x3x640x640", free)
	add("inspect_zero_dim", "inspect", "--input", "x=1x3x0x0", free)
	add("inspect_zero_symbol", "inspect", "--dim", "batch=0", m18)
	add("inspect_folder_input", "inspect", "--input", "x=1x3x64x64", free, m18)
	add("inspect_input_fits_none", "inspect", "--input", "nope=1x3", free, m18)
	add("inspect_value_16k", "inspect", "--value", "sr=16000", sr)
	add("inspect_value_8k", "inspect", "--value", "sr=8000", sr)
	add("inspect_value_unknown", "inspect", sr)
	add("score_guessed", "score", free, "--top1", "70")
	add("score_assumed", "score", free, "--top1", "70", "--assume-free-dims", "640")
	add("score_sized_json", "score", free, "--top1", "70", "--input", "x=1x3x640x640", "--format", "json")
	add("check_guessed", "check", free, "--max-macs", "600M")
	add("check_unverified", "check", free, "--input", "x=1x3x64x64", "--max-macs", "600M", "--max-params", "1M", "--top1", "70", "--min-netscore", "10")
	add("check_allow_uncosted", "check", free, "--input", "x=1x3x64x64", "--max-macs", "600M", "--allow-uncosted")
	add("check_lower_bound_over", "check", free, "--input", "x=1x3x640x640", "--max-macs", "10M")
	add("check_manifest_input", "check", free, "--manifest", "testdata/golden/acc_inputs.csv", "--max-macs", "600M", "--allow-uncosted", "--min-netscore", "50")
	add("compare_guessed", "compare", "--manifest", "testdata/golden/acc.csv", free, m18)
	add("compare_manifest_input", "compare", "--manifest", "testdata/golden/acc_inputs.csv")
	add("compare_manifest_input_json", "compare", "--format", "json", "--manifest", "testdata/golden/acc_inputs.csv")
	add("compare_manifest_input_md", "compare", "--format", "md", "--manifest", "testdata/golden/acc_inputs.csv")
	add("score_manifest_input", "score", free, "--manifest", "testdata/golden/acc_inputs.csv")
	// TensorFlow Lite (testdata/tflite).
	const tfl = "../../testdata/tflite/"
	for _, f := range []string{"table", "json", "csv", "md"} {
		add("inspect_tflite_layers_"+f, "inspect", "--layers", "--format", f, tfl+"micro_speech_quantized.tflite")
	}
	add("inspect_tflite_many", "inspect", tfl+"hello_world_int8.tflite", tfl+"micro_speech_quantized.tflite", tfl+"person_detect.tflite", tfl+"simple_add_model.tflite", tfl+"trained_lstm.tflite", tfl+"ops/custom.tflite")
	add("inspect_tflite_layers_lstm", "inspect", "--layers", tfl+"trained_lstm.tflite")
	add("inspect_tflite_bad", "inspect", tfl+"bad/while_loop.tflite")
	// A WHILE's trip count is data: lower bounds, a budget not verified.
	add("inspect_tflite_while", "inspect", "--layers", tfl+"ops/while_loop.tflite")
	add("check_tflite_while", "check", tfl+"ops/while_loop.tflite", "--max-macs", "1M")
	add("inspect_tflite_vela", "inspect", "--layers", tfl+"ops/vela_ethosu.tflite")
	add("check_tflite_vela", "check", tfl+"ops/vela_ethosu.tflite", "--max-params", "1M", "--max-weight-bytes", "1MiB")
	add("inspect_tflite_ssd", "inspect", "--layers", tfl+"ops/ssd_postprocess.tflite")
	add("compare_onnx_tflite", "compare", "--manifest", "testdata/golden/acc_tflite.csv", m18, mv2, tfl+"person_detect.tflite")
	add("bench_tflite", "bench", tfl+"person_detect.tflite")
	add("eval_tflite", "eval", tfl+"person_detect.tflite", "--data", "../../testdata/digits/val")
	add("help_inspect", "help", "inspect")
	add("inspect_dash_h", "inspect", "model.onnx", "-h")
	add("help_unknown", "help", "nope")
	add("inspect_empty_folder", "inspect", "testdata/golden/empty")
	add("compare_missing_manifest", "compare", "--manifest", "testdata/golden/absent.csv", m18)
	add("zoo_bad_source", "zoo", "--source", "foo")
	add("score_bad_ref", "score", m18, "--top1", "70", "--ref", "foo")
	add("version", "version")
	add("help", "help")
	cs = append(cs,
		goldenCase{name: "compare_html", args: []string{"compare", "--manifest", "testdata/golden/acc.csv", "--ref", "paper", "--html", "$TMP/r.html", m18, m50, mv2}, files: []string{"r.html"}},
		goldenCase{name: "sensitivity_html", args: []string{"sensitivity", "--beta-range", "0.4:0.6:0.1", "--gamma-range", "0.4:0.6:0.1", "--html", "$TMP/s.html"}, files: []string{"s.html"}},
		goldenCase{name: "compare_html_uncertainty", args: []string{"compare", "--manifest", "testdata/golden/acc_uncertainty.csv", "--score", "netscore - latency_ms", "--html", "$TMP/r.html", m18, m50, mv2}, files: []string{"r.html"}},
		goldenCase{name: "paper_html", args: []string{"paper", "--top", "5", "--html", "$TMP/p.html", "--plots", "$TMP/plots"}, files: []string{"p.html", "plots/netscore_vs_top1.svg", "plots/top1_vs_gmacs.svg", "plots/density_ranking.svg"}},
	)
	return append(cs, runtimeGoldenCases()...)
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "$TMP", tmp)
			}
			code, stdout, stderr := run(t, args...)
			var b strings.Builder
			b.WriteString("exit " + strconv.Itoa(code) + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr)
			for _, f := range c.files {
				data, err := os.ReadFile(filepath.Join(tmp, f))
				if err != nil {
					t.Fatal(err)
				}
				b.WriteString("\n--- file " + f + "\n" + string(data))
			}
			got := strings.ReplaceAll(b.String(), tmp, "$TMP")
			if c.mask != nil {
				got = c.mask(got)
			}
			path := filepath.Join("testdata", "golden", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to record it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", path, firstDiff(string(want), got))
			}
		})
	}
}

// firstDiff shows the first differing line with its neighbours.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + w + "\n  got: " + g
		}
	}
	return "(same lines, different bytes)"
}

// maskNumbers replaces the numbers that follow the given keys (JSON keys or
// table labels) with N, for figures that change from run to run.
func maskNumbers(keys ...string) func(string) string {
	var res []*regexp.Regexp
	for _, k := range keys {
		res = append(res, regexp.MustCompile(`(`+regexp.QuoteMeta(k)+`)[0-9][0-9.e+-]*`))
	}
	return func(s string) string {
		for _, re := range res {
			s = re.ReplaceAllString(s, "${1}N")
		}
		return s
	}
}
