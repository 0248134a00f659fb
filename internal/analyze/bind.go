package analyze

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
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
	// Guessed are the free dims, other than batch dims, that no flag set:
	// figures computed at their sizes rest on a guess.
	Guessed []GuessedDim
	// Hints propose, per input with guessed dims, one --input value with
	// the known dims filled in: x=1x3xHxW.
	Hints []string
	// Skipped are --input names the model has no input of
	// (Options.SkipUnknownInputs).
	Skipped  []string
	Warnings []string
}

// GuessedDim is a free input dim that took a size no flag gave.
type GuessedDim struct {
	Input  string `json:"input"`
	Index  int    `json:"index"`
	Symbol string `json:"symbol,omitempty"`
	Size   int64  `json:"size"`
}

func (g GuessedDim) String() string {
	if g.Symbol != "" {
		return fmt.Sprintf("%s[%d] %q", g.Input, g.Index, g.Symbol)
	}
	return fmt.Sprintf("%s[%d]", g.Input, g.Index)
}

// GuessedText names guessed dims and the flag that sets them:
// free dims x[2] "h", x[3] "w"; set them with --input x=1x3xHxW.
func GuessedText(guessed []GuessedDim, hints []string) string {
	return fmt.Sprintf("free dims %s; set them with %s", guessedNames(guessed), fixFlags(guessed, hints))
}

// fixFlags is the flag that sets guessed dims: --dim for readable symbols
// (seq=N), else one --input per input with the known dims filled in.
func fixFlags(guessed []GuessedDim, hints []string) string {
	var dims []string
	for _, g := range guessed {
		if !readable(g.Symbol) {
			return "--input " + strings.Join(hints, " --input ")
		}
		if f := "--dim " + g.Symbol + "=N"; !slices.Contains(dims, f) {
			dims = append(dims, f)
		}
	}
	return strings.Join(dims, " ")
}

func guessedNames(guessed []GuessedDim) string {
	names := make([]string, len(guessed))
	for i, g := range guessed {
		names[i] = g.String()
	}
	return strings.Join(names, ", ")
}

// FreeDimsError is a job's refusal to rest its figures on guessed input
// sizes: scores, budgets and measurements need the real ones.
type FreeDimsError struct {
	Model   string
	Guessed []GuessedDim
	Hints   []string
}

func (e *FreeDimsError) Error() string {
	return fmt.Sprintf("%s: %s, or accept a guess with --assume-free-dims N", e.Model, GuessedText(e.Guessed, e.Hints))
}

// IsBatchDim tells a batch dim: the leading dim of an input, or one whose
// symbol names a batch. A free batch dim may take 1 (or the runtime's
// batch) without making the figures a guess.
func IsBatchDim(index int, symbol string) bool {
	switch strings.ToLower(symbol) {
	case "batch", "batch_size", "batchsize", "bs", "n", "batch_dim":
		return true
	}
	return index == 0
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
			if opt.SkipUnknownInputs {
				b.Skipped = append(b.Skipped, name)
				continue
			}
			return nil, &BindingError{fmt.Sprintf("--input %s: the model has no input of that name (inputs: %s)", name, strings.Join(names, ", "))}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(opt.Values)) {
		if !declared[name] && !opt.SkipUnknownInputs {
			return nil, &BindingError{fmt.Sprintf("--value %s: the model has no input of that name (inputs: %s)", name, strings.Join(names, ", "))}
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
			b.Shapes[in.Name] = b.fill(in, sym, rules.Batch, opt.AssumeFreeDims)
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

// fill makes the declared shape of in concrete. A free dim no flag set
// takes the batch (a leading dim, when the rules have one), else 1 for a
// batch dim, else assume (1 when 0) and is recorded as guessed.
func (b *Binding) fill(in DeclaredInput, sym map[string]int64, batch, assume int64) []int64 {
	shape := make([]int64, len(in.Dims))
	var mine, fresh []GuessedDim // this input's guessed dims; those not guessed before
	for i, d := range in.Dims {
		p := in.symbol(i)
		v, known := sym[p]
		switch {
		case d >= 0:
			shape[i] = d
		case p != "" && known:
			shape[i] = v
			if g, ok := guessedSymbol(p, b.Guessed, mine); ok { // the same guess again: said once
				mine = append(mine, GuessedDim{Input: in.Name, Index: i, Symbol: p, Size: g.Size})
			}
		case i == 0 && batch > 0:
			shape[i], b.BatchUsed = batch, true
		case IsBatchDim(i, p):
			shape[i] = 1
			if p != "" {
				sym[p] = 1
				b.warnf("dim %q of input %q is unset; using 1 (set it with --dim %s=N)", p, in.Name, p)
			} else {
				b.warnf("dim %d of input %q is free; using 1 (set it with --input %s=DIMS)", i, in.Name, in.Name)
			}
		default:
			size := max(assume, 1)
			shape[i] = size
			if p != "" {
				sym[p] = size
			}
			g := GuessedDim{Input: in.Name, Index: i, Symbol: p, Size: size}
			mine, fresh = append(mine, g), append(fresh, g)
		}
	}
	if len(mine) == 0 {
		return shape
	}
	b.Guessed = append(b.Guessed, mine...)
	hint := inputHint(in, shape, mine)
	b.Hints = append(b.Hints, hint)
	if len(fresh) > 0 {
		how := "took 1"
		if assume > 0 {
			how = fmt.Sprintf("took %d (--assume-free-dims)", assume)
		}
		b.warnf("free dims %s %s: the figures are guessed; set them with %s", guessedNames(fresh), how, fixFlags(fresh, []string{hint}))
	}
	return shape
}

// guessedSymbol finds an earlier guess for a symbol.
func guessedSymbol(p string, lists ...[]GuessedDim) (GuessedDim, bool) {
	for _, l := range lists {
		for _, g := range l {
			if g.Symbol == p {
				return g, true
			}
		}
	}
	return GuessedDim{}, false
}

// inputHint proposes one --input value for an input with guessed dims:
// the sizes known or bound filled in, each guessed dim a placeholder (H
// and W for an image's spatial dims, else its symbol when it reads well,
// else D and its index).
func inputHint(in DeclaredInput, shape []int64, guessed []GuessedDim) string {
	parts := make([]string, len(shape))
	for i, v := range shape {
		parts[i] = strconv.FormatInt(v, 10)
	}
	spatial := map[int]string{}
	if len(shape) == 4 {
		switch {
		case in.Dims[1] >= 1 && in.Dims[1] <= 4: // NCHW
			spatial = map[int]string{2: "H", 3: "W"}
		case in.Dims[3] >= 1 && in.Dims[3] <= 4: // NHWC
			spatial = map[int]string{1: "H", 2: "W"}
		}
	}
	for _, g := range guessed {
		switch name, ok := spatial[g.Index]; {
		case ok:
			parts[g.Index] = name
		case readable(g.Symbol):
			parts[g.Index] = g.Symbol
		default:
			parts[g.Index] = "D" + strconv.Itoa(g.Index)
		}
	}
	return in.Name + "=" + strings.Join(parts, "x")
}

// readable tells a symbol that reads well as a placeholder: a short word,
// not an exporter's generated name (p2o.DynamicDimension.0, unk__12).
func readable(s string) bool {
	if s == "" || len(s) > 12 || strings.ContainsAny(s, ".x_") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func (b *Binding) warnf(format string, args ...any) {
	b.Warnings = append(b.Warnings, fmt.Sprintf(format, args...))
}
