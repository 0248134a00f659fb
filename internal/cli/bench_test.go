package cli_test

// In-process speed benchmarks for `netscore inspect` (bench/README.md has
// the whole-process numbers and bench/run.sh the commands):
//
//	go test -bench . -run '^$' -benchmem ./internal/cli/
//
// They hold no Test functions, so `go test ./...` does not run them.

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/netscore/netscore/internal/cli"
)

const benchModelsDir = "../../testdata/models"

func benchInspect(b *testing.B, paths ...string) {
	b.Helper()
	args := append([]string{"inspect", "--format", "json"}, paths...)
	b.ReportAllocs()
	for b.Loop() {
		if code := cli.Main(args, io.Discard, io.Discard); code != cli.ExitOK {
			var stderr bytes.Buffer
			cli.Main(args, io.Discard, &stderr)
			b.Fatalf("netscore inspect exited %d: %s", code, stderr.String())
		}
	}
}

// BenchmarkInspectResNet50 is a shape-only ResNet-50 (weights in an absent
// external file), the common case.
func BenchmarkInspectResNet50(b *testing.B) {
	benchInspect(b, filepath.Join(benchModelsDir, "resnet50_op13_dyn.onnx"))
}

// BenchmarkInspectZoo is every fixture model in one call.
func BenchmarkInspectZoo(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join(benchModelsDir, "*.onnx"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no models in %s: %v", benchModelsDir, err)
	}
	b.ReportMetric(float64(len(paths)), "models")
	benchInspect(b, paths...)
}

// BenchmarkInspectBig reads the ~400 MB models with inline weights that
// bench/run.sh generates (go run ./bench/genbig); skipped without them.
func BenchmarkInspectBig(b *testing.B) {
	for _, name := range []string{"vgg_big.onnx", "bert_big.onnx"} {
		path := filepath.Join("../../bench/out", name)
		b.Run(name, func(b *testing.B) {
			if _, err := os.Stat(path); err != nil {
				b.Skipf("%s absent; generate it with go run ./bench/genbig (see bench/README.md)", path)
			}
			benchInspect(b, path)
		})
	}
}
