package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Spatial resampling and rearrangement. Resize, Upsample, DepthToSpace
// and SpaceToDepth are registered in pool.go.
func init() {
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
