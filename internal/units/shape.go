package units

import (
	"fmt"
	"strconv"
	"strings"
)

// Shape writes a tensor shape the one way every output does: 1x3x224x224,
// "?" for an unknown dim, "scalar" for rank 0 and "unknown" for a nil shape
// (rank unknown).
func Shape(dims []int64) string { return DeclaredShape(dims, nil) }

// DeclaredShape is Shape with the symbolic names of free dims: a dim < 0
// with a symbol prints the symbol (1x3xHxW).
func DeclaredShape(dims []int64, symbols []string) string {
	if dims == nil {
		return "unknown"
	}
	if len(dims) == 0 {
		return "scalar"
	}
	parts := make([]string, len(dims))
	for i, d := range dims {
		switch {
		case d >= 0:
			parts[i] = strconv.FormatInt(d, 10)
		case i < len(symbols) && symbols[i] != "":
			parts[i] = symbols[i]
		default:
			parts[i] = "?"
		}
	}
	return strings.Join(parts, "x")
}

// Shapes writes several shapes joined by sep.
func Shapes(list [][]int64, sep string) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = Shape(s)
	}
	return strings.Join(parts, sep)
}

// MaxDim bounds a dim a user may give: larger sizes are typing mistakes
// and would overflow the counts.
const MaxDim = 1 << 40

// ParseShape reads 1x3x224x224 (also 1,3,224,224; "" or "scalar" for rank 0).
func ParseShape(s string) ([]int64, error) {
	if s == "" || s == "scalar" {
		return []int64{}, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == 'x' || r == 'X' || r == ',' })
	dims := make([]int64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || v < 0 || v > MaxDim {
			return nil, fmt.Errorf("bad dim %q in %q (want sizes like 1x3x224x224)", p, s)
		}
		dims[i] = v
	}
	return dims, nil
}
