//go:build ort && cgo

package ort

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/netscore/netscore/internal/graph"
)

// Enabled reports whether this build can run models (built with -tags ort).
const Enabled = true

var (
	initOnce sync.Once
	initErr  error
	initPath string
)

// Load finds and loads the ORT shared library once per process, and
// returns its path and version. Open calls it; call it first to time the
// library load apart from session creation.
func Load() (path, version string, err error) {
	initOnce.Do(func() {
		p, err := LibraryPath()
		if err != nil {
			initErr = err
			return
		}
		ortgo.SetSharedLibraryPath(p)
		if err := ortgo.InitializeEnvironment(ortgo.WithLogLevelFatal()); err != nil { // errors come back as statuses
			initErr = fmt.Errorf("ONNX Runtime at %s could not be loaded (netscore needs ORT >= %s): %s; %s",
				p, MinVersion, oneLine(err), installHint)
			return
		}
		initPath = p
	})
	if initErr != nil {
		return "", "", initErr
	}
	return initPath, ortgo.GetVersion(), nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// Session is a model loaded into ORT. Run may be called from several
// goroutines at once.
type Session struct {
	path            string
	inputs, outputs []TensorInfo
	dyn             *ortgo.DynamicAdvancedSession
	created         time.Duration
}

// Open loads the runtime (first call only) and creates a CPU session for
// a model.
func Open(modelPath string, opt Options) (*Session, error) {
	if _, _, err := Load(); err != nil {
		return nil, err
	}
	so, err := ortgo.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("onnxruntime: %s", oneLine(err))
	}
	defer so.Destroy()
	if opt.Threads < 0 {
		return nil, fmt.Errorf("threads must be >= 0, got %d", opt.Threads)
	}
	if opt.Threads > 0 {
		if err := so.SetIntraOpNumThreads(opt.Threads); err != nil {
			return nil, fmt.Errorf("onnxruntime: %s", oneLine(err))
		}
	}
	s := &Session{path: modelPath}
	s.inputs, s.outputs, err = ModelIO(modelPath)
	if err != nil {
		// netscore's reader refused the file; ask ORT itself (this builds
		// a throw-away session, so it is only the fallback).
		ins, outs, oerr := ortgo.GetInputOutputInfoWithOptions(modelPath, so)
		if oerr != nil {
			return nil, fmt.Errorf("%s: onnxruntime: %s", modelPath, oneLine(oerr))
		}
		s.inputs, s.outputs = fromORTInfo(ins), fromORTInfo(outs)
	}
	names := func(ts []TensorInfo) []string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = t.Name
		}
		return out
	}
	if len(s.inputs) == 0 || len(s.outputs) == 0 {
		return nil, fmt.Errorf("%s: the model has no inputs or no outputs", modelPath)
	}
	start := time.Now()
	s.dyn, err = ortgo.NewDynamicAdvancedSession(modelPath, names(s.inputs), names(s.outputs), so)
	s.created = time.Since(start)
	if err != nil {
		msg := strings.TrimPrefix(oneLine(err), "Error creating C session from file: ")
		return nil, fmt.Errorf("%s: onnxruntime: %s", modelPath, msg)
	}
	return s, nil
}

func fromORTInfo(in []ortgo.InputOutputInfo) []TensorInfo {
	out := make([]TensorInfo, len(in))
	for i, v := range in {
		out[i] = TensorInfo{Name: v.Name, DType: graph.DType(v.DataType),
			NotTensor: v.OrtValueType != ortgo.ONNXTypeTensor}
		if !out[i].NotTensor {
			out[i].Shape = append([]int64{}, v.Dimensions...)
			out[i].DimParams = make([]string, len(v.Dimensions))
			for j, d := range out[i].Shape {
				if d < 0 {
					out[i].Shape[j] = -1
				}
			}
		}
	}
	return out
}

// Inputs are the values Run needs, in the model's order.
func (s *Session) Inputs() []TensorInfo { return s.inputs }

// Outputs are the values Run returns, in the model's order.
func (s *Session) Outputs() []TensorInfo { return s.outputs }

// CreateTime is how long ORT took to create the session (graph
// optimisation, kernel selection, weight loading), library load excluded.
func (s *Session) CreateTime() time.Duration { return s.created }

// Close frees the session.
func (s *Session) Close() error {
	if s == nil || s.dyn == nil {
		return nil
	}
	err := s.dyn.Destroy()
	s.dyn = nil
	return err
}

// Run runs the model once on inputs keyed by name and returns every
// output. Input slices are used in place, not copied.
func (s *Session) Run(in map[string]*Tensor) (map[string]*Tensor, error) {
	b, err := s.Bind(in)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	b.dynamic = true // one run: nothing to pre-allocate for
	if err := b.Run(); err != nil {
		return nil, err
	}
	return b.Outputs(), nil
}

// Binding holds a session's input values and, once their shapes are known,
// pre-allocated outputs bound to an ORT IoBinding, so that each repeated
// run is one call into ORT (RunWithBinding) with nothing to convert or
// allocate: the path `netscore bench` times. Outputs whose shape changes
// from run to run (data-dependent sizes) make it fall back to letting ORT
// allocate them on each run.
type Binding struct {
	s       *Session
	inputs  []ortgo.Value
	outputs []ortgo.Value    // pre-allocated outputs; nil: ORT allocates on each run
	host    []*Tensor        // the Go tensors behind the pre-allocated outputs
	last    []*Tensor        // outputs ORT allocated in the last run
	ready   bool             // every output is pre-allocated
	inHost  bool             // the last run wrote into host
	io      *ortgo.IoBinding // inputs and pre-allocated outputs, once ready
	dynamic bool             // outputs changed shape between runs: never pre-allocate
	closed  bool
}

// Bind prepares repeated runs on fixed inputs. The tensors' slices are
// shared with ORT: changing their contents between runs changes the inputs.
func (s *Session) Bind(in map[string]*Tensor) (*Binding, error) {
	if s.dyn == nil {
		return nil, errors.New("session is closed")
	}
	for name := range in {
		if !hasInput(s.inputs, name) {
			return nil, fmt.Errorf("the model has no input %q (inputs: %s)", name, infoNames(s.inputs))
		}
	}
	n := len(s.outputs)
	b := &Binding{s: s, outputs: make([]ortgo.Value, n), host: make([]*Tensor, n), last: make([]*Tensor, n)}
	for _, info := range s.inputs {
		t, ok := in[info.Name]
		if !ok {
			b.Close()
			return nil, fmt.Errorf("input %q not given (inputs: %s)", info.Name, infoNames(s.inputs))
		}
		if err := t.check(info.Name); err != nil {
			b.Close()
			return nil, err
		}
		if info.DType.Valid() && t.DType != info.DType {
			b.Close()
			return nil, fmt.Errorf("input %s: the model wants %v, got %v", info.Name, info.DType, t.DType)
		}
		v, err := toValue(t)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("input %s: %v", info.Name, err)
		}
		b.inputs = append(b.inputs, v)
	}
	if err := b.allocScalars(); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// allocScalars gives scalar outputs a place up front: onnxruntime_go
// cannot return rank-0 values that ORT allocated, and their shape is fixed.
func (b *Binding) allocScalars() error {
	for i, info := range b.s.outputs {
		if info.Shape != nil && len(info.Shape) == 0 && info.DType.Valid() && !info.NotTensor {
			if err := b.allocOutput(i, info.DType, []int64{}); err != nil {
				return fmt.Errorf("output %s: %v", info.Name, err)
			}
		}
	}
	return nil
}

func (b *Binding) allocOutput(i int, dt graph.DType, shape []int64) error {
	t, err := NewTensor(dt, shape)
	if err != nil {
		return err
	}
	v, err := toValue(t)
	if err != nil {
		return err
	}
	b.outputs[i], b.host[i] = v, t
	return nil
}

// Run runs the model once. The first run learns the output shapes and
// allocates them; later runs write into those.
func (b *Binding) Run() error {
	if b.closed {
		return errors.New("binding is closed")
	}
	if b.ready {
		if err := b.s.dyn.RunWithBinding(b.io); err == nil {
			b.inHost = true
			return nil
		}
		// An output changed shape (data-dependent sizes): let ORT
		// allocate from now on, and retry.
		b.dynamic, b.ready = true, false
		b.freeOutputs()
		if err := b.allocScalars(); err != nil {
			return err
		}
	}
	b.inHost = false
	run := append([]ortgo.Value(nil), b.outputs...) // nil slots get ORT's values
	if err := b.s.dyn.Run(b.inputs, run); err != nil {
		for i, v := range run {
			if v != nil && b.outputs[i] == nil {
				v.Destroy()
			}
		}
		return fmt.Errorf("%s: onnxruntime: %s", b.s.path, strings.TrimPrefix(oneLine(err), "Error running network: "))
	}
	var firstErr error
	for i, v := range run {
		if b.outputs[i] != nil {
			continue // pre-allocated
		}
		t, err := fromValue(v) // a Go-side copy: it outlives v
		v.Destroy()
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("output %s: %v", b.s.outputs[i].Name, err)
			}
			continue
		}
		b.last[i] = t
		if !b.dynamic && firstErr == nil {
			if err := b.allocOutput(i, t.DType, t.Shape); err != nil {
				b.dynamic = true
			}
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if !b.dynamic {
		if err := b.bindIO(); err != nil {
			b.dynamic = true
		}
	}
	if b.dynamic { // keep only the scalars' places
		for i, t := range b.host {
			if t != nil && len(t.Shape) > 0 {
				b.outputs[i].Destroy()
				b.outputs[i], b.host[i] = nil, nil
			}
		}
	}
	b.ready = !b.dynamic
	return nil
}

// bindIO binds the inputs and pre-allocated outputs once, so that a run
// is one call into ORT with nothing to convert or allocate.
func (b *Binding) bindIO() error {
	io, err := b.s.dyn.CreateIoBinding()
	if err != nil {
		return err
	}
	for i, v := range b.inputs {
		if err := io.BindInput(b.s.inputs[i].Name, v); err != nil {
			io.Destroy()
			return err
		}
	}
	for i, v := range b.outputs {
		if err := io.BindOutput(b.s.outputs[i].Name, v); err != nil {
			io.Destroy()
			return err
		}
	}
	b.io = io
	return nil
}

// Outputs returns the last run's outputs, keyed by name. Their contents
// are overwritten by the next run.
func (b *Binding) Outputs() map[string]*Tensor {
	out := map[string]*Tensor{}
	for i, info := range b.s.outputs {
		switch t := b.host[i]; {
		case t != nil && len(t.Shape) == 0: // a scalar lives in its ORT value
			if st, err := fromValue(b.outputs[i]); err == nil {
				out[info.Name] = st
			}
		case t != nil && b.inHost:
			out[info.Name] = t
		case b.last[i] != nil:
			out[info.Name] = b.last[i]
		}
	}
	return out
}

func (b *Binding) freeOutputs() {
	if b.io != nil {
		b.io.Destroy()
		b.io = nil
	}
	for i, v := range b.outputs {
		if v != nil {
			v.Destroy()
		}
		b.outputs[i], b.host[i] = nil, nil
	}
}

// Close frees the ORT values (not the Go tensors).
func (b *Binding) Close() error {
	if b == nil || b.closed {
		return nil
	}
	b.closed = true
	for _, v := range b.inputs {
		v.Destroy()
	}
	b.freeOutputs()
	return nil
}

func hasInput(ts []TensorInfo, name string) bool {
	for _, t := range ts {
		if t.Name == name {
			return true
		}
	}
	return false
}

func infoNames(ts []TensorInfo) string {
	n := make([]string, len(ts))
	for i, t := range ts {
		n[i] = t.Name
	}
	return strings.Join(n, ", ")
}

func mk[T ortgo.TensorData](shape []int64, data []T) (ortgo.Value, error) {
	if len(shape) == 0 {
		if len(data) != 1 {
			return nil, fmt.Errorf("a scalar needs one value, got %d", len(data))
		}
		return ortgo.NewScalar(data[0])
	}
	return ortgo.NewTensor(ortgo.NewShape(shape...), data)
}

// toValue wraps a tensor's slice (no copy) in an ORT value.
func toValue(t *Tensor) (ortgo.Value, error) {
	switch t.DType {
	case graph.Float32:
		return mk(t.Shape, t.F32)
	case graph.Float64:
		return mk(t.Shape, t.F64)
	case graph.Int64:
		return mk(t.Shape, t.I64)
	case graph.Int32:
		return mk(t.Shape, t.I32)
	case graph.Int16:
		return mk(t.Shape, t.I16)
	case graph.Int8:
		return mk(t.Shape, t.I8)
	case graph.Uint8:
		return mk(t.Shape, t.U8)
	case graph.Uint16:
		return mk(t.Shape, t.U16)
	case graph.Uint32:
		return mk(t.Shape, t.U32)
	case graph.Uint64:
		return mk(t.Shape, t.U64)
	case graph.Bool:
		return mk(t.Shape, t.Bool)
	}
	if t.Raw != nil {
		if len(t.Shape) == 0 {
			return nil, fmt.Errorf("%v scalars are not supported", t.DType)
		}
		return ortgo.NewCustomDataTensor(ortgo.NewShape(t.Shape...), t.Raw, ortgo.TensorElementDataType(t.DType))
	}
	return nil, fmt.Errorf("tensors of %v are not supported", t.DType)
}

// fromValue views an ORT value's Go-side data as a Tensor (no copy).
func fromValue(v ortgo.Value) (*Tensor, error) {
	shape := []int64(v.GetShape())
	if shape == nil {
		shape = []int64{}
	}
	t := &Tensor{Shape: shape}
	switch x := v.(type) {
	case *ortgo.Tensor[float32]:
		t.DType, t.F32 = graph.Float32, x.GetData()
	case *ortgo.Tensor[float64]:
		t.DType, t.F64 = graph.Float64, x.GetData()
	case *ortgo.Tensor[int64]:
		t.DType, t.I64 = graph.Int64, x.GetData()
	case *ortgo.Tensor[int32]:
		t.DType, t.I32 = graph.Int32, x.GetData()
	case *ortgo.Tensor[int16]:
		t.DType, t.I16 = graph.Int16, x.GetData()
	case *ortgo.Tensor[int8]:
		t.DType, t.I8 = graph.Int8, x.GetData()
	case *ortgo.Tensor[uint8]:
		t.DType, t.U8 = graph.Uint8, x.GetData()
	case *ortgo.Tensor[uint16]:
		t.DType, t.U16 = graph.Uint16, x.GetData()
	case *ortgo.Tensor[uint32]:
		t.DType, t.U32 = graph.Uint32, x.GetData()
	case *ortgo.Tensor[uint64]:
		t.DType, t.U64 = graph.Uint64, x.GetData()
	case *ortgo.Tensor[bool]:
		t.DType, t.Bool = graph.Bool, x.GetData()
	case *ortgo.Scalar[float32]:
		t.DType, t.F32 = graph.Float32, []float32{x.GetData()}
	case *ortgo.Scalar[float64]:
		t.DType, t.F64 = graph.Float64, []float64{x.GetData()}
	case *ortgo.Scalar[int64]:
		t.DType, t.I64 = graph.Int64, []int64{x.GetData()}
	case *ortgo.Scalar[int32]:
		t.DType, t.I32 = graph.Int32, []int32{x.GetData()}
	case *ortgo.Scalar[int16]:
		t.DType, t.I16 = graph.Int16, []int16{x.GetData()}
	case *ortgo.Scalar[int8]:
		t.DType, t.I8 = graph.Int8, []int8{x.GetData()}
	case *ortgo.Scalar[uint8]:
		t.DType, t.U8 = graph.Uint8, []uint8{x.GetData()}
	case *ortgo.Scalar[uint16]:
		t.DType, t.U16 = graph.Uint16, []uint16{x.GetData()}
	case *ortgo.Scalar[uint32]:
		t.DType, t.U32 = graph.Uint32, []uint32{x.GetData()}
	case *ortgo.Scalar[uint64]:
		t.DType, t.U64 = graph.Uint64, []uint64{x.GetData()}
	case *ortgo.Scalar[bool]:
		t.DType, t.Bool = graph.Bool, []bool{x.GetData()}
	case *ortgo.StringTensor:
		return nil, errors.New("string tensors are not supported")
	case *ortgo.CustomDataTensor:
		t.DType, t.Raw = graph.DType(ortgo.TensorElementDataType(x.DataType())), x.GetData()
	default:
		return nil, fmt.Errorf("%s values are not supported", v.GetONNXType())
	}
	return t, nil
}
