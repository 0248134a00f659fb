package ops

import (
	"fmt"
	"math"

	"github.com/netscore/netscore/internal/graph"
)

// Spatial resampling and rearrangement.
func init() {
	register("", "resize", Rule{Infer: resizeInfer, Cost: resizeCost, Operands: []int{1, 2, 3}}, "Resize", "Upsample")
	register("", "resize", Rule{Infer: depthSpaceInfer}, "DepthToSpace", "SpaceToDepth")
	register("", "resize", Rule{Infer: gridSampleInfer, Cost: perElement(4), Operands: []int{1}}, "GridSample")
	register("", "resize", Rule{Infer: affineGridInfer, Cost: affineGridCost, Operands: []int{1}}, "AffineGrid")
	register("", "resize", Rule{Infer: col2ImInfer, Cost: perInputElement(1), Operands: []int{1, 2}}, "Col2Im")
}

func gridSampleInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	g, err := c.Shape(1)
	if err != nil {
		return err
	}
	if len(x.Shape) < 3 || len(g) != len(x.Shape) {
		return fmt.Errorf("GridSample input %v and grid %v", x.Shape, g)
	}
	out := append([]int64{x.Shape[0], x.Shape[1]}, g[1:len(g)-1]...)
	c.Set(0, x.DType, out)
	return nil
}

// affineGridInfer: theta (N, 2, 3) or (N, 3, 4) and size (N, C, [D,] H, W)
// give a grid (N, [D,] H, W, 2|3).
func affineGridInfer(c *Ctx) error {
	theta, err := c.InT(0)
	if err != nil {
		return err
	}
	size, err := c.Ints(1)
	if err != nil {
		return err
	}
	if len(size) != 4 && len(size) != 5 {
		return fmt.Errorf("AffineGrid size %v", size)
	}
	nd := int64(len(size) - 2)
	out := append(append([]int64{size[0]}, size[2:]...), nd)
	c.Set(0, theta.DType, out)
	return nil
}

// affineGridCost: each grid point is an affine map, nd+1 multiply-adds
// per output coordinate.
func affineGridCost(c *Ctx) (Cost, error) {
	out := c.Out[0].Shape
	return perElement(out[len(out)-1] + 1)(c)
}

// col2ImInfer: (N, C x prod(block), L) -> (N, C, image_shape...).
func col2ImInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	image, err := c.Ints(1)
	if err != nil {
		return err
	}
	block, err := c.Ints(2)
	if err != nil {
		return err
	}
	if len(x.Shape) != 3 || len(block) != len(image) {
		return fmt.Errorf("Col2Im input %v, image_shape %v, block_shape %v", x.Shape, image, block)
	}
	k, err := prod(block)
	if err != nil || k == 0 {
		return fmt.Errorf("Col2Im block_shape %v", block)
	}
	ch := graph.Unknown
	if x.Shape[1] >= 0 {
		ch = x.Shape[1] / k
	}
	c.Set(0, x.DType, append([]int64{x.Shape[0], ch}, image...))
	return nil
}

// resizeInfer covers Upsample (scales attribute or input 1) and Resize
// (v10: scales at 1; v11+: roi, scales, sizes at 1..3).
func resizeInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	rank := len(x.Shape)
	axes := make([]int, rank)
	for i := range axes {
		axes[i] = i
	}
	if a := c.IntList("axes"); a != nil {
		if axes, err = axesOf(a, rank); err != nil {
			return err
		}
	}
	scalesAt, sizesAt := 1, -1
	if c.Node.Op == "Resize" && c.Opset() >= 11 {
		scalesAt, sizesAt = 2, 3
	}
	out := clone(x.Shape)
	switch {
	case sizesAt > 0 && c.Has(sizesAt) && c.In[sizesAt].Elements() != 0:
		sizes, err := c.Ints(sizesAt)
		if err != nil {
			return err
		}
		if len(sizes) != len(axes) {
			return fmt.Errorf("sizes %v for %d axes", sizes, len(axes))
		}
		policy := c.Str("keep_aspect_ratio_policy", "stretch")
		if policy == "stretch" {
			for i, a := range axes {
				out[a] = sizes[i]
			}
			break
		}
		scale := math.Inf(1)
		if policy == "not_smaller" {
			scale = math.Inf(-1)
		}
		for i, a := range axes {
			s := float64(sizes[i]) / float64(x.Shape[a])
			if policy == "not_larger" {
				scale = math.Min(scale, s)
			} else {
				scale = math.Max(scale, s)
			}
		}
		for _, a := range axes {
			out[a] = int64(math.Round(float64(x.Shape[a]) * scale))
		}
	default:
		var scales []float64
		if c.Node.Op == "Upsample" && c.Attr("scales") != nil {
			scales = c.Attr("scales").Floats
		} else {
			if scales, err = c.Floats(scalesAt); err != nil {
				return err
			}
		}
		if len(scales) != len(axes) {
			return fmt.Errorf("scales %v for %d axes", scales, len(axes))
		}
		for i, a := range axes {
			if x.Shape[a] >= 0 {
				out[a] = int64(math.Floor(float64(x.Shape[a])*scales[i] + 1e-9))
			}
		}
	}
	c.Set(0, x.DType, out)
	return nil
}

// resizeCost: nearest copies (0 ops); linear reads 2 neighbours and cubic
// 4 along each resized axis.
func resizeCost(c *Ctx) (Cost, error) {
	per := int64(0)
	mode := c.Str("mode", "nearest")
	if mode == "linear" || mode == "bilinear" || mode == "trilinear" || mode == "cubic" {
		base := int64(2)
		if mode == "cubic" {
			base = 4
		}
		per = 1
		x, out := c.In[0].Shape, c.Out[0].Shape
		for i := range x {
			if i < len(out) && x[i] != out[i] {
				per *= base
			}
		}
	}
	return perElement(per)(c)
}

func depthSpaceInfer(c *Ctx) error {
	x, err := c.InT(0)
	if err != nil {
		return err
	}
	b := c.Int("blocksize", 0)
	if len(x.Shape) != 4 || b <= 0 || b > 1<<20 {
		return fmt.Errorf("needs 4-D input and a blocksize in [1, 2^20], got %d", b)
	}
	n, ch, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	if c.Node.Op == "DepthToSpace" {
		c.Set(0, x.DType, []int64{n, ch / (b * b), h * b, w * b})
	} else {
		c.Set(0, x.DType, []int64{n, ch * b * b, h / b, w / b})
	}
	return nil
}
