package cli_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/cli"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
)

const fixture = "../../testdata/models/resnet18_op13_dyn.onnx"

// run calls cli.Main and returns its exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// badModels writes models that must each fail, with what stderr must say.
func badModels(t *testing.T) map[string]string {
	dir := t.TempDir()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	cycle := ot.Relu(1, 4)
	cycle.Graph.Nodes = []ot.Node{
		{Name: "a", Op: "Add", In: []string{"x", "b"}, Out: []string{"a"}},
		{Name: "b", Op: "Relu", In: []string{"a"}, Out: []string{"b"}},
		{Name: "out", Op: "Relu", In: []string{"b"}, Out: []string{"y"}},
	}
	escape := ot.Relu(1, 4)
	escape.Graph.Inits = []ot.Tensor{{Name: "w", DType: ot.Float, Dims: []int64{4}, External: [][2]string{{"location", "../w.bin"}}}}
	return map[string]string{
		writeFile(t, dir, "truncated.onnx", data[:len(data)/2]): "truncated",
		writeFile(t, dir, "cycle.onnx", cycle.Bytes()):          "cycle",
		writeFile(t, dir, "escape.onnx", escape.Bytes()):        "escapes the model's folder",
		writeFile(t, dir, "notes.txt", []byte("just text\n")):   "text file",
		filepath.Join(dir, "absent.onnx"):                       "no such file",
		emptyDir(t, dir):                                        "no model files in this folder", // a folder with models in it is expanded instead
	}
}

func emptyDir(t *testing.T, dir string) string {
	t.Helper()
	d := filepath.Join(dir, "empty")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// A folder argument stands for the models in it.
func TestInspectFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.onnx", ot.Relu(1, 3, 8, 8).Bytes())
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sub"), "b.onnx", ot.Relu(1, 4).Bytes())
	code, stdout, stderr := run(t, "inspect", "--format", "json", dir)
	var got []inspect.Summary
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil || len(got) != 2 {
		t.Errorf("exit %d, %v, %d models: %s", code, err, len(got), stderr)
	}
}

func TestSomeModelsFail(t *testing.T) {
	good := writeFile(t, t.TempDir(), "relu.onnx", ot.Relu(1, 3, 8, 8).Bytes())
	bad := badModels(t)
	args := []string{"inspect", "--format", "json", fixture}
	for p := range bad {
		args = append(args, p)
	}
	args = append(args, good)
	code, stdout, stderr := run(t, args...)
	if code != cli.ExitFailed {
		t.Errorf("exit code %d, want %d", code, cli.ExitFailed)
	}
	var got []inspect.Summary
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
	}
	var models []string
	for _, s := range got {
		models = append(models, s.Model)
	}
	if !slices.Equal(models, []string{fixture, good}) {
		t.Fatalf("reported models %q, want the two good ones", models)
	}
	if got[0].Params != 11684712 {
		t.Errorf("resnet18 params %d", got[0].Params)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for p, want := range bad {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, "netscore: "+p+":") {
				found = true
				if !strings.Contains(l, want) {
					t.Errorf("stderr line %q does not say %q", l, want)
				}
			}
		}
		if !found {
			t.Errorf("no stderr line names %s:\n%s", p, stderr)
		}
	}
	if !strings.Contains(stderr, "6 of 8 models failed") {
		t.Errorf("stderr has no summary count:\n%s", stderr)
	}
	if len(lines) != len(bad)+1 {
		t.Errorf("stderr has %d lines, want one per failed model plus the count:\n%s", len(lines), stderr)
	}
}

func TestAllModelsFail(t *testing.T) {
	bad := badModels(t)
	for p := range bad {
		code, stdout, stderr := run(t, "inspect", "--format", "json", p)
		if code != cli.ExitFailed {
			t.Errorf("%s: exit code %d", p, code)
		}
		if strings.TrimSpace(stdout) != "[]" {
			t.Errorf("%s: stdout %q, want an empty JSON array", p, stdout)
		}
		if !strings.Contains(stderr, p) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: stderr %q, want one line naming the file", p, stderr)
		}
	}
	code, stdout, _ := run(t, "inspect", "--format", "csv", "/nonexistent/model.onnx")
	if code != cli.ExitFailed || stdout != "" {
		t.Errorf("csv of a failed model: exit %d, stdout %q", code, stdout)
	}
}

// With several models given, JSON is an array even when only one of them
// could be analysed (docs/output.md: "an array of objects for several").
func TestJSONShapeFollowsArguments(t *testing.T) {
	code, stdout, _ := run(t, "inspect", "--format", "json", fixture, "/nonexistent/model.onnx")
	if code != cli.ExitFailed {
		t.Errorf("exit code %d", code)
	}
	var arr []inspect.Summary
	err := json.Unmarshal([]byte(stdout), &arr)
	if err != nil || len(arr) != 1 {
		t.Fatalf("stdout is not an array of one summary (%v):\n%s", err, stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"inspect"},
		{"inspect", "--bogus", fixture},
		{"inspect", "--format", "xml", fixture},
		{"inspect", "--macs", "some", fixture},
		{"inspect", "--input", "x", fixture},
		{"inspect", "--input", "=1x3", fixture},
		{"inspect", "--input", "x=1xAx3", fixture},
		{"inspect", "--input", "x=1x-3", fixture},
		{"inspect", "--input", "x=99999999999999999999", fixture},
		{"inspect", "--dim", "batch", fixture},
		{"inspect", "--dim", "batch=-1", fixture},
		{"inspect", fixture, "--format"},
	} {
		code, stdout, stderr := run(t, args...)
		if code != cli.ExitUsage {
			t.Errorf("%q: exit code %d, want %d (stderr %q)", args, code, cli.ExitUsage, stderr)
		}
		if stdout != "" {
			t.Errorf("%q: wrote %q to stdout", args, stdout)
		}
		if stderr == "" {
			t.Errorf("%q: said nothing on stderr", args)
		}
	}
}

func TestUnknownInputName(t *testing.T) {
	code, _, stderr := run(t, "inspect", "--input", "nope=1x3x224x224", fixture)
	if !strings.Contains(stderr, "nope") || !strings.Contains(stderr, "no input of that name") {
		t.Errorf("stderr %q does not explain the unknown input", stderr)
	}
	if code != cli.ExitUsage {
		t.Errorf("exit code %d, want %d", code, cli.ExitUsage)
	}
}

func TestCSVHeader(t *testing.T) {
	code, stdout, stderr := run(t, "inspect", "--format", "csv", fixture)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows:\n%s", len(rows), stdout)
	}
	if !slices.Equal(rows[0], report.SummaryColumns) {
		t.Fatalf("header %q, want %q", rows[0], report.SummaryColumns)
	}
	if rows[1][0] != fixture {
		t.Errorf("model column %q", rows[1][0])
	}
}

func TestGoodModelExitsZero(t *testing.T) {
	code, stdout, stderr := run(t, "inspect", "--format", "json", fixture)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s inspect.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if s.Model != fixture || s.Params != 11684712 {
		t.Fatalf("summary %s: %d params", s.Model, s.Params)
	}
}
