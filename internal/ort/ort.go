// Package ort runs ONNX models through ONNX Runtime (ORT), for the commands
// that execute a model rather than count it (bench, eval).
//
// ORT is a C library loaded at run time (dlopen) through
// github.com/yalue/onnxruntime_go, which needs cgo. To keep the analysis
// binary buildable with CGO_ENABLED=0, the code that touches ORT is behind
// the build tag "ort":
//
//	go build -tags ort ./cmd/netscore   # a netscore with bench/eval
//	netscore ort install                # libonnxruntime into the user cache dir
//
// Without the tag, Open returns ErrNotBuilt, whose message says how to
// rebuild. The types, the library lookup (lookup.go), its installer
// (install.go) and the input generator here build in both configurations.
package ort

import (
	"errors"
	"fmt"

	"github.com/netscore/netscore/internal/format/onnx"
	"github.com/netscore/netscore/internal/graph"
)

// EnvLibrary names the environment variable that points at another ORT
// shared library (a GPU build, another OS): NETSCORE_ORT_LIB=/path/to/libonnxruntime.so.
const EnvLibrary = "NETSCORE_ORT_LIB"

// MinVersion is the oldest ORT release onnxruntime_go v1.27 can drive
// (C API version 24).
const MinVersion = "1.24"

// ErrNotBuilt is returned by Open in a netscore built without the "ort" tag.
var ErrNotBuilt = errors.New("this netscore was built without ONNX Runtime support: build with 'go build -tags ort ./cmd/netscore' and run 'netscore ort install'")

// Options configure a session.
type Options struct {
	// Threads is ORT's intra-op thread count; 0 leaves ORT's default (one
	// per physical core).
	Threads int
}

// TensorInfo describes a model input or output as the file declares it.
type TensorInfo struct {
	Name  string
	DType graph.DType
	// Shape has -1 for a dynamic dim (symbolic or unset); nil when even the
	// rank is not declared.
	Shape []int64
	// DimParams holds the symbolic name of each dim ("" for none), the
	// names `--dim NAME=N` binds. Same length as Shape.
	DimParams []string
	// NotTensor marks sequence, map and optional values.
	NotTensor bool
}

// Tensor is a dense tensor in host memory. Exactly one data slice, the one
// matching DType, is set; its length is the product of Shape (1 for a
// scalar, Shape = []).
type Tensor struct {
	DType graph.DType
	Shape []int64

	F32  []float32
	F64  []float64
	I64  []int64
	I32  []int32
	I16  []int16
	I8   []int8
	U8   []uint8
	U16  []uint16
	U32  []uint32
	U64  []uint64
	Bool []bool
	// Raw holds little-endian element bytes for the types Go has no slice
	// type for: float16, bfloat16 and the float8 types.
	Raw []byte
}

// NewTensor allocates a zeroed tensor of a dtype and shape.
func NewTensor(dt graph.DType, shape []int64) (*Tensor, error) {
	n, ok := graph.Product(shape)
	if !ok {
		return nil, fmt.Errorf("bad shape %v", shape)
	}
	if b := dt.Bytes(n); b < 0 || b > 1<<40 {
		return nil, fmt.Errorf("tensor of %v %v is too large", shape, dt)
	}
	t := &Tensor{DType: dt, Shape: append([]int64{}, shape...)}
	switch dt {
	case graph.Float32:
		t.F32 = make([]float32, n)
	case graph.Float64:
		t.F64 = make([]float64, n)
	case graph.Int64:
		t.I64 = make([]int64, n)
	case graph.Int32:
		t.I32 = make([]int32, n)
	case graph.Int16:
		t.I16 = make([]int16, n)
	case graph.Int8:
		t.I8 = make([]int8, n)
	case graph.Uint8:
		t.U8 = make([]uint8, n)
	case graph.Uint16:
		t.U16 = make([]uint16, n)
	case graph.Uint32:
		t.U32 = make([]uint32, n)
	case graph.Uint64:
		t.U64 = make([]uint64, n)
	case graph.Bool:
		t.Bool = make([]bool, n)
	case graph.Float16, graph.BFloat16, graph.Float8E4M3FN, graph.Float8E4M3FNUZ, graph.Float8E5M2, graph.Float8E5M2FNUZ:
		t.Raw = make([]byte, dt.Bytes(n))
	default:
		return nil, fmt.Errorf("tensors of %v are not supported", dt)
	}
	return t, nil
}

// Len is the tensor's element count according to its data slice.
func (t *Tensor) Len() int {
	switch {
	case t.F32 != nil:
		return len(t.F32)
	case t.F64 != nil:
		return len(t.F64)
	case t.I64 != nil:
		return len(t.I64)
	case t.I32 != nil:
		return len(t.I32)
	case t.I16 != nil:
		return len(t.I16)
	case t.I8 != nil:
		return len(t.I8)
	case t.U8 != nil:
		return len(t.U8)
	case t.U16 != nil:
		return len(t.U16)
	case t.U32 != nil:
		return len(t.U32)
	case t.U64 != nil:
		return len(t.U64)
	case t.Bool != nil:
		return len(t.Bool)
	case t.Raw != nil:
		if b := t.DType.Bits(); b > 0 {
			return int(int64(len(t.Raw)) * 8 / b)
		}
	}
	return 0
}

// check verifies that the tensor's data matches its dtype and shape.
func (t *Tensor) check(name string) error {
	if t == nil {
		return fmt.Errorf("input %s: nil tensor", name)
	}
	n, ok := graph.Product(t.Shape)
	if !ok {
		return fmt.Errorf("input %s: bad shape %v", name, t.Shape)
	}
	want, err := NewTensor(t.DType, nil) // which slice the dtype uses
	if err != nil {
		return fmt.Errorf("input %s: %v", name, err)
	}
	if t.sliceKind() != want.sliceKind() {
		return fmt.Errorf("input %s: dtype %v but its data is in the %s slice", name, t.DType, t.sliceKind())
	}
	if int64(t.Len()) != n {
		return fmt.Errorf("input %s: shape %v needs %d elements, data has %d", name, t.Shape, n, t.Len())
	}
	return nil
}

func (t *Tensor) sliceKind() string {
	switch {
	case t.F32 != nil:
		return "F32"
	case t.F64 != nil:
		return "F64"
	case t.I64 != nil:
		return "I64"
	case t.I32 != nil:
		return "I32"
	case t.I16 != nil:
		return "I16"
	case t.I8 != nil:
		return "I8"
	case t.U8 != nil:
		return "U8"
	case t.U16 != nil:
		return "U16"
	case t.U32 != nil:
		return "U32"
	case t.U64 != nil:
		return "U64"
	case t.Bool != nil:
		return "Bool"
	case t.Raw != nil:
		return "Raw"
	}
	return "no"
}

// ModelIO reads a model's declared inputs (initializers excluded, as ORT
// counts them) and outputs with netscore's own ONNX reader: cheap (headers
// only), and no ORT session is needed.
func ModelIO(path string) (inputs, outputs []TensorInfo, err error) {
	m, err := onnx.Load(path)
	if err != nil {
		return nil, nil, err
	}
	info := func(name string) TensorInfo {
		t := m.Graph.Tensors[name]
		ti := TensorInfo{Name: name}
		if t == nil {
			return ti
		}
		ti.DType, ti.NotTensor = t.DType, t.NotTensor
		if t.HasDeclared {
			ti.Shape = make([]int64, len(t.Declared))
			ti.DimParams = make([]string, len(t.Declared))
			for i, d := range t.Declared {
				ti.Shape[i] = d.Value
				if d.Param != "" || d.Value < 0 {
					ti.Shape[i] = -1
				}
				ti.DimParams[i] = d.Param
			}
		}
		return ti
	}
	for _, n := range m.Graph.Inputs {
		inputs = append(inputs, info(n))
	}
	for _, n := range m.Graph.Outputs {
		outputs = append(outputs, info(n))
	}
	return inputs, outputs, nil
}
