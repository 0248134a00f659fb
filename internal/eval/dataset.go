// Package eval measures an image classifier's accuracy on a labelled image
// set: it lists the images (a torchvision ImageFolder tree or a CSV list),
// feeds them in batches to a model through caller-supplied decode and
// inference functions, and accumulates top-1, top-k, per-class accuracy and
// the most confused class pairs. It also writes the measured accuracy into
// an accuracy manifest. It knows nothing of ONNX Runtime or image decoding,
// so everything here is testable without either.
package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Extensions are the file name endings (lower case) listed as images; the
// others are counted in Dataset.Ignored. The CLI sets them to what its
// decoder reads.
var Extensions = []string{".jpg", ".jpeg", ".png"}

// IsImage reports whether name ends in one of Extensions (any case).
func IsImage(name string) bool {
	return slices.Contains(Extensions, strings.ToLower(filepath.Ext(name)))
}

// Sample is one labelled image.
type Sample struct {
	Path  string
	Label int // class index: the model's output index
}

// Dataset is a listed image set.
type Dataset struct {
	Source  string   // the folder or CSV file listed
	Kind    string   // "folder" or "csv"
	Classes []string // class index -> display name (may be longer than the classes present)
	Samples []Sample // in listing order
	Ignored int      // files skipped for their extension
	Notes   []string // how the listing was interpreted
}

// ClassName is a class's display name, or its index when unnamed.
func (d *Dataset) ClassName(i int) string {
	if i >= 0 && i < len(d.Classes) && d.Classes[i] != "" {
		return d.Classes[i]
	}
	return strconv.Itoa(i)
}

// MaxLabel is the largest label of any sample, -1 for none.
func (d *Dataset) MaxLabel() int {
	m := -1
	for _, s := range d.Samples {
		m = max(m, s.Label)
	}
	return m
}

// Limit keeps n samples spread evenly over the listing (sample i*len/n for
// i < n), so that a sorted ImageFolder keeps every class rather than the
// first classes only. n <= 0 or n >= len keeps everything.
func (d *Dataset) Limit(n int) {
	if n <= 0 || n >= len(d.Samples) {
		return
	}
	total := len(d.Samples)
	kept := make([]Sample, n)
	for i := range kept {
		kept[i] = d.Samples[i*total/n]
	}
	d.Samples = kept
}

// Open lists path: a folder as an ImageFolder, a file as a CSV list.
// labels (from ReadLabels, may be nil) names the classes; see ListFolder
// and ListCSV for how.
func Open(path string, labels []string) (*Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return ListFolder(path, labels)
	}
	return ListCSV(path, labels)
}

// ListFolder lists an ImageFolder tree the way torchvision's
// datasets.ImageFolder does: every subfolder of dir is a class, class index
// = position in the sorted folder names, and a class's images are the files
// with an image extension anywhere below its folder (symbolic links
// followed), folder by folder in sorted path order, files sorted by name.
// Hidden folders (name starting with '.') are not classes; this differs
// from torchvision, which would fail on them, and is noted.
//
// With labels: when every folder name is a label (a whole line, or a line's
// first word, as in ImageNet's "n01440764 tench, Tinca tinca"), a folder's
// class index is its label's line, so a subset of a model's classes can be
// evaluated; otherwise labels must have one line per folder and only names
// the classes.
func ListFolder(dir string, labels []string) (*Dataset, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{Source: dir, Kind: "folder"}
	var folders, hidden []string
	for _, e := range entries {
		if !isDir(filepath.Join(dir, e.Name()), e) {
			continue
		}
		if strings.HasPrefix(e.Name(), ".") {
			hidden = append(hidden, e.Name())
			continue
		}
		folders = append(folders, e.Name())
	}
	slices.Sort(folders)
	if len(hidden) > 0 {
		ds.Notes = append(ds.Notes, fmt.Sprintf("hidden folders are not classes: %s", strings.Join(hidden, ", ")))
	}
	if len(folders) == 0 {
		return nil, fmt.Errorf("%s: no class folders (want one subfolder of images per class, as torchvision's ImageFolder)", dir)
	}
	index := make([]int, len(folders))
	switch {
	case labels == nil:
		ds.Classes = folders
		for i := range index {
			index[i] = i
		}
	default:
		keys := labelKeys(labels)
		var missing []string
		for i, f := range folders {
			j, ok := keys[f]
			if !ok {
				missing = append(missing, f)
			}
			index[i] = j
		}
		switch {
		case len(missing) == 0:
			ds.Classes = labels
			if len(folders) < len(labels) {
				ds.Notes = append(ds.Notes, fmt.Sprintf("%d of the %d classes in the labels file have a folder", len(folders), len(labels)))
			}
		case len(labels) == len(folders):
			ds.Classes = labels
			for i := range index {
				index[i] = i
			}
			ds.Notes = append(ds.Notes, "labels file names the class folders by position (the folder names are not in it)")
		default:
			return nil, fmt.Errorf("%s: %d class folders, the labels file has %d names and lacks folder(s) %s", dir, len(folders), len(labels), quoteFew(missing))
		}
	}
	var empty []string
	for i, f := range folders {
		n := len(ds.Samples)
		if err := walkImages(filepath.Join(dir, f), index[i], ds); err != nil {
			return nil, err
		}
		if len(ds.Samples) == n {
			empty = append(empty, f)
		}
	}
	if len(empty) > 0 {
		ds.Notes = append(ds.Notes, fmt.Sprintf("class folders without images: %s", quoteFew(empty)))
	}
	if len(ds.Samples) == 0 {
		return nil, fmt.Errorf("%s: no images (%s) in its %d class folders", dir, strings.Join(Extensions, " "), len(folders))
	}
	return ds, nil
}

// walkImages appends the images below dir in torchvision's order, which
// sorts os.walk's (folder, files) pairs by folder path: "c/a" < "c/a b" <
// "c/a/x" as strings, not depth first. Files are sorted by name.
func walkImages(dir string, label int, ds *Dataset) error {
	type folder struct {
		path  string
		files []string
	}
	var all []folder
	seen := map[string]bool{}
	var walk func(string) error
	walk = func(d string) error {
		real, err := filepath.EvalSymlinks(d)
		if err != nil {
			return err
		}
		if seen[real] { // a link back up the tree
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(d)
		if err != nil {
			return err
		}
		f := folder{path: d}
		var subdirs []string
		for _, e := range entries {
			p := filepath.Join(d, e.Name())
			switch {
			case isDir(p, e):
				subdirs = append(subdirs, p)
			case IsImage(e.Name()):
				f.files = append(f.files, p)
			default:
				ds.Ignored++
			}
		}
		all = append(all, f)
		for _, s := range subdirs {
			if err := walk(s); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(dir); err != nil {
		return err
	}
	slices.SortFunc(all, func(a, b folder) int { return strings.Compare(a.path, b.path) })
	for _, f := range all {
		slices.Sort(f.files)
		for _, p := range f.files {
			ds.Samples = append(ds.Samples, Sample{Path: p, Label: label})
		}
	}
	return nil
}

func isDir(path string, e os.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&os.ModeSymlink != 0 {
		st, err := os.Stat(path)
		return err == nil && st.IsDir()
	}
	return false
}

// ListCSV reads a CSV list of images: columns path,label, an optional
// header row (path|file|filename|image, label|class|target), blank lines
// and lines starting with '#' skipped. A relative path is relative to the
// CSV file's folder. A label is a class index or a class name:
//
//   - indices are the model's output indices; labels, when given, name them
//     (an index beyond the labels file is an error);
//   - names are looked up in labels (a whole line or its first word); without
//     labels the sorted distinct names are the classes, as ImageFolder
//     sorts its folders.
//
// Indices and names cannot be mixed without a labels file.
func ListCSV(path string, labels []string) (*Dataset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !isText(data) {
		return nil, fmt.Errorf("%s: not a folder or a CSV list of images (path,label)", path)
	}
	var kept []string
	var lineNo []int
	for i, l := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		kept = append(kept, l)
		lineNo = append(lineNo, i+1)
	}
	cr := csv.NewReader(strings.NewReader(strings.Join(kept, "\n")))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var recs [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		recs = append(recs, rec)
	}
	pathCol, labelCol := 0, 1
	if len(recs) > 0 {
		if pc, lc, ok := csvHeader(recs[0]); ok {
			pathCol, labelCol = pc, lc
			recs, lineNo = recs[1:], lineNo[1:]
		}
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no images listed (want rows path,label)", path)
	}
	base := filepath.Dir(path)
	ds := &Dataset{Source: path, Kind: "csv"}
	cells := make([]string, len(recs))
	var names []string // label cells that are not indices
	for i, rec := range recs {
		if len(rec) <= max(pathCol, labelCol) {
			return nil, fmt.Errorf("%s line %d: want path,label, got %d field(s)", path, csvLine(lineNo, i), len(rec))
		}
		p, lab := strings.TrimSpace(rec[pathCol]), strings.TrimSpace(rec[labelCol])
		if p == "" || lab == "" {
			return nil, fmt.Errorf("%s line %d: empty path or label", path, csvLine(lineNo, i))
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(base, filepath.FromSlash(p))
		}
		ds.Samples = append(ds.Samples, Sample{Path: p})
		cells[i] = lab
		if _, err := strconv.Atoi(lab); err != nil {
			names = append(names, lab)
		}
	}
	byName := map[string]int{}
	switch {
	case labels != nil:
		byName = labelKeys(labels)
		ds.Classes = labels
	case len(names) == len(recs):
		slices.Sort(names)
		names = slices.Compact(names)
		for i, n := range names {
			byName[n] = i
		}
		ds.Classes = names
	case len(names) > 0:
		return nil, fmt.Errorf("%s: labels mix class indices and names (e.g. %q); use one or the other, or give --labels", path, names[0])
	}
	for i, lab := range cells {
		if v, err := strconv.Atoi(lab); err == nil {
			if v < 0 {
				return nil, fmt.Errorf("%s line %d: negative label %d", path, csvLine(lineNo, i), v)
			}
			if labels != nil && v >= len(labels) {
				return nil, fmt.Errorf("%s line %d: label %d but the labels file has %d classes", path, csvLine(lineNo, i), v, len(labels))
			}
			ds.Samples[i].Label = v
			continue
		}
		v, ok := byName[lab]
		if !ok {
			return nil, fmt.Errorf("%s line %d: class %q is not in the labels file", path, csvLine(lineNo, i), lab)
		}
		ds.Samples[i].Label = v
	}
	if ds.Classes == nil { // indices only, unnamed
		ds.Classes = make([]string, ds.MaxLabel()+1)
		for i := range ds.Classes {
			ds.Classes[i] = strconv.Itoa(i)
		}
	}
	return ds, nil
}

var (
	pathHeaders  = []string{"path", "file", "filename", "file_name", "image", "img", "image_path"}
	labelHeaders = []string{"label", "class", "target", "class_id", "category", "y"}
)

// csvHeader finds the path and label columns of a header row.
func csvHeader(rec []string) (pathCol, labelCol int, ok bool) {
	pathCol, labelCol = -1, -1
	for i, c := range rec {
		c = strings.ToLower(strings.TrimSpace(c))
		if pathCol < 0 && slices.Contains(pathHeaders, c) {
			pathCol = i
		} else if labelCol < 0 && slices.Contains(labelHeaders, c) {
			labelCol = i
		}
	}
	return pathCol, labelCol, pathCol >= 0 && labelCol >= 0
}

func csvLine(lineNo []int, i int) int {
	if i < len(lineNo) {
		return lineNo[i]
	}
	return 0
}

// ReadLabels reads a labels file: one class name per line, the line's
// position (from 0) being the class index. Trailing blank lines are
// dropped; a blank line inside is an error.
func ReadLabels(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !isText(data) {
		return nil, fmt.Errorf("%s: not a text file (want one class name per line)", path)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: no class names", path)
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
		if lines[i] == "" {
			return nil, fmt.Errorf("%s line %d: empty class name (one name per line; the line number is the class index)", path, i+1)
		}
	}
	return lines, nil
}

// labelKeys maps each label line, and its first word, to its index; the
// first occurrence wins.
func labelKeys(labels []string) map[string]int {
	keys := map[string]int{}
	for i, l := range labels {
		if _, ok := keys[l]; !ok {
			keys[l] = i
		}
	}
	for i, l := range labels {
		if w := firstWord(l); w != l {
			if _, ok := keys[w]; !ok {
				keys[w] = i
			}
		}
	}
	return keys
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t,:"); i > 0 {
		return s[:i]
	}
	return s
}

func quoteFew(names []string) string {
	const show = 5
	q := make([]string, 0, show)
	for _, n := range names[:min(show, len(names))] {
		q = append(q, strconv.Quote(n))
	}
	s := strings.Join(q, ", ")
	if len(names) > show {
		s += fmt.Sprintf(" and %d more", len(names)-show)
	}
	return s
}

// isText rejects binary files handed where text is expected.
func isText(data []byte) bool {
	head := data[:min(len(data), 4096)]
	return !slices.Contains(head, 0)
}

// ErrNoImages is returned by Run when no image could be decoded.
var ErrNoImages = errors.New("no image could be read")
