package onnx

// Meta is what an ONNX file records beyond its graph; it is the model's
// graph.FormatMeta.
type Meta struct {
	IRVersion    int64
	ProducerName string           // producer_name and producer_version, space-joined
	Opsets       map[string]int64 // opset_import: domain ("" = ai.onnx) -> version
}

// Producer names the exporter that wrote the file.
func (m *Meta) Producer() string { return m.ProducerName }

// OperatorSets lists the imported opsets under ONNX's own domain names:
// the default domain is "ai.onnx".
func (m *Meta) OperatorSets() map[string]int64 {
	if len(m.Opsets) == 0 {
		return nil
	}
	out := make(map[string]int64, len(m.Opsets))
	for d, v := range m.Opsets {
		if d == "" {
			d = "ai.onnx"
		}
		out[d] = v
	}
	return out
}
