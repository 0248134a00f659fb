package conformance

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/netscore/netscore/internal/format/onnx"
	"github.com/netscore/netscore/internal/graph"
)

// erase forgets what the file declares about the values nodes produce
// (value_info and the graph outputs' shapes, in subgraphs too), as a
// user's model without them would be: inference must find every shape
// itself. A graph output keeps its element type and kind (ONNX requires
// them); an annotated intermediate loses both.
func erase(g *graph.Graph) {
	outputs := map[string]bool{}
	for _, o := range g.Outputs {
		outputs[o] = true
	}
	for name, t := range g.Tensors {
		if t.Role != graph.Intermediate {
			continue
		}
		t.Declared, t.HasDeclared = nil, false
		if !outputs[name] {
			t.DType, t.NotTensor, t.Nesting = graph.Undefined, false, nil
		}
	}
	for _, n := range g.Nodes {
		for _, sg := range n.Subgraphs() {
			erase(sg.Graph)
		}
	}
}

// expectedShape reads an expected output file: a TensorProto (kind "t"),
// a SequenceProto ("s": the shape every element has) or an OptionalProto
// ("o(...)": its content's). why says when there is no shape to compare
// (an empty sequence or optional, elements of different shapes).
func expectedShape(path, kind string) (shape []int64, why string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	return expectedValue(data, kind)
}

func expectedValue(data []byte, kind string) ([]int64, string, error) {
	switch {
	case kind == "t":
		t, err := onnx.DecodeTensor(data)
		if err != nil {
			return nil, "", err
		}
		return t.Shape, "", nil
	case kind == "s":
		// SequenceProto: tensor_values = 3.
		elems, err := fields(data, 3)
		if err != nil {
			return nil, "", err
		}
		if len(elems) == 0 {
			return nil, "empty sequence", nil
		}
		var first []int64
		for i, e := range elems {
			t, err := onnx.DecodeTensor(e)
			if err != nil {
				return nil, "", err
			}
			if i == 0 {
				first = t.Shape
			} else if fmt.Sprint(t.Shape) != fmt.Sprint(first) {
				return nil, "sequence elements differ in shape", nil
			}
		}
		return first, "", nil
	case strings.HasPrefix(kind, "o(") && strings.HasSuffix(kind, ")"):
		// OptionalProto: tensor_value = 3, sequence_value = 5,
		// optional_value = 7.
		inner := kind[2 : len(kind)-1]
		num := map[string]protowire.Number{"t": 3, "s": 5}[inner]
		if strings.HasPrefix(inner, "o(") {
			num = 7
		}
		v, err := fields(data, num)
		if err != nil {
			return nil, "", err
		}
		if len(v) == 0 {
			return nil, "empty optional", nil
		}
		return expectedValue(v[0], inner)
	}
	return nil, "output of kind " + kind, nil
}

// fields returns the bytes of every length-delimited field num.
func fields(data []byte, num protowire.Number) ([][]byte, error) {
	var out [][]byte
	for len(data) > 0 {
		n, typ, l := protowire.ConsumeTag(data)
		if l < 0 {
			return nil, protowire.ParseError(l)
		}
		data = data[l:]
		l = protowire.ConsumeFieldValue(n, typ, data)
		if l < 0 {
			return nil, protowire.ParseError(l)
		}
		if n == num && typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(data)
			out = append(out, v)
		}
		data = data[l:]
	}
	return out, nil
}

// onnxRow is one test as ONNX's own shape inference saw it
// (testdata/onnx_infer.csv, made by testdata/gen/onnx_infer_node_tests.py).
type onnxRow struct {
	inferred bool
	kinds    []string // each graph output's kind: t, s, o(...)
	detail   string
}

func readONNXInfer(path string) (map[string]onnxRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "test,onnx,outputs,detail" {
		return nil, errors.New("onnx_infer.csv: unexpected header")
	}
	rows := map[string]onnxRow{}
	for _, r := range recs[1:] {
		rows[r[0]] = onnxRow{inferred: r[1] == "1", kinds: strings.Fields(r[2]), detail: r[3]}
	}
	return rows, nil
}

// kindAt is output i's kind in onnx_infer.csv's notation: t (tensor), s
// (sequence), o(...) (optional of ...), m (map).
func kindAt(kinds []string, i int) string {
	if i < len(kinds) {
		return kinds[i]
	}
	return "t"
}

// kindOf is a value's kind as netscore inferred it, in that notation.
func kindOf(t *graph.Tensor) string {
	switch {
	case !t.NotTensor:
		return "t"
	case len(t.Nesting) == 0:
		return "?"
	}
	return nestingKind(t.Nesting)
}

func nestingKind(n []graph.ValueKind) string {
	if len(n) == 0 {
		return "t"
	}
	switch n[0] {
	case graph.Sequence:
		return "s"
	case graph.Optional:
		return "o(" + nestingKind(n[1:]) + ")"
	case graph.Map:
		return "m"
	}
	return "?"
}
