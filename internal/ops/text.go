package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

func init() {
	register("", "text", Rule{Infer: tfIdfInfer, Cost: noConvention}, "TfIdfVectorizer")
	register("", "text", Rule{Infer: strNormalizerInfer}, "StringNormalizer")
}

// strNormalizerInfer: StringNormalizer-10 maps [C] or [1, C] strings to as
// many, less the stopwords it drops: how many that is depends on the
// strings, unless there are no stopwords.
func strNormalizerInfer(c *Ctx) error {
	in, err := c.Shape(0)
	if err != nil {
		return err
	}
	if len(in) != 1 && len(in) != 2 {
		return fmt.Errorf("input %v: want [C] or [1, C]", in)
	}
	out := clone(in)
	if a := c.Attr("stopwords"); a != nil && len(a.Strings) > 0 {
		out[len(out)-1] = graph.Unknown
	}
	c.Set(0, graph.String, out)
	return nil
}

// tfIdfInfer: TfIdfVectorizer-9 maps [C] or [N, C] n-gram ids to
// [max(ngram_indexes)+1] or [N, max(ngram_indexes)+1] float weights.
func tfIdfInfer(c *Ctx) error {
	in, err := c.Shape(0)
	if err != nil {
		return err
	}
	width := int64(0)
	for _, i := range c.IntList("ngram_indexes") {
		width = max(width, i+1)
	}
	switch len(in) {
	case 1:
		c.Set(0, graph.Float32, []int64{width})
	case 2:
		c.Set(0, graph.Float32, []int64{in[0], width})
	default:
		return fmt.Errorf("input %v: want [C] or [N, C]", in)
	}
	return nil
}
