package onnx_test

import (
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
	"github.com/netscore/netscore/internal/graph"
)

const resnet18 = "../../../testdata/models/resnet18_op13_dyn.onnx"

// write puts data in dir/name and returns the path.
func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadFails loads path, which must fail with one line naming the file and
// holding every want substring.
func loadFails(t *testing.T, path string, want ...string) {
	t.Helper()
	m, err := onnx.Load(path)
	if err == nil {
		t.Fatalf("%s: loaded (%d warnings: %v), want an error containing %q", path, len(m.Warnings), m.Warnings, want)
	}
	checkMsg(t, err.Error(), path, want...)
}

func checkMsg(t *testing.T, msg, path string, want ...string) {
	t.Helper()
	if !strings.Contains(msg, path) {
		t.Errorf("error %q does not name the file %s", msg, path)
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error %q spans several lines", msg)
	}
	if len(msg) > 600 {
		t.Errorf("error is %d bytes long: %.200q...", len(msg), msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

// loadModel writes m's bytes to a fresh folder and loads it.
func loadModel(t *testing.T, m *ot.Model) (string, *graph.Model, error) {
	t.Helper()
	p := write(t, t.TempDir(), "model.onnx", m.Bytes())
	g, err := onnx.Load(p)
	return p, g, err
}

// withInit is a Relu model whose graph also holds the initializer w, read
// by an Add.
func withInit(w ot.Tensor) *ot.Model {
	m := ot.Relu(1, 4)
	g := m.Graph
	g.Inits = append(g.Inits, w)
	g.Nodes[0].Out = []string{"r"}
	g.Nodes = append(g.Nodes, ot.Node{Name: "add", Op: "Add", In: []string{"r", w.Name}, Out: []string{"y"}})
	return m
}

func TestBuilderModelLoads(t *testing.T) {
	m := withInit(ot.Weight("w", 1, 4))
	_, g, err := loadModel(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Graph.Nodes) != 2 || g.Graph.Tensors["w"].Role != graph.Weight {
		t.Fatalf("unexpected graph: %+v", g.Graph)
	}
}

func TestNotAModel(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 4096)
	rng.Read(random)
	random[0] = 0xff // a tag byte that cannot start a ModelProto
	tflite := append([]byte{0x1c, 0, 0, 0}, []byte("TFL3\x00\x00\x12\x00")...)
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty.onnx", nil, []string{"empty file"}},
		{"random.onnx", random, []string{"not a valid ONNX model"}},
		{"readme.onnx", []byte("This is not a model.\nJust text, with numbers 1 2 3.\n"), []string{"text file"}},
		{"model.tflite", tflite, []string{"TensorFlow Lite"}},
		{"model.pt", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00archive/data.pkl"), []string{"zip archive"}},
		{"model.h5", []byte("\x89HDF\r\n\x1a\n\x00\x00\x00\x00"), []string{"HDF5"}},
		{"model.onnx.gz", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), []string{"gzip"}},
		{"nograph.onnx", (&ot.Model{IRVersion: 8}).Bytes(), []string{"no graph"}},
		{"bare.onnx", []byte{0x08, 0x07}, []string{"no graph"}},                             // ir_version only
		{"endgroup.onnx", []byte{0x0c}, []string{"corrupt protobuf"}},                       // end-group tag
		{"field0.onnx", []byte{0x00, 0x01}, []string{"invalid field number"}},               // field number 0
		{"longlen.onnx", []byte{0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f}, []string{"truncated"}}, // graph claims 4 GiB
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loadFails(t, write(t, dir, c.name, c.data), c.want...)
		})
	}
}

func TestRealTFLite(t *testing.T) {
	files, _ := filepath.Glob("../../../../shared/models/tflite/*.tflite")
	if len(files) == 0 {
		t.Skip("no TFLite models in ../../../../shared/models/tflite")
	}
	for _, f := range files {
		loadFails(t, f, "TensorFlow Lite")
	}
}

func TestNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	loadFails(t, dir, "is a directory")
	loadFails(t, filepath.Join(dir, "absent.onnx"), "no such file")
	if runtime.GOOS == "windows" {
		return
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		loadFails(t, "/dev/zero", "is a device")
	}
	fifo := filepath.Join(dir, "pipe.onnx")
	if err := mkfifo(fifo); err != nil {
		t.Logf("no FIFO: %v", err)
		return
	}
	// Opening a FIFO for reading blocks until a writer comes: Load must
	// refuse it before opening.
	done := make(chan error, 1)
	go func() { _, err := onnx.Load(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a FIFO loaded")
		}
		checkMsg(t, err.Error(), fifo, "named pipe")
	case <-time.After(5 * time.Second):
		// Unblock the reader so the test process can end.
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		t.Fatal("Load blocked on a FIFO")
	}
}

func TestSymlinkedModelLoads(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	link := filepath.Join(dir, "link.onnx")
	abs, _ := filepath.Abs(resnet18)
	if err := os.Symlink(abs, link); err != nil {
		t.Skip(err)
	}
	if _, err := onnx.Load(link); err != nil {
		t.Fatal(err)
	}
}

func TestTruncated(t *testing.T) {
	data, err := os.ReadFile(resnet18)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Cuts inside the graph or inside a length-delimited field fail.
	for _, cut := range []int{1, 2, 10, 100, 1000, len(data) / 3, len(data) / 2, len(data) - 40, len(data) - 1} {
		p := write(t, dir, "cut.onnx", data[:cut])
		loadFails(t, p)
		if _, err := onnx.Load(p); err != nil && !strings.Contains(err.Error(), "truncated") && !strings.Contains(err.Error(), "no graph") && !strings.Contains(err.Error(), "not a valid") {
			t.Errorf("cut at %d: %v", cut, err)
		}
	}
	// Any cut at all: an error or a model, never a panic.
	for cut := 0; cut < len(data); cut += 7 {
		_, _ = onnx.Decode("cut.onnx", data[:cut])
	}
}

func TestCorruptedBytes(t *testing.T) {
	data, err := os.ReadFile(resnet18)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(2))
	buf := make([]byte, len(data))
	for i := 0; i < 300; i++ {
		copy(buf, data)
		for k := 0; k < 1+rng.Intn(8); k++ {
			buf[rng.Intn(len(buf))] = byte(rng.Intn(256))
		}
		_, _ = onnx.Decode("corrupt.onnx", buf) // must not panic
	}
}

func TestBadTensors(t *testing.T) {
	huge := int64(1) << 40
	cases := []struct {
		name string
		w    ot.Tensor
		want []string
	}{
		{"overflow", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{huge, huge}}, []string{`"w"`, "overflow int64"}},
		{"overflow-bytes", ot.Tensor{Name: "w", DType: ot.Double, Dims: []int64{1 << 31, 1 << 31}}, []string{`"w"`, "overflow int64 bytes"}},
		{"negative", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{4, -3}, Raw: make([]byte, 48)}, []string{`"w"`, "negative dim"}},
		{"raw-short", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1, 4}, Raw: make([]byte, 12)}, []string{`"w"`, "raw_data holds 12 bytes", "need 16"}},
		{"raw-long", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1, 4}, Raw: make([]byte, 20)}, []string{"raw_data holds 20 bytes"}},
		{"typed-count", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1, 4}, Floats: []float32{1, 2, 3}}, []string{`"w"`, "holds 3 values", "need 4"}},
		{"int64-count", ot.Tensor{Name: "w", DType: ot.Int64, Dims: []int64{2}, Int64s: []int64{1, 2, 3}}, []string{"holds 3 values"}},
		{"1e12-no-data", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1000000, 1000000}}, []string{`"w"`, "claims 1000000000000 elements", "no data"}},
		{"1e12-bool-no-data", ot.Tensor{Name: "w", DType: ot.Bool, Dims: []int64{1000000000000}}, []string{"claims 1000000000000 elements"}},
		{"1e12-missing-ext", ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1000000, 1000000}, External: [][2]string{{"location", "w.bin"}}}, []string{"claims 1000000000000 elements", "missing file"}},
		{"dtype", ot.Tensor{Name: "w", DType: 999, Dims: []int64{1}}, []string{"unknown data type 999"}},
		{"dtype0", ot.Tensor{Name: "w", DType: 0, Dims: []int64{1}}, []string{"unknown data type 0"}},
		{"too-many-dims", ot.Tensor{Name: "w", DType: ot.Float, Dims: make([]int64, 65)}, []string{"more than 64 values"}},
		{"long-name", ot.Tensor{Name: strings.Repeat("n", 100000), DType: ot.Float, Dims: []int64{-1}}, []string{"negative dim", "(100000 bytes)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _, err := loadModel(t, withInit(c.w))
			if err == nil {
				t.Fatalf("loaded; want %q", c.want)
			}
			checkMsg(t, err.Error(), p, c.want...)
		})
	}
}

func TestTensorWithoutDataWarns(t *testing.T) {
	_, m, err := loadModel(t, withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1, 4}}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(m.Warnings, "\n"), `"w" has dims [1 4] but no data`) {
		t.Fatalf("warnings %q", m.Warnings)
	}
}

// Values in a typed field of another type (int64_data for a FLOAT tensor)
// are counted but not kept: rules index kept values by shape.
func TestMistypedValuesNotKept(t *testing.T) {
	for _, w := range []ot.Tensor{
		{Name: "w", DType: ot.Float, Dims: []int64{}, Int64s: []int64{7}},
		{Name: "w", DType: ot.Int64, Dims: []int64{2}, Floats: []float32{1, 2}},
	} {
		_, m, err := loadModel(t, withInit(w))
		if err != nil {
			t.Fatal(err)
		}
		tt := m.Graph.Tensors["w"]
		if tt.Ints != nil || tt.Floats != nil {
			t.Errorf("%v: kept values ints=%v floats=%v", w.DType, tt.Ints, tt.Floats)
		}
	}
	// Matching ones are kept.
	_, m, err := loadModel(t, withInit(ot.Tensor{Name: "w", DType: ot.Int64, Dims: []int64{3}, Int64s: []int64{1, -2, 3}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Graph.Tensors["w"].Ints; len(got) != 3 || got[1] != -2 {
		t.Fatalf("ints %v", got)
	}
}

func TestDeclaredDims(t *testing.T) {
	t.Run("negative-input-dim", func(t *testing.T) {
		// Some converters write -1 for a dynamic dim: unknown, with a warning.
		m := ot.Relu(1, 4)
		m.Graph.Inputs[0].Dims = ot.Dims(-1, 4)
		_, g, err := loadModel(t, m)
		if err != nil {
			t.Fatal(err)
		}
		if d := g.Graph.Tensors["x"].Declared[0]; d.Value != graph.Unknown || d.Param != "" {
			t.Fatalf("dim %+v, want unknown", d)
		}
		if w := strings.Join(g.Warnings, "\n"); !strings.Contains(w, `"x" declares dim 0 as -1; treated as unknown`) {
			t.Fatalf("warnings %q", g.Warnings)
		}
	})
	t.Run("overflow", func(t *testing.T) {
		m := ot.Relu(1, 4)
		m.Graph.Inputs[0].Dims = ot.Dims(1<<40, 1<<40)
		p, _, err := loadModel(t, m)
		if err == nil {
			t.Fatal("loaded")
		}
		checkMsg(t, err.Error(), p, `"x"`, "overflows int64")
	})
	t.Run("overflow-bytes", func(t *testing.T) {
		m := ot.Relu(1, 4)
		m.Graph.Inputs[0].Dims = ot.Dims(1<<31, 1<<31)
		p, _, err := loadModel(t, m)
		if err == nil {
			t.Fatal("loaded")
		}
		checkMsg(t, err.Error(), p, "overflows int64")
	})
	t.Run("rank", func(t *testing.T) {
		m := ot.Relu(1, 4)
		m.Graph.Inputs[0].Dims = ot.Dims(make([]int64, 65)...)
		p, _, err := loadModel(t, m)
		if err == nil {
			t.Fatal("loaded")
		}
		checkMsg(t, err.Error(), p, `"x"`, "more than 64 dims")
	})
}

func TestGraphStructure(t *testing.T) {
	cases := []struct {
		name string
		edit func(m *ot.Model)
		want []string
	}{
		{"dup-init", func(m *ot.Model) { m.Graph.Inits = append(m.Graph.Inits, ot.Weight("w", 1, 4)) }, []string{`initializer "w" is defined twice`}},
		{"dup-input", func(m *ot.Model) { m.Graph.Inputs = append(m.Graph.Inputs, m.Graph.Inputs[0]) }, []string{`graph input "x" is declared twice`}},
		{"unnamed-init", func(m *ot.Model) {
			m.Graph.Inits = append(m.Graph.Inits, ot.Tensor{DType: ot.Float, Dims: []int64{1}, Raw: make([]byte, 4)})
		}, []string{"initializer has no name"}},
		{"unnamed-input", func(m *ot.Model) { m.Graph.Inputs = append(m.Graph.Inputs, ot.Value{Elem: ot.Float}) }, []string{"has no name"}},
		{"no-op", func(m *ot.Model) { m.Graph.Nodes[0].Op = "" }, []string{`node "relu" has no op_type`}},
		{"writes-input", func(m *ot.Model) { m.Graph.Nodes[0].Out = []string{"x"} }, []string{`writes "x"`, "already a graph input"}},
		{"two-producers", func(m *ot.Model) { m.Graph.Nodes[1].Out = []string{"r"} }, []string{`"r" is produced by two nodes`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := withInit(ot.Weight("w", 1, 4))
			c.edit(m)
			p, _, err := loadModel(t, m)
			if err == nil {
				t.Fatal("loaded")
			}
			checkMsg(t, err.Error(), p, c.want...)
		})
	}
}

// nestedIf returns a model whose graph nests If nodes depth levels deep.
func nestedIf(depth int) *ot.Model {
	leaf := &ot.Graph{Name: "leaf", Outputs: []ot.Value{{Name: "c", Elem: ot.Bool, NoShape: true}}}
	g := leaf
	for i := 0; i < depth; i++ {
		g = &ot.Graph{
			Name:    "level",
			Nodes:   []ot.Node{{Name: "if", Op: "If", In: []string{"c"}, Out: []string{"o"}, Attrs: []ot.Attr{{Name: "then_branch", Type: 5, G: g}, {Name: "else_branch", Type: 5, G: leaf}}}},
			Outputs: []ot.Value{{Name: "o", Elem: ot.Bool, NoShape: true}},
		}
	}
	g.Inputs = []ot.Value{{Name: "c", Elem: ot.Bool, Dims: ot.Dims()}}
	return &ot.Model{IRVersion: 8, Graph: g}
}

func TestNesting(t *testing.T) {
	if _, _, err := loadModel(t, nestedIf(16)); err != nil {
		t.Fatalf("16 levels: %v", err)
	}
	p, _, err := loadModel(t, nestedIf(17))
	if err == nil {
		t.Fatal("17 levels loaded")
	}
	checkMsg(t, err.Error(), p, "nested deeper than 16 levels")
	if strings.Count(err.Error(), "node") > 1 {
		t.Errorf("error %q repeats its location for every level", err)
	}
	// Very deep nesting in few bytes: refused before any deep recursion.
	p, _, err = loadModel(t, nestedIf(300))
	if err == nil {
		t.Fatal("300 levels loaded")
	}
	checkMsg(t, err.Error(), p, "nested deeper than 16 levels")
}

func TestHugeAttribute(t *testing.T) {
	// 2^20+1 zero varints: over the limit of one repeated attribute.
	m := ot.Relu(1, 4)
	m.Graph.Nodes[0].Attrs = []ot.Attr{{Name: "pads", Type: 7, PackedInts: make([]byte, 1<<20+1)}}
	p, _, err := loadModel(t, m)
	if err == nil {
		t.Fatal("loaded")
	}
	checkMsg(t, err.Error(), p, `node "relu"`, `attribute "pads"`, "more than 1048576 values")

	// A packed field that claims far more bytes than the file holds.
	m = ot.Relu(1, 4)
	m.Graph.Nodes[0].Attrs = []ot.Attr{{Name: "pads", Type: 7}}
	data := m.Bytes()
	// Replace the model's tail with a node whose ints field claims 1 GiB.
	node := []byte{0x22, 0x04, 'R', 'e', 'l', 'u', 0x2a, 0x0a, 0x0a, 0x01, 'p', 0x42, 0x80, 0x80, 0x80, 0x80, 0x04, 0x00}
	graphMsg := append([]byte{0x0a, byte(len(node))}, node...)
	data = append(append(data[:0:0], 0x08, 0x08, 0x3a, byte(len(graphMsg))), graphMsg...)
	p = write(t, t.TempDir(), "claim.onnx", data)
	loadFails(t, p, "truncated")
}

func TestExternalData(t *testing.T) {
	ext := func(kv ...string) ot.Tensor {
		w := ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1, 4}}
		for i := 0; i+1 < len(kv); i += 2 {
			w.External = append(w.External, [2]string{kv[i], kv[i+1]})
		}
		return w
	}
	outside := t.TempDir()
	secret := write(t, outside, "secret.bin", make([]byte, 16))

	cases := []struct {
		name  string
		setup func(dir string)
		w     ot.Tensor
		want  []string
	}{
		{"dotdot", nil, ext("location", "../x.bin"), []string{`location "../x.bin" escapes the model's folder`}},
		{"dotdot-inner", nil, ext("location", "sub/../../x.bin"), []string{"escapes the model's folder"}},
		{"absolute", nil, ext("location", "/etc/passwd"), []string{`"/etc/passwd" escapes the model's folder`}},
		{"empty", nil, ext("offset", "0"), []string{"external data without a location"}},
		{"symlink-out", func(dir string) { must(t, os.Symlink(secret, filepath.Join(dir, "w.bin"))) }, ext("location", "w.bin"), []string{"links outside the model's folder"}},
		{"symlink-dir-out", func(dir string) { must(t, os.Symlink(outside, filepath.Join(dir, "sub"))) }, ext("location", "sub/secret.bin"), []string{"links outside the model's folder"}},
		{"directory", func(dir string) { must(t, os.Mkdir(filepath.Join(dir, "w.bin"), 0o755)) }, ext("location", "w.bin"), []string{`"w.bin" is a directory`}},
		{"dot", nil, ext("location", "."), []string{"is a directory"}},
		{"beyond-end", func(dir string) { write(t, dir, "w.bin", make([]byte, 20)) }, ext("location", "w.bin", "offset", "8"), []string{"lies beyond the end", "(20 bytes)"}},
		{"length-beyond", func(dir string) { write(t, dir, "w.bin", make([]byte, 20)) }, ext("location", "w.bin", "offset", "1000", "length", "16"), []string{"lies beyond the end"}},
		{"huge-offset", func(dir string) { write(t, dir, "w.bin", make([]byte, 20)) }, ext("location", "w.bin", "offset", "9223372036854775807"), []string{"lies beyond the end"}},
		{"bad-offset", nil, ext("location", "w.bin", "offset", "-1"), []string{`bad external-data offset "-1"`}},
		{"bad-length", nil, ext("location", "w.bin", "length", "x"), []string{`bad external-data length "x"`}},
		{"wrong-length", nil, ext("location", "w.bin", "length", "4"), []string{"external-data length 4", "need 16 bytes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil && runtime.GOOS == "windows" && strings.HasPrefix(c.name, "symlink") {
				t.Skip("symlinks")
			}
			dir := t.TempDir()
			if c.setup != nil {
				c.setup(dir)
			}
			p := write(t, dir, "model.onnx", withInit(c.w).Bytes())
			loadFails(t, p, c.want...)
		})
	}
}

func TestExternalDataGood(t *testing.T) {
	dir := t.TempDir()
	// Small integer values are read from the external file; a symlink
	// that stays inside the folder is fine.
	write(t, dir, "data.bin", append(make([]byte, 8), ot.RawInt64s(3, -1)...))
	if runtime.GOOS != "windows" {
		must(t, os.Symlink("data.bin", filepath.Join(dir, "alias.bin")))
	}
	m := ot.Relu(1, 4)
	m.Graph.Inits = []ot.Tensor{{Name: "shape", DType: ot.Int64, Dims: []int64{2}, External: [][2]string{{"location", "alias.bin"}, {"offset", "8"}, {"length", "16"}}}}
	if runtime.GOOS == "windows" {
		m.Graph.Inits[0].External[0][1] = "data.bin"
	}
	p := write(t, dir, "model.onnx", m.Bytes())
	g, err := onnx.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Graph.Tensors["shape"].Ints; len(got) != 2 || got[0] != 3 || got[1] != -1 {
		t.Fatalf("values %v", got)
	}
	// A missing file is a warning: counting needs shapes only.
	m.Graph.Inits[0].External = [][2]string{{"location", "gone.bin"}}
	p = write(t, dir, "model2.onnx", m.Bytes())
	if g, err = onnx.Load(p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(g.Warnings, "\n"), "absent") {
		t.Fatalf("warnings %q", g.Warnings)
	}
}

func TestDecodeTensorHostile(t *testing.T) {
	for _, b := range [][]byte{
		nil,
		{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x10, 0x01}, // dims [-1]
		(&ot.Tensor{DType: ot.Float, Dims: []int64{1 << 40, 1 << 40}}).Bytes(),         // overflow
		(&ot.Tensor{DType: ot.Float, Dims: []int64{1e6, 1e6}}).Bytes(),                 // 10^12, no data
		(&ot.Tensor{DType: ot.Float, Dims: []int64{4}, External: [][2]string{{"location", "/etc/passwd"}}}).Bytes(),
	} {
		if _, err := onnx.DecodeTensor(b); err == nil {
			t.Errorf("DecodeTensor(%x) succeeded", b)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Before the fix, a FLOAT tensor whose values sat in int64_data kept an
// empty value list for its two elements, and Concat sliced past its end.
func TestMistypedValuesConcat(t *testing.T) {
	m := ot.Relu(2)
	m.Graph.Inits = []ot.Tensor{{Name: "w", DType: ot.Float, Dims: []int64{2}, Int64s: []int64{1, 2}}}
	m.Graph.Nodes = []ot.Node{{Name: "cat", Op: "Concat", In: []string{"w", "w"}, Out: []string{"y"}, Attrs: []ot.Attr{{Name: "axis", Type: 2, I: ot.Int(0)}}}}
	_, g, err := loadModel(t, m)
	if err != nil {
		t.Fatal(err)
	}
	ot.Guard(t, nil, func() {
		if _, err := analyze.Analyze(g, analyze.Options{}); err != nil {
			t.Fatal(err)
		}
	})
}
