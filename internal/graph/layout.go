package graph

import "fmt"

// Layout is how an op's activations and weights are laid out in memory.
// Readers set it on the nodes whose rules read it (convolutions and
// pooling); the zero value means ONNX's layouts, so graphs built without
// it count as they always did.
type Layout struct {
	Data   DataLayout
	Weight WeightLayout
}

// DataLayout orders an activation's axes. The names are the 2-D ones; the
// same order holds for 1-D (NCW, NWC) and 3-D (NCDHW, NDHWC) data.
type DataLayout uint8

const (
	DataDefault DataLayout = iota // unset: NCHW, as ONNX
	NCHW                          // batch, channels, spatial...
	NHWC                          // batch, spatial..., channels (TFLite, com.microsoft Nhwc*)
)

// ChannelsLast reports whether channels come after the spatial axes.
func (l DataLayout) ChannelsLast() bool { return l == NHWC }

// Split returns the channel count and the spatial dims of an activation
// shape (batch first, rank >= 2).
func (l DataLayout) Split(shape []int64) (channels int64, spatial []int64) {
	if l.ChannelsLast() {
		return shape[len(shape)-1], shape[1 : len(shape)-1]
	}
	return shape[1], shape[2:]
}

// Join builds an activation shape from batch, channels and spatial dims.
func (l DataLayout) Join(batch, channels int64, spatial []int64) []int64 {
	out := make([]int64, 0, len(spatial)+2)
	out = append(out, batch)
	if !l.ChannelsLast() {
		out = append(out, channels)
	}
	out = append(out, spatial...)
	if l.ChannelsLast() {
		out = append(out, channels)
	}
	return out
}

func (l DataLayout) String() string { return layoutName(dataLayoutNames[:], l) }

var dataLayoutNames = [...]string{DataDefault: "default", NCHW: "NCHW", NHWC: "NHWC"}

// layoutName names a layout from its table, or by number when unknown.
func layoutName[L ~uint8](names []string, l L) string {
	if int(l) < len(names) {
		return names[l]
	}
	return fmt.Sprintf("layout(%d)", uint8(l))
}

// WeightLayout orders a convolution weight's axes: O is the output-channel
// axis, I the input-channel axis, HW the kernel's spatial axes (one or
// three of them for 1-D and 3-D convolutions).
type WeightLayout uint8

const (
	WeightDefault WeightLayout = iota // unset: the op's ONNX layout (OIHW; IOHW for ConvTranspose)
	OIHW                              // ONNX Conv: O, I/group, kernel...
	OHWI                              // TFLite CONV_2D and TRANSPOSE_CONV: O, kernel..., I
	IHWO                              // TFLite DEPTHWISE_CONV_2D ("1HWO"): I = 1, kernel..., O = C_in x multiplier
	IOHW                              // ONNX ConvTranspose: I, O/group, kernel...
)

// Split returns the sizes at a weight's O and I axes and its kernel dims
// (rank >= 3).
func (l WeightLayout) Split(shape []int64) (o, i int64, kernel []int64) {
	last := len(shape) - 1
	switch l {
	case OHWI:
		return shape[0], shape[last], shape[1:last]
	case IHWO:
		return shape[last], shape[0], shape[1:last]
	case IOHW:
		return shape[1], shape[0], shape[2:]
	}
	return shape[0], shape[1], shape[2:]
}

func (l WeightLayout) String() string { return layoutName(weightLayoutNames[:], l) }

var weightLayoutNames = [...]string{WeightDefault: "default", OIHW: "OIHW", OHWI: "OHWI", IHWO: "1HWO", IOHW: "IOHW"}
