package build

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// ChangeList is what the /changes/ page and the home page show of the
// significant changes of the current wave (SPEC §9).
type ChangeList struct {
	Wave, From string // the current wave and the one before ("" if none)
	Scores     []ChangeRow
	NPS        []ChangeRow
	// Summary is one line for the home page: how many, or why none.
	Summary string
	// Level is the confidence in percent, "95".
	Level string
}

// ChangeRow is one significant change with the names a reader needs.
type ChangeRow struct {
	metrics.Moved
	Journey    *model.Journey    // nil for a brand NPS
	Touchpoint *model.Touchpoint // nil for a journey or brand NPS
	Brand      *model.Brand
	Owner      *model.Actor // nil when unknown or above touchpoints
	// Of names the figure: an attribute's name, or "NPS".
	Of string
}

// changeList gathers the report's significant changes with names.
func changeList(site *model.Site, rep *metrics.Report) *ChangeList {
	conf := 0.95
	if rep.Stats != nil {
		conf = rep.Stats.Confidence
	}
	cl := &ChangeList{Wave: rep.Wave, Level: strconv.FormatFloat(math.Round(conf*1000)/10, 'f', -1, 64)}
	if i := slices.Index(rep.Waves, rep.Wave); i > 0 {
		cl.From = rep.Waves[i-1]
	}
	scores, nps := rep.SignificantChanges()
	row := func(m metrics.Moved) ChangeRow {
		r := ChangeRow{Moved: m, Brand: site.Brand(m.Brand), Owner: site.Actor(m.Owner), Of: "NPS"}
		if m.Journey != "" {
			r.Journey = site.Journey(m.Journey)
			if r.Brand == nil && r.Journey != nil {
				r.Brand = site.Brand(brandOf(site, r.Journey))
			}
		}
		if r.Journey != nil && m.Touchpoint != "" {
			r.Touchpoint = r.Journey.Touchpoint(m.Touchpoint)
		}
		if m.Attribute != "" {
			r.Of = m.Attribute
			if a := r.Brand.Attribute(m.Attribute); a != nil && a.Name != "" {
				r.Of = a.Name
			}
		}
		return r
	}
	for _, m := range scores {
		cl.Scores = append(cl.Scores, row(m))
	}
	for _, m := range nps {
		cl.NPS = append(cl.NPS, row(m))
	}
	n := len(cl.Scores) + len(cl.NPS)
	switch {
	case cl.From == "":
		cl.Summary = "No changes to test: wave " + rep.Wave + " has no wave before it."
	case n == 0:
		cl.Summary = fmt.Sprintf("No significant change since %s: every move is within what chance explains.", cl.From)
	case n == 1:
		cl.Summary = fmt.Sprintf("1 significant change since %s", cl.From)
	default:
		cl.Summary = fmt.Sprintf("%d significant changes since %s", n, cl.From)
	}
	return cl
}

// text is the changes page's words for the search index.
func (cl *ChangeList) text() string {
	s := cl.Summary
	for _, r := range slices.Concat(cl.Scores, cl.NPS) {
		if r.Touchpoint != nil {
			s += " " + r.Touchpoint.Name
		}
		if r.Journey != nil {
			s += " " + r.Journey.Title
		}
		s += " " + r.Of
	}
	return s
}
