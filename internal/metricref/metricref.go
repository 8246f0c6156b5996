// Package metricref resolves the metric references of narrative pages
// ({{< metric value="alignment" journey="storm" >}}): a small query
// language over model.Site and metrics.Report that names a figure by
// what it is of, and returns it as every page shows it (package figure)
// with a title that says, in readers' words, what and whose it is.
package metricref

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// metricKeys are the keys a `{{< metric … >}}` reference takes.
func metricKeys() []string {
	return []string{"value", "brand", "journey", "touchpoint", "attribute", "actor", "wave"}
}

// metricValues are the figures value= names, in the order the docs give
// them.
func metricValues() []string {
	return []string{"alignment", "delta", "performance", "promise", "experience", "gap", "shortfall",
		"importance", "nps", "nps-n", "n", "consistency", "load", "contributed", "p", "share", "r"}
}

// metricKind is how a figure is shown and what it is a figure of, for
// the error that asks it of the wrong thing.
type metricKind struct {
	format func(float64) string
	of     string
}

func metricKinds() map[string]metricKind {
	return map[string]metricKind{
		"alignment":   {f1, "a touchpoint, a journey or a brand"},
		"delta":       {signed, "a journey or a brand"},
		"performance": {f1, "a touchpoint (touchpoint=)"},
		"promise":     {f1, "a touchpoint, a touchpoint's attribute, or an attribute of a journey or brand"},
		"experience":  {f1, "a touchpoint's attribute, or an attribute of a journey or brand (attribute=)"},
		"gap":         {signed, "a touchpoint or a touchpoint's attribute (touchpoint=, attribute=)"},
		"shortfall":   {f1, "a touchpoint (touchpoint=)"},
		"importance":  {f1, "a touchpoint (touchpoint=)"},
		"nps":         {signed, "a touchpoint, a journey or a brand"},
		"nps-n":       {count, "a touchpoint, a journey or a brand"},
		"n":           {count, "a touchpoint's attribute (touchpoint= and attribute=)"},
		"consistency": {f1, "an attribute of a journey or brand (attribute=)"},
		"load":        {f1, "an actor (actor=)"},
		"contributed": {f1, "an actor (actor=)"},
		"p":           {pValue, "a change since the previous wave: of a touchpoint's attribute, or of the NPS of a touchpoint, a journey or a brand"},
		"share":       {f2, "a journey's key driver (journey= and attribute=)"},
		"r":           {f2, "a journey's key driver (journey= and attribute=)"},
	}
}

// f1 and signed show a figure exactly as the theme's f1 and signed
// template functions and the charts do: all three are package figure's.
func f1(v float64) string { return figure.One(v) }

func signed(v float64) string { return figure.Signed(v) }

// Format shows v as a reference of value kind shows it ("alignment":
// one decimal, "delta": signed, "n": a count); "" for an unknown kind.
func Format(kind string, v float64) string {
	k, ok := metricKinds()[kind]
	if !ok {
		return ""
	}
	return k.format(v)
}

// Values lists the figures value= names, in the order the docs give them.
func Values() []string { return metricValues() }

func count(v float64) string { return strconv.Itoa(int(v)) }

// Resolver resolves the metric references of one narrative page. The
// page's front matter journey and brand are the defaults.
type Resolver struct {
	Site *model.Site
	// Report returns the figures of a wave ("" = the current one); the
	// build computes each wave once and shares it.
	Report  func(wave string) *metrics.Report
	Path    string // the page's path, for diagnostics
	Journey string // the page's journey, "" when none
	Brand   string // the page's brand, else the site's
}

// ResolveMetric implements markdown.MetricResolver: the figure as the
// site shows it, and for the title what it is with its full precision.
func (m *Resolver) ResolveMetric(args map[string]string, line, col int) (text, exact string, err error) {
	q := &metricQuery{m: m, args: args}
	v, msg := q.resolve()
	if msg != "" {
		return "", "", diag.Diagnostic{Path: m.Path, Line: line, Col: col, Msg: msg}
	}
	exact = q.title + ", " + q.wave + ": " + figure.Exact(v)
	return metricKinds()[q.kind].format(v), exact, nil
}

// metricQuery is one reference being resolved.
type metricQuery struct {
	m    *Resolver
	args map[string]string
	kind string
	wave string
	rep  *metrics.Report
	// title says what the figure is in readers' words (names, not ids).
	title string
}

// resolve returns the figure, or the message saying what is wrong.
func (q *metricQuery) resolve() (float64, string) {
	site := q.m.Site
	var unknown []string
	for k := range q.args {
		if !slices.Contains(metricKeys(), k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return 0, diag.Unknown("metric key", unknown[0], metricKeys())
	}
	kind, ok := q.args["value"]
	if !ok {
		return 0, `metric reference needs value="…", one of ` + quoteAll(metricValues())
	}
	if _, ok := metricKinds()[kind]; !ok {
		return 0, diag.Unknown("metric value", kind, metricValues())
	}
	q.kind = kind
	if w, given := q.args["wave"]; given && !slices.Contains(site.Waves, w) {
		return 0, diag.Unknown("wave", w, site.Waves)
	}
	q.rep = q.m.Report(q.args["wave"])
	q.wave = q.rep.Wave

	if _, ok := q.args["actor"]; ok {
		return q.actor()
	}
	journeyID, hasJourney := q.args["journey"]
	_, hasTouchpoint := q.args["touchpoint"]
	brandID, hasBrand := q.args["brand"]
	if hasBrand {
		if msg := q.checkBrand(brandID); msg != "" {
			return 0, msg
		}
	}
	// The figure is of what the reference names, else of the page's
	// journey, else of its brand.
	if hasJourney || hasTouchpoint || !hasBrand && q.m.Journey != "" {
		if !hasJourney {
			journeyID = q.m.Journey
		}
		if journeyID == "" {
			return 0, `a touchpoint's figure needs journey="…" (or a journey in the page's front matter)`
		}
		j := site.Journey(journeyID)
		if j == nil {
			var ids []string
			for _, j := range site.Journeys {
				ids = append(ids, j.ID)
			}
			return 0, diag.Unknown("journey", journeyID, ids)
		}
		if hasBrand && brandOf(site, j) != brandID {
			return 0, fmt.Sprintf("journey %q belongs to brand %q, not %q", j.ID, brandOf(site, j), brandID)
		}
		if hasTouchpoint {
			return q.touchpoint(j)
		}
		return q.journey(j)
	}
	if !hasBrand {
		brandID = q.m.Brand
		if msg := q.checkBrand(brandID); msg != "" {
			return 0, msg
		}
	}
	return q.brand(brandID)
}

// notOf is the message for a figure asked of something that has none.
func (q *metricQuery) notOf(what string) string {
	return fmt.Sprintf("value %q is a figure of %s, not of %s", q.kind, metricKinds()[q.kind].of, what)
}

func (q *metricQuery) actor() (float64, string) {
	id := q.args["actor"]
	for _, k := range []string{"brand", "journey", "touchpoint", "attribute"} {
		if _, ok := q.args[k]; ok {
			return 0, "an actor's figure takes no " + k + "=: its load sums over every touchpoint it owns"
		}
	}
	var actor *model.Actor
	var ids []string
	for _, a := range q.m.Site.Actors {
		ids = append(ids, a.ID)
		if a.ID == id {
			actor = a
		}
	}
	if actor == nil {
		return 0, diag.Unknown("actor", id, ids)
	}
	if q.kind != "load" && q.kind != "contributed" {
		return 0, q.notOf(fmt.Sprintf("actor %q", id))
	}
	if a := q.rep.Actor(id); a != nil {
		if q.kind == "contributed" {
			if a.Contributed == nil {
				return 0, fmt.Sprintf("actor %q contributes to no touchpoint with a shortfall figure in wave %s", id, q.wave)
			}
			q.title = "Shortfall contributed to by " + nameOr(actor.Name, id)
			return *a.Contributed, ""
		}
		q.title = "Shortfall load of " + nameOr(actor.Name, id)
		return a.Load, ""
	}
	return 0, fmt.Sprintf("actor %q has no load in wave %s", id, q.wave)
}

func (q *metricQuery) brand(id string) (float64, string) {
	br := q.rep.Brand(id)
	what := fmt.Sprintf("brand %q", id)
	if br == nil {
		return 0, fmt.Sprintf("%s has no figures in wave %s", what, q.wave)
	}
	name := id
	for _, b := range q.m.Site.Brands {
		if b.ID == id {
			name = nameOr(b.Name, id)
		}
	}
	if v, msg, done := q.npsFigure(br.NPS, what, "relationship NPS of "+name); done {
		return v, msg
	}
	if attr, ok := q.args["attribute"]; ok {
		if msg := q.checkAttribute(attr, id); msg != "" {
			return 0, msg
		}
		return q.attribute(br.Attributes, attr, id, what, "the brand "+name)
	}
	switch q.kind {
	case "alignment":
		if br.Alignment == nil {
			return 0, fmt.Sprintf("%s has no alignment in wave %s: no touchpoint of its journeys has both promise and experience", what, q.wave)
		}
		q.title = "Brand alignment index of " + name
		return *br.Alignment, ""
	case "delta":
		if br.Delta == nil {
			return 0, fmt.Sprintf("%s has no delta in wave %s: that needs alignment in this wave and an earlier one, on cells both measure", what, q.wave)
		}
		q.title = "Change in the brand alignment index of " + name + " since " + br.DeltaFrom
		return *br.Delta, ""
	}
	return 0, q.notOf(what)
}

func (q *metricQuery) journey(j *model.Journey) (float64, string) {
	jr := q.rep.Journey(j.ID)
	what := fmt.Sprintf("journey %q", j.ID)
	name := nameOr(j.Title, j.ID)
	if v, msg, done := q.journeyStats(j, jr, what, name); done {
		return v, msg
	}
	if attr, ok := q.args["attribute"]; ok {
		if msg := q.checkAttribute(attr, brandOf(q.m.Site, j)); msg != "" {
			return 0, msg
		}
		var attrs []*metrics.AttributeReport
		if jr != nil {
			attrs = jr.Attributes
		}
		return q.attribute(attrs, attr, brandOf(q.m.Site, j), what, "the journey "+name)
	}
	switch q.kind {
	case "alignment":
		if jr == nil || jr.Alignment == nil {
			return 0, fmt.Sprintf("%s has no alignment in wave %s: no touchpoint has both promise and experience", what, q.wave)
		}
		q.title = "Journey alignment index of " + name
		return *jr.Alignment, ""
	case "delta":
		if jr == nil || jr.Delta == nil {
			return 0, fmt.Sprintf("%s has no delta in wave %s: that needs alignment in this wave and an earlier one, on cells both measure", what, q.wave)
		}
		q.title = "Change in the journey alignment index of " + name + " since " + jr.DeltaFrom
		return *jr.Delta, ""
	}
	return 0, q.notOf(what)
}

// attribute is an attribute's promise, experience or consistency across
// a journey or a brand.
func (q *metricQuery) attribute(attrs []*metrics.AttributeReport, attr, brand, of, ofName string) (float64, string) {
	what := fmt.Sprintf("attribute %q of %s", attr, of)
	var label string
	switch q.kind {
	case "promise":
		label = "Importance-weighted promise"
	case "experience":
		label = "Importance-weighted experience"
	case "consistency":
		label = "Consistency"
	default:
		return 0, q.notOf(what)
	}
	var v *float64
	for _, a := range attrs {
		if a.ID != attr {
			continue
		}
		switch q.kind {
		case "promise":
			v = a.Promise
		case "experience":
			v = a.Experience
		default:
			v = a.Consistency
		}
	}
	if v == nil {
		return 0, fmt.Sprintf("%s has no %s in wave %s: no touchpoint has both promise and experience on it", what, q.kind, q.wave)
	}
	q.title = label + " of " + q.attrName(brand, attr) + " across " + ofName
	return *v, ""
}

func (q *metricQuery) touchpoint(j *model.Journey) (float64, string) {
	id := q.args["touchpoint"]
	var t *model.Touchpoint
	var ids []string
	for _, x := range j.Touchpoints {
		ids = append(ids, x.ID)
		if x.ID == id {
			t = x
		}
	}
	if t == nil {
		return 0, diag.Unknown("touchpoint", id, ids) + fmt.Sprintf(" in journey %q", j.ID)
	}
	tr := q.rep.Journey(j.ID).Touchpoint(id)
	what := fmt.Sprintf("touchpoint %q of journey %q", id, j.ID)
	if tr == nil {
		return 0, fmt.Sprintf("%s has no figures in wave %s", what, q.wave)
	}
	where := "the touchpoint " + nameOr(t.Name, id) + " (" + nameOr(j.Title, j.ID) + ")"
	if attr, ok := q.args["attribute"]; ok {
		brand := brandOf(q.m.Site, j)
		if msg := q.checkAttribute(attr, brand); msg != "" {
			return 0, msg
		}
		return q.cell(tr, attr, fmt.Sprintf("attribute %q at %s", attr, what), q.attrName(brand, attr)+" at "+where)
	}
	var v *float64
	var label string
	switch q.kind {
	case "alignment":
		v, label = tr.Alignment, "Alignment"
	case "performance":
		v, label = tr.Performance, "Performance (weighted experience)"
	case "promise":
		v, label = tr.Promise, "Weighted promise"
	case "shortfall":
		v, label = tr.Shortfall, "Shortfall"
	case "gap":
		v, label = tr.Gap, "Weighted gap (performance − promise)"
	case "importance":
		v, label = &tr.Importance, "Importance"
	case "nps", "nps-n":
		if tr.NPS == nil {
			return 0, fmt.Sprintf("%s has no NPS in wave %s: no recommend answers", what, q.wave)
		}
		if q.kind == "nps-n" {
			q.title = "Recommend answers behind the NPS of " + where
			return float64(tr.NPS.N), ""
		}
		q.title = fmt.Sprintf("NPS of %s, n = %d, 95%% CI %s", where, tr.NPS.N, figure.Interval(tr.NPS.CI[0], tr.NPS.CI[1]))
		return tr.NPS.Score, ""
	case "p":
		if tr.NPS == nil {
			return 0, fmt.Sprintf("%s has no NPS in wave %s: no recommend answers", what, q.wave)
		}
		return q.changeP(tr.NPS.Change, what+"'s NPS", "the NPS of "+where)
	default:
		return 0, q.notOf(what)
	}
	if v == nil {
		return 0, fmt.Sprintf("%s has no %s in wave %s: no attribute there has both promise and experience", what, q.kind, q.wave)
	}
	q.title = label + " of " + where
	return *v, ""
}

// cell is a figure of one attribute at one touchpoint.
func (q *metricQuery) cell(tr *metrics.TouchpointReport, attr, what, name string) (float64, string) {
	switch q.kind {
	case "promise", "experience", "gap", "n", "p":
	default:
		return 0, q.notOf(what)
	}
	var c *metrics.CellReport
	for _, x := range tr.Attributes {
		if x.ID == attr {
			c = x
		}
	}
	noPromise := what + " has no promise: the journey sets none there"
	noExperience := fmt.Sprintf("%s has no experience data in wave %s", what, q.wave)
	switch {
	case c == nil && (q.kind == "promise" || q.kind == "gap"):
		return 0, noPromise
	case c == nil:
		return 0, noExperience
	}
	switch q.kind {
	case "promise":
		if c.Promise == nil {
			return 0, noPromise
		}
		q.title = "Promise on " + name
		return *c.Promise, ""
	case "experience":
		if c.Experience == nil {
			return 0, noExperience
		}
		q.title = "Experience of " + name
		return *c.Experience, ""
	case "gap":
		if c.Promise == nil {
			return 0, noPromise
		}
		if c.Gap == nil {
			return 0, noExperience
		}
		q.title = "Gap (experience − promise) on " + name
		return *c.Gap, ""
	case "p":
		if c.Experience == nil {
			return 0, noExperience
		}
		return q.changeP(c.Change, what, "the experience of "+name)
	}
	// "n"
	if c.N == nil {
		if c.Experience == nil {
			return 0, noExperience
		}
		return 0, fmt.Sprintf("%s has no sample size in wave %s: its score comes without n", what, q.wave)
	}
	q.title = "Answers behind " + name
	return float64(*c.N), ""
}

func (q *metricQuery) checkBrand(id string) string {
	if id == "" {
		return `a brand's figure needs brand="…" (or a brand in the page's front matter or site.toml)`
	}
	var ids []string
	for _, b := range q.m.Site.Brands {
		if b.ID == id {
			return ""
		}
		ids = append(ids, b.ID)
	}
	return diag.Unknown("brand", id, ids)
}

func (q *metricQuery) checkAttribute(id, brand string) string {
	var ids []string
	for _, b := range q.m.Site.Brands {
		if b.ID != brand {
			continue
		}
		for _, a := range b.Attributes {
			if a.ID == id {
				return ""
			}
			ids = append(ids, a.ID)
		}
	}
	return diag.Unknown("attribute", id, ids) + fmt.Sprintf(" of brand %q", brand)
}

func (q *metricQuery) attrName(brand, id string) string {
	for _, b := range q.m.Site.Brands {
		if b.ID != brand {
			continue
		}
		for _, a := range b.Attributes {
			if a.ID == id {
				return nameOr(a.Name, id)
			}
		}
	}
	return id
}

// brandOf is the journey's brand: its own, else the site's.
func brandOf(site *model.Site, j *model.Journey) string {
	if j.Brand != "" {
		return j.Brand
	}
	return site.Config.Brand
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
