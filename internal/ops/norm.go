package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Normalisation and softmax: no core MACs; per-element ops as documented.
func init() {
	register("", "normalization", Rule{Infer: batchNormInfer, Cost: perElement(2), Buffers: []int{3, 4}, Operands: []int{from(5)}}, "BatchNormalization")
	register("", "normalization", Rule{Infer: sameShape, Cost: perElement(5)}, "InstanceNormalization", "GroupNormalization", "MeanVarianceNormalization")
	register("", "normalization", Rule{Infer: layerNormInfer, Cost: perElement(5)}, "LayerNormalization")
	register("", "normalization", Rule{Infer: sameShape, Cost: lrnCost}, "LRN")
	register("", "normalization", Rule{Infer: sameShape, Cost: perElement(3)}, "LpNormalization", "Softmax", "LogSoftmax")
	register("", "normalization", Rule{Infer: sameShape, Cost: perElement(1)}, "Hardmax")
	register("com.microsoft", "normalization", Rule{Infer: sameShape, Cost: perElement(4)}, "BiasSoftmax")
	register("com.microsoft", "normalization", Rule{Infer: layerNormInfer, Cost: perElement(5)}, "LayerNormalization", "SimplifiedLayerNormalization")
	register("", "normalization", Rule{Infer: layerNormInfer, Cost: perElement(5)}, "SimplifiedLayerNormalization")
	register("com.microsoft", "normalization", Rule{Infer: skipLayerNormInfer, Cost: perElement(6)}, "SkipLayerNormalization", "SkipSimplifiedLayerNormalization")
	register("com.microsoft", "normalization", Rule{Infer: embedLayerNormInfer, Cost: perElement(7), Operands: []int{0, 1, 7, 8}}, "EmbedLayerNormalization")
}

func batchNormInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, t.Shape)
	if len(t.Shape) < 2 {
		return nil
	}
	ch := []int64{t.Shape[1]}
	for i := 1; i < c.NOut(); i++ { // running or saved statistics
		c.Set(i, t.DType, ch)
	}
	return nil
}

func layerNormInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, t.Shape)
	ax, err := axis(c.Int("axis", -1), len(t.Shape))
	if err != nil {
		return err
	}
	stat := clone(t.Shape)
	for i := ax; i < len(stat); i++ {
		stat[i] = 1
	}
	st := graph.DType(c.Int("stash_type", int64(graph.Float32)))
	c.Set(1, st, stat)
	c.Set(2, st, stat)
	return nil
}

func skipLayerNormInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	c.Set(0, t.DType, t.Shape)
	stat := clone(t.Shape)
	if len(stat) > 0 {
		stat[len(stat)-1] = 1
	}
	c.Set(1, graph.Float32, stat)
	c.Set(2, graph.Float32, stat)
	c.Set(3, t.DType, t.Shape)
	return nil
}

func embedLayerNormInfer(c *Ctx) error {
	ids, err := c.Shape(0)
	if err != nil {
		return err
	}
	word, err := c.InT(2)
	if err != nil {
		return err
	}
	if len(ids) != 2 || len(word.Shape) != 2 {
		return fmt.Errorf("input_ids %v and word_embedding %v", ids, word.Shape)
	}
	c.Set(0, word.DType, []int64{ids[0], ids[1], word.Shape[1]})
	c.Set(1, graph.Int32, []int64{ids[0]})
	c.Set(2, word.DType, []int64{ids[0], ids[1], word.Shape[1]}) // embedding_sum
	return nil
}

func lrnCost(c *Ctx) (Cost, error) {
	return perElement(c.Int("size", 1) + 2)(c)
}
