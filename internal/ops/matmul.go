package ops

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netscore/netscore/internal/graph"
)

// Matrix products: MACs = batch x M x K x N, whatever the layout.
func init() {
	register("", "matmul", Rule{Infer: matmulInfer(0, 1, graph.Undefined), Cost: matmulCost(0, 1)}, "MatMul")
	register("", "matmul", Rule{Infer: matmulInfer(0, 1, graph.Int32), Cost: matmulCost(0, 1), Operands: []int{2, 3}}, "MatMulInteger")
	register("", "matmul", Rule{Infer: matmulInfer(0, 3, graph.Undefined), Cost: matmulCost(0, 3), Operands: []int{1, 2, 4, 5, 6, 7}}, "QLinearMatMul")
	register("", "matmul", Rule{Infer: gemmInfer(0, 1), Cost: gemmCost(0, 1, 2)}, "Gemm")
	register("", "matmul", Rule{Infer: einsumInfer, Cost: einsumCost}, "Einsum")
	register("com.microsoft", "matmul", Rule{Infer: matmulInfer(0, 1, graph.Undefined), Cost: matmulCost(0, 1)}, "FusedMatMul", "TransposeMatMul")
	register("com.microsoft", "matmul", Rule{Infer: gemmInfer(0, 1), Cost: withActivation(gemmCost(0, 1, 2))}, "FusedGemm")
	// GemmFastGelu(X, W, bias): MatMul, bias add and FastGelu in one node.
	register("com.microsoft", "matmul", Rule{Infer: matmulInfer(0, 1, graph.Undefined), Cost: withActivation(matmulCost(0, 1))}, "GemmFastGelu")
	register("com.microsoft", "matmul", Rule{Infer: matmulInfer(0, 1, graph.Float32), Cost: matmulCost(0, 1), Operands: []int{2, 3, 4, 5}}, "MatMulIntegerToFloat")
	// DynamicQuantizeMatMul(A, B, b_scale, b_zero_point, bias)
	register("com.microsoft", "matmul", Rule{Infer: matmulInfer(0, 1, graph.Float32), Cost: matmulCost(0, 1), Operands: []int{2, 3}}, "DynamicQuantizeMatMul")
	register("com.microsoft", "matmul", Rule{Infer: gemmInfer(0, 3), Cost: gemmCost(0, 3, 6), Operands: []int{1, 2, 4, 5, 7, 8}}, "QGemm")
	register("com.microsoft", "attention", Rule{Infer: msAttentionInfer, Cost: msAttentionCost, Operands: []int{3, 4, 5, 6, 7}}, "Attention")
	register("com.microsoft", "attention", Rule{Infer: mhaInfer, Cost: mhaCost, Operands: []int{4, 5, 6, 7, 8, 9}}, "MultiHeadAttention")
	register("", "matmul", Rule{Infer: detInfer, Cost: detCost}, "Det")
}

// withActivation adds one op per output element (the fused activation)
// and one more for a present bias at input 2.
func withActivation(base func(c *Ctx) (Cost, error)) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		cost, err := base(c)
		if err != nil {
			return cost, err
		}
		out, err := c.OutElems(0)
		if err != nil {
			return cost, err
		}
		extra := out
		if c.Node.Op == "GemmFastGelu" && c.Has(2) {
			extra += out
		}
		cost.Ops, err = add(cost.Ops, extra)
		return cost, err
	}
}

// matmulDims resolves numpy matmul semantics: batch dims, M, K, N.
func matmulDims(c *Ctx, ai, bi int) (batch []int64, m, k, n int64, drop []bool, err error) {
	a, err := c.Shape(ai)
	if err != nil {
		return
	}
	b, err := c.Shape(bi)
	if err != nil {
		return
	}
	a, b = clone(a), clone(b)
	if len(a) == 0 || len(b) == 0 {
		err = fmt.Errorf("matmul of a scalar")
		return
	}
	if c.Int("transA", 0) != 0 && len(a) >= 2 {
		a[len(a)-1], a[len(a)-2] = a[len(a)-2], a[len(a)-1]
	}
	if c.Int("transB", 0) != 0 && len(b) >= 2 {
		b[len(b)-1], b[len(b)-2] = b[len(b)-2], b[len(b)-1]
	}
	drop = []bool{false, false}
	if len(a) == 1 {
		a, drop[0] = []int64{1, a[0]}, true
	}
	if len(b) == 1 {
		b, drop[1] = []int64{b[0], 1}, true
	}
	m, k, n = a[len(a)-2], a[len(a)-1], b[len(b)-1]
	if kb := b[len(b)-2]; k >= 0 && kb >= 0 && k != kb {
		err = InvalidSizes("matmul inner dims differ: %v x %v", c.In[ai].Shape, c.In[bi].Shape)
		return
	}
	if k < 0 {
		k = b[len(b)-2]
	}
	batch, err = broadcast(a[:len(a)-2], b[:len(b)-2])
	return
}

func matmulInfer(ai, bi int, dt graph.DType) func(c *Ctx) error {
	return func(c *Ctx) error {
		batch, m, _, n, drop, err := matmulDims(c, ai, bi)
		if err != nil {
			return err
		}
		out := clone(batch)
		if !drop[0] {
			out = append(out, m)
		}
		if !drop[1] {
			out = append(out, n)
		}
		odt := dt // the closure's dt is shared by every node of the rule
		if odt == graph.Undefined {
			odt = c.In[ai].DType
		}
		c.Set(0, odt, out)
		return nil
	}
}

func matmulCost(ai, bi int) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		batch, m, k, n, _, err := matmulDims(c, ai, bi)
		if err != nil {
			return Cost{}, err
		}
		macs, err := mul(append(batch, m, k, n)...)
		return Cost{MACs: macs}, err
	}
}

func gemmDims(c *Ctx, ai, bi int) (m, k, n int64, err error) {
	a, err := c.Shape(ai)
	if err != nil {
		return
	}
	b, err := c.Shape(bi)
	if err != nil {
		return
	}
	if len(a) != 2 || len(b) != 2 {
		return 0, 0, 0, fmt.Errorf("gemm needs 2-D inputs, got %v and %v", a, b)
	}
	m, k = a[0], a[1]
	if c.Int("transA", 0) != 0 {
		m, k = k, m
	}
	n, kb := b[1], b[0]
	if c.Int("transB", 0) != 0 {
		n, kb = b[0], b[1]
	}
	if k >= 0 && kb >= 0 && k != kb {
		err = InvalidSizes("gemm inner dims differ: %v x %v (transA %d, transB %d)", a, b, c.Int("transA", 0), c.Int("transB", 0))
	}
	return
}

func gemmInfer(ai, bi int) func(c *Ctx) error {
	return func(c *Ctx) error {
		m, _, n, err := gemmDims(c, ai, bi)
		if err != nil {
			return err
		}
		c.Set(0, c.In[ai].DType, []int64{m, n})
		return nil
	}
}

func gemmCost(ai, bi, ci int) func(c *Ctx) (Cost, error) {
	return func(c *Ctx) (Cost, error) {
		m, k, n, err := gemmDims(c, ai, bi)
		if err != nil {
			return Cost{}, err
		}
		macs, err := mul(m, k, n)
		if err != nil {
			return Cost{}, err
		}
		var ops int64
		if c.Has(ci) {
			ops, err = mul(m, n)
		}
		return Cost{MACs: macs, Ops: ops}, err
	}
}

// einsumSpec is a parsed equation with ellipses expanded to letters.
type einsumSpec struct {
	terms []string
	out   string
	size  map[rune]int64
}

func parseEinsum(c *Ctx) (*einsumSpec, error) {
	eq := strings.ReplaceAll(c.Str("equation", ""), " ", "")
	lhs, rhs, explicit := strings.Cut(eq, "->")
	terms := strings.Split(lhs, ",")
	if len(terms) != c.NIn() {
		return nil, fmt.Errorf("equation %q has %d operands, node has %d inputs", eq, len(terms), c.NIn())
	}
	sp := &einsumSpec{size: map[rune]int64{}}
	ell := 0 // ellipsis rank: broadcast over operands
	for i, t := range terms {
		s, err := c.Shape(i)
		if err != nil {
			return nil, err
		}
		if strings.Contains(t, "...") {
			ell = max(ell, len(s)-(len([]rune(t))-3))
		}
	}
	ellRunes := func(k int) string {
		var b strings.Builder
		for j := ell - k; j < ell; j++ {
			b.WriteRune(rune(0x10000 + j))
		}
		return b.String()
	}
	for i, t := range terms {
		s := c.In[i].Shape
		if strings.Contains(t, "...") {
			k := len(s) - (len([]rune(t)) - 3)
			if k < 0 {
				return nil, fmt.Errorf("operand %d has rank %d, fewer than %q needs", i, len(s), t)
			}
			t = strings.Replace(t, "...", ellRunes(k), 1)
		}
		rs := []rune(t)
		if len(rs) != len(s) {
			return nil, fmt.Errorf("operand %d: term %q for rank %d", i, terms[i], len(s))
		}
		for j, r := range rs {
			d := s[j]
			if old, ok := sp.size[r]; ok && old != d {
				switch {
				case old == 1 || old == graph.Unknown:
				case d == 1 || d == graph.Unknown:
					d = old
				default:
					return nil, fmt.Errorf("index %q is %d and %d", string(r), old, d)
				}
			}
			sp.size[r] = d
		}
		sp.terms = append(sp.terms, t)
	}
	if explicit {
		sp.out = strings.Replace(rhs, "...", ellRunes(ell), 1)
	} else {
		count := map[rune]int{}
		for _, t := range sp.terms {
			for _, r := range t {
				count[r]++
			}
		}
		var letters []rune
		for r, n := range count {
			if n == 1 && r < 0x10000 {
				letters = append(letters, r)
			}
		}
		sort.Slice(letters, func(i, j int) bool { return letters[i] < letters[j] })
		sp.out = ellRunes(ell) + string(letters)
	}
	for _, r := range sp.out {
		if _, ok := sp.size[r]; !ok {
			return nil, fmt.Errorf("output index %q appears in no operand", string(r))
		}
	}
	return sp, nil
}

func einsumInfer(c *Ctx) error {
	sp, err := parseEinsum(c)
	if err != nil {
		return err
	}
	var out []int64
	for _, r := range sp.out {
		out = append(out, sp.size[r])
	}
	c.Set(0, c.In[0].DType, out)
	return nil
}

// einsumCost contracts operands pairwise from the left, as a naive
// evaluation would: each pair costs the product of the sizes of every
// index either side holds. One operand alone is a sum or permutation.
func einsumCost(c *Ctx) (Cost, error) {
	sp, err := parseEinsum(c)
	if err != nil {
		return Cost{}, err
	}
	if len(sp.terms) == 1 {
		n, err := c.InElems(0)
		return Cost{Ops: n}, err
	}
	var total int64
	cur := sp.terms[0]
	for i := 1; i < len(sp.terms); i++ {
		union := map[rune]bool{}
		for _, r := range cur + sp.terms[i] {
			union[r] = true
		}
		var dims []int64
		for r := range union {
			dims = append(dims, sp.size[r])
		}
		m, err := mul(dims...)
		if err != nil {
			return Cost{}, err
		}
		if total, err = add(total, m); err != nil {
			return Cost{}, err
		}
		// Keep the indices still needed by later operands or the output.
		need := sp.out
		for _, t := range sp.terms[i+1:] {
			need += t
		}
		var next []rune
		for r := range union {
			if strings.ContainsRune(need, r) {
				next = append(next, r)
			}
		}
		cur = string(next)
	}
	return Cost{MACs: total}, nil
}

// com.microsoft Attention: fused QKV projection plus scaled dot-product
// attention over num_heads heads.
func msAttentionDims(c *Ctx) (b, s, hin, qkv, hq, hv, kv int64, err error) {
	x, err := c.Shape(0)
	if err != nil {
		return
	}
	w, err := c.Shape(1)
	if err != nil {
		return
	}
	if len(x) != 3 || len(w) != 2 {
		err = fmt.Errorf("attention input %v and weights %v", x, w)
		return
	}
	b, s, hin, qkv = x[0], x[1], x[2], w[1]
	hq, hv = qkv/3, qkv/3
	if sizes := c.IntList("qkv_hidden_sizes"); len(sizes) == 3 {
		hq, hv = sizes[0], sizes[2]
	}
	kv = s
	if c.Has(4) { // past: (2, B, heads, past_len, head_size)
		if p := c.In[4].Shape; len(p) == 5 && p[3] >= 0 {
			kv += p[3]
		}
	}
	return
}

func msAttentionInfer(c *Ctx) error {
	b, s, _, _, _, hv, kv, err := msAttentionDims(c)
	if err != nil {
		return err
	}
	c.Set(0, c.In[0].DType, []int64{b, s, hv})
	heads := c.Int("num_heads", 1)
	if heads > 0 {
		c.Set(1, c.In[0].DType, []int64{2, b, heads, kv, hv / heads})
	}
	return nil
}

func msAttentionCost(c *Ctx) (Cost, error) {
	b, s, hin, qkv, hq, hv, kv, err := msAttentionDims(c)
	if err != nil {
		return Cost{}, err
	}
	proj, err := mul(b, s, hin, qkv)
	if err != nil {
		return Cost{}, err
	}
	scores, err := mul(b, s, kv, hq)
	if err != nil {
		return Cost{}, err
	}
	mix, err := mul(b, s, kv, hv)
	if err != nil {
		return Cost{}, err
	}
	macs, err := add(proj, scores, mix)
	if err != nil {
		return Cost{}, err
	}
	heads := c.Int("num_heads", 1)
	soft, err := mul(b, heads, s, kv, 3)
	if err != nil {
		return Cost{}, err
	}
	return Cost{MACs: macs, Ops: soft}, nil
}

// MultiHeadAttention takes projected query, key and value (B, S, D).
func mhaDims(c *Ctx) (b, s, l, d, dv int64, err error) {
	q, err := c.Shape(0)
	if err != nil {
		return
	}
	if len(q) != 3 || !c.Has(1) || !c.Has(2) {
		err = fmt.Errorf("only unpacked 3-D query/key/value are supported")
		return
	}
	k, v := c.In[1].Shape, c.In[2].Shape
	if len(k) != 3 || len(v) != 3 {
		err = fmt.Errorf("only unpacked 3-D query/key/value are supported")
		return
	}
	return q[0], q[1], k[1], q[2], v[2], nil
}

func mhaInfer(c *Ctx) error {
	b, s, _, _, dv, err := mhaDims(c)
	if err != nil {
		return err
	}
	c.Set(0, c.In[0].DType, []int64{b, s, dv})
	return nil
}

func mhaCost(c *Ctx) (Cost, error) {
	b, s, l, d, dv, err := mhaDims(c)
	if err != nil {
		return Cost{}, err
	}
	scores, err := mul(b, s, l, d)
	if err != nil {
		return Cost{}, err
	}
	mix, err := mul(b, s, l, dv)
	if err != nil {
		return Cost{}, err
	}
	macs, err := add(scores, mix)
	if err != nil {
		return Cost{}, err
	}
	soft, err := mul(b, c.Int("num_heads", 1), s, l, 3)
	return Cost{MACs: macs, Ops: soft}, err
}

func detInfer(c *Ctx) error {
	t, err := c.InT(0)
	if err != nil {
		return err
	}
	if len(t.Shape) < 2 {
		return fmt.Errorf("Det of rank %d", len(t.Shape))
	}
	c.Set(0, t.DType, t.Shape[:len(t.Shape)-2])
	return nil
}

// detCost: an LU factorisation, n^3/3 multiply-adds per matrix.
func detCost(c *Ctx) (Cost, error) {
	s := c.In[0].Shape
	n := s[len(s)-1]
	batch, err := prod(s[:len(s)-2])
	if err != nil {
		return Cost{}, err
	}
	macs, err := mul(batch, n, n, n)
	return Cost{MACs: macs / 3}, err
}
