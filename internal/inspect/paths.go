package inspect

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/netscore/netscore/internal/format"
)

// Expand turns files, folders (searched recursively for the registered
// model extensions) and glob patterns into model files, in the order given,
// each once. Arguments that name nothing are returned as errors.
func Expand(args []string) ([]string, []error) {
	var out []string
	var errs []error
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			matches, err := filepath.Glob(a)
			if err != nil || len(matches) == 0 {
				errs = append(errs, fmt.Errorf("%s: matches no file", a))
			}
			for _, m := range matches {
				add(m)
			}
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		n := len(out)
		_ = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && format.IsModelFile(p) {
				add(p)
			}
			return nil
		})
		if len(out) == n {
			errs = append(errs, fmt.Errorf("%s: no model files in this folder", a))
		}
	}
	return out, errs
}

// ExpandFolders replaces each folder argument by its model files (a folder
// without any is an error); other arguments stay as given, to fail on
// their own when read.
func ExpandFolders(args []string) ([]string, []error) {
	var out []string
	var errs []error
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			files, ferrs := Expand([]string{a})
			out, errs = append(out, files...), append(errs, ferrs...)
			continue
		}
		out = append(out, a)
	}
	return out, errs
}
