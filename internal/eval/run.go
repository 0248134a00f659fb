package eval

import (
	"fmt"
	"time"
)

// Runner feeds a dataset to a model in batches. Decoding the next batch
// overlaps with inference on the current one.
type Runner struct {
	Batch      int  // images per inference call (default 32)
	FixedBatch bool // the model takes exactly Batch images: a short batch is padded with zeros
	Workers    int  // decoding goroutines handed to Load (default 1)
	// Load decodes and preprocesses the images at paths, each into ImageSize
	// floats; errs[i] != nil marks image i as unreadable (it is skipped).
	Load func(paths []string, workers int) (imgs [][]float32, errs []error)
	// ImageSize is the number of floats per image (0: whatever the first
	// decoded image has); an image of another size counts as unreadable.
	ImageSize int
	// Infer runs n images laid end to end in x and returns each image's
	// logits (at least n rows; rows beyond n, padding, are ignored).
	Infer func(x []float32, n int) ([][]float32, error)
	// Progress, when set, is called after each batch with the images done
	// (evaluated or failed) so far.
	Progress func(done, total int)
	TopK     int // k of the top-k accuracy (default 5)
	Confused int // most confused pairs kept (default 10, < 0 for all)
}

// Failure is an image that could not be evaluated.
type Failure struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Outcome is the result of a run.
type Outcome struct {
	Scores
	Failed       []Failure `json:"failed"`            // unreadable images, skipped
	Seconds      float64   `json:"seconds"`           // wall time, decoding and inference
	InferSeconds float64   `json:"inference_seconds"` // time inside Infer
	ImagesPerSec float64   `json:"images_per_sec"`    // evaluated images / Seconds
	Batches      int       `json:"batches"`
}

type decodedBatch struct {
	samples []Sample
	imgs    [][]float32
	failed  []Failure
}

// Run evaluates every sample of ds. An unreadable image is recorded in
// Outcome.Failed and the run goes on; an inference error, or logits that
// do not fit the labels, stop it.
func (r Runner) Run(ds *Dataset) (*Outcome, error) {
	if r.Batch <= 0 {
		r.Batch = 32
	}
	if r.Workers <= 0 {
		r.Workers = 1
	}
	if r.TopK <= 0 {
		r.TopK = 5
	}
	if r.Confused == 0 {
		r.Confused = 10
	}
	total := len(ds.Samples)
	start := time.Now()
	batches := make(chan decodedBatch, 2)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		for lo := 0; lo < total; lo += r.Batch {
			samples := ds.Samples[lo:min(lo+r.Batch, total)]
			paths := make([]string, len(samples))
			for i, s := range samples {
				paths[i] = s.Path
			}
			imgs, errs := r.Load(paths, r.Workers)
			b := decodedBatch{}
			for i, s := range samples {
				var err error
				if i < len(errs) {
					err = errs[i]
				}
				if err == nil && (i >= len(imgs) || imgs[i] == nil) {
					err = fmt.Errorf("not decoded")
				}
				if err != nil {
					b.failed = append(b.failed, Failure{Path: s.Path, Error: err.Error()})
					continue
				}
				b.samples = append(b.samples, s)
				b.imgs = append(b.imgs, imgs[i])
			}
			select {
			case batches <- b:
			case <-stop:
				return
			}
		}
	}()

	m := NewMetrics(r.TopK)
	out := &Outcome{Failed: []Failure{}}
	size := r.ImageSize
	maxLabel := ds.MaxLabel()
	var x []float32
	done := 0
	for b := range batches {
		done += len(b.samples) + len(b.failed)
		out.Failed = append(out.Failed, b.failed...)
		x = x[:0]
		n := 0
		for i, img := range b.imgs {
			if size == 0 {
				size = len(img)
			}
			if len(img) != size {
				out.Failed = append(out.Failed, Failure{Path: b.samples[i].Path, Error: fmt.Sprintf("decoded to %d values, want %d", len(img), size)})
				continue
			}
			x = append(x, img...)
			b.samples[n] = b.samples[i]
			n++
		}
		if n > 0 {
			feed := n
			if r.FixedBatch && n < r.Batch {
				x = append(x, make([]float32, (r.Batch-n)*size)...)
				feed = r.Batch
			}
			t := time.Now()
			logits, err := r.Infer(x, feed)
			out.InferSeconds += time.Since(t).Seconds()
			out.Batches++
			if err != nil {
				return nil, err
			}
			if len(logits) < n {
				return nil, fmt.Errorf("the model returned %d rows of scores for a batch of %d images", len(logits), n)
			}
			for i, s := range b.samples[:n] {
				row := logits[i]
				if len(row) == 0 || (m.numLogits > 0 && len(row) != m.numLogits) {
					return nil, fmt.Errorf("the model returned %d scores for one image and %d for another", m.numLogits, len(row))
				}
				if maxLabel >= len(row) {
					return nil, fmt.Errorf("the model gives %d class scores per image but the data has class index %d (%s); check the class order or --labels", len(row), maxLabel, ds.ClassName(maxLabel))
				}
				m.Add(s.Label, row)
			}
		}
		if r.Progress != nil {
			r.Progress(done, total)
		}
	}
	out.Seconds = time.Since(start).Seconds()
	out.Scores = m.Scores(ds.ClassName, r.Confused)
	if out.Images == 0 {
		return out, ErrNoImages
	}
	if out.Seconds > 0 {
		out.ImagesPerSec = float64(out.Images) / out.Seconds
	}
	return out, nil
}
