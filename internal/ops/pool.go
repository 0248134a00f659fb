package ops

import (
	"github.com/netscore/netscore/internal/graph"
)

// Pooling, resize and spatial rearrangement: no core MACs. Pooling reads
// the node's data layout (channels first unless the reader says NHWC).
func init() {
	register("", "pooling", Rule{Infer: poolInfer, Cost: poolCost}, "MaxPool", "AveragePool", "LpPool")
	register("com.microsoft", "pooling", Rule{Infer: poolInfer, Cost: poolCost}, "NhwcMaxPool")
	register("", "pooling", Rule{Infer: globalPoolInfer, Cost: perInputElement(1)}, "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool")
	register("", "pooling", Rule{Infer: maxRoiPoolInfer, Cost: perElement(1), Operands: []int{1}}, "MaxRoiPool")
	register("", "pooling", Rule{Infer: roiAlignInfer, Cost: roiAlignCost, Operands: []int{1, 2}}, "RoiAlign")
	register("", "pooling", Rule{Infer: maxUnpoolInfer, Operands: []int{1, 2}}, "MaxUnpool")
}

func poolInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	if len(x.Shape) < 3 {
		return Invalid("pooling input of rank %d; it needs at least 3 (batch, channels, spatial)", len(x.Shape))
	}
	kernel := c.IntList("kernel_shape")
	if kernel == nil {
		return Invalid("no kernel_shape")
	}
	layout := c.Node.Layout.Data
	channels, spatial := layout.Split(x.Shape)
	win, err := readWindow(c, spatial, kernel)
	if err != nil {
		return err
	}
	sp, err := win.out(spatial)
	if err != nil {
		return err
	}
	out := layout.Join(x.Shape[0], channels, sp)
	c.Set(0, x.DType, out)
	c.Set(1, graph.Int64, out) // MaxPool indices
	return nil
}

func poolCost(c *Ctx) (Cost, error) {
	k, err := prod(c.IntList("kernel_shape"))
	if err != nil {
		return Cost{}, err
	}
	return perElement(k)(c)
}

func globalPoolInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	if len(x.Shape) < 2 {
		return Invalid("global pooling input of rank %d; it needs at least 2", len(x.Shape))
	}
	layout := c.Node.Layout.Data
	channels, spatial := layout.Split(x.Shape)
	c.Set(0, x.DType, layout.Join(x.Shape[0], channels, ones(len(spatial))))
	return nil
}

func maxRoiPoolInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	rois, err := c.Shape(1)
	if err != nil {
		return err
	}
	ps := c.IntList("pooled_shape")
	if len(ps) != 2 || len(x.Shape) != 4 || len(rois) != 2 {
		return Invalid("MaxRoiPool needs 4-D input, 2-D rois and pooled_shape")
	}
	c.Set(0, x.DType, []int64{rois[0], x.Shape[1], ps[0], ps[1]})
	return nil
}

func roiAlignInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	rois, err := c.Shape(1)
	if err != nil {
		return err
	}
	if len(x.Shape) != 4 || len(rois) != 2 {
		return Invalid("RoiAlign needs 4-D input and 2-D rois")
	}
	c.Set(0, x.DType, []int64{rois[0], x.Shape[1], c.Int("output_height", 1), c.Int("output_width", 1)})
	return nil
}

// roiAlignCost: 4 ops (a bilinear sample) per sampling point, sampling
// ratio^2 points per output (2x2 when the ratio is adaptive).
func roiAlignCost(c *Ctx) (Cost, error) {
	s := c.Int("sampling_ratio", 0)
	if s <= 0 {
		s = 2
	}
	return perElement(4 * s * s)(c)
}

func maxUnpoolInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	if c.Has(2) {
		v, err := c.Ints(2)
		if err != nil {
			return err
		}
		c.Set(0, x.DType, v)
		return nil
	}
	kernel := c.IntList("kernel_shape")
	n := len(x.Shape) - 2
	if len(kernel) != n {
		return Invalid("kernel_shape %v for rank %d", kernel, len(x.Shape))
	}
	win, err := readWindow(c, x.Shape[2:], kernel)
	if err != nil {
		return err
	}
	out := []int64{x.Shape[0], x.Shape[1]}
	for i := 0; i < n; i++ {
		d := graph.Unknown
		if in := x.Shape[2+i]; in >= 0 {
			d = (in-1)*win.strides[i] + kernel[i] - win.padB[i] - win.padE[i]
			if d <= 0 {
				return InvalidSizes("output size %d along spatial axis %d: pads %v exceed the unpooled input %v", d, i, c.IntList("pads"), x.Shape[2:])
			}
		}
		out = append(out, d)
	}
	c.Set(0, x.DType, out)
	return nil
}
