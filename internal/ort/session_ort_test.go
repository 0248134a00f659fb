//go:build ort && cgo

package ort

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ort/orttest"
)

const lenet = "../../testdata/extra/lenet5.onnx"

func openLenet(t *testing.T) *Session {
	t.Helper()
	s, err := Open(lenet, Options{Threads: 1})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			t.Fatalf("%v (CI must run scripts/install-ort.sh before go test -tags ort)", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func lenetInput(t *testing.T, seed uint64) map[string]*Tensor {
	t.Helper()
	x, err := NewTensor(graph.Float32, []int64{1, 1, 32, 32})
	if err != nil {
		t.Fatal(err)
	}
	if err := Fill(x, NewRand(seed), FillOptions{}); err != nil {
		t.Fatal(err)
	}
	return map[string]*Tensor{"input": x}
}

func TestOpenRun(t *testing.T) {
	s := openLenet(t)
	if got := s.Inputs(); len(got) != 1 || got[0].Name != "input" || got[0].DType != graph.Float32 || len(got[0].Shape) != 4 {
		t.Fatalf("inputs = %+v", got)
	}
	if got := s.Outputs(); len(got) != 1 || got[0].Name != "output" {
		t.Fatalf("outputs = %+v", got)
	}
	if s.CreateTime() <= 0 {
		t.Errorf("CreateTime = %v", s.CreateTime())
	}
	out, err := s.Run(lenetInput(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	y := out["output"]
	if y == nil || y.DType != graph.Float32 || len(y.F32) != 10 || len(y.Shape) != 2 || y.Shape[1] != 10 {
		t.Fatalf("output = %+v", y)
	}
	for _, v := range y.F32 {
		if math.IsNaN(float64(v)) {
			t.Fatalf("NaN in %v", y.F32)
		}
	}
	// Same seed, same output; another seed, another output.
	again, err := s.Run(lenetInput(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.Run(lenetInput(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	same, differ := true, false
	for i := range y.F32 {
		same = same && again["output"].F32[i] == y.F32[i]
		differ = differ || other["output"].F32[i] != y.F32[i]
	}
	if !same || !differ {
		t.Errorf("outputs: seed 1 %v, again %v, seed 2 %v", y.F32, again["output"].F32, other["output"].F32)
	}
}

func TestBindingReusesOutputs(t *testing.T) {
	s := openLenet(t)
	want, err := s.Run(lenetInput(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Bind(lenetInput(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range 3 {
		if err := b.Run(); err != nil {
			t.Fatal(err)
		}
		got := b.Outputs()["output"]
		if got == nil || len(got.F32) != 10 {
			t.Fatalf("run %d: output %+v", i, got)
		}
		for j := range got.F32 {
			if got.F32[j] != want["output"].F32[j] {
				t.Fatalf("run %d: output %v, want %v", i, got.F32, want["output"].F32)
			}
		}
	}
	if !b.ready || b.io == nil {
		t.Error("outputs were not pre-allocated and bound after the first run")
	}
}

func TestRunErrors(t *testing.T) {
	s := openLenet(t)
	x := lenetInput(t, 1)
	if _, err := s.Run(map[string]*Tensor{}); err == nil {
		t.Error("missing input accepted")
	}
	bad := map[string]*Tensor{"input": x["input"], "nope": x["input"]}
	if _, err := s.Run(bad); err == nil {
		t.Error("unknown input accepted")
	}
	i64, _ := NewTensor(graph.Int64, []int64{1, 1, 32, 32})
	if _, err := s.Run(map[string]*Tensor{"input": i64}); err == nil {
		t.Error("wrong dtype accepted")
	}
	short := &Tensor{DType: graph.Float32, Shape: []int64{1, 1, 32, 32}, F32: make([]float32, 5)}
	if _, err := s.Run(map[string]*Tensor{"input": short}); err == nil {
		t.Error("short data accepted")
	}
	wrong, _ := NewTensor(graph.Float32, []int64{1, 1, 28, 28})
	if _, err := s.Run(map[string]*Tensor{"input": wrong}); err == nil {
		t.Error("wrong shape accepted by ORT")
	}
}

func TestConcurrentRun(t *testing.T) {
	s := openLenet(t)
	want, err := s.Run(lenetInput(t, 5))
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		in := lenetInput(t, 5)
		go func() {
			for range 10 {
				got, err := s.Run(in)
				if err == nil && fmt.Sprint(got["output"].F32) != fmt.Sprint(want["output"].F32) {
					err = fmt.Errorf("output %v, want %v", got["output"].F32, want["output"].F32)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func writeModel(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.onnx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestScalarOutput(t *testing.T) {
	s, err := Open(writeModel(t, orttest.Scalar()), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	x := &Tensor{DType: graph.Float32, Shape: []int64{2, 3}, F32: []float32{1, 2, 3, 4, 5, 6}}
	check := func(out map[string]*Tensor, what string) {
		t.Helper()
		if sc := out["s"]; sc == nil || len(sc.Shape) != 0 || len(sc.F32) != 1 || sc.F32[0] != 21 {
			t.Errorf("%s: s = %+v, want the scalar 21", what, sc)
		}
		if d := out["d"]; d == nil || len(d.F32) != 6 || d.F32[5] != 12 {
			t.Errorf("%s: d = %+v", what, d)
		}
	}
	out, err := s.Run(map[string]*Tensor{"x": x})
	if err != nil {
		t.Fatal(err)
	}
	check(out, "Run")
	b, err := s.Bind(map[string]*Tensor{"x": x})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range 3 {
		if err := b.Run(); err != nil {
			t.Fatal(err)
		}
		check(b.Outputs(), fmt.Sprintf("bound run %d", i))
	}
	if !b.ready || b.io == nil {
		t.Error("not on the IoBinding path")
	}
}

// TestDataDependentOutput: an output that changes shape between runs
// makes the binding fall back to ORT-allocated outputs.
func TestDataDependentOutput(t *testing.T) {
	s, err := Open(writeModel(t, orttest.NonZero()), Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	x := &Tensor{DType: graph.Float32, Shape: []int64{4}, F32: []float32{1, 0, 1, 0}}
	b, err := s.Bind(map[string]*Tensor{"x": x})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for range 2 {
		if err := b.Run(); err != nil {
			t.Fatal(err)
		}
	}
	if idx := b.Outputs()["idx"]; idx == nil || fmt.Sprint(idx.Shape, idx.I64) != "[1 2] [0 2]" {
		t.Fatalf("idx = %+v", idx)
	}
	x.F32[1] = 5 // the bound input shares this slice
	if err := b.Run(); err != nil {
		t.Fatal(err)
	}
	if idx := b.Outputs()["idx"]; idx == nil || fmt.Sprint(idx.Shape, idx.I64) != "[1 3] [0 1 2]" {
		t.Errorf("after the change: idx = %+v", idx)
	}
	if !b.dynamic {
		t.Error("did not fall back to ORT-allocated outputs")
	}
	x.F32[0] = 0
	if err := b.Run(); err != nil {
		t.Fatal(err)
	}
	if idx := b.Outputs()["idx"]; idx == nil || fmt.Sprint(idx.Shape, idx.I64) != "[1 2] [1 2]" {
		t.Errorf("dynamic run: idx = %+v", idx)
	}
}

func TestOpenMissingModel(t *testing.T) {
	if _, err := Open("no-such-model.onnx", Options{}); err == nil {
		t.Fatal("no error")
	}
}

// BenchmarkBindingRun is the per-run cost of the bench path on a model
// that does almost nothing: the harness's own overhead plus ORT's.
//
//	go test -tags ort -bench BindingRun -run '^$' ./internal/ort/
func BenchmarkBindingRun(b *testing.B) {
	s, err := Open("../../testdata/extra/if_const_branches.onnx", Options{Threads: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	x, _ := NewTensor(graph.Float32, []int64{1, 64})
	bd, err := s.Bind(map[string]*Tensor{"X": x})
	if err != nil {
		b.Fatal(err)
	}
	defer bd.Close()
	if err := bd.Run(); err != nil {
		b.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for b.Loop() {
		if err := bd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
