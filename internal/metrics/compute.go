package metrics

import (
	"math"
	"slices"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// Compute returns every figure of the site in the given wave ("" = the
// current wave, the last of site.Waves). It only reads site.
//
// Trends run over site.Waves up to and including the report's wave: a
// report as of an earlier wave does not show later ones, and so the
// report's wave, when it has data, is always the last trend point and
// the delta is that point minus the one before.
//
// Cells and NPS below [stats] suppress_below are dropped first (see
// Suppress); segment values are computed the same way on their own data
// (see segments.go).
func Compute(site *model.Site, wave string) *Report {
	if wave == "" && len(site.Waves) > 0 {
		wave = site.Waves[len(site.Waves)-1]
	}
	site, sup := Suppress(site)
	// Quantiles are shared by the whole site and its segments: the
	// segments' cells have sizes like the site's.
	tcache := map[float64]float64{}
	r := compute(site, wave, tcache)
	r.Stats = &StatsReport{
		MinBase:         site.Config.Stats.MinBase,
		SuppressBelow:   site.Config.Stats.SuppressBelow,
		Confidence:      confidence(site.Config.Stats),
		SuppressedCells: sup.Cells,
		SuppressedNPS:   sup.NPS,
	}
	r.Segments = segments(site, wave, tcache)
	return r
}

// compute is Compute on data already suppressed, without segments.
// tcache remembers t quantiles by df (see tq).
func compute(site *model.Site, wave string, tcache map[float64]float64) *Report {
	c := &computer{
		site:   site,
		wave:   wave,
		prev:   previousWave(site.Waves, wave),
		conf:   confidence(site.Config.Stats),
		span:   site.Config.Scale.Span(),
		brands: make(map[string]*model.Brand, len(site.Brands)),
		tcache: tcache,
	}
	for _, b := range site.Brands {
		c.brands[b.ID] = b
	}
	c.trendWaves = trendWaves(site.Waves, wave)

	r := &Report{
		Scale:     site.Config.Scale,
		Tolerance: site.Config.Tolerance,
		Wave:      wave,
		Waves:     append([]string{}, site.Waves...),
		Brands:    []*BrandReport{},
		Journeys:  []*JourneyReport{},
		Actors:    []*ActorReport{},
	}
	calcs := make([]*journeyCalc, 0, len(site.Journeys))
	for _, j := range site.Journeys {
		jr, calc := c.journey(j)
		r.Journeys = append(r.Journeys, jr)
		calcs = append(calcs, calc)
	}
	for _, b := range site.Brands {
		r.Brands = append(r.Brands, c.brand(b, calcs))
	}
	r.Actors = c.actors(r.Journeys)
	r.Assessments = assessments(site.Assessments)
	r.index()
	return r
}

// computer carries what every part of one Compute call needs.
type computer struct {
	site       *model.Site
	wave       string
	prev       string  // the declared wave before wave, for changes
	conf       float64 // [stats] confidence
	span       float64
	brands     map[string]*model.Brand
	trendWaves []string
	tcache     map[float64]float64 // t(0.975, df) by df, see tq
}

// trendWaves is the part of the wave order a report as of wave looks
// back on. A wave outside the order (the caller did not validate it)
// sees the whole order; it then has no trend point of its own.
func trendWaves(order []string, wave string) []string {
	if i := slices.Index(order, wave); i >= 0 {
		return order[:i+1]
	}
	return order
}

// brandOf is the id of the journey's brand: its own, else the site's.
func (c *computer) brandOf(j *model.Journey) string {
	if j.Brand != "" {
		return j.Brand
	}
	return c.site.Config.Brand
}

// attributes are the attributes a journey is measured on: its brand's,
// in the brand's order. An unknown brand (reported by the loader) has
// none, so its journeys show touchpoints without figures.
func (c *computer) attributes(j *model.Journey) []*model.Attribute {
	if b := c.brands[c.brandOf(j)]; b != nil {
		return b.Attributes
	}
	return nil
}

// cell is the experience of one cell, nil when not measured.
func (c *computer) cell(wave string, j *model.Journey, t *model.Touchpoint, a string) *model.Cell {
	return c.site.Cells[model.CellKey{Wave: wave, Journey: j.ID, Touchpoint: t.ID, Attribute: a}]
}

// addIndex adds the journey's cells with both promise and experience in
// wave to the index sum, in the same order as touchpoint visits them in
// the report's wave, so a wave's index comes out the same bits whichever
// loop computed it.
func (c *computer) addIndex(acc *indexSum, j *model.Journey, wave string) {
	attrs := c.attributes(j)
	for _, t := range j.Touchpoints {
		for _, a := range attrs {
			p, hasP := t.Promise[a.ID]
			if !hasP {
				continue
			}
			if e := c.cell(wave, j, t, a.ID); e != nil {
				acc.add(e.Mean-p, t.Importance*a.Weight)
			}
		}
	}
}

// journeyCalc is what a journey's brand reuses of it: the index sums and
// attribute accumulators, so the brand's figures are sums over the same
// cells without visiting them again. A sum with no cells has den 0 and so
// no value: "has data" needs no flag of its own.
type journeyCalc struct {
	now   indexSum            // the report's wave
	waves []indexSum          // per trendWaves
	attrs map[string]*attrAcc // the report's wave
}

// trend is the alignment index per wave over the waves with data, each
// point after the first with its change from the point before (over the
// cells of js both waves measure, see change).
func (c *computer) trend(sums []indexSum, js []*model.Journey) []WavePoint {
	points := []WavePoint{}
	for i, w := range c.trendWaves {
		if v, ok := sums[i].value(c.span); ok {
			points = append(points, WavePoint{Wave: w, Alignment: v})
		}
	}
	for i := 1; i < len(points); i++ {
		points[i].Delta = c.change(js, points[i].Wave, points[i-1].Wave)
	}
	return points
}

// delta is the change of the report's wave and the wave it is from: the
// last trend point's, when that point is the report's wave. An empty
// report wave has no change, whatever came before.
func (c *computer) delta(points []WavePoint) (*float64, string) {
	if n := len(points); n >= 2 && points[n-1].Wave == c.wave && points[n-1].Delta != nil {
		return points[n-1].Delta, points[n-2].Wave
	}
	return nil, ""
}

// change is the index of wave at minus that of wave from,
// both over only the cells (with promise) the two waves both measure:
// a touchpoint measured in one wave only would otherwise move the index
// without anything having changed. When both waves measure the same
// cells it is exactly the difference of the two trend points (the sums
// run in the same order as addIndex's). nil when no cell is in both.
func (c *computer) change(js []*model.Journey, at, from string) *float64 {
	var now, before indexSum
	for _, j := range js {
		// Per journey, then merged, as the brand's trend merges its
		// journeys' sums: same cells, same bits.
		var jnow, jbefore indexSum
		attrs := c.attributes(j)
		for _, t := range j.Touchpoints {
			for _, a := range attrs {
				p, hasP := t.Promise[a.ID]
				if !hasP {
					continue
				}
				e1, e0 := c.cell(at, j, t, a.ID), c.cell(from, j, t, a.ID)
				if e1 == nil || e0 == nil {
					continue
				}
				jnow.add(e1.Mean-p, t.Importance*a.Weight)
				jbefore.add(e0.Mean-p, t.Importance*a.Weight)
			}
		}
		now.merge(jnow)
		before.merge(jbefore)
	}
	v1, ok1 := now.value(c.span)
	v0, ok0 := before.value(c.span)
	if !ok1 || !ok0 {
		return nil
	}
	return ptr(v1 - v0)
}

// attrAcc gathers one attribute's figures over the touchpoints of a
// journey (or of all a brand's journeys).
type attrAcc struct {
	promise, experience weighted
	values              []float64 // E(t,a), for consistency
}

// attrReports turns the accumulators into reports in attribute order,
// listing only attributes with at least one cell having both P and E.
func (c *computer) attrReports(attrs []*model.Attribute, accs map[string]*attrAcc) []*AttributeReport {
	out := []*AttributeReport{}
	for _, a := range attrs {
		acc := accs[a.ID]
		if acc == nil || len(acc.values) == 0 {
			continue
		}
		ar := &AttributeReport{ID: a.ID}
		if v, ok := acc.promise.value(); ok {
			ar.Promise = ptr(v)
		}
		if v, ok := acc.experience.value(); ok {
			ar.Experience = ptr(v)
		}
		if v, ok := Consistency(acc.values, c.span); ok {
			ar.Consistency = ptr(v)
		}
		out = append(out, ar)
	}
	return out
}

func (c *computer) journey(j *model.Journey) (*JourneyReport, *journeyCalc) {
	jr := &JourneyReport{
		ID:          j.ID,
		Brand:       c.brandOf(j),
		Touchpoints: make([]*TouchpointReport, 0, len(j.Touchpoints)),
	}
	attrs := c.attributes(j)
	calc := &journeyCalc{
		waves: make([]indexSum, len(c.trendWaves)),
		attrs: make(map[string]*attrAcc, len(attrs)),
	}
	for _, t := range j.Touchpoints {
		jr.Touchpoints = append(jr.Touchpoints, c.touchpoint(j, t, attrs, calc))
	}
	for i, w := range c.trendWaves {
		if w == c.wave {
			calc.waves[i] = calc.now
		} else {
			c.addIndex(&calc.waves[i], j, w)
		}
	}
	if v, ok := calc.now.value(c.span); ok {
		jr.Alignment = ptr(v)
	}
	jr.Trend = c.trend(calc.waves, []*model.Journey{j})
	jr.Delta, jr.DeltaFrom = c.delta(jr.Trend)
	jr.NPS = c.npsReport(
		c.site.JourneyNPS[model.JourneyKey{Wave: c.wave, Journey: j.ID}],
		c.site.JourneyNPS[model.JourneyKey{Wave: c.prev, Journey: j.ID}])
	jr.Drivers = Drivers(c.site.Drivers[model.JourneyKey{Wave: c.wave, Journey: j.ID}])
	c.derivedImportance(j, jr)
	c.quadrants(jr)
	jr.Attributes = c.attrReports(attrs, calc.attrs)
	return jr, calc
}

// touchpoint computes one touchpoint in the report's wave and adds its
// cells to the journey's sums.
func (c *computer) touchpoint(j *model.Journey, t *model.Touchpoint, attrs []*model.Attribute, calc *journeyCalc) *TouchpointReport {
	tr := &TouchpointReport{
		ID:         t.ID,
		Stage:      t.Stage,
		Owner:      t.Owner,
		Importance: t.Importance,
		Attributes: make([]*CellReport, 0, len(attrs)),
	}
	var (
		align             indexSum
		perf, prom, short weighted
	)
	for _, a := range attrs {
		p, hasP := t.Promise[a.ID]
		e := c.cell(c.wave, j, t, a.ID)
		if !hasP && e == nil {
			continue
		}
		// One allocation per cell instead of one per optional figure: the
		// figures live beside the report that points at them.
		st := &struct {
			cr      CellReport
			p, e, g float64
			n       int
			fig     cellFigures
		}{cr: CellReport{ID: a.ID}}
		cr := &st.cr
		if hasP {
			st.p = p
			cr.Promise = &st.p
		}
		if e != nil {
			st.e = e.Mean
			cr.Experience = &st.e
			if e.N > 0 {
				// How much data backs a cell is shown whenever the source
				// says, even when no sd comes with it.
				st.n = e.N
				cr.N = &st.n
			}
			var prev *model.Cell
			if c.prev != "" {
				prev = c.cell(c.prev, j, t, a.ID)
			}
			c.cellStats(cr, e, prev, &st.fig)
		}
		if hasP && e != nil {
			g := e.Mean - p
			st.g = g
			cr.Gap = &st.g
			cr.Status = Status(g, c.site.Config.Tolerance)
			align.add(g, a.Weight)
			perf.add(e.Mean, a.Weight)
			prom.add(p, a.Weight)
			short.add(math.Max(0, -g), a.Weight)

			calc.now.add(g, t.Importance*a.Weight)
			acc := calc.attrs[a.ID]
			if acc == nil {
				acc = &attrAcc{}
				calc.attrs[a.ID] = acc
			}
			acc.promise.add(p, t.Importance)
			acc.experience.add(e.Mean, t.Importance)
			acc.values = append(acc.values, e.Mean)
		}
		tr.Attributes = append(tr.Attributes, cr)
	}
	if v, ok := align.value(c.span); ok {
		tr.Alignment = ptr(v)
	}
	if v, ok := perf.value(); ok {
		tr.Performance = ptr(v)
	}
	if v, ok := prom.value(); ok {
		tr.Promise = ptr(v)
	}
	if v, ok := short.value(); ok {
		tr.Shortfall = ptr(v)
	}
	// The touchpoint's verdict is on its weighted gap, the figure the gap
	// chart draws, not on its worst cell: one number, one status.
	if tr.Performance != nil && tr.Promise != nil {
		tr.Gap = ptr(*tr.Performance - *tr.Promise)
		tr.Status = Status(*tr.Gap, c.site.Config.Tolerance)
	}
	tr.NPS = c.npsReport(
		c.site.NPS[model.TouchKey{Wave: c.wave, Journey: j.ID, Touchpoint: t.ID}],
		c.site.NPS[model.TouchKey{Wave: c.prev, Journey: j.ID, Touchpoint: t.ID}])
	return tr
}

// quadrants sets the IPA crosshair of the journey and the quadrant of
// each touchpoint that has a performance.
func (c *computer) quadrants(jr *JourneyReport) {
	var perf, imp []float64
	for _, tr := range jr.Touchpoints {
		if tr.Performance != nil {
			perf = append(perf, *tr.Performance)
			imp = append(imp, tr.AxisImportance())
		}
	}
	if len(perf) == 0 {
		return
	}
	var cross Point
	if c.site.Config.Crosshair == "midpoint" {
		m := c.site.Config.Scale.Mid()
		cross = Point{X: m, Y: m}
	} else {
		// "mean" is the default, so anything else means it too.
		cross, _ = MeanCrosshair(perf, imp)
	}
	jr.Crosshair = &cross
	for _, tr := range jr.Touchpoints {
		if tr.Performance != nil {
			tr.Quadrant = Quadrant(*tr.Performance, tr.AxisImportance(), cross)
		}
		tr.Priority = Priority(tr.Status, tr.AxisImportance(), cross)
	}
}

// brand sums its journeys' cells. One sum over all the brand's cells,
// not a mean of journey indices: a journey with more (or more important)
// cells weighs more. calcs are the site's journeys' sums, in site order.
func (c *computer) brand(b *model.Brand, calcs []*journeyCalc) *BrandReport {
	br := &BrandReport{ID: b.ID, Journeys: []string{}}
	var now indexSum
	waves := make([]indexSum, len(c.trendWaves))
	accs := make(map[string]*attrAcc, len(b.Attributes))
	for ji, j := range c.site.Journeys {
		if c.brandOf(j) != b.ID {
			continue
		}
		br.Journeys = append(br.Journeys, j.ID)
		calc := calcs[ji]
		now.merge(calc.now)
		for i := range waves {
			waves[i].merge(calc.waves[i])
		}
		// In attribute order, not map order, so the consistency values
		// and thus the output bits do not depend on map iteration.
		for _, a := range b.Attributes {
			ja := calc.attrs[a.ID]
			if ja == nil {
				continue
			}
			acc := accs[a.ID]
			if acc == nil {
				acc = &attrAcc{}
				accs[a.ID] = acc
			}
			acc.promise.merge(ja.promise)
			acc.experience.merge(ja.experience)
			acc.values = append(acc.values, ja.values...)
		}
	}
	if v, ok := now.value(c.span); ok {
		br.Alignment = ptr(v)
	}
	var js []*model.Journey
	for _, j := range c.site.Journeys {
		if c.brandOf(j) == b.ID {
			js = append(js, j)
		}
	}
	br.Trend = c.trend(waves, js)
	br.Delta, br.DeltaFrom = c.delta(br.Trend)
	br.NPS = c.npsReport(
		c.site.BrandNPS[model.BrandKey{Wave: c.wave, Brand: b.ID}],
		c.site.BrandNPS[model.BrandKey{Wave: c.prev, Brand: b.ID}])
	br.Attributes = c.attrReports(b.Attributes, accs)
	return br
}

// actors lists every actor of the site, sorted by id (pages sort them
// by load, see ByLoad), with the touchpoints it owns or contributes to, the
// shortfall load it owns and the shortfall it contributes to.
func (c *computer) actors(journeys []*JourneyReport) []*ActorReport {
	out := make([]*ActorReport, 0, len(c.site.Actors))
	byID := make(map[string]*ActorReport, len(c.site.Actors))
	for _, a := range c.site.Actors {
		ar := &ActorReport{ID: a.ID, Touchpoints: []string{}}
		out = append(out, ar)
		byID[a.ID] = ar
	}
	slices.SortStableFunc(out, func(x, y *ActorReport) int { return strings.Compare(x.ID, y.ID) })

	// Walk the model journeys beside their reports: contributors are only
	// in the model, shortfalls only in the reports, and both are in the
	// same order.
	for ji, j := range c.site.Journeys {
		jr := journeys[ji]
		for ti, t := range j.Touchpoints {
			tr := jr.Touchpoints[ti]
			ref := j.ID + "/" + t.ID
			if ar := byID[t.Owner]; ar != nil {
				ar.Touchpoints = append(ar.Touchpoints, ref)
				if tr.Shortfall != nil {
					ar.Load += t.Importance * *tr.Shortfall
				}
			}
			for _, id := range t.Contributors {
				// Touchpoints come one after another: a repeat can only be
				// the last one (a search of the whole list was quadratic).
				if ar := byID[id]; ar != nil && id != t.Owner && (len(ar.Contributes) == 0 || ar.Contributes[len(ar.Contributes)-1] != ref) {
					ar.Contributes = append(ar.Contributes, ref)
					if tr.Shortfall != nil {
						if ar.Contributed == nil {
							ar.Contributed = new(float64)
						}
						*ar.Contributed += t.Importance * *tr.Shortfall
					}
				}
			}
		}
	}
	return out
}

// assessments summarise each scorecard as the mean current and target
// score per pillar. A pillar without criteria has no mean and is left
// out rather than shown as 0.
func assessments(as []*model.Assessment) []*AssessmentReport {
	if len(as) == 0 {
		return nil
	}
	out := make([]*AssessmentReport, 0, len(as))
	for _, a := range as {
		ar := &AssessmentReport{ID: a.ID, Pillars: []PillarReport{}}
		for _, p := range a.Pillars {
			if len(p.Criteria) == 0 {
				continue
			}
			var cur, tgt float64
			for _, cr := range p.Criteria {
				cur += cr.Current
				tgt += cr.Target
			}
			n := float64(len(p.Criteria))
			ar.Pillars = append(ar.Pillars, PillarReport{Name: p.Name, Current: cur / n, Target: tgt / n})
		}
		out = append(out, ar)
	}
	return out
}

// ptr returns a pointer to a copy of v, for optional figures.
func ptr[T any](v T) *T { return &v }
