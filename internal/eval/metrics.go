package eval

import (
	"cmp"
	"slices"
)

// Metrics accumulates classification results, one image at a time.
type Metrics struct {
	k         int // top-k asked for
	numLogits int
	n         int
	top1      int
	topk      int
	perClass  map[int]*[2]int // label -> correct, total
	confusion map[[2]int]int  // (true, predicted) -> count, true != predicted
}

// NewMetrics counts top-1 and top-k (k is capped by the number of logits
// when the first image is added).
func NewMetrics(k int) *Metrics {
	return &Metrics{k: max(1, k), perClass: map[int]*[2]int{}, confusion: map[[2]int]int{}}
}

// Add scores one image's logits against its label and returns the
// predicted class: the index of the largest logit, the lowest index on a
// tie (as numpy's and PyTorch's argmax). NaN logits never win. The label is
// within the top k when fewer than k logits beat it, counting an equal
// logit at a lower index as beating it (a stable descending sort).
func (m *Metrics) Add(label int, logits []float32) int {
	if m.numLogits == 0 {
		m.numLogits = len(logits)
	}
	pred := Argmax(logits)
	m.n++
	pc := m.perClass[label]
	if pc == nil {
		pc = new([2]int)
		m.perClass[label] = pc
	}
	pc[1]++
	if pred == label {
		m.top1++
		pc[0]++
	} else {
		m.confusion[[2]int{label, pred}]++
	}
	if Rank(logits, label) < m.K() {
		m.topk++
	}
	return pred
}

// K is the k of top-k: the k asked for, capped by the number of logits.
func (m *Metrics) K() int {
	if m.numLogits > 0 {
		return min(m.k, m.numLogits)
	}
	return m.k
}

// Argmax is the index of the largest logit, the first on a tie, ignoring
// NaN; 0 when every logit is NaN.
func Argmax(logits []float32) int {
	best := -1
	for i, v := range logits {
		if v != v { // NaN
			continue
		}
		if best < 0 || v > logits[best] {
			best = i
		}
	}
	return max(best, 0)
}

// Rank is the label's position in the logits sorted descending (stable):
// the number of logits above it plus the equal ones at a lower index. A
// NaN or out-of-range label ranks last.
func Rank(logits []float32, label int) int {
	if label < 0 || label >= len(logits) || logits[label] != logits[label] {
		return len(logits)
	}
	v := logits[label]
	r := 0
	for i, x := range logits {
		if x > v || (x == v && i < label) {
			r++
		}
	}
	return r
}

// ClassResult is one class's accuracy.
type ClassResult struct {
	Index    int     `json:"index"`
	Name     string  `json:"name"`
	Correct  int     `json:"correct"`
	Total    int     `json:"total"`
	Accuracy float64 `json:"accuracy"` // percent
}

// Confusion is a (true, predicted) pair of different classes and how often
// it occurred.
type Confusion struct {
	True          int     `json:"true"`
	TrueName      string  `json:"true_name"`
	Predicted     int     `json:"predicted"`
	PredictedName string  `json:"predicted_name"`
	Count         int     `json:"count"`
	Share         float64 `json:"share"` // percent of the true class's images
}

// Scores is what Metrics has accumulated.
type Scores struct {
	Images      int           `json:"images"`
	Top1Correct int           `json:"top1_correct"`
	Top5Correct int           `json:"top5_correct"`
	Top1        float64       `json:"top1"` // percent
	Top5        float64       `json:"top5"` // percent, top-K with K = TopK
	TopK        int           `json:"top5_k"`
	NumLogits   int           `json:"num_logits"`
	PerClass    []ClassResult `json:"per_class"` // classes with images, by index
	Confused    []Confusion   `json:"confused"`  // most frequent first
}

// Scores returns the accuracies; name names a class index; at most
// confused pairs are listed (all when confused < 0).
func (m *Metrics) Scores(name func(int) string, confused int) Scores {
	s := Scores{Images: m.n, Top1Correct: m.top1, Top5Correct: m.topk, TopK: m.K(), NumLogits: m.numLogits,
		PerClass: []ClassResult{}, Confused: []Confusion{}}
	s.Top1, s.Top5 = percent(m.top1, m.n), percent(m.topk, m.n)
	for label, pc := range m.perClass {
		s.PerClass = append(s.PerClass, ClassResult{Index: label, Name: name(label), Correct: pc[0], Total: pc[1], Accuracy: percent(pc[0], pc[1])})
	}
	slices.SortFunc(s.PerClass, func(a, b ClassResult) int { return cmp.Compare(a.Index, b.Index) })
	for pair, n := range m.confusion {
		s.Confused = append(s.Confused, Confusion{True: pair[0], TrueName: name(pair[0]), Predicted: pair[1], PredictedName: name(pair[1]),
			Count: n, Share: percent(n, m.perClass[pair[0]][1])})
	}
	slices.SortFunc(s.Confused, func(a, b Confusion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.True, b.True), cmp.Compare(a.Predicted, b.Predicted))
	})
	if confused >= 0 && len(s.Confused) > confused {
		s.Confused = s.Confused[:confused]
	}
	return s
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
