package score

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/zoo"
)

// ExprField is a name a --score expression can use.
type ExprField struct {
	Name string
	Doc  string // what it is, with its unit
	// Reference rows (published tables) have it; analysed models always do
	// unless Given says where it comes from.
	Reference bool
	// Given, for a figure a model's analysis does not make, says where it
	// comes from (a manifest column); "" for counted figures.
	Given string
	// MayBeZero marks a figure that can be 0 on a ranked row: dividing by it
	// is refused.
	MayBeZero string
}

// ExprFields are the fields of a --score expression. A ranked row always
// has params and MACs above 0 (NetScore, shown beside, needs them), so
// dividing by params, MACs or FLOPs is safe.
var ExprFields = []ExprField{
	{Name: "top1", Doc: "top-1 accuracy, %", Reference: true},
	{Name: "top5", Doc: "top-5 accuracy, %", Given: "a top5 in the manifest"},
	{Name: "params", Doc: "parameters", Reference: true},
	{Name: "params_m", Doc: "parameters, millions", Reference: true},
	{Name: "macs", Doc: "multiply-accumulates", Reference: true},
	{Name: "gmacs", Doc: "MACs, billions", Reference: true},
	{Name: "mmacs", Doc: "MACs, millions", Reference: true},
	{Name: "flops", Doc: "FLOPs"},
	{Name: "weight_bytes", Doc: "bytes of stored weights", MayBeZero: "a model whose weights are all inputs has none"},
	{Name: "activation_bytes", Doc: "bytes of every intermediate tensor", MayBeZero: "a model with no intermediate tensor has none"},
	{Name: "peak_activation_bytes", Doc: "most activation bytes live at once", MayBeZero: "a model with no intermediate tensor has none"},
	{Name: "latency_ms", Doc: "measured median latency, ms", Given: "a latency_ms in the manifest (netscore bench --manifest)"},
	{Name: "n", Doc: "images the top-1 was measured on", Given: "an n in the manifest (netscore eval --manifest)"},
	{Name: "netscore", Doc: "NetScore Ω with --alpha/--beta/--gamma", Reference: true},
	{Name: "density", Doc: "information density a/p, % per M params", Reference: true},
}

// exprFuncs are the functions a --score expression can call; ^ and ** are
// powers.
var exprFuncs = map[string]any{
	"log10": math.Log10, "ln": math.Log, "log2": math.Log2, "sqrt": math.Sqrt, "exp": math.Exp,
	"pow": math.Pow, "abs": math.Abs, "min": math.Min, "max": math.Max,
}

// Expr is a compiled --score expression.
type Expr struct {
	Source  string
	program *vm.Program
	uses    []string // fields used, in ExprFields' order
}

func exprField(name string) (ExprField, bool) {
	i := slices.IndexFunc(ExprFields, func(f ExprField) bool { return f.Name == name })
	if i < 0 {
		return ExprField{}, false
	}
	return ExprFields[i], true
}

// ExprFieldNames lists the fields and the functions, for messages and help.
func ExprFieldNames() string {
	var names []string
	for _, f := range ExprFields {
		names = append(names, f.Name)
	}
	fns := make([]string, 0, len(exprFuncs))
	for k := range exprFuncs {
		fns = append(fns, k)
	}
	slices.Sort(fns)
	return strings.Join(names, ", ") + "; functions " + strings.Join(fns, ", ")
}

// CompileExpr parses and checks an expression: it must be a number built
// from the known fields and functions, and divide by no field that can be
// 0. The error (a request error) is one line naming what is wrong.
func CompileExpr(src string) (*Expr, error) {
	fail := func(format string, a ...any) error {
		return request.Errorf("--score %q: %s", src, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(src) == "" {
		return nil, fail("empty expression")
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, fail("%s", firstLine(err))
	}
	var v visitor
	ast.Walk(&tree.Node, &v)
	for _, name := range v.idents {
		if _, ok := exprField(name); !ok && exprFuncs[name] == nil {
			return nil, fail("unknown name %s (fields: %s)", name, ExprFieldNames())
		}
	}
	if v.divErr != "" {
		return nil, fail("%s", v.divErr)
	}
	env := map[string]any{}
	for _, f := range ExprFields {
		env[f.Name] = 0.0
	}
	for k, fn := range exprFuncs {
		env[k] = fn
	}
	prog, err := expr.Compile(src, expr.Env(env), expr.AsFloat64(), expr.DisableAllBuiltins())
	if err != nil {
		return nil, fail("%s", firstLine(err))
	}
	e := &Expr{Source: src, program: prog}
	for _, f := range ExprFields {
		if slices.Contains(v.idents, f.Name) {
			e.uses = append(e.uses, f.Name)
		}
	}
	return e, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// visitor collects the names an expression uses and the first division
// by a field that can be 0, or by a literal 0.
type visitor struct {
	idents []string
	divErr string
}

func (v *visitor) Visit(n *ast.Node) {
	switch n := (*n).(type) {
	case *ast.IdentifierNode:
		if !slices.Contains(v.idents, n.Value) {
			v.idents = append(v.idents, n.Value)
		}
	case *ast.BuiltinNode: // min(…) and max(…) are ours; expr's other builtins are off
		if !slices.Contains(v.idents, n.Name) {
			v.idents = append(v.idents, n.Name)
		}
	case *ast.BinaryNode:
		if (n.Operator != "/" && n.Operator != "%") || v.divErr != "" {
			return
		}
		var d visitor
		ast.Walk(&n.Right, &d)
		for _, name := range d.idents {
			if f, ok := exprField(name); ok && f.MayBeZero != "" {
				v.divErr = fmt.Sprintf("division by %s, which can be 0 (%s)", name, f.MayBeZero)
				return
			}
		}
		if isZero(n.Right) {
			v.divErr = "division by 0"
		}
	}
}

func isZero(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return n.Value == 0
	case *ast.FloatNode:
		return n.Value == 0
	}
	return false
}

// Uses reports whether the expression reads the field.
func (e *Expr) Uses(name string) bool { return slices.Contains(e.uses, name) }

// CheckReferences refuses an expression that reads a field some reference
// row lacks, naming the field and why.
func (e *Expr) CheckReferences(refs []zoo.Row, refName string) error {
	if len(refs) == 0 {
		return nil
	}
	for _, name := range e.uses {
		f, _ := exprField(name)
		if f.Reference {
			continue
		}
		if name == "n" {
			for _, r := range refs {
				if ReferenceImages(r.Source) == 0 {
					return request.Errorf("--score %q uses n, which the reference rows of %s lack: the source does not say how many images its top-1 was measured on (use --ref timm or --ref none)", e.Source, r.Source.Label())
				}
			}
			continue
		}
		return request.Errorf("--score %q uses %s, which reference rows (--ref %s) lack: published tables give top-1, params and MACs only (use --ref none)", e.Source, name, refName)
	}
	return nil
}

// CheckGiven refuses an expression that reads a manifest figure (top5,
// latency_ms, n) a model's row lacks, naming the model.
func (e *Expr) CheckGiven(model string, top5, latencyMS float64, n int) error {
	for _, name := range e.uses {
		f, _ := exprField(name)
		missing := (name == "top5" && top5 == 0) || (name == "latency_ms" && latencyMS == 0) || (name == "n" && n == 0)
		if missing {
			return request.Errorf("--score %q uses %s, which %s has no value for: it needs %s", e.Source, name, model, f.Given)
		}
	}
	return nil
}

// Eval is the expression's value on a ranked row; a value that is not a
// finite number is an error naming the row.
func (e *Expr) Eval(r *Ranked) (float64, error) {
	env := map[string]any{
		"top1": r.Top1, "top5": r.Top5, "params_m": r.ParamsM, "gmacs": r.GMACs,
		"params": r.ParamsM * 1e6, "macs": r.GMACs * 1e9, "mmacs": r.GMACs * 1e3,
		"latency_ms": r.LatencyMS, "n": float64(r.CI.N), "netscore": r.NetScore, "density": r.Density,
		"flops": 0.0, "weight_bytes": 0.0, "activation_bytes": 0.0, "peak_activation_bytes": 0.0,
	}
	if s := r.Summary; s != nil { // exact counts
		env["params"], env["macs"] = float64(s.Params), float64(s.MACs)
		env["flops"], env["weight_bytes"] = float64(s.FLOPs), float64(s.WeightBytes)
		env["activation_bytes"], env["peak_activation_bytes"] = float64(s.ActivationBytes), float64(s.PeakActivationBytes)
	}
	for k, fn := range exprFuncs {
		env[k] = fn
	}
	out, err := expr.Run(e.program, env)
	if err != nil {
		return 0, fmt.Errorf("%s: --score %q: %s", r.Name, e.Source, firstLine(err))
	}
	v, ok := out.(float64)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: --score %q is %v, not a finite number", r.Name, e.Source, out)
	}
	return v, nil
}

// RankByExpr orders entries by the expression, highest first (ties as Rank
// breaks them), and numbers them again. A row the expression gives no
// finite number for is left out and returned as an error.
func RankByExpr(entries []Ranked, e *Expr) ([]Ranked, []error) {
	var kept []Ranked
	var errs []error
	for _, r := range entries {
		v, err := e.Eval(&r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.Custom = &v
		kept = append(kept, r)
	}
	slices.SortStableFunc(kept, func(a, b Ranked) int {
		return cmp.Or(
			cmp.Compare(*b.Custom, *a.Custom),
			cmp.Compare(b.NetScore, a.NetScore),
			cmp.Compare(b.Top1, a.Top1),
			strings.Compare(a.Name, b.Name),
			strings.Compare(string(a.Source), string(b.Source)),
			cmp.Compare(a.ImageSize, b.ImageSize),
		)
	})
	for i := range kept {
		kept[i].Rank = i + 1
	}
	markIndistinct(kept)
	return kept, errs
}

// orderLabel is how a title names the order: the sort key, or "ranked
// by" the expression.
func orderLabel(by SortKey, e *Expr) string {
	if e != nil {
		return "ranked by " + e.Source
	}
	return "by " + string(by)
}
