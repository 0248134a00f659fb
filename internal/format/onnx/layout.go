package onnx

import "github.com/netscore/netscore/internal/graph"

// layoutOf is the data and weight layout ONNX defines for the ops whose
// rules read one: channels first and OIHW weights, except ConvTranspose
// (IOHW) and the channels-last com.microsoft ops.
func layoutOf(n *graph.Node) graph.Layout {
	switch n.Domain {
	case "":
		switch n.Op {
		case "Conv", "ConvInteger", "QLinearConv":
			return graph.Layout{Data: graph.NCHW, Weight: graph.OIHW}
		case "ConvTranspose":
			return graph.Layout{Data: graph.NCHW, Weight: graph.IOHW}
		case "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool":
			return graph.Layout{Data: graph.NCHW}
		}
	case "com.microsoft":
		switch n.Op {
		case "FusedConv":
			return graph.Layout{Data: graph.NCHW, Weight: graph.OIHW}
		case "NhwcConv": // channels-last data, ONNX weights
			return graph.Layout{Data: graph.NHWC, Weight: graph.OIHW}
		case "NhwcMaxPool":
			return graph.Layout{Data: graph.NHWC}
		case "QLinearAveragePool", "QLinearGlobalAveragePool":
			if a := n.Attrs["channels_last"]; a != nil && a.I != 0 {
				return graph.Layout{Data: graph.NHWC}
			}
			return graph.Layout{Data: graph.NCHW}
		}
	}
	return graph.Layout{}
}
