// Package tflite reads TensorFlow Lite flatbuffers (schema version 3) into
// the format-neutral graph.
//
// It decodes the flatbuffer directly over a memory-mapped file with a
// hand-written reader of the schema subset it needs (flatbuf.go), checking
// every offset, vector and buffer range against the file, and never copies
// weight payloads: only the small integer and float tensors that shape
// operands (RESHAPE's new shape, PAD's paddings, MEAN's axes) need are read.
//
// Subgraph 0 is the main graph; every subgraph is also in Model.Subgraphs
// by its index. Operators become nodes of domain "tflite" named as the
// schema names the builtin (CONV_2D), custom operators nodes of domain
// "tflite.custom" named by their custom code, with their options as
// Node.Opaque. Builtin options become attributes (options.go).
package tflite

//go:generate sh -c "cd schema && python3 gennames.py && gofmt -w ../names.go"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/netscore/netscore/internal/format/mmap"
	"github.com/netscore/netscore/internal/graph"
)

// Domains of the nodes the reader makes.
const (
	Domain       = "tflite"
	CustomDomain = "tflite.custom"
)

// Limits that keep hostile files from costing unbounded memory or time.
const (
	maxRank        = 64   // dims of one tensor
	maxValueInts   = 4096 // integer tensors up to this size keep their values
	maxValueFloat  = 64   // float tensors up to this size keep their values
	maxOpaque      = 1 << 20
	maxTensorBytes = 1 << 40 // a tensor larger than 1 TiB is a corrupt shape
)

// Meta is what a TFLite file records beyond its graphs; it is the model's
// graph.FormatMeta.
type Meta struct {
	Version     uint32 // the schema version (3)
	Description string // the converter's note ("MLIR Converted.")
}

// Producer is the file's description, which names the converter.
func (m *Meta) Producer() string { return m.Description }

// OperatorSets is nil: TFLite versions each operator, not sets of them.
func (m *Meta) OperatorSets() map[string]int64 { return nil }

// Identifier is the file identifier at bytes 4..8 of every TFLite file.
const Identifier = "TFL3"

// Claims reports whether a file starting with head is a TFLite flatbuffer.
func Claims(head []byte) bool { return len(head) >= 8 && string(head[4:8]) == Identifier }

// Load reads a TFLite model file.
func Load(path string) (*graph.Model, error) {
	return mmap.Load(path, func(data []byte, release func(off, n int64)) (*graph.Model, error) {
		return decode(path, data, release)
	})
}

// releaseMin is the payload size from which a buffer's mapped pages are
// given back once its length is read (the fault may have mapped a large
// folio around it).
const releaseMin = 1 << 20

// Decode parses model bytes; path names the file in the model.
func Decode(path string, data []byte) (m *graph.Model, err error) {
	return decode(path, data, nil)
}

func decode(path string, data []byte, release func(off, n int64)) (m *graph.Model, err error) {
	if len(data) == 0 {
		return nil, errors.New("empty file, not a TensorFlow Lite model")
	}
	if len(data) < 8 || !Claims(data) {
		return nil, errors.New("not a TensorFlow Lite model (no TFL3 identifier at byte 4)")
	}
	defer func() {
		if p := recover(); p != nil {
			e, ok := p.(fbError)
			if !ok {
				panic(p)
			}
			m, err = nil, fmt.Errorf("corrupt TensorFlow Lite file: %s", e.msg)
		}
	}()
	r := &reader{b: newBuf(data), meta: &Meta{}, release: release}
	r.model = &graph.Model{Path: path, Format: "tflite", Meta: r.meta}
	if err := r.decode(); err != nil {
		return nil, err
	}
	return r.model, nil
}

type reader struct {
	b       *buf
	meta    *Meta
	model   *graph.Model
	opcodes []opcode
	buffers []span
	release func(off, n int64) // nil when the data is not mapped
}

type opcode struct {
	op, domain string
	version    int64
}

// span is where a buffer's bytes lie in the file.
type span struct{ off, n int64 }

func (r *reader) decode() error {
	root := r.b.table(r.b.deref(0, "root offset"), "Model")
	r.meta.Version = root.u32(0, 0)
	if r.meta.Version != 3 {
		return fmt.Errorf("TensorFlow Lite schema version %d; netscore reads version 3", r.meta.Version)
	}
	r.meta.Description = root.str(3, "Model.description")
	for _, t := range root.tables(1, "OperatorCode") {
		r.opcodes = append(r.opcodes, r.opcode(t))
	}
	for _, t := range root.tables(4, "Buffer") {
		r.buffers = append(r.buffers, r.buffer(t))
	}
	subgraphs := root.tables(2, "SubGraph")
	if len(subgraphs) == 0 {
		return errors.New("the model has no subgraph")
	}
	for i, t := range subgraphs {
		g, err := r.subgraph(i, t)
		if err != nil {
			return fmt.Errorf("subgraph %d: %v", i, err)
		}
		r.model.Subgraphs = append(r.model.Subgraphs, g)
	}
	r.model.Graph = r.model.Subgraphs[0]
	return r.checkCalls()
}

// checkCalls refuses subgraph references out of range and calls that
// loop back (TFLite has no recursion): the main graph would never end.
func (r *reader) checkCalls() error {
	const (
		unseen = iota
		active
		done
	)
	state := make([]uint8, len(r.model.Subgraphs))
	var visit func(i int64) error
	visit = func(i int64) error {
		state[i] = active
		for _, n := range r.model.Subgraphs[i].Nodes {
			for _, ref := range n.SubgraphRefs() {
				j := ref.Index
				if j < 0 || j >= int64(len(state)) {
					return fmt.Errorf("subgraph %d: %s (%s) refers to subgraph %d; the model has %d", i, n.Name, n.Op, j, len(state))
				}
				switch state[j] {
				case active:
					return fmt.Errorf("subgraph %d: %s (%s) calls subgraph %d, which is running it: the calls loop", i, n.Name, n.Op, j)
				case unseen:
					if err := visit(j); err != nil {
						return err
					}
				}
			}
		}
		state[i] = done
		return nil
	}
	for i := range state {
		if state[i] == unseen {
			if err := visit(int64(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// opcode names an OperatorCode: the larger of deprecated_builtin_code and
// builtin_code is the operator (files before 2.4 set only the first,
// codes above 127 only the second).
func (r *reader) opcode(t table) opcode {
	code := max(int32(int8(t.u8(0, 0))), t.i32(3, 0))
	oc := opcode{op: builtinOps[code], domain: Domain, version: int64(t.i32(2, 1))}
	switch {
	case oc.op == "CUSTOM":
		oc.op, oc.domain = t.str(1, "OperatorCode.custom_code"), CustomDomain
		if oc.op == "" {
			oc.op = "CUSTOM"
		}
	case oc.op == "":
		oc.op = fmt.Sprintf("BUILTIN_%d", code)
	}
	return oc
}

// buffer locates a Buffer's bytes: inline data, or (files over 2 GiB) an
// offset and size from the start of the file.
func (r *reader) buffer(t table) span {
	start, n := t.span(0, 1, "Buffer.data")
	if n > 0 {
		if n >= releaseMin && r.release != nil {
			r.release(start-4, n+4)
		}
		return span{start, n}
	}
	off, size := t.u64(1), t.u64(2)
	if off <= 1 { // 0: none; 1: a placeholder the converter writes
		return span{}
	}
	if off > uint64(len(r.b.data)) || size > uint64(len(r.b.data))-off {
		r.b.fail("Buffer at offset %d: data at %d (%d bytes) lies outside the file (%d bytes)", t.pos, off, size, len(r.b.data))
	}
	return span{int64(off), int64(size)}
}

func (r *reader) subgraph(index int, st table) (*graph.Graph, error) {
	name := st.str(4, "SubGraph.name")
	if name == "" {
		name = fmt.Sprintf("subgraph_%d", index)
	}
	g := graph.NewGraph(name, nil)
	tts := st.tables(0, "Tensor")
	tensors := make([]*graph.Tensor, len(tts))
	for i, tt := range tts {
		t, err := r.tensor(i, tt, g)
		if err != nil {
			return nil, fmt.Errorf("tensor %d: %v", i, err)
		}
		tensors[i] = t
	}
	ref := func(i int64, what string, optional bool) (*graph.Tensor, error) {
		if i == -1 && optional {
			return nil, nil
		}
		if i < 0 || i >= int64(len(tensors)) {
			return nil, fmt.Errorf("%s refers to tensor %d; the subgraph has %d", what, i, len(tensors))
		}
		return tensors[i], nil
	}
	produced := make(map[*graph.Tensor]bool)
	for _, i := range st.ints32(1, "SubGraph.inputs") {
		t, err := ref(i, "an input", false)
		if err != nil {
			return nil, err
		}
		if produced[t] {
			return nil, fmt.Errorf("tensor %q is listed twice as an input", t.Name)
		}
		produced[t] = true
		t.Role = graph.Input
		t.Shape, t.HasShape = nil, false
		g.Inputs = append(g.Inputs, t.Name)
	}
	for k, ot := range st.tables(3, "Operator") {
		n, err := r.operator(ot, ref, produced)
		if err != nil {
			return nil, fmt.Errorf("operator %d: %v", k, err)
		}
		g.Nodes = append(g.Nodes, n)
	}
	for _, i := range st.ints32(2, "SubGraph.outputs") {
		t, err := ref(i, "an output", false)
		if err != nil {
			return nil, err
		}
		g.Outputs = append(g.Outputs, t.Name)
	}
	// A tensor that nothing produces and that holds no data (an LSTM's
	// state, a variable) keeps the shape the file gives it.
	for _, t := range tensors {
		if t.Role == graph.Intermediate && !produced[t] && t.HasDeclared {
			t.Shape, t.HasShape = t.DeclaredDims(), true
		}
	}
	return g, nil
}

// tensor reads one Tensor table into g under a unique name.
func (r *reader) tensor(i int, tt table, g *graph.Graph) (*graph.Tensor, error) {
	name := tt.str(3, "Tensor.name")
	if name == "" {
		name = fmt.Sprintf("tensor_%d", i)
	}
	if _, dup := g.Tensors[name]; dup {
		name = fmt.Sprintf("%s#%d", name, i)
	}
	if _, dup := g.Tensors[name]; dup {
		return nil, fmt.Errorf("name %q is taken twice", name)
	}
	t := &graph.Tensor{Name: name}
	g.Tensors[name] = t
	code := tt.u8(1, 0)
	if int(code) >= len(dtypes) {
		return nil, fmt.Errorf("%q: unknown tensor type %d", name, code)
	}
	t.DType = dtypes[code]
	shape := tt.ints32(0, "Tensor.shape")
	sig := tt.ints32(7, "Tensor.shape_signature")
	if len(shape) > maxRank || len(sig) > maxRank {
		return nil, fmt.Errorf("%q has rank %d, more than %d", name, max(len(shape), len(sig)), maxRank)
	}
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("%q has shape %v: a negative dim", name, shape)
		}
	}
	if n, ok := graph.Product(shape); !ok || t.DType.Bytes(n) > maxTensorBytes || t.DType.Bytes(n) < 0 {
		return nil, fmt.Errorf("%q has shape %v: implausible (over %d bytes)", name, shape, int64(maxTensorBytes))
	}
	if sig != nil && len(sig) != len(shape) {
		return nil, fmt.Errorf("%q: shape %v and shape_signature %v differ in rank", name, shape, sig)
	}
	declared := make([]graph.Dim, len(shape))
	for k, d := range shape {
		declared[k] = graph.Dim{Value: d}
		if sig != nil {
			if sig[k] < -1 {
				return nil, fmt.Errorf("%q has shape_signature %v", name, sig)
			}
			if sig[k] == -1 {
				declared[k].Value = -1
			}
		}
	}
	t.Declared, t.HasDeclared = declared, true
	if q, ok := tt.sub(4, "QuantizationParameters"); ok {
		t.Quant = quantization(q)
		// TOCO writes the weight's channel axis (3) on a per-channel bias
		// of rank 1, whose only axis is meant.
		if q := t.Quant; q != nil && q.PerChannel() && len(shape) == 1 && q.Axis != 0 && shape[0] == int64(len(q.Scales)) {
			q.Axis = 0
		}
	}
	bi := int64(tt.u32(2, 0))
	if bi >= int64(len(r.buffers)) {
		if bi == 0 && len(r.buffers) == 0 {
			return t, nil
		}
		return nil, fmt.Errorf("%q refers to buffer %d; the model has %d", name, bi, len(r.buffers))
	}
	if sp := r.buffers[bi]; sp.n > 0 {
		t.Role = graph.Weight
		t.Shape, t.HasShape = shape, true
		t.Data = graph.DataRef{Offset: sp.off, Length: sp.n}
		held, what := t.Elements(), ""
		if s, ok := tt.sub(6, "SparsityParameters"); ok {
			stored, err := storedValues(s, held)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", name, err)
			}
			t.Stored, held, what = stored, stored, fmt.Sprintf(" (%d stored values of a sparse tensor)", stored)
		}
		if want := t.DType.Bytes(held); t.DType.Bits() > 0 && want >= 0 && want != sp.n {
			r.model.Warnf("tensor %q (%s %v) holds %d bytes of data, not %d%s", name, t.DType, shape, sp.n, want, what)
		}
		if t.Stored == 0 {
			r.values(t, sp)
		}
	}
	return t, nil
}

// storedValues reads a sparse tensor's SparsityParameters and returns how
// many values its buffer holds: dim_metadata walks the dims in
// traversal_order (block dims last), a DENSE dim multiplying the count by
// its dense_size, a SPARSE_CSR dim replacing it by its array_indices'
// length (one index per stored entry; array_segments has one more entry
// than the count before it). dense is the tensor's dense element count,
// which the stored values cannot exceed.
func storedValues(s table, dense int64) (int64, error) {
	order := s.ints32(0, "SparsityParameters.traversal_order")
	dims := s.tables(2, "SparsityParameters.dim_metadata")
	if len(dims) == 0 || len(dims) != len(order) {
		return 0, fmt.Errorf("sparsity has %d dim_metadata for a traversal_order of %d dims", len(dims), len(order))
	}
	n := int64(1)
	for k, d := range dims {
		switch format := d.u8(0, 0); format {
		case 0: // DENSE
			size := int64(d.i32(1, 0))
			if size < 0 || size > dense {
				return 0, fmt.Errorf("sparsity dim %d: dense_size %d", k, size)
			}
			n *= size
		case 1: // SPARSE_CSR
			segs := sparseIndexLen(d, 2, 3)
			idx := sparseIndexLen(d, 4, 5)
			if segs != n+1 {
				return 0, fmt.Errorf("sparsity dim %d: %d array_segments for %d entries before it", k, segs, n)
			}
			n = idx
		default:
			return 0, fmt.Errorf("sparsity dim %d: unknown format %d", k, format)
		}
		if n > dense {
			return 0, fmt.Errorf("sparsity stores %d values of a tensor of %d", n, dense)
		}
	}
	return n, nil
}

// sparseIndexLen is the length of the SparseIndexVector union at fields
// typeID (the member: Int32Vector, Uint16Vector, Uint8Vector) and id; -1
// when absent.
func sparseIndexLen(d table, typeID, id int) int64 {
	elem := map[uint8]int64{1: 4, 2: 2, 3: 1}[d.u8(typeID, 0)]
	v, ok := d.sub(id, "SparseIndexVector")
	if elem == 0 || !ok {
		return -1
	}
	_, n := v.span(0, elem, "SparseIndexVector.values")
	return n
}

// quantization reads the scales, zero points and channel axis; nil when
// there is no scale (min/max only, or nothing).
func quantization(q table) *graph.Quantization {
	start, n := q.vector(2, 4, "QuantizationParameters.scale")
	if n == 0 {
		return nil
	}
	out := &graph.Quantization{Scales: make([]float64, n), Axis: int(q.i32(6, 0))}
	for i := range out.Scales {
		out.Scales[i] = float64(math.Float32frombits(q.b.u32(start+4*int64(i), "scale")))
	}
	zs, zn := q.vector(3, 8, "QuantizationParameters.zero_point")
	if zn > 0 {
		out.ZeroPoints = make([]int64, zn)
		for i := range out.ZeroPoints {
			out.ZeroPoints[i] = int64(q.b.u64(zs+8*int64(i), "zero_point"))
		}
	}
	return out
}

// values keeps the values of small integer and float weights, which
// shape operands need.
func (r *reader) values(t *graph.Tensor, sp span) {
	n := t.Elements()
	if n < 0 || t.DType.Bytes(n) != sp.n {
		return
	}
	b := r.b.data[sp.off : sp.off+sp.n]
	switch t.DType {
	case graph.Int32:
		t.Ints = decodeLE(b, n, 4, maxValueInts, func(b []byte) int64 { return int64(int32(binary.LittleEndian.Uint32(b))) })
	case graph.Int64:
		t.Ints = decodeLE(b, n, 8, maxValueInts, func(b []byte) int64 { return int64(binary.LittleEndian.Uint64(b)) })
	case graph.Bool:
		t.Ints = decodeLE(b, n, 1, maxValueInts, func(b []byte) int64 { return int64(min(b[0], 1)) })
	case graph.Float32:
		t.Floats = decodeLE(b, n, 4, maxValueFloat, func(b []byte) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))) })
	}
}

// decodeLE decodes n values of size bytes each from b, or nil when there
// are more than limit.
func decodeLE[T any](b []byte, n, size, limit int64, value func([]byte) T) []T {
	if n > limit {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = value(b[size*int64(i):])
	}
	return out
}

// operator reads one Operator into a node.
func (r *reader) operator(ot table, ref func(int64, string, bool) (*graph.Tensor, error), produced map[*graph.Tensor]bool) (*graph.Node, error) {
	oi := int64(ot.u32(0, 0))
	if oi >= int64(len(r.opcodes)) {
		return nil, fmt.Errorf("opcode index %d; the model has %d operator codes", oi, len(r.opcodes))
	}
	oc := r.opcodes[oi]
	n := &graph.Node{Op: oc.op, Domain: oc.domain, Opset: oc.version, Attrs: map[string]*graph.Attr{}}
	var err error
	if n.Inputs, err = tensorNames(ot, 1, oc.op+" input", ref, nil); err != nil {
		return nil, err
	}
	n.Outputs, err = tensorNames(ot, 2, oc.op+" output", ref, func(t *graph.Tensor) error {
		if produced[t] || t.Role == graph.Weight {
			return fmt.Errorf("%s writes tensor %q, which is an input, a weight or another operator's output", oc.op, t.Name)
		}
		produced[t] = true
		if n.Name == "" {
			n.Name = t.Name
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if oc.domain == CustomDomain {
		if b := ot.bytes(5, "Operator.custom_options"); len(b) > 0 {
			if len(b) > maxOpaque {
				return nil, fmt.Errorf("custom options of %d bytes, more than %d", len(b), maxOpaque)
			}
			n.Opaque = &graph.Opaque{Format: "tflite", Data: append([]byte(nil), b...)}
		}
		return n, nil
	}
	if err := r.options(n, ot); err != nil {
		return nil, fmt.Errorf("%s: %v", oc.op, err)
	}
	if mode, ok := resizeModes[oc.op]; ok { // what ONNX's Resize rule reads
		n.Attrs["mode"] = &graph.Attr{Kind: graph.AttrString, S: mode}
	}
	return n, nil
}

// tensorNames resolves an operator's [int] field of tensor indices (-1: an
// absent optional one, named ""), calling each on every tensor.
func tensorNames(ot table, id int, what string, ref func(int64, string, bool) (*graph.Tensor, error), each func(*graph.Tensor) error) ([]string, error) {
	var names []string
	for _, i := range ot.ints32(id, what) {
		t, err := ref(i, what, true)
		if err != nil {
			return nil, err
		}
		if t == nil {
			names = append(names, "")
			continue
		}
		if each != nil {
			if err := each(t); err != nil {
				return nil, err
			}
		}
		names = append(names, t.Name)
	}
	return names, nil
}

// resizeModes are the interpolation of the resize builtins, as ONNX names it.
var resizeModes = map[string]string{"RESIZE_BILINEAR": "linear", "RESIZE_NEAREST_NEIGHBOR": "nearest"}

// dtypes maps TFLite's TensorType onto the neutral numbering (ONNX's);
// Undefined where the neutral graph has no such type.
var dtypes = [...]graph.DType{
	0: graph.Float32, 1: graph.Float16, 2: graph.Int32, 3: graph.Uint8, 4: graph.Int64,
	5: graph.String, 6: graph.Bool, 7: graph.Int16, 8: graph.Complex64, 9: graph.Int8,
	10: graph.Float64, 11: graph.Complex128, 12: graph.Uint64, 13: graph.Undefined, 14: graph.Undefined,
	15: graph.Uint32, 16: graph.Uint16, 17: graph.Int4, 18: graph.BFloat16, 19: graph.Undefined,
	20: graph.Uint4, 21: graph.Float8E4M3FN, 22: graph.Float8E5M2,
}
