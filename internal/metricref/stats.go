package metricref

import (
	"fmt"
	"slices"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// The figures of SPEC §9 a `{{< metric >}}` reference can quote: the
// relationship NPS of a journey or a brand, the p of a change since the
// previous wave, and a key driver's share of R² and correlation r.

// f2 shows a share of R² or a correlation, pValue a p: package figure's
// rules, like every other figure.
func f2(v float64) string { return figure.Two(v) }

func pValue(v float64) string { return figure.P(v) }

// npsFigure answers nps, nps-n and p of a journey's or brand's
// relationship NPS (nil when it has none); done is false for the
// other kinds, and for any with attribute=, which are not about the NPS.
func (q *metricQuery) npsFigure(n *metrics.NPSReport, what, label string) (v float64, msg string, done bool) {
	if _, ok := q.args["attribute"]; ok {
		return 0, "", false
	}
	switch q.kind {
	case "nps", "nps-n", "p":
	default:
		return 0, "", false
	}
	if n == nil {
		return 0, fmt.Sprintf("%s has no NPS in wave %s: no recommend answers without a touchpoint", what, q.wave), true
	}
	switch q.kind {
	case "nps":
		q.title = fmt.Sprintf("%s, n = %d, 95%% CI %s", upper(label), n.N, figure.Interval(n.CI[0], n.CI[1]))
		return n.Score, "", true
	case "nps-n":
		q.title = "Recommend answers behind the " + label
		return float64(n.N), "", true
	}
	v, msg = q.changeP(n.Change, what+"'s NPS", "the "+label)
	return v, msg, true
}

// journeyStats answers the §9 figures of a journey: its relationship
// NPS, and a driver's share or r (attribute= names the driver).
func (q *metricQuery) journeyStats(j *model.Journey, jr *metrics.JourneyReport, what, name string) (v float64, msg string, done bool) {
	if q.kind != "share" && q.kind != "r" {
		var n *metrics.NPSReport
		if jr != nil {
			n = jr.NPS
		}
		return q.npsFigure(n, what, "relationship NPS of "+name)
	}
	attr, ok := q.args["attribute"]
	if !ok {
		return 0, fmt.Sprintf(`value %q needs attribute="…": it is a figure of one key driver of %s`, q.kind, what), true
	}
	brand := brandOf(q.m.Site, j)
	if msg := q.checkAttribute(attr, brand); msg != "" {
		return 0, msg, true
	}
	if jr == nil || jr.Drivers == nil {
		return 0, fmt.Sprintf("%s has no key drivers in wave %s: that needs %d complete answer rows with recommend", what, q.wave, metrics.MinDriverRows), true
	}
	for _, a := range jr.Drivers.Attributes {
		if a.ID != attr {
			continue
		}
		aname := q.attrName(brand, attr)
		if q.kind == "r" {
			q.title = fmt.Sprintf("Correlation of %s with recommend across %s, n = %d", aname, name, jr.Drivers.N)
			return a.R, "", true
		}
		if a.Share == nil {
			return 0, fmt.Sprintf("attribute %q of %s has a correlation but no share of R²: too many attributes for exact shares", attr, what), true
		}
		q.title = fmt.Sprintf("Share of R² (%s of %s) of %s in recommending after %s, n = %d", f2(*a.Share), f2(jr.Drivers.R2), aname, name, jr.Drivers.N)
		return *a.Share, "", true
	}
	return 0, fmt.Sprintf("attribute %q of %s is not a key driver in wave %s: its answers do not vary", attr, what, q.wave), true
}

// changeP is the p of a change, or why there is none.
func (q *metricQuery) changeP(c *metrics.Change, what, label string) (float64, string) {
	prev := ""
	if i := slices.Index(q.m.Site.Waves, q.wave); i > 0 {
		prev = q.m.Site.Waves[i-1]
	}
	if prev == "" {
		return 0, fmt.Sprintf("%s has no change in wave %s: there is no wave before it", what, q.wave)
	}
	if c == nil {
		return 0, fmt.Sprintf("%s has no change in wave %s: that needs, in %s too, at least two answers with their spread", what, q.wave, prev)
	}
	verdict := "not significant"
	if c.Significant {
		verdict = "significant"
	}
	q.title = fmt.Sprintf("p of the change in %s since %s (%s, %s)", label, prev, signed(c.Delta), verdict)
	return c.P, ""
}

// upper capitalises the first letter of an ASCII label.
func upper(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
