package score

import (
	"fmt"
	"strings"

	"github.com/netscore/netscore/internal/zoo"
)

// PaperKeys are the paper's three rankings, in its order.
var PaperKeys = []SortKey{ByNetScore, ByTop1, ByDensity}

// Paper is the NetScore paper's analysis reproduced on its (reconstructed)
// network set: its three rankings, and the whole set for the figures.
type Paper struct {
	Rankings []*Comparison // by NetScore, top-1 and information density, cut to the request's Top
	Overview *Comparison   // every network by NetScore, with the published orderings in its notes
}

// PaperRequest asks for the paper's rankings.
type PaperRequest struct {
	Top      int      `json:"top,omitempty"` // rows per ranking, 0 for all
	Settings Settings `json:"settings"`
}

// PaperRankings ranks the paper's network set as the paper does.
func PaperRankings(req PaperRequest) (*Paper, error) {
	rows, _, err := zoo.Load(string(zoo.Paper))
	if err != nil {
		return nil, err
	}
	ps := req.Settings.Params()
	published := publishedOrderings()
	out := &Paper{}
	for i, key := range PaperKeys {
		ranked, err := RankAll(nil, nil, rows, key, ps)
		if err != nil {
			return nil, err
		}
		all := ranked
		if req.Top > 0 && req.Top < len(ranked) {
			ranked = ranked[:req.Top]
		}
		c := &Comparison{Title: fmt.Sprintf("NetScore paper network set (reconstructed), ranked by %s", key), SortBy: key, Metric: ps, Entries: ranked}
		if p := published[key]; p != "" {
			c.Notes = append(c.Notes, "Published order (paper): "+p)
		}
		if i == 0 {
			c.Notes = append(c.Notes, ReferenceNotes(rows, ps)...)
			out.Overview = &Comparison{Title: "NetScore paper network set (reconstructed)", SortBy: key, Metric: ps, Entries: all}
			for _, k := range PaperKeys {
				if p := published[k]; p != "" {
					out.Overview.Notes = append(out.Overview.Notes, fmt.Sprintf("Published order by %s (paper): %s", k, p))
				}
			}
			out.Overview.Notes = append(out.Overview.Notes, ReferenceNotes(rows, ps)...)
		}
		out.Rankings = append(out.Rankings, c)
	}
	return out, nil
}

// publishedOrderings reads the paper's published orderings from the
// embedded table's header lines.
func publishedOrderings() map[SortKey]string {
	out := map[SortKey]string{}
	for _, info := range zoo.Sources() {
		if info.Source != zoo.Paper {
			continue
		}
		for _, h := range info.Header {
			if !strings.HasPrefix(h, "published orderings") {
				continue
			}
			for _, part := range strings.Split(h, ";") {
				part = strings.TrimSpace(part)
				switch {
				case strings.Contains(part, "NetScore top"):
					out[ByNetScore] = afterEq(part)
				case strings.Contains(part, "top-1 top"):
					out[ByTop1] = afterEq(part)
				case strings.Contains(part, "information density top"):
					out[ByDensity] = afterEq(part)
				}
			}
		}
	}
	return out
}

func afterEq(s string) string {
	if _, v, ok := strings.Cut(s, "="); ok {
		return strings.TrimSpace(v)
	}
	return s
}
