package onnx_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/graph"
)

// allocated is the heap bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Small files that claim giant tensors or counts cost memory in
// proportion to their size, never to their claims.
func TestHostileClaimsBoundedMemory(t *testing.T) {
	claimInts := (&ot.Model{IRVersion: 8, Graph: &ot.Graph{Nodes: []ot.Node{{Op: "Relu"}}}}).Bytes()
	// A node whose ints attribute claims 1 GiB of packed values.
	claimInts = append(claimInts, 0x3a, 0x10, 0x0a, 0x0e, 0x22, 0x01, 'R', 0x2a, 0x09, 0x0a, 0x01, 'p', 0x42, 0x80, 0x80, 0x80, 0x80, 0x04)

	big := []int64{1000000, 1000000}
	models := map[string][]byte{
		"1e12 no data":      withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: big}).Bytes(),
		"1e12 raw mismatch": withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: big, Raw: make([]byte, 64)}).Bytes(),
		"1e12 typed":        withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: big, Floats: make([]float32, 16)}).Bytes(),
		"1e12 int64 typed":  withInit(ot.Tensor{Name: "w", DType: ot.Int64, Dims: big, Int64s: make([]int64, 64)}).Bytes(),
		"1e10 missing ext":  withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{100000, 100000}, External: [][2]string{{"location", "w.bin"}}}).Bytes(),
		"1e12 missing ext":  withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: big, External: [][2]string{{"location", "w.bin"}}}).Bytes(),
		"4096 int64 typed":  withInit(ot.Tensor{Name: "w", DType: ot.Int64, Dims: []int64{4096}, Int64s: make([]int64, 1)}).Bytes(),
		"1 GiB packed ints": claimInts,
		"huge declared dims": func() []byte {
			m := ot.Relu(1 << 30)
			m.Graph.Inputs[0].Dims = ot.Dims(1<<20, 1<<20, 1<<20)
			return m.Bytes()
		}(),
		"deep nesting": nestedIf(300).Bytes(),
	}
	path := filepath.Join(t.TempDir(), "model.onnx")
	for name, data := range models {
		t.Run(name, func(t *testing.T) {
			if len(data) > 32<<10 {
				t.Fatalf("fixture of %d bytes", len(data))
			}
			var err error
			n := allocated(func() {
				var m *graph.Model
				if m, err = onnx.Decode(path, data); err == nil {
					_, _ = analyze.Analyze(m, analyze.Options{})
				}
			})
			t.Logf("%d-byte file: %d bytes allocated (err: %v)", len(data), n, err)
			if limit := uint64(2<<20 + 64*len(data)); n > limit {
				t.Fatalf("%d-byte file allocated %d bytes (limit %d)", len(data), n, limit)
			}
		})
	}
}

// A 1 GiB model file (a sparse file: the weights are holes) is read
// through the map: decoding never touches the payload, and the Go heap
// stays small.
func TestLargeFileMapped(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOARCH == "386" || runtime.GOARCH == "arm" {
		t.Skip("needs mmap and a 64-bit address space")
	}
	const payload = 1 << 30
	tensorHead := protowire.AppendTag(nil, 1, protowire.VarintType)
	tensorHead = protowire.AppendVarint(tensorHead, payload/4) // dims
	tensorHead = protowire.AppendTag(tensorHead, 2, protowire.VarintType)
	tensorHead = protowire.AppendVarint(tensorHead, ot.Float)
	tensorHead = append(tensorHead, 0x42, 0x03, 'b', 'i', 'g') // name
	tensorHead = protowire.AppendTag(tensorHead, 9, protowire.BytesType)
	tensorHead = protowire.AppendVarint(tensorHead, payload) // raw_data, then the hole

	g := ot.Relu(1, 4).Graph
	graphHead := g.Bytes()
	graphHead = protowire.AppendTag(graphHead, 5, protowire.BytesType)
	graphHead = protowire.AppendVarint(graphHead, uint64(len(tensorHead)+payload))
	graphHead = append(graphHead, tensorHead...)
	graphLen := len(graphHead) + payload

	head := protowire.AppendTag(nil, 1, protowire.VarintType)
	head = protowire.AppendVarint(head, 8)
	head = protowire.AppendTag(head, 7, protowire.BytesType)
	head = protowire.AppendVarint(head, uint64(graphLen))
	head = append(head, graphHead...)
	tail := []byte{0x42, 0x02, 0x10, 0x0d} // opset_import { version: 13 }

	path := filepath.Join(t.TempDir(), "big.onnx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(head) + payload + len(tail))
	_, err1 := f.Write(head)
	err2 := f.Truncate(size)
	_, err3 := f.WriteAt(tail, size-int64(len(tail)))
	err4 := f.Close()
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Skipf("cannot write a sparse 1 GiB file here: %v", err)
		}
	}
	var m *graph.Model
	n := allocated(func() { m, err = onnx.Load(path) })
	if err != nil {
		t.Fatal(err)
	}
	w := m.Graph.Tensors["big"]
	if w == nil || w.Data.Length != payload || w.Floats != nil {
		t.Fatalf("big tensor %+v", w)
	}
	if n > 1<<20 {
		t.Fatalf("loading a 1 GiB file allocated %d bytes", n)
	}
}

// A file that shrinks while mapped raises SIGBUS on access to the lost
// pages: the reader turns that into an error.
func TestFileShrinksWhileMapped(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mmap")
	}
	data, err := os.ReadFile(resnet18)
	if err != nil {
		t.Fatal(err)
	}
	path := write(t, t.TempDir(), "model.onnx", data)
	err = onnx.DecodeMappedForTest(path, func() {
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
	})
	if err == nil {
		t.Skip("the mapping kept its pages (no mmap here?)")
	}
	checkMsg(t, err.Error(), path, "changed while being read")
}
