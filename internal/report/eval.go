package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/units"
)

// WriteEval renders an evaluation as a table or as one flat JSON object:
// the report's fields, then the outcome's.
func WriteEval(w io.Writer, format string, rep *eval.Report) error {
	flat := struct {
		eval.Report
		eval.Outcome
	}{*rep, *rep.Outcome}
	return tableOrJSON(w, format, func() error { return writeEvalTable(w, rep) }, flat)
}

func writeEvalTable(w io.Writer, rep *eval.Report) error {
	o := rep.Outcome
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p := rep.Preprocess
	scale := strconv.FormatFloat(float64(p.Scale), 'g', -1, 32)
	if p.Scale == 0 || p.Scale == float32(1.0/255) {
		scale = "1/255"
	}
	pre := fmt.Sprintf("preset %s: resize %d, crop %dx%d, scale %s, mean %s, std %s", rep.Preset, p.Resize, p.CropH, p.CropW, scale, eval.TripleText(p.Mean), eval.TripleText(p.Std))
	if p.Gray {
		pre += ", greyscale"
	}
	pre += ", " + p.Layout
	kind := map[string]string{"folder": "ImageFolder", "csv": "CSV list"}[rep.DataKind]
	fmt.Fprintf(tw, "model\t%s (input %s [%s])\n", rep.Model, rep.Input, units.Shape(rep.InputShape))
	fmt.Fprintf(tw, "data\t%s (%s, %d images, %d classes)\n", rep.Data, kind, rep.Listed, rep.Classes)
	fmt.Fprintf(tw, "preprocessing\t%s\n", pre)
	fmt.Fprintf(tw, "top-1\t%.2f %%\t(%d/%d)\n", o.Top1, o.Top1Correct, o.Images)
	fmt.Fprintf(tw, "top-%d\t%.2f %%\t(%d/%d)\n", o.TopK, o.Top5, o.Top5Correct, o.Images)
	fmt.Fprintf(tw, "speed\t%.1f images/s\t(%d images in %.2f s, %.2f s in inference, batch %d)\n", o.ImagesPerSec, o.Images, o.Seconds, o.InferSeconds, rep.Batch)
	if len(o.Failed) > 0 {
		fmt.Fprintf(tw, "unreadable\t%d image(s) skipped\t(listed on stderr)\n", len(o.Failed))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	classes := o.PerClass
	title := "per class"
	const maxRows = 30
	if len(classes) > maxRows {
		classes = slices.Clone(classes)
		slices.SortStableFunc(classes, func(a, b eval.ClassResult) int { return cmp.Compare(a.Accuracy, b.Accuracy) })
		classes = classes[:15]
		title = fmt.Sprintf("per class: the 15 lowest of %d (all with --format json)", len(o.PerClass))
	}
	fmt.Fprintf(w, "\n%s\n", title)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "class\tname\tcorrect\timages\taccuracy %%\t\n")
	for _, c := range classes {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%.2f\t\n", c.Index, c.Name, c.Correct, c.Total, c.Accuracy)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(o.Confused) > 0 {
		fmt.Fprintf(w, "\nmost confused (true -> predicted)\n")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "true\tpredicted\timages\t%% of true class\t\n")
		for _, c := range o.Confused {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t\n", c.TrueName, c.PredictedName, c.Count, c.Share)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
	}
	return nil
}
