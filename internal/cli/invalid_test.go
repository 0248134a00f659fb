package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/cli"
)

const invalidDir = "../../testdata/invalid"

// invalidCase is one entry of testdata/invalid/verdicts.json, written by
// testdata/gen/make_invalid.py: what the spec says of the model (kind),
// the node at fault and onnx's own verdict.
type invalidCase struct {
	Kind string `json:"kind"`
	Node string `json:"node"`
	Rule string `json:"rule"`
	ONNX string `json:"onnx"`
}

func invalidCases(t *testing.T) map[string]invalidCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(invalidDir, "verdicts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases map[string]invalidCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// What netscore must say of each invalid fixture, after `node "name"
// (Op): `; for a legal one, a warning it must give ("" for none).
var invalidProblems = map[string]string{
	"conv_stride_zero":             `(Conv): kernel [3 3], strides [0 1] and dilations [1 1] must be positive`,
	"conv_stride_negative":         `(Conv): kernel [3 3], strides [-1 1] and dilations [1 1] must be positive`,
	"conv_dilation_zero":           `(Conv): kernel [3 3], strides [1 1] and dilations [0 1] must be positive`,
	"conv_pad_negative":            `(Conv): pads [-1 0 0 0] must not be negative`,
	"conv_kernel_too_large":        `(Conv): kernel [9 9] (dilations [1 1]) is larger than the input [8 8] padded by [0 0 0 0]`,
	"conv_channels":                `(Conv): input has 3 channels but the weight [4 2 3 3] expects 2 (group 1)`,
	"conv_group_not_dividing":      `(Conv): input has 3 channels but the weight [4 1 3 3] expects 2 (group 2)`,
	"conv_group_zero":              `(Conv): group 0 must be positive`,
	"conv_strides_length":          `(Conv): strides has 1 values, want 2`,
	"conv_weight_rank":             `(Conv): conv input rank 4 and weight rank 3 do not fit`,
	"conv_bias_length":             `(Conv): bias [3] for 4 output channels`,
	"conv_no_weight":               `(Conv): input 1 is missing`,
	"convtranspose_stride_zero":    `(ConvTranspose): kernel [3 3], strides [0 1] and dilations [1 1] must be positive`,
	"convtranspose_pads_too_large": `(ConvTranspose): output size -2 along spatial axis 0`,
	"maxpool_stride_zero":          `(MaxPool): kernel [2 2], strides [0 0] and dilations [1 1] must be positive`,
	"maxpool_kernel_too_large":     `(MaxPool): kernel [10 10] (dilations [1 1]) is larger than the input [8 8] padded by [0 0 0 0]`,
	"maxpool_no_kernel":            `(MaxPool): no kernel_shape`,
	"maxpool_pad_negative":         `(MaxPool): pads [-1 0 0 0] must not be negative`,
	"averagepool_kernel_zero":      `(AveragePool): kernel [0 2], strides [1 1] and dilations [1 1] must be positive`,
	"reshape_negative_dim":         `(Reshape): reshape target [-2 96] has a negative dim`,
	"reshape_count":                `(Reshape): cannot reshape [1 3 8 8] (192 elements) to [5 5] (25 elements)`,
	"concat_rank":                  `(Concat): concat of ranks 4 and 3`,
	"concat_dims":                  `(Concat): concat on axis 1 of [1 3 8 8] and [1 3 8 7]`,
	"split_sizes":                  `(Split): split sizes [1 1] add up to 2, not the dim 3`,
	"constantofshape_negative":     `(ConstantOfShape): ConstantOfShape of negative dims [2 -3]`,
	"gemm_inner":                   `(Gemm): gemm inner dims differ: [2 3] x [4 5]`,
	"matmul_inner":                 `(MatMul): matmul inner dims differ: [2 3] x [4 5]`,
	"add_broadcast":                `(Add): shapes [[2 3] [4 3]] cannot broadcast (dim 0: 2 vs 4)`,
	"if_branch_conv_stride_zero":   `(Conv): kernel [3 3], strides [0 1] and dilations [1 1] must be positive`,

	"legal_conv_free_spatial":         `node "conv" (Conv): kernel [9 9] (dilations [1 1]) is larger than the input [1 1] padded by [0 0 0 0] at a guessed size`,
	"legal_pool_kernel_fills_padding": "",
	"legal_add_opset6_axis":           "",
	"legal_declared_dim_minus_one":    `declares dim 0 as -1`,
}

// Every model the spec forbids fails alone with exit 1 and one line naming
// the file, the node and the problem; every legal one, however odd, is
// analysed (exit 0), with the warning it calls for.
func TestInvalidModels(t *testing.T) {
	cases := invalidCases(t)
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := cases[name]
		want, ok := invalidProblems[name]
		if !ok {
			t.Errorf("%s: no expected message in invalidProblems", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(invalidDir, name+".onnx")
			code, stdout, stderr := run(t, "inspect", "--format", "csv", path)
			switch c.Kind {
			case "invalid":
				if code != cli.ExitFailed || stdout != "" {
					t.Errorf("exit %d, stdout %q; want exit %d and nothing", code, stdout, cli.ExitFailed)
				}
				line := strings.TrimSuffix(stderr, "\n")
				prefix := "netscore: " + path + `: node "` + c.Node + `" `
				if strings.Contains(line, "\n") || !strings.HasPrefix(line, prefix) || !strings.Contains(line, want) {
					t.Errorf("stderr %q\nwant one line %q...%q", stderr, prefix, want)
				}
			case "legal":
				if code != cli.ExitOK {
					t.Fatalf("exit %d, stderr %q; a legal model must be analysed", code, stderr)
				}
				if c.ONNX != "ok" {
					t.Errorf("onnx refused a case marked legal: %s", c.ONNX)
				}
				if want != "" && !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks the warning %q", stderr, want)
				}
			default:
				t.Fatalf("kind %q", c.Kind)
			}
		})
	}
}
