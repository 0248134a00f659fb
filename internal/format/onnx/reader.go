// Package onnx reads ONNX ModelProto files into the format-neutral graph.
//
// It decodes the protobuf wire format directly over a memory-mapped file
// and never reads tensor payloads beyond the few small integer and float
// tensors that shape computations need: counting needs shapes only. Every
// length, offset and count is checked against the file before use.
package onnx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/netscore/netscore/internal/format/mmap"
	"github.com/netscore/netscore/internal/graph"
)

// The default-domain opsets the operator rules follow.
const minOpset, maxOpset = 1, 21

// Limits that keep hostile files from costing unbounded memory or time.
const (
	maxDepth      = 16       // nested graphs (If/Loop/Scan bodies)
	maxRank       = 64       // dims of one tensor
	maxAttrValues = 1 << 20  // values of one repeated attribute
	maxValueInts  = 4096     // integer tensors up to this size keep their values
	maxValueFloat = 64       // float tensors up to this size keep their values
	maxTensorSize = 1 << 36  // bytes a tensor may claim without data to back it (64 GiB)
	maxExtRead    = 64 << 10 // bytes read from an external file for small values
)

// Load reads an ONNX model file. Only regular files are read: a pipe or a
// device (/dev/zero) could block or never end.
func Load(path string) (*graph.Model, error) {
	return mmap.Load(path, func(data []byte, release func(off, n int64)) (*graph.Model, error) {
		return decode(path, data, release)
	})
}

// decodeMapped is Decode over mapped memory (mmap.Guarded): a file that
// shrinks while mapped is an error, not a crash.
func decodeMapped(path string, data []byte, release func(off, n int64)) (*graph.Model, error) {
	return mmap.Guarded(func() (*graph.Model, error) { return decode(path, data, release) })
}

// Decode parses model bytes; path names the file in messages and anchors
// external-data lookups.
func Decode(path string, data []byte) (m *graph.Model, err error) {
	return decode(path, data, nil)
}

// releaseMin is the payload size from which a mapped tensor's pages are
// given back after its header is read.
const releaseMin = 1 << 20

func decode(path string, data []byte, release func(off, n int64)) (m *graph.Model, err error) {
	if len(data) == 0 {
		return nil, errors.New("empty file, not an ONNX model")
	}
	if err := sniff(data); err != nil {
		return nil, err
	}
	r := &reader{path: path, dir: filepath.Dir(path), data: data, release: release, meta: &Meta{Opsets: map[string]int64{}}, extFiles: map[string]int64{}}
	r.model = &graph.Model{Path: path, Format: "onnx", Meta: r.meta}
	var graphField *field
	var functionFields []*field
	err = walk(data, 0, "ModelProto", func(f *field) error {
		switch f.Num {
		case 1:
			r.meta.IRVersion = int64(f.Varint)
		case 2:
			r.meta.ProducerName = string(f.Bytes)
		case 3:
			if r.meta.ProducerName != "" {
				r.meta.ProducerName += " " + string(f.Bytes)
			}
		case 7:
			if f.Type != 2 {
				return errors.New("ModelProto.graph has the wrong wire type")
			}
			g := *f
			graphField = &g
		case 25:
			c := *f
			functionFields = append(functionFields, &c)
		case 8:
			var domain string
			var version int64
			if err := walk(f.Bytes, f.Offset, "OperatorSetIdProto", func(o *field) error {
				switch o.Num {
				case 1:
					domain = string(o.Bytes)
				case 2:
					version = int64(o.Varint)
				}
				return nil
			}); err != nil {
				return err
			}
			if domain == "ai.onnx" {
				domain = ""
			}
			r.meta.Opsets[domain] = version
		}
		return nil
	})
	if err != nil {
		if looksText(data) {
			return nil, errors.New("a text file, not an ONNX model (binary protobuf expected)")
		}
		return nil, fmt.Errorf("not a valid ONNX model: %v", err)
	}
	if graphField == nil {
		if looksText(data) {
			return nil, errors.New("a text file, not an ONNX model (binary protobuf expected)")
		}
		return nil, errors.New("not an ONNX model: no graph in the file")
	}
	if _, ok := r.meta.Opsets[""]; !ok {
		if len(r.meta.Opsets) == 0 && r.meta.IRVersion == 0 {
			return nil, errors.New("not an ONNX model: no ir_version and no opset_import")
		}
		r.meta.Opsets[""] = 1
		r.model.Warnf("no ai.onnx opset_import; assuming opset 1")
	}
	if v := r.meta.Opsets[""]; v < minOpset || v > maxOpset {
		r.model.Warnf("ai.onnx opset %d is outside the opsets netscore's rules follow (%d-%d); operators that changed since may be miscounted", v, minOpset, maxOpset)
	}
	for _, ff := range functionFields {
		fn, err := r.function(ff)
		if err != nil {
			return nil, err
		}
		if r.model.Functions == nil {
			r.model.Functions = map[string]*graph.Function{}
		}
		r.model.Functions[fn.Domain+"::"+fn.Name] = fn
	}
	g, err := r.graph(graphField, nil, 0)
	if err != nil {
		return nil, err
	}
	r.model.Graph = g
	if r.missingExt > 0 {
		names := r.missingNames
		if len(names) > 3 {
			names = append(names[:3:3], fmt.Sprintf("and %d more", len(r.missingNames)-3))
		}
		r.model.Warnf("%d weight tensors live in external-data files that are absent (%s); analysed from shapes alone", r.missingExt, strings.Join(names, ", "))
	}
	return r.model, nil
}

// sniff recognises files that are often mistaken for ONNX models.
func sniff(data []byte) error {
	switch {
	case len(data) >= 8 && string(data[4:8]) == "TFL3":
		return errors.New("this is a TensorFlow Lite file, not ONNX")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return errors.New("a zip archive (a PyTorch .pt/.pth checkpoint?), not ONNX; export the model with torch.onnx.export")
	case bytes.HasPrefix(data, []byte("\x89HDF\r\n\x1a\n")):
		return errors.New("an HDF5 file (a Keras .h5 model?), not ONNX")
	case bytes.HasPrefix(data, []byte("\x1f\x8b")):
		return errors.New("a gzip-compressed file, not ONNX; decompress it first")
	}
	return nil
}

// looksText reports whether the file starts like text: a binary ONNX
// model starts with a protobuf tag byte, never a printable character
// followed by more printable characters.
func looksText(data []byte) bool {
	head := data[:min(len(data), 512)]
	if !utf8.Valid(head[:max(0, len(head)-3)]) {
		return false
	}
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}

// quote quotes a name for a message, shortening hostile long ones so an
// error stays one readable line.
func quote(s string) string {
	const limit = 200
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return strconv.Quote(s)
}

type reader struct {
	release      func(off, n int64) // nil unless data is a file mapping
	path         string
	dir          string
	data         []byte
	model        *graph.Model
	meta         *Meta            // the model's Meta, filled as the header is read
	extFiles     map[string]int64 // external file -> size (-1 when missing)
	missingExt   int
	missingNames []string
	anon         int
}

// located marks an error that already names the node it comes from, so
// enclosing nodes (If, Loop, Scan) do not prefix theirs.
type located struct{ error }

func (l located) Unwrap() error { return l.error }

type valueInfo struct {
	name string
	t    graph.Tensor
}

// graph decodes a GraphProto.
func (r *reader) graph(gf *field, parent *graph.Graph, depth int) (*graph.Graph, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("graphs nested deeper than %d levels", maxDepth)
	}
	g := graph.NewGraph("", parent)
	var inputs, outputs, infos []valueInfo
	var inits []*graph.Tensor
	var nodes []*graph.Node
	err := walk(gf.Bytes, gf.Offset, "GraphProto", func(f *field) error {
		switch f.Num {
		case 1:
			n, err := r.node(f, g, depth)
			if err != nil {
				return err
			}
			nodes = append(nodes, n)
		case 2:
			g.Name = string(f.Bytes)
		case 5:
			t, err := r.tensor(f)
			if err != nil {
				return err
			}
			inits = append(inits, t)
		case 15:
			t, err := r.sparseTensor(f)
			if err != nil {
				return err
			}
			inits = append(inits, t)
		case 11, 12, 13:
			vi, err := r.valueInfo(f)
			if err != nil {
				return err
			}
			switch f.Num {
			case 11:
				inputs = append(inputs, vi)
			case 12:
				outputs = append(outputs, vi)
			default:
				infos = append(infos, vi)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	isInit := map[string]bool{}
	for _, t := range inits {
		if t.Name == "" {
			return nil, errors.New("an initializer has no name")
		}
		if isInit[t.Name] {
			return nil, fmt.Errorf("initializer %s is defined twice", quote(t.Name))
		}
		isInit[t.Name] = true
		g.Tensors[t.Name] = t
	}
	for _, vi := range inputs {
		if isInit[vi.name] {
			continue // old exporters list initializers as inputs too
		}
		if _, dup := g.Tensors[vi.name]; dup {
			return nil, fmt.Errorf("graph input %s is declared twice", quote(vi.name))
		}
		t := vi.t
		t.Role = graph.Input
		g.Tensors[vi.name] = &t
		g.Inputs = append(g.Inputs, vi.name)
	}
	for _, n := range nodes {
		for _, o := range n.Outputs {
			if o == "" {
				continue
			}
			if t, ok := g.Tensors[o]; ok && (t.Role != graph.Intermediate || isInit[o]) {
				return nil, fmt.Errorf("node %s (%s) writes %s, which is already a graph input or initializer", quote(n.Name), quote(n.Op), quote(o))
			}
			if _, ok := g.Tensors[o]; ok {
				return nil, fmt.Errorf("tensor %s is produced by two nodes (second: %s)", quote(o), quote(n.Name))
			}
			g.Tensors[o] = &graph.Tensor{Name: o}
		}
	}
	for _, vi := range append(infos, outputs...) {
		if t, ok := g.Tensors[vi.name]; ok && t.Role == graph.Intermediate {
			t.DType, t.Declared, t.HasDeclared, t.NotTensor, t.Nesting = vi.t.DType, vi.t.Declared, vi.t.HasDeclared, vi.t.NotTensor, vi.t.Nesting
		}
	}
	for _, vi := range outputs {
		g.Outputs = append(g.Outputs, vi.name)
	}
	g.Nodes = nodes
	return g, nil
}

// function decodes a FunctionProto (a model-local function).
func (r *reader) function(f *field) (*graph.Function, error) {
	fn := &graph.Function{Defaults: map[string]*graph.Attr{}}
	scope := graph.NewGraph("function", nil)
	err := walk(f.Bytes, f.Offset, "FunctionProto", func(v *field) error {
		switch v.Num {
		case 1:
			fn.Name = string(v.Bytes)
		case 10:
			fn.Domain = string(v.Bytes)
		case 4:
			fn.Inputs = append(fn.Inputs, string(v.Bytes))
		case 5:
			fn.Outputs = append(fn.Outputs, string(v.Bytes))
		case 7:
			n, err := r.node(v, scope, 1)
			if err != nil {
				return err
			}
			fn.Nodes = append(fn.Nodes, n)
		case 11:
			name, a, err := r.attribute(v, scope, 1)
			if err != nil {
				return err
			}
			fn.Defaults[name] = a
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if fn.Name == "" {
		return nil, errors.New("a model-local function has no name")
	}
	if fn.Domain == "ai.onnx" {
		fn.Domain = ""
	}
	return fn, nil
}

func (r *reader) valueInfo(f *field) (valueInfo, error) {
	var vi valueInfo
	var neg [][2]int64 // (position, value) of negative dim_values
	err := walk(f.Bytes, f.Offset, "ValueInfoProto", func(v *field) error {
		switch v.Num {
		case 1:
			vi.name = string(v.Bytes)
		case 2:
			return r.typeProto(v, &vi.t, &neg)
		}
		return nil
	})
	vi.t.Name = vi.name
	if err != nil {
		if vi.name != "" {
			err = fmt.Errorf("tensor %s: %v", quote(vi.name), err)
		}
		return vi, err
	}
	if vi.name == "" {
		return vi, errors.New("a graph input or output has no name")
	}
	// Some converters write -1 for a dynamic dim: treat any negative
	// dim_value as unknown, and say so.
	for _, p := range neg {
		r.model.Warnf("tensor %s declares dim %d as %d; treated as unknown", quote(vi.name), p[0], p[1])
	}
	known := make([]int64, 0, len(vi.t.Declared))
	for _, d := range vi.t.Declared {
		if d.Value >= 0 {
			known = append(known, d.Value)
		}
	}
	n, ok := graph.Product(known)
	if !ok || (vi.t.DType.Valid() && vi.t.DType.Bytes(n) < 0) {
		return vi, fmt.Errorf("tensor %s declares dims %v, whose size overflows int64", quote(vi.name), known)
	}
	return vi, nil
}

func (r *reader) typeProto(f *field, t *graph.Tensor, neg *[][2]int64) error {
	return walk(f.Bytes, f.Offset, "TypeProto", func(v *field) error {
		switch v.Num {
		case 1, 8: // tensor_type, sparse_tensor_type
			return walk(v.Bytes, v.Offset, "TypeProto.Tensor", func(tf *field) error {
				switch tf.Num {
				case 1:
					t.DType = graph.DType(tf.Varint)
				case 2:
					t.HasDeclared = true
					return walk(tf.Bytes, tf.Offset, "TensorShapeProto", func(sf *field) error {
						if sf.Num != 1 {
							return nil
						}
						if len(t.Declared) >= maxRank {
							return fmt.Errorf("a declared shape has more than %d dims", maxRank)
						}
						d := graph.Dim{Value: graph.Unknown}
						err := walk(sf.Bytes, sf.Offset, "Dimension", func(df *field) error {
							switch df.Num {
							case 1:
								d.Value = int64(df.Varint)
								if d.Value < 0 {
									*neg = append(*neg, [2]int64{int64(len(t.Declared)), d.Value})
									d.Value = graph.Unknown
								}
							case 2:
								d.Param = string(df.Bytes)
							}
							return nil
						})
						t.Declared = append(t.Declared, d)
						return err
					})
				}
				return nil
			})
		case 4, 9: // sequence_type, optional_type: elem_type = 1
			t.NotTensor = true
			if len(t.Nesting) >= maxRank {
				return fmt.Errorf("types nest deeper than %d", maxRank)
			}
			kind, msg := graph.Sequence, "TypeProto.Sequence"
			if v.Num == 9 {
				kind, msg = graph.Optional, "TypeProto.Optional"
			}
			t.Nesting = append(t.Nesting, kind)
			return walk(v.Bytes, v.Offset, msg, func(ef *field) error {
				if ef.Num != 1 {
					return nil
				}
				return r.typeProto(ef, t, neg)
			})
		case 5:
			t.NotTensor = true
			t.Nesting = append(t.Nesting, graph.Map)
		}
		return nil
	})
}

func (r *reader) node(f *field, g *graph.Graph, depth int) (*graph.Node, error) {
	n := &graph.Node{Attrs: map[string]*graph.Attr{}}
	err := walk(f.Bytes, f.Offset, "NodeProto", func(v *field) error {
		switch v.Num {
		case 1:
			n.Inputs = append(n.Inputs, string(v.Bytes))
		case 2:
			n.Outputs = append(n.Outputs, string(v.Bytes))
		case 3:
			n.Name = string(v.Bytes)
		case 4:
			n.Op = string(v.Bytes)
		case 7:
			n.Domain = string(v.Bytes)
		case 5:
			name, a, err := r.attribute(v, g, depth)
			if err != nil {
				return err
			}
			n.Attrs[name] = a
		}
		return nil
	})
	if err != nil {
		var l located
		if errors.As(err, &l) {
			return nil, err // an inner node already says where
		}
		where := "a node"
		switch {
		case n.Name != "":
			where = "node " + quote(n.Name)
		case n.Op != "":
			where = "a " + quote(n.Op) + " node"
		}
		return nil, located{fmt.Errorf("%s: %w", where, err)}
	}
	if n.Op == "" {
		return nil, fmt.Errorf("node %s has no op_type", quote(n.Name))
	}
	if n.Domain == "ai.onnx" {
		n.Domain = ""
	}
	if n.Name == "" {
		r.anon++
		n.Name = fmt.Sprintf("%s_%d", n.Op, r.anon)
	}
	v, ok := r.meta.Opsets[n.Domain]
	if !ok && n.Domain == "" {
		v = 1
	}
	n.Opset = v
	n.Layout = layoutOf(n)
	for _, a := range n.Attrs {
		if a.T != nil && a.T.Name == "" {
			a.T.Name = n.Name + "/value"
		}
	}
	return n, nil
}

func (r *reader) attribute(f *field, g *graph.Graph, depth int) (string, *graph.Attr, error) {
	var name string
	var kind int64 = -1
	a := &graph.Attr{}
	err := walk(f.Bytes, f.Offset, "AttributeProto", func(v *field) error {
		var err error
		switch v.Num {
		case 1:
			name = string(v.Bytes)
		case 20:
			kind = int64(v.Varint)
		case 21:
			a.Ref = string(v.Bytes)
		case 2:
			a.F, a.Kind = float64(math.Float32frombits(uint32(v.Varint))), graph.AttrFloat
		case 3:
			a.I, a.Kind = int64(v.Varint), graph.AttrInt
		case 4:
			a.S, a.Kind = string(v.Bytes), graph.AttrString
		case 5:
			a.T, err = r.tensor(v)
			a.Kind = graph.AttrTensor
		case 22:
			a.T, err = r.sparseTensor(v)
			a.Kind = graph.AttrTensor
		case 6:
			a.G, err = r.graph(v, g, depth+1)
			a.Kind = graph.AttrGraph
		case 7:
			a.Floats, err = fixeds(v, 4, a.Floats, maxAttrValues)
			a.Kind = graph.AttrFloats
		case 8:
			a.Ints, err = varints(v, a.Ints, maxAttrValues)
			a.Kind = graph.AttrInts
		case 9:
			if len(a.Strings) >= maxAttrValues {
				return fmt.Errorf("more than %d strings", maxAttrValues)
			}
			a.Strings, a.Kind = append(a.Strings, string(v.Bytes)), graph.AttrStrings
		case 10:
			_, err = r.tensor(v) // validated; no rule reads tensor lists
			a.Kind = graph.AttrTensors
		case 11:
			var sg *graph.Graph
			sg, err = r.graph(v, g, depth+1)
			a.Gs, a.Kind = append(a.Gs, sg), graph.AttrGraphs
		case 14: // tp: a TypeProto
			var neg [][2]int64
			a.T, a.Kind = &graph.Tensor{}, graph.AttrType
			err = r.typeProto(v, a.T, &neg)
		}
		return err
	})
	if err != nil {
		var l located
		if !errors.As(err, &l) {
			err = fmt.Errorf("attribute %s: %w", quote(name), err)
		}
		return "", nil, err
	}
	// An explicit type wins: an empty repeated field leaves no bytes behind.
	switch kind {
	case 6:
		a.Kind = graph.AttrFloats
	case 7:
		a.Kind = graph.AttrInts
	case 8:
		a.Kind = graph.AttrStrings
	}
	return name, a, nil
}

func (r *reader) sparseTensor(f *field) (*graph.Tensor, error) {
	var values *graph.Tensor
	var dims []int64
	err := walk(f.Bytes, f.Offset, "SparseTensorProto", func(v *field) error {
		var err error
		switch v.Num {
		case 1:
			values, err = r.tensor(v)
		case 3:
			dims, err = varints(v, dims, maxRank)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if values == nil {
		return nil, errors.New("sparse initializer without values")
	}
	for _, d := range dims {
		if d < 0 {
			return nil, fmt.Errorf("sparse tensor %s has a negative dim in %v", quote(values.Name), dims)
		}
	}
	if _, ok := graph.Product(dims); !ok {
		return nil, fmt.Errorf("sparse tensor %s: dims %v overflow int64", quote(values.Name), dims)
	}
	t := &graph.Tensor{Name: values.Name, DType: values.DType, Shape: dims, HasShape: true, Role: graph.Weight, Data: values.Data}
	return t, nil
}

// tensor decodes a TensorProto's header: name, dtype, dims and where its
// data lives. Payloads are located, not read, except small ones that
// shape computations use.
func (r *reader) tensor(f *field) (*graph.Tensor, error) {
	t := &graph.Tensor{Role: graph.Weight, HasShape: true, Shape: []int64{}}
	var raw *field
	var typed []*field
	var ext map[string]string
	location := int64(0)
	err := walk(f.Bytes, f.Offset, "TensorProto", func(v *field) error {
		var err error
		switch v.Num {
		case 1:
			t.Shape, err = varints(v, t.Shape, maxRank)
			if err != nil {
				err = fmt.Errorf("tensor dims: %v", err)
			}
		case 2:
			t.DType = graph.DType(v.Varint)
		case 8:
			t.Name = string(v.Bytes)
		case 9:
			c := *v
			raw = &c
		case 4, 5, 6, 7, 10, 11:
			c := *v
			typed = append(typed, &c)
		case 13:
			if ext == nil {
				ext = map[string]string{}
			}
			var k, val string
			err = walk(v.Bytes, v.Offset, "StringStringEntryProto", func(e *field) error {
				if e.Num == 1 {
					k = string(e.Bytes)
				} else if e.Num == 2 {
					val = string(e.Bytes)
				}
				return nil
			})
			ext[k] = val
		case 14:
			location = int64(v.Varint)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	name := t.Name
	if name == "" {
		name = "(unnamed)"
	}
	if !t.DType.Valid() {
		return nil, fmt.Errorf("tensor %s has unknown data type %d", quote(name), t.DType)
	}
	for _, d := range t.Shape {
		if d < 0 {
			return nil, fmt.Errorf("tensor %s has a negative dim in %v", quote(name), t.Shape)
		}
	}
	n, ok := graph.Product(t.Shape)
	if !ok {
		return nil, fmt.Errorf("tensor %s: dims %v overflow int64", quote(name), t.Shape)
	}
	need := t.DType.Bytes(n)
	if need < 0 {
		return nil, fmt.Errorf("tensor %s: dims %v overflow int64 bytes", quote(name), t.Shape)
	}
	switch {
	case location == 1 || ext != nil:
		return t, r.external(t, ext, n, need)
	case raw != nil:
		if t.DType != graph.String && int64(len(raw.Bytes)) != need {
			return nil, fmt.Errorf("tensor %s: raw_data holds %d bytes but dims %v of %s need %d", quote(name), len(raw.Bytes), t.Shape, t.DType, need)
		}
		t.Data = graph.DataRef{Offset: raw.Offset, Length: int64(len(raw.Bytes))}
		decodeRaw(t, raw.Bytes, n)
		if r.release != nil && len(raw.Bytes) >= releaseMin {
			r.release(raw.Offset, int64(len(raw.Bytes)))
		}
	case len(typed) > 0:
		if err := decodeTyped(t, typed, n); err != nil {
			return nil, fmt.Errorf("tensor %s: %v", quote(name), err)
		}
	default:
		if n > 0 {
			if need > maxTensorSize {
				return nil, fmt.Errorf("tensor %s claims %d elements (%d bytes) with no data", quote(name), n, need)
			}
			r.model.Warnf("tensor %s has dims %v but no data", quote(name), t.Shape)
		}
	}
	return t, nil
}

func (r *reader) external(t *graph.Tensor, ext map[string]string, n, need int64) error {
	loc := ext["location"]
	if loc == "" {
		return fmt.Errorf("tensor %s: external data without a location", quote(t.Name))
	}
	clean := filepath.FromSlash(loc)
	if !filepath.IsLocal(clean) {
		return fmt.Errorf("tensor %s: external-data location %s escapes the model's folder", quote(t.Name), quote(loc))
	}
	off, length := int64(0), need
	var err error
	if s, ok := ext["offset"]; ok {
		if off, err = strconv.ParseInt(s, 10, 64); err != nil || off < 0 {
			return fmt.Errorf("tensor %s: bad external-data offset %s", quote(t.Name), quote(s))
		}
	}
	if s, ok := ext["length"]; ok {
		if length, err = strconv.ParseInt(s, 10, 64); err != nil || length < 0 {
			return fmt.Errorf("tensor %s: bad external-data length %s", quote(t.Name), quote(s))
		}
		if t.DType != graph.String && length != need {
			return fmt.Errorf("tensor %s: external-data length %d but dims %v of %s need %d bytes", quote(t.Name), length, t.Shape, t.DType, need)
		}
	}
	full := filepath.Join(r.dir, clean)
	size, seen := r.extFiles[full]
	if !seen {
		size = -1
		if real, err := filepath.EvalSymlinks(full); err == nil {
			base, _ := filepath.EvalSymlinks(r.dir)
			if rel, err := filepath.Rel(base, real); err != nil || !filepath.IsLocal(rel) {
				return fmt.Errorf("tensor %s: external-data file %s links outside the model's folder", quote(t.Name), quote(loc))
			}
			if st, err := os.Stat(real); err == nil {
				if err := mmap.Regular(st); err != nil {
					return fmt.Errorf("tensor %s: external-data file %s %v", quote(t.Name), quote(loc), err)
				}
				size = st.Size()
			}
		}
		r.extFiles[full] = size
	}
	t.Data = graph.DataRef{File: loc, Offset: off, Length: length, External: true, Missing: size < 0}
	if size < 0 {
		if need > maxTensorSize {
			return fmt.Errorf("tensor %s claims %d elements (%d bytes) in missing file %s", quote(t.Name), n, need, quote(loc))
		}
		r.missingExt++
		if !seen { // each absent file named once (a set, not a search: files can be many)
			r.missingNames = append(r.missingNames, quote(loc))
		}
		return nil
	}
	if off > size || length > size-off {
		return fmt.Errorf("tensor %s: external data [%d, +%d) lies beyond the end of %s (%d bytes)", quote(t.Name), off, length, quote(loc), size)
	}
	if wantValues(t, n) && length <= maxExtRead {
		fh, err := os.Open(full)
		if err != nil {
			return fmt.Errorf("tensor %s: %v", quote(t.Name), err)
		}
		defer fh.Close()
		buf := make([]byte, length)
		if _, err := fh.ReadAt(buf, off); err != nil {
			return fmt.Errorf("tensor %s: reading external data: %v", quote(t.Name), err)
		}
		decodeRaw(t, buf, n)
	}
	return nil
}

func wantValues(t *graph.Tensor, n int64) bool {
	if t.DType.IsInteger() {
		return n <= maxValueInts
	}
	return t.DType.IsFloat() && n <= maxValueFloat
}

// decodeRaw keeps the values of small tensors stored as raw little-endian bytes.
func decodeRaw(t *graph.Tensor, b []byte, n int64) {
	if !wantValues(t, n) || t.DType.Bytes(n) != int64(len(b)) {
		return
	}
	k := int(n)
	switch t.DType {
	case graph.Int64, graph.Uint64:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(binary.LittleEndian.Uint64(b[i*8:]))
		}
	case graph.Int32:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(int32(binary.LittleEndian.Uint32(b[i*4:])))
		}
	case graph.Uint32:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(binary.LittleEndian.Uint32(b[i*4:]))
		}
	case graph.Int16:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(int16(binary.LittleEndian.Uint16(b[i*2:])))
		}
	case graph.Uint16:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(binary.LittleEndian.Uint16(b[i*2:]))
		}
	case graph.Int8:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(int8(b[i]))
		}
	case graph.Uint8, graph.Bool:
		t.Ints = make([]int64, k)
		for i := range t.Ints {
			t.Ints[i] = int64(b[i])
		}
	case graph.Float32:
		t.Floats = make([]float64, k)
		for i := range t.Floats {
			t.Floats[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[i*4:])))
		}
	case graph.Float64:
		t.Floats = make([]float64, k)
		for i := range t.Floats {
			t.Floats[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[i*8:]))
		}
	case graph.Float16:
		t.Floats = make([]float64, k)
		for i := range t.Floats {
			t.Floats[i] = float16(binary.LittleEndian.Uint16(b[i*2:]))
		}
	case graph.BFloat16:
		t.Floats = make([]float64, k)
		for i := range t.Floats {
			t.Floats[i] = bfloat16(binary.LittleEndian.Uint16(b[i*2:]))
		}
	}
}

// decodeTyped checks the element count of the typed data fields and keeps
// the values of small tensors.
func decodeTyped(t *graph.Tensor, fs []*field, n int64) error {
	var count int64
	keep := wantValues(t, n)
	var ints []int64
	var floats []float64
	for _, f := range fs {
		var err error
		switch f.Num {
		case 4: // float_data
			count += countFixed(f, 4)
			if keep && count <= n {
				floats, err = fixeds(f, 4, floats, int(n))
			}
		case 10: // double_data
			count += countFixed(f, 8)
			if keep && count <= n {
				floats, err = fixeds(f, 8, floats, int(n))
			}
		case 5, 7, 11: // int32_data, int64_data, uint64_data
			c, err2 := countVarints(f)
			if err2 != nil {
				return err2
			}
			count += c
			if keep && count <= n {
				ints, err = varints(f, ints, int(n))
			}
		case 6: // string_data
			count++
		}
		if err != nil {
			return err
		}
	}
	want := n
	switch {
	case t.DType == graph.Complex64 || t.DType == graph.Complex128:
		want = 2 * n // real and imaginary parts; n*2 cannot overflow: Bytes(n) did not
	case t.DType.Bits() == 4:
		want = (n + 1) / 2 // two 4-bit values packed per int32_data entry
		keep = false
	}
	if count != want {
		return fmt.Errorf("holds %d values but dims %v need %d", count, t.Shape, want)
	}
	// Values kept only when they match the dims one for one: rules index
	// them by shape. Data in a field of another type (int64_data for a
	// float tensor) is counted, not kept.
	half := t.DType == graph.Float16 || t.DType == graph.BFloat16
	switch {
	case !keep:
		return nil
	case half && (int64(len(ints)) != n || len(floats) > 0),
		t.DType.IsFloat() && !half && (int64(len(floats)) != n || len(ints) > 0),
		t.DType.IsInteger() && (int64(len(ints)) != n || len(floats) > 0):
		return nil
	}
	switch {
	case half:
		floats = make([]float64, len(ints))
		for i, v := range ints {
			if t.DType == graph.Float16 {
				floats[i] = float16(uint16(v))
			} else {
				floats[i] = bfloat16(uint16(v))
			}
		}
		t.Floats = floats
	case t.DType.IsFloat():
		t.Floats = floats
	case t.DType == graph.Int32 || t.DType == graph.Int16 || t.DType == graph.Int8:
		for i, v := range ints {
			ints[i] = int64(int32(v)) // int32_data holds sign-extended varints
		}
		t.Ints = ints
	default:
		t.Ints = ints
	}
	if t.DType.IsFloat() && t.Floats == nil {
		t.Floats = []float64{}
	}
	if t.DType.IsInteger() && t.Ints == nil {
		t.Ints = []int64{}
	}
	return nil
}

// DecodeTensor parses a serialized TensorProto (as in the ONNX test data's
// input_N.pb and output_N.pb files): dims and dtype, with values only
// for small tensors.
func DecodeTensor(data []byte) (*graph.Tensor, error) {
	r := &reader{path: "tensor", model: &graph.Model{}, meta: &Meta{}, extFiles: map[string]int64{}}
	return r.tensor(&field{Bytes: data})
}
