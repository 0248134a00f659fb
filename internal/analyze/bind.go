package analyze

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/units"
)

// DeclaredInput is a model input as its file declares it: the one view of
// an input that both the analyzer and a runtime bind shapes over.
type DeclaredInput struct {
	Name      string
	Dims      []int64  // < 0 for a free dim; nil when not even the rank is declared
	Symbols   []string // symbolic name of each dim, "" for none
	NotTensor bool     // a sequence, map or optional value
}

func (in DeclaredInput) symbol(i int) string {
	if i < len(in.Symbols) {
		return in.Symbols[i]
	}
	return ""
}

// BindRules are what a caller adds to --input and --dim.
type BindRules struct {
	// Feed is set by a runtime, which feeds real tensors: every input needs
	// a concrete shape, --input must keep the model's fixed dims, and a
	// --dim that no input declares is an error. The analyzer only warns.
	Feed bool
	// Batch, when > 0, is the size of free leading dims not set otherwise.
	Batch int64
}

// Binding is the concrete shape each input gets.
type Binding struct {
	// Shapes lacks inputs left unbound: not tensors, or (outside Feed)
	// with no declared shape.
	Shapes    map[string][]int64
	BatchUsed bool // some free leading dim took BindRules.Batch
	Warnings  []string
}

// Bind gives every input a concrete shape: --input first; then --dim and
// the sizes that --input shapes imply for symbols; then the batch for free
// leading dims (when the rules have one); then 1, with a warning. A symbol
// set to 1 that way warns once.
func Bind(ins []DeclaredInput, opt Options, rules BindRules) (*Binding, error) {
	b := &Binding{Shapes: map[string][]int64{}}
	names := make([]string, len(ins))
	declared := map[string]bool{}
	symbols := map[string]bool{}
	for i, in := range ins {
		names[i] = in.Name
		declared[in.Name] = true
		for _, p := range in.Symbols {
			if p != "" {
				symbols[p] = true
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(opt.Inputs)) {
		if !declared[name] {
			return nil, &BindingError{fmt.Sprintf("--input %s: the model has no input of that name (inputs: %s)", name, strings.Join(names, ", "))}
		}
	}
	var unusedDims []string
	for _, name := range slices.Sorted(maps.Keys(opt.Dims)) {
		if !symbols[name] {
			if rules.Feed {
				return nil, &BindingError{fmt.Sprintf("--dim %s: no input has a dim of that name", name)}
			}
			unusedDims = append(unusedDims, name)
		}
	}

	sym := map[string]int64{}
	for k, v := range opt.Dims {
		sym[k] = v
	}
	for _, in := range ins { // symbols fixed by --input shapes
		s, ok := opt.Inputs[in.Name]
		if !ok || in.NotTensor {
			continue
		}
		if err := bindGiven(in, s, sym, rules.Feed); err != nil {
			return nil, err
		}
	}
	if rules.Batch > 0 { // leading symbols take the batch unless set
		for _, in := range ins {
			if _, ok := opt.Inputs[in.Name]; ok || len(in.Dims) == 0 || in.Dims[0] >= 0 {
				continue
			}
			if p := in.symbol(0); p != "" {
				if v, ok := sym[p]; !ok {
					sym[p] = rules.Batch
					b.BatchUsed = true
				} else if v == rules.Batch {
					b.BatchUsed = true
				}
			}
		}
	}

	for _, in := range ins {
		switch s, given := opt.Inputs[in.Name]; {
		case in.NotTensor:
			if rules.Feed {
				return nil, fmt.Errorf("input %s is a sequence, map or optional value: a runtime feeds tensors only", in.Name)
			}
			b.warnf("input %q is not a tensor (sequence, map or optional); nodes reading it are not costed", in.Name)
		case given:
			b.Shapes[in.Name] = append([]int64{}, s...)
		case in.Dims == nil:
			if rules.Feed {
				return nil, &BindingError{fmt.Sprintf("input %s declares no shape: set it with --input %s=DIMS", in.Name, in.Name)}
			}
			b.warnf("input %q declares no shape; set it with --input %s=DIMS", in.Name, in.Name)
		default:
			b.Shapes[in.Name] = b.fill(in, sym, rules.Batch)
		}
	}
	for _, name := range unusedDims {
		b.warnf("--dim %s matches no symbolic input dim", name)
	}
	return b, nil
}

// bindGiven checks an --input shape against the declaration and records
// the sizes it gives the input's symbols.
func bindGiven(in DeclaredInput, s []int64, sym map[string]int64, feed bool) error {
	if in.Dims != nil && len(s) != len(in.Dims) {
		return &BindingError{fmt.Sprintf("--input %s: %d dims given, the model declares %d (%s)", in.Name, len(s), len(in.Dims), units.DeclaredShape(in.Dims, in.Symbols))}
	}
	for i, d := range in.Dims {
		if feed && d >= 0 && s[i] != d {
			return &BindingError{fmt.Sprintf("--input %s: dim %d is %d, the model fixes it at %d (%s)", in.Name, i, s[i], d, units.DeclaredShape(in.Dims, in.Symbols))}
		}
		if p := in.symbol(i); p != "" && d < 0 {
			if v, ok := sym[p]; ok && v != s[i] {
				return &BindingError{fmt.Sprintf("--input %s: dim %q is %d here but %d elsewhere", in.Name, p, s[i], v)}
			}
			sym[p] = s[i]
		}
	}
	return nil
}

// fill makes the declared shape of in concrete.
func (b *Binding) fill(in DeclaredInput, sym map[string]int64, batch int64) []int64 {
	shape := make([]int64, len(in.Dims))
	for i, d := range in.Dims {
		p := in.symbol(i)
		v, known := sym[p]
		switch {
		case d >= 0:
			shape[i] = d
		case p != "" && known:
			shape[i] = v
		case i == 0 && batch > 0:
			shape[i], b.BatchUsed = batch, true
		case p != "":
			shape[i], sym[p] = 1, 1
			b.warnf("dim %q of input %q is unset; using 1 (set it with --dim %s=N)", p, in.Name, p)
		default:
			shape[i] = 1
			b.warnf("dim %d of input %q is free; using 1 (set it with --input %s=DIMS)", i, in.Name, in.Name)
		}
	}
	return shape
}

func (b *Binding) warnf(format string, args ...any) {
	b.Warnings = append(b.Warnings, fmt.Sprintf(format, args...))
}
