package ort

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/graph"
)

func TestFloat16(t *testing.T) {
	for _, c := range []struct {
		f     float32
		h     uint16
		exact bool // Float16Value(h) == f
	}{
		{0, 0, true}, {1, 0x3c00, true}, {-2, 0xc000, true}, {0.5, 0x3800, true}, {65504, 0x7bff, true},
		{6.1035156e-05, 0x0400, true}, {5.9604645e-08, 0x0001, true}, {1.0009765625, 0x3c01, true},
		{1e6, 0x7c00, false}, {float32(math.Inf(-1)), 0xfc00, true}, {1e-9, 0, false},
		{1.00048828125, 0x3c00, false}, // a tie rounds to even
	} {
		if got := Float16Bits(c.f); got != c.h {
			t.Errorf("Float16Bits(%g) = %#04x, want %#04x", c.f, got, c.h)
		}
		if back := Float16Value(c.h); c.exact && back != c.f {
			t.Errorf("Float16Value(%#04x) = %g, want %g", c.h, back, c.f)
		}
	}
	if h := Float16Bits(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("NaN -> %#04x", h)
	}
	r := NewRand(7)
	for range 10000 {
		f := r.Float32()
		if back := Float16Value(Float16Bits(f)); math.Abs(float64(back-f)) > 1.0/2048 {
			t.Fatalf("%g -> %g", f, back)
		}
	}
	if got := BFloat16Bits(1); got != 0x3f80 {
		t.Errorf("BFloat16Bits(1) = %#04x", got)
	}
}

func TestFill(t *testing.T) {
	dtypes := []graph.DType{graph.Float32, graph.Float64, graph.Float16, graph.BFloat16, graph.Int64, graph.Int32,
		graph.Int16, graph.Int8, graph.Uint8, graph.Uint16, graph.Uint32, graph.Uint64, graph.Bool}
	for _, dt := range dtypes {
		a, err := NewTensor(dt, []int64{4, 64})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewTensor(dt, []int64{4, 64})
		if err := Fill(a, NewRand(1), FillOptions{IntMax: 9}); err != nil {
			t.Fatalf("%v: %v", dt, err)
		}
		_ = Fill(b, NewRand(1), FillOptions{IntMax: 9})
		if a.Len() != 256 || a.check("x") != nil {
			t.Errorf("%v: len %d, check %v", dt, a.Len(), a.check("x"))
		}
		if a.sliceKind() != b.sliceKind() || !sameData(a, b) {
			t.Errorf("%v: same seed, different data", dt)
		}
	}
	x, _ := NewTensor(graph.Int64, []int64{1000})
	_ = Fill(x, NewRand(1), FillOptions{})
	seen := map[int64]bool{}
	for _, v := range x.I64 {
		seen[v] = true
	}
	if len(seen) != 2 || !seen[0] || !seen[1] {
		t.Errorf("default int64 values %v, want 0 and 1", seen)
	}
	f, _ := NewTensor(graph.Float32, []int64{1000})
	_ = Fill(f, NewRand(1), FillOptions{})
	for _, v := range f.F32 {
		if v < 0 || v >= 1 {
			t.Fatalf("float %g out of [0,1)", v)
		}
	}
	if _, err := NewTensor(graph.String, []int64{1}); err == nil {
		t.Error("string tensor accepted")
	}
}

func sameData(a, b *Tensor) bool {
	switch {
	case a.F32 != nil:
		return slicesEqual(a.F32, b.F32)
	case a.F64 != nil:
		return slicesEqual(a.F64, b.F64)
	case a.I64 != nil:
		return slicesEqual(a.I64, b.I64)
	case a.Raw != nil:
		return slicesEqual(a.Raw, b.Raw)
	}
	return true
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestModelIO(t *testing.T) {
	in, out, err := ModelIO("../../testdata/models/resnet50_op13_dyn.onnx")
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 1 || in[0].Name != "input" || in[0].DType != graph.Float32 {
		t.Fatalf("inputs %+v", in)
	}
	if got := in[0].Shape; len(got) != 4 || got[0] != -1 || got[1] != 3 || in[0].DimParams[0] != "batch" {
		t.Errorf("input shape %v params %q, want [-1 3 224 224] with batch", got, in[0].DimParams)
	}
	if len(out) != 1 || out[0].Name != "output" {
		t.Errorf("outputs %+v", out)
	}
}

func TestNotBuilt(t *testing.T) {
	if Enabled {
		t.Skip("built with -tags ort")
	}
	if _, err := Open("x.onnx", Options{}); !errors.Is(err, ErrNotBuilt) {
		t.Errorf("Open: %v", err)
	}
	if !strings.Contains(ErrNotBuilt.Error(), "go build -tags ort") {
		t.Errorf("hint: %v", ErrNotBuilt)
	}
}
