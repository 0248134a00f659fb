package tflite

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Builtin options become attributes under the names the conv and pool
// rules read (strides, dilations, auto_pad, kernel_shape: H before W) and,
// for the rest, the schema's own field names. A fused activation is the
// string attribute "fused_activation_function" (RELU, RELU6, ...), absent
// for NONE.

var paddings = [...]string{"SAME_UPPER", "VALID"} // TF's SAME puts the odd pad at the end

var activations = [...]string{"", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"}

// optionReaders decode one options table, by its union member's name.
var optionReaders = map[string]func(n *graph.Node, t table) error{
	"Conv2DOptions": func(n *graph.Node, t table) error {
		n.Layout = graph.Layout{Data: graph.NHWC, Weight: graph.OHWI}
		return window(n, t, 0, 1, 2, -1, -1, 3, 5, 4)
	},
	"DepthwiseConv2DOptions": func(n *graph.Node, t table) error {
		n.Layout = graph.Layout{Data: graph.NHWC, Weight: graph.IHWO}
		setInt(n, "depth_multiplier", int64(t.i32(3, 0)))
		return window(n, t, 0, 1, 2, -1, -1, 4, 6, 5)
	},
	"Pool2DOptions": func(n *graph.Node, t table) error {
		n.Layout = graph.Layout{Data: graph.NHWC}
		return window(n, t, 0, 1, 2, 3, 4, 5, -1, -1)
	},
	"TransposeConvOptions": func(n *graph.Node, t table) error {
		n.Layout = graph.Layout{Data: graph.NHWC, Weight: graph.OHWI}
		return window(n, t, 0, 1, 2, -1, -1, 3, -1, -1)
	},
	"FullyConnectedOptions": func(n *graph.Node, t table) error {
		setInt(n, "weights_format", int64(t.u8(1, 0)))
		setInt(n, "keep_num_dims", b2i(t.boolean(2)))
		return activation(n, t, 0)
	},
	"AddOptions":    func(n *graph.Node, t table) error { return activation(n, t, 0) },
	"SubOptions":    func(n *graph.Node, t table) error { return activation(n, t, 0) },
	"MulOptions":    func(n *graph.Node, t table) error { return activation(n, t, 0) },
	"DivOptions":    func(n *graph.Node, t table) error { return activation(n, t, 0) },
	"L2NormOptions": func(n *graph.Node, t table) error { return activation(n, t, 0) },
	"SVDFOptions": func(n *graph.Node, t table) error {
		setInt(n, "rank", int64(t.i32(0, 0)))
		return activation(n, t, 1)
	},
	"RNNOptions":         func(n *graph.Node, t table) error { return activation(n, t, 0) },
	"SequenceRNNOptions": func(n *graph.Node, t table) error { return activation(n, t, 1) },
	"ConcatenationOptions": func(n *graph.Node, t table) error {
		setInt(n, "axis", int64(t.i32(0, 0)))
		return activation(n, t, 1)
	},
	"ReshapeOptions": func(n *graph.Node, t table) error {
		if s := t.ints32(0, "ReshapeOptions.new_shape"); s != nil {
			n.Attrs["new_shape"] = &graph.Attr{Kind: graph.AttrInts, Ints: s}
		}
		return nil
	},
	"SqueezeOptions": func(n *graph.Node, t table) error {
		n.Attrs["squeeze_dims"] = &graph.Attr{Kind: graph.AttrInts, Ints: t.ints32(0, "SqueezeOptions.squeeze_dims")}
		return nil
	},
	"SoftmaxOptions": func(n *graph.Node, t table) error {
		n.Attrs["beta"] = &graph.Attr{Kind: graph.AttrFloat, F: float64(t.f32(0))}
		return nil
	},
	"ReducerOptions": func(n *graph.Node, t table) error {
		setInt(n, "keep_dims", b2i(t.boolean(0)))
		return nil
	},
	"StridedSliceOptions": func(n *graph.Node, t table) error {
		for i, k := range []string{"begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"} {
			setInt(n, k, int64(t.i32(i, 0)))
		}
		setInt(n, "offset", b2i(t.boolean(5)))
		return nil
	},
	"UnidirectionalSequenceLSTMOptions": func(n *graph.Node, t table) error {
		setInt(n, "time_major", b2i(t.boolean(3)))
		return activation(n, t, 0)
	},
	"LSTMOptions": func(n *graph.Node, t table) error {
		setInt(n, "kernel_type", int64(t.u8(3, 0)))
		return activation(n, t, 0)
	},
	"BidirectionalSequenceRNNOptions": func(n *graph.Node, t table) error {
		setInt(n, "time_major", b2i(t.boolean(0)))
		setInt(n, "merge_outputs", b2i(t.boolean(2)))
		return activation(n, t, 1)
	},
	"BidirectionalSequenceLSTMOptions": func(n *graph.Node, t table) error {
		setInt(n, "merge_outputs", b2i(t.boolean(3)))
		return activation(n, t, 0)
	},
	"BatchMatMulOptions": func(n *graph.Node, t table) error {
		setInt(n, "adj_x", b2i(t.boolean(0)))
		setInt(n, "adj_y", b2i(t.boolean(1)))
		return nil
	},
	"LocalResponseNormalizationOptions": func(n *graph.Node, t table) error {
		setInt(n, "radius", int64(t.i32(0, 0)))
		return nil
	},
	"GatherOptions": func(n *graph.Node, t table) error {
		setInt(n, "axis", int64(t.i32(0, 0)))
		setInt(n, "batch_dims", int64(t.i32(1, 0)))
		return nil
	},
	"SplitOptions":        func(n *graph.Node, t table) error { setInt(n, "num_splits", int64(t.i32(0, 0))); return nil },
	"SplitVOptions":       func(n *graph.Node, t table) error { setInt(n, "num_splits", int64(t.i32(0, 0))); return nil },
	"SpaceToDepthOptions": func(n *graph.Node, t table) error { setInt(n, "block_size", int64(t.i32(0, 0))); return nil },
	"DepthToSpaceOptions": func(n *graph.Node, t table) error { setInt(n, "block_size", int64(t.i32(0, 0))); return nil },
	"UnpackOptions": func(n *graph.Node, t table) error {
		setInt(n, "num", int64(t.i32(0, 0)))
		setInt(n, "axis", int64(t.i32(1, 0)))
		return nil
	},
	"PackOptions": func(n *graph.Node, t table) error {
		setInt(n, "values_count", int64(t.i32(0, 0)))
		setInt(n, "axis", int64(t.i32(1, 0)))
		return nil
	},
	"IfOptions": func(n *graph.Node, t table) error {
		// ONNX's If takes a branch by index too (graph.md, Subgraphs).
		n.Op, n.Domain = "If", ""
		setSubgraph(n, "then_branch", t.i32(0, 0))
		setSubgraph(n, "else_branch", t.i32(1, 0))
		return nil
	},
	"WhileOptions": func(n *graph.Node, t table) error {
		setSubgraph(n, "cond", t.i32(0, 0))
		setSubgraph(n, "body", t.i32(1, 0))
		return nil
	},
	"CallOnceOptions": func(n *graph.Node, t table) error {
		setSubgraph(n, "init", t.i32(0, 0))
		return nil
	},
}

// options decodes an operator's builtin options into attributes; options
// of a kind netscore does not read are left out.
func (r *reader) options(n *graph.Node, ot table) error {
	kind := int(ot.u8(3, 0))
	if kind == 0 {
		return nil
	}
	if kind >= len(builtinOptions) {
		return fmt.Errorf("unknown builtin options type %d", kind)
	}
	read := optionReaders[builtinOptions[kind]]
	t, ok := ot.sub(4, builtinOptions[kind])
	if read == nil || !ok {
		return nil
	}
	return read(n, t)
}

// window reads a conv or pool window's fields by their ids (-1: the
// options have none): padding, strides, kernel, activation, dilations.
func window(n *graph.Node, t table, pad, sw, sh, fw, fh, act, dw, dh int) error {
	p := t.u8(pad, 0)
	if int(p) >= len(paddings) {
		return fmt.Errorf("unknown padding %d", p)
	}
	n.Attrs["auto_pad"] = &graph.Attr{Kind: graph.AttrString, S: paddings[p]}
	pair := func(name string, h, w int, def int32) {
		n.Attrs[name] = &graph.Attr{Kind: graph.AttrInts, Ints: []int64{int64(t.i32(h, def)), int64(t.i32(w, def))}}
	}
	pair("strides", sh, sw, 0)
	if fw >= 0 {
		pair("kernel_shape", fh, fw, 0)
	}
	if dw >= 0 {
		pair("dilations", dh, dw, 1)
	}
	if act >= 0 {
		return activation(n, t, act)
	}
	return nil
}

// activation reads a fused activation at field id.
func activation(n *graph.Node, t table, id int) error {
	a := t.u8(id, 0)
	if int(a) >= len(activations) {
		return fmt.Errorf("unknown fused activation %d", a)
	}
	if a != 0 {
		n.Attrs["fused_activation_function"] = &graph.Attr{Kind: graph.AttrString, S: activations[a]}
	}
	return nil
}

func setInt(n *graph.Node, name string, v int64) {
	n.Attrs[name] = &graph.Attr{Kind: graph.AttrInt, I: v}
}

func setSubgraph(n *graph.Node, name string, i int32) {
	n.Attrs[name] = &graph.Attr{Kind: graph.AttrSubgraph, I: int64(i)}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
