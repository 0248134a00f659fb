package manifest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Read reads a CSV (columns model|path|name|file, top1, top5, notes,
// latency_ms, and optionally n, latency_ci_low_ms, latency_ci_high_ms,
// input) or YAML (a list of {model, top1, top5, notes, latency_ms, ...})
// manifest. Bad rows are returned as errors naming the row; the good rows
// are still returned.
func Read(path string) ([]Row, []error, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var raw []map[string]string
	var lines []int
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		raw, lines, err = yamlRows(data)
	default:
		raw, lines, err = csvRows(data)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	var rows []Row
	var bad []error
	seen := map[string]int{}
	rowErr := func(line int, format string, args ...any) {
		bad = append(bad, fmt.Errorf("%s line %d: %s", path, line, fmt.Sprintf(format, args...)))
	}
	for i, r := range raw {
		line := lines[i]
		model := firstOf(r, modelKeys...)
		if model == "" {
			rowErr(line, "no model (want a model, path or name column)")
			continue
		}
		if prev, dup := seen[model]; dup {
			rowErr(line, "duplicate model %q (also line %d)", model, prev)
			continue
		}
		seen[model] = line
		row := Row{Line: line, Model: model, Notes: firstOf(r, "notes", "note")}
		var err error
		// A row may hold only a latency (netscore bench before any eval).
		if row.Top1, err = accuracyField(r, "top1", strings.TrimSpace(r["latency_ms"]) == ""); err != nil {
			rowErr(line, "%s: %v", model, err)
			continue
		}
		row.HasTop1 = strings.TrimSpace(r["top1"]) != ""
		if row.Top5, err = accuracyField(r, "top5", false); err != nil {
			rowErr(line, "%s: %v", model, err)
			continue
		}
		if row.LatencyMS, err = accuracyField(r, "latency_ms", false); err != nil || row.LatencyMS < 0 {
			rowErr(line, "%s: latency_ms %q is not a positive number", model, r["latency_ms"])
			continue
		}
		if err := readUncertainty(r, &row); err != nil {
			rowErr(line, "%s: %v", model, err)
			continue
		}
		row.Input = strings.TrimSpace(r["input"])
		if _, err := ParseInput(row.Input); err != nil {
			rowErr(line, "%s: input %q: %v", model, row.Input, err)
			continue
		}
		for _, cand := range []string{filepath.Join(filepath.Dir(path), model), model} {
			if st, err := os.Stat(cand); err == nil && !st.IsDir() {
				row.Path = cand
				break
			}
		}
		rows = append(rows, row)
	}
	return rows, bad, nil
}

func firstOf(r map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(r[k]); v != "" {
			return v
		}
	}
	return ""
}

// accuracyField parses a top-1/top-5 cell; it must be a number.
func accuracyField(r map[string]string, key string, required bool) (float64, error) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r[key]), "%"))
	if s == "" {
		if required {
			return 0, fmt.Errorf("no %s accuracy", key)
		}
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is not a number", key, r[key])
	}
	return v, nil
}

func csvRows(data []byte) ([]map[string]string, []int, error) {
	var kept []string
	var lineNo []int
	for i, l := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.TrimSpace(l) == "" {
			continue
		}
		kept = append(kept, l)
		lineNo = append(lineNo, i+1)
	}
	if len(kept) == 0 {
		return nil, nil, errors.New("empty manifest")
	}
	cr := csv.NewReader(strings.NewReader(strings.Join(kept, "\n")))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, nil, err
	}
	header := recs[0]
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, v := range rec {
			if i < len(header) {
				m[header[i]] = v
			}
		}
		out = append(out, m)
	}
	return out, lineNo[1:], nil
}

func yamlRows(data []byte) ([]map[string]string, []int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil, errors.New("empty manifest")
	}
	list, err := yamlList(&doc)
	if err != nil {
		return nil, nil, err
	}
	var out []map[string]string
	var lines []int
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			return nil, nil, fmt.Errorf("line %d: want a mapping {model, top1, ...}", item.Line)
		}
		m := map[string]string{}
		for i := 0; i+1 < len(item.Content); i += 2 {
			m[strings.ToLower(item.Content[i].Value)] = item.Content[i+1].Value
		}
		out = append(out, m)
		lines = append(lines, item.Line)
	}
	return out, lines, nil
}

// yamlList is a YAML manifest's list of rows: the document itself, or the
// first list under a key ({models: [...]}).
func yamlList(doc *yaml.Node) (*yaml.Node, error) {
	list := doc.Content[0]
	if list.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(list.Content); i += 2 {
			if list.Content[i+1].Kind == yaml.SequenceNode {
				list = list.Content[i+1]
				break
			}
		}
	}
	if list.Kind != yaml.SequenceNode {
		return nil, errors.New("want a list of {model, top1, top5, notes}")
	}
	return list, nil
}

// readUncertainty reads the optional n (images the top-1 was measured on)
// and latency_ci_low_ms/latency_ci_high_ms (the median latency's interval)
// cells.
func readUncertainty(r map[string]string, row *Row) error {
	if s := strings.TrimSpace(r["n"]); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 1:
			return fmt.Errorf("n %q is not a positive whole number of images", r["n"])
		case !row.HasTop1:
			return errors.New("n without a top-1")
		}
		row.N = n
	}
	lo, err := accuracyField(r, "latency_ci_low_ms", false)
	if err != nil {
		return err
	}
	hi, err := accuracyField(r, "latency_ci_high_ms", false)
	if err != nil {
		return err
	}
	switch {
	case lo == 0 && hi == 0:
		return nil
	case row.LatencyMS == 0:
		return errors.New("a latency interval without latency_ms")
	case !(lo > 0 && lo <= row.LatencyMS && row.LatencyMS <= hi):
		return fmt.Errorf("latency interval [%v, %v] does not hold latency_ms %v", lo, hi, row.LatencyMS)
	}
	row.LatencyCILow, row.LatencyCIHigh = lo, hi
	return nil
}
