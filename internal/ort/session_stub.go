//go:build !ort

package ort

import "time"

// Enabled reports whether this build can run models (built with -tags ort).
const Enabled = false

// Load returns ErrNotBuilt: this netscore was built without ONNX Runtime.
func Load() (path, version string, err error) { return "", "", ErrNotBuilt }

// Session is a model loaded into ORT; this build cannot create one.
type Session struct{}

// Open returns ErrNotBuilt: build with -tags ort.
func Open(modelPath string, opt Options) (*Session, error) { return nil, ErrNotBuilt }

// Inputs are the values Run needs.
func (s *Session) Inputs() []TensorInfo { return nil }

// Outputs are the values Run returns.
func (s *Session) Outputs() []TensorInfo { return nil }

// CreateTime is how long ORT took to create the session.
func (s *Session) CreateTime() time.Duration { return 0 }

// Close frees the session.
func (s *Session) Close() error { return nil }

// Run returns ErrNotBuilt.
func (s *Session) Run(in map[string]*Tensor) (map[string]*Tensor, error) { return nil, ErrNotBuilt }

// Binding prepares repeated runs on fixed inputs.
type Binding struct{}

// Bind returns ErrNotBuilt.
func (s *Session) Bind(in map[string]*Tensor) (*Binding, error) { return nil, ErrNotBuilt }

// Run returns ErrNotBuilt.
func (b *Binding) Run() error { return ErrNotBuilt }

// Outputs returns nothing.
func (b *Binding) Outputs() map[string]*Tensor { return nil }

// Close does nothing.
func (b *Binding) Close() error { return nil }
