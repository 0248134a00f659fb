package manifest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// values are the cells the row sets, by column.
func (r Row) values() map[string]string {
	v := map[string]string{}
	if r.HasTop1 {
		v["top1"], v["top5"], v["notes"] = formatAccuracy(r.Top1), formatAccuracy(r.Top5), r.Notes
		v["n"] = "" // a new top-1 replaces the old one's n
		if r.N > 0 {
			v["n"] = strconv.Itoa(r.N)
		}
	}
	if r.LatencyMS > 0 {
		v["latency_ms"] = strconv.FormatFloat(r.LatencyMS, 'g', 6, 64)
		v["latency_ci_low_ms"], v["latency_ci_high_ms"] = "", ""
		if r.LatencyCIHigh > 0 {
			v["latency_ci_low_ms"] = strconv.FormatFloat(r.LatencyCILow, 'g', 6, 64)
			v["latency_ci_high_ms"] = strconv.FormatFloat(r.LatencyCIHigh, 'g', 6, 64)
		}
	}
	return v
}

// addedColumns are the optional columns a row's values add to a CSV
// header that lacks them, in this order.
var addedColumns = []string{"latency_ms", "n", "latency_ci_low_ms", "latency_ci_high_ms"}

// Update writes row into the manifest at path: it replaces the top1, top5
// and notes of the model's row (only its latency_ms when the row has no
// top-1, as bench writes it) when there is one (the same text,
// the same file, or the model's file name without extension), else appends
// a row. A missing file is created (CSV with the header
// model,top1,top5,notes; YAML as a list). CSV unless the name ends in
// .yaml or .yml. The file is replaced atomically (a temporary file renamed
// over it), so a reader never sees half of it. It reports whether an
// existing row was updated.
func Update(path string, row Row) (updated bool, err error) {
	if row.Model == "" {
		return false, errors.New("no model name")
	}
	switch {
	case row.HasTop1 && (math.IsInf(row.Top1, 0) || math.IsNaN(row.Top1)):
		return false, fmt.Errorf("top-1 %v is not a number", row.Top1)
	case !row.HasTop1 && !(row.LatencyMS > 0):
		return false, errors.New("nothing to record: no top-1 and no latency")
	}
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real // write through a link, not over it
	}
	data, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data = nil
	case err != nil:
		return false, err
	}
	// Name the model so the manifest reads the same from any working
	// directory: relative to the manifest (where readers look first) when it
	// lies in the manifest's folder, else by its absolute path.
	if _, err := os.Stat(row.Model); err == nil {
		if rel, err := relTo(filepath.Dir(path), row.Model); err == nil && filepath.IsLocal(filepath.FromSlash(rel)) {
			row.Model = rel
		} else if abs, err := filepath.Abs(row.Model); err == nil {
			row.Model = abs
		}
	}
	var out []byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		out, updated, err = updateYAML(data, filepath.Dir(path), row)
	default:
		out, updated, err = updateCSV(data, filepath.Dir(path), row)
	}
	if err != nil {
		return false, fmt.Errorf("%s: %v", path, err)
	}
	return updated, writeAtomic(target, out)
}

// relTo is target's path relative to dir, in slash form.
func relTo(dir, target string) (string, error) {
	ad, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	at, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(ad, at)
	return filepath.ToSlash(rel), err
}

// formatAccuracy writes a percentage with at most 4 decimals; 0 and NaN
// (not measured) leave the cell empty.
func formatAccuracy(v float64) string {
	if math.IsNaN(v) || v == 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
}

func updateCSV(data []byte, dir string, row Row) ([]byte, bool, error) {
	values := row.values()
	if len(bytes.TrimSpace(data)) == 0 {
		header, rec := []string{"model", "top1", "top5", "notes"}, []string{row.Model, values["top1"], values["top5"], values["notes"]}
		for _, k := range addedColumns {
			if v := values[k]; v != "" {
				header, rec = append(header, k), append(rec, v)
			}
		}
		return encodeCSV(rec, string(encodeCSV(header, "", "\n")), "\n"), false, nil
	}
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	trailing := lines[len(lines)-1] == ""
	if trailing {
		lines = lines[:len(lines)-1]
	}
	var header []string
	modelCols := []int{}
	col := map[string]int{}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		rec, err := parseCSVLine(l)
		if err != nil {
			if header == nil {
				return nil, false, fmt.Errorf("line %d: %v", i+1, err)
			}
			continue // a row the reader will report; leave it as it is
		}
		if header == nil {
			header = rec
			for j, h := range header {
				h = strings.ToLower(strings.TrimSpace(h))
				if _, dup := col[h]; !dup {
					col[h] = j
				}
			}
			for _, k := range modelKeys {
				if j, ok := col[k]; ok {
					modelCols = append(modelCols, j)
				}
			}
			if len(modelCols) == 0 {
				return nil, false, fmt.Errorf("line %d: the header has no model column (want model,top1,top5,notes)", i+1)
			}
			if _, ok := col["top1"]; !ok {
				return nil, false, fmt.Errorf("line %d: the header has no top1 column (want model,top1,top5,notes)", i+1)
			}
			// A latency, an n or an interval needs its column; a manifest
			// without top5 or notes columns is left without them.
			for _, k := range addedColumns {
				if _, have := col[k]; !have && values[k] != "" {
					col[k] = len(header)
					header = append(header, k)
					lines[i] = strings.TrimSuffix(string(encodeCSV(header, "", "\n")), "\n")
				}
			}
			continue
		}
		entry := ""
		for _, j := range modelCols { // the reader's first non-empty model cell
			if j < len(rec) && strings.TrimSpace(rec[j]) != "" {
				entry = rec[j]
				break
			}
		}
		if !Matches(entry, row.Model, dir) {
			continue
		}
		for len(rec) < len(header) {
			rec = append(rec, "")
		}
		for k, v := range values {
			if j, ok := col[k]; ok {
				rec[j] = v
			}
		}
		lines[i] = strings.TrimSuffix(string(encodeCSV(rec, "", "\n")), "\n")
		return []byte(strings.Join(lines, nl) + nl), true, nil
	}
	if header == nil {
		return nil, false, errors.New("no header row (want model,top1,top5,notes)")
	}
	rec := make([]string, len(header))
	rec[modelCols[0]] = row.Model
	for k, v := range values {
		if j, ok := col[k]; ok {
			rec[j] = v
		}
	}
	text := strings.Join(lines, nl) + nl
	return encodeCSV(rec, text, nl), false, nil
}

func parseCSVLine(l string) ([]string, error) {
	cr := csv.NewReader(strings.NewReader(l))
	cr.FieldsPerRecord = -1
	return cr.Read()
}

// encodeCSV appends one record to prefix.
func encodeCSV(rec []string, prefix, nl string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = nl == "\r\n"
	_ = w.Write(rec) // writing to a buffer does not fail
	w.Flush()
	return append([]byte(prefix), b.Bytes()...)
}

func updateYAML(data []byte, dir string, row Row) ([]byte, bool, error) {
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, false, err
		}
	}
	if len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.SequenceNode, Tag: "!!seq"}}}
	}
	list, err := yamlList(&doc)
	if err != nil {
		return nil, false, err
	}
	set := func(item *yaml.Node, key, value, tag string) {
		for i := 0; i+1 < len(item.Content); i += 2 {
			if strings.EqualFold(item.Content[i].Value, key) {
				if value == "" {
					item.Content = slices.Delete(item.Content, i, i+2)
					return
				}
				item.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
				return
			}
		}
		if value != "" {
			item.Content = append(item.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value})
		}
	}
	values := row.values()
	fill := func(item *yaml.Node) {
		for _, k := range []string{"top1", "top5", "notes", "latency_ms", "n", "latency_ci_low_ms", "latency_ci_high_ms"} {
			v, ok := values[k]
			if !ok {
				continue
			}
			tag := "" // plain: 71, not !!float 71
			if k == "notes" {
				tag = "!!str"
			}
			set(item, k, v, tag)
		}
	}
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		entry := ""
		for _, k := range modelKeys {
			for i := 0; i+1 < len(item.Content) && entry == ""; i += 2 {
				if strings.EqualFold(item.Content[i].Value, k) {
					entry = strings.TrimSpace(item.Content[i+1].Value)
				}
			}
		}
		if Matches(entry, row.Model, dir) {
			fill(item)
			out, err := encodeYAML(&doc)
			return out, true, err
		}
	}
	item := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	set(item, "model", row.Model, "!!str")
	fill(item)
	list.Content = append(list.Content, item)
	list.Style &^= yaml.FlowStyle
	out, err := encodeYAML(&doc)
	return out, false, err
}

func encodeYAML(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeAtomic replaces path with data: a temporary file in the same folder,
// synced, then renamed over path. An existing file's permissions are kept.
func writeAtomic(path string, data []byte) (err error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
