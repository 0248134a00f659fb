package plot

import (
	"math"
	"slices"
)

const (
	barRow    = 18 // pixels per bar
	barTop    = 62 // title and value axis
	barBottom = 30
	barLegend = 20 // the legend's row
)

func (b *Bars) size() (int, int) {
	w := b.Width
	if w <= 0 {
		w = 900
	}
	h := barTop + barRow*max(len(b.Bars), 1) + barBottom
	if len(b.legend()) > 0 {
		h += barLegend
	}
	return w, h
}

// barColor is the colour a bar is drawn in.
func barColor(col string, user bool) string {
	switch {
	case col != "":
		return col
	case user:
		return UserColor
	}
	return Palette[0]
}

// legend is the legend's entries whose colour a bar has.
func (b *Bars) legend() []LegendEntry {
	var out []LegendEntry
	for _, e := range b.Legend {
		if slices.ContainsFunc(b.Bars, func(br Bar) bool {
			return br.User == e.User && barColor(br.Color, br.User) == barColor(e.Color, e.User)
		}) {
			out = append(out, e)
		}
	}
	return out
}

// Size is the chart's size in pixels.
func (b *Bars) Size() (int, int) { return b.size() }

// draw lays the ranking out: labels on the left, the value axis on top,
// each bar with its value on its right.
func (b *Bars) draw(c canvas) {
	W, H := b.size()
	fw, fh := float64(W), float64(H)
	labelW := 0.0
	for _, br := range b.Bars {
		labelW = math.Max(labelW, textWidth(br.Label, 11))
	}
	labelW = math.Min(labelW, fw*0.42)
	maxChars := int(labelW / (11 * 0.6))
	valW := 0.0
	vals := make([]float64, len(b.Bars))
	texts := make([]string, len(b.Bars))
	for i, br := range b.Bars {
		vals[i] = br.Value
		texts[i] = br.ValueText
		if texts[i] == "" {
			texts[i] = FormatValue(br.Value)
		}
		valW = math.Max(valW, textWidth(texts[i], 11))
	}
	legend := b.legend()
	area := box{x0: 12 + labelW + 8, y0: barTop, x1: fw - valW - 16, y1: fh - barBottom}
	if len(legend) > 0 {
		area.y1 -= barLegend
	}
	sx := newScale(b.X, vals, 6, !b.X.Log)
	sx.p0, sx.p1 = area.x0, area.x1

	c.rect(0, 0, fw, fh, style{Fill: "#ffffff"}, nil)
	c.text(12, 20, b.Title, textStyle{Size: 15, Bold: true, Class: "title"})
	c.text((area.x0+area.x1)/2, 38, b.X.Label, textStyle{Size: 12, Anchor: "middle", Class: "axis-label"})
	c.beginGroup("grid", style{Stroke: colGrid})
	for _, t := range sx.ticks {
		x := sx.px(t)
		c.line(x, area.y0-4, x, area.y1, style{Stroke: colGrid})
	}
	c.endGroup()
	for _, t := range sx.ticks {
		c.text(sx.px(t), area.y0-8, b.X.tick(t), textStyle{Size: 11, Anchor: "middle", Color: colMuted})
	}
	cls := b.MarkClass
	if cls == "" {
		cls = "pt"
	}
	base := sx.px(sx.lo)
	if !sx.log && sx.lo < 0 && sx.hi > 0 {
		base = sx.px(0)
	}
	for i, br := range b.Bars {
		y := area.y0 + float64(i)*barRow
		st := style{Fill: barColor(br.Color, br.User), FillOpacity: 0.85}
		ts := textStyle{Size: 11, Anchor: "end", Color: colText}
		if br.User {
			st.Stroke, st.StrokeWidth = UserStroke, 1
			ts.Bold, ts.Color = true, UserStroke
		}
		label := truncate(br.Label, maxChars)
		c.text(area.x0-6, y+13, label, ts)
		m := &mark{Class: cls + " " + userClass(br.User), Name: br.Name, Source: br.Source, Key: br.Key}
		if label != br.Label { // the whole label on hover
			m.Title, m.Dropped = br.Label, true
		}
		x0, x1 := base, base
		if sx.ok(br.Value) {
			x1 = sx.px(br.Value)
		}
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		c.rect(x0, y+3, math.Max(x1-x0, 1), barRow-5, st, m)
		c.text(x1+4, y+13, texts[i], textStyle{Size: 11, Color: colMuted})
	}
	c.line(base, area.y0-4, base, area.y1, style{Stroke: colFrame})

	// The legend, a row under the bars.
	x, y := area.x0, area.y1+22
	for _, e := range legend {
		st := style{Fill: barColor(e.Color, e.User), FillOpacity: 0.85}
		if e.User {
			st.Stroke, st.StrokeWidth = UserStroke, 1
		}
		c.beginGroup("legend "+userClass(e.User), style{})
		c.rect(x, y-9, 14, 10, st, nil)
		c.text(x+18, y, e.Label, textStyle{Size: 11})
		c.endGroup()
		x += 18 + textWidth(e.Label, 11) + 14
	}
}
