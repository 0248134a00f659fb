package plot

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// svgCanvas writes SVG elements. Attributes equal to the enclosing group's
// are left out, so a thousand marks of one series stay small.
type svgCanvas struct {
	w          *bufio.Writer
	groups     []style
	num        []byte
	standalone bool
}

const fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func newSVG(w io.Writer, width, height int, o SVGOptions, title string) *svgCanvas {
	c := &svgCanvas{w: bufio.NewWriterSize(w, 64<<10), standalone: o.Standalone}
	b := c.w
	if o.Standalone {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	} else {
		b.WriteString(`<svg`)
	}
	if o.ID != "" {
		c.attr("id", o.ID)
	}
	if o.Class != "" {
		c.attr("class", o.Class)
	}
	c.attr("width", strconv.Itoa(width))
	c.attr("height", strconv.Itoa(height))
	c.attr("viewBox", "0 0 "+strconv.Itoa(width)+" "+strconv.Itoa(height))
	c.attr("font-family", fontFamily)
	c.attr("role", "img")
	if title != "" {
		c.attr("aria-label", title)
	}
	b.WriteString(">\n")
	return c
}

func (c *svgCanvas) finish() error {
	c.w.WriteString("</svg>\n")
	return c.w.Flush()
}

func (c *svgCanvas) attr(name, v string) {
	c.w.WriteByte(' ')
	c.w.WriteString(name)
	c.w.WriteString(`="`)
	xmlEscaper.WriteString(c.w, v)
	c.w.WriteByte('"')
}

func (c *svgCanvas) numAttr(name string, v float64) {
	c.w.WriteByte(' ')
	c.w.WriteString(name)
	c.w.WriteString(`="`)
	c.writeNum(v)
	c.w.WriteByte('"')
}

// writeNum writes v with at most one decimal.
func (c *svgCanvas) writeNum(v float64) {
	c.num = strconv.AppendFloat(c.num[:0], v, 'f', 1, 64)
	n := c.num
	if len(n) > 2 && n[len(n)-1] == '0' && n[len(n)-2] == '.' {
		n = n[:len(n)-2]
	}
	if len(n) == 2 && n[0] == '-' && n[1] == '0' {
		n = n[1:]
	}
	c.w.Write(n)
}

// inherited is the style the current group gives its children.
func (c *svgCanvas) inherited() style {
	if len(c.groups) == 0 {
		return style{}
	}
	return c.groups[len(c.groups)-1]
}

// writeStyle writes the attributes of st that differ from the group's.
func (c *svgCanvas) writeStyle(st style, shape bool) {
	g := c.inherited()
	fill := st.Fill
	if fill == "" {
		fill = "none"
	}
	gfill := g.Fill
	if gfill == "" {
		gfill = "none"
		if len(c.groups) == 0 {
			gfill = "" // SVG's default fill is black: always say it
		}
	}
	if shape && fill != gfill {
		c.attr("fill", fill)
	}
	if op, gop := opacity(st.FillOpacity), opacity(g.FillOpacity); shape && st.Fill != "" && op != gop {
		c.attr("fill-opacity", strconv.FormatFloat(op, 'f', -1, 64))
	}
	if st.Stroke != g.Stroke {
		if st.Stroke == "" {
			c.attr("stroke", "none")
		} else {
			c.attr("stroke", st.Stroke)
		}
	}
	if st.Stroke != "" {
		sw := st.StrokeWidth
		if sw <= 0 {
			sw = 1
		}
		gw := g.StrokeWidth
		if gw <= 0 {
			gw = 1
		}
		if sw != gw {
			c.numAttr("stroke-width", sw)
		}
		if st.Dash && !g.Dash {
			c.attr("stroke-dasharray", "6 4")
		}
	}
}

func (c *svgCanvas) vector() bool { return true }

// endShape closes a shape's element, with the mark's <title> when it has
// one to show.
func (c *svgCanvas) endShape(m *mark) {
	if m == nil || m.Title == "" || !(c.standalone || m.Dropped) {
		c.w.WriteString("/>\n")
		return
	}
	c.w.WriteString("><title>")
	xmlEscaper.WriteString(c.w, m.Title)
	c.w.WriteString("</title></")
	c.w.WriteString(m.shape)
	c.w.WriteString(">\n")
}

func (c *svgCanvas) writeMark(m *mark) {
	if m == nil {
		return
	}
	c.attr("class", m.Class)
	c.attr("data-name", m.Name)
	c.attr("data-source", m.Source)
	if m.Key != "" {
		c.attr("data-key", m.Key)
	}
}

func (c *svgCanvas) beginGroup(class string, st style) {
	c.w.WriteString("<g")
	if class != "" {
		c.attr("class", class)
	}
	if st.Fill != "" || st.Stroke != "" {
		c.writeStyle(st, true)
	}
	if st.Hidden {
		c.attr("display", "none")
	}
	c.w.WriteString(">\n")
	if st.Fill == "" && st.Stroke == "" { // a plain group inherits its parent's
		st = c.inherited()
	}
	c.groups = append(c.groups, st)
}

func (c *svgCanvas) endGroup() {
	c.groups = c.groups[:len(c.groups)-1]
	c.w.WriteString("</g>\n")
}

func (c *svgCanvas) rect(x, y, w, h float64, st style, m *mark) {
	c.w.WriteString("<rect")
	c.writeMark(m)
	c.numAttr("x", x)
	c.numAttr("y", y)
	c.numAttr("width", w)
	c.numAttr("height", h)
	c.writeStyle(st, true)
	if m != nil {
		m.shape = "rect"
	}
	c.endShape(m)
}

func (c *svgCanvas) line(x1, y1, x2, y2 float64, st style) {
	c.w.WriteString("<line")
	c.numAttr("x1", x1)
	c.numAttr("y1", y1)
	c.numAttr("x2", x2)
	c.numAttr("y2", y2)
	c.writeStyle(st, false)
	c.w.WriteString("/>\n")
}

func (c *svgCanvas) circle(cx, cy, r float64, st style, m *mark) {
	c.w.WriteString("<circle")
	c.writeMark(m)
	c.numAttr("cx", cx)
	c.numAttr("cy", cy)
	c.numAttr("r", r)
	c.writeStyle(st, true)
	if m != nil {
		m.shape = "circle"
	}
	c.endShape(m)
}

func (c *svgCanvas) polyline(pts [][2]float64, st style, class string, hidden bool) {
	c.w.WriteString("<polyline")
	if class != "" {
		c.attr("class", class)
	}
	if hidden {
		c.attr("display", "none")
	}
	c.w.WriteString(` points="`)
	for i, p := range pts {
		if i > 0 {
			c.w.WriteByte(' ')
		}
		c.writeNum(p[0])
		c.w.WriteByte(',')
		c.writeNum(p[1])
	}
	c.w.WriteByte('"')
	c.attr("fill", "none")
	c.attr("stroke-linejoin", "round")
	c.writeStyle(st, false)
	c.w.WriteString("/>\n")
}

func (c *svgCanvas) text(x, y float64, s string, t textStyle) {
	if s == "" {
		return
	}
	c.w.WriteString("<text")
	if t.Class != "" {
		c.attr("class", t.Class)
	}
	c.numAttr("x", x)
	c.numAttr("y", y)
	size := t.Size
	if size <= 0 {
		size = 12
	}
	c.numAttr("font-size", size)
	if t.Anchor != "" && t.Anchor != "start" {
		c.attr("text-anchor", t.Anchor)
	}
	if t.Bold {
		c.attr("font-weight", "bold")
	}
	if t.Halo {
		c.w.WriteString(` stroke="#fff" stroke-width="3" stroke-opacity=".85" paint-order="stroke" stroke-linejoin="round"`)
	}
	col := t.Color
	if col == "" {
		col = colText
	}
	c.attr("fill", col)
	if t.Rotate {
		c.w.WriteString(` transform="rotate(-90 `)
		c.writeNum(x)
		c.w.WriteByte(' ')
		c.writeNum(y)
		c.w.WriteString(`)"`)
	}
	c.w.WriteByte('>')
	xmlEscaper.WriteString(c.w, s)
	c.w.WriteString("</text>\n")
}

func opacity(v float64) float64 {
	if v <= 0 || v > 1 {
		return 1
	}
	return v
}
