package metrics

import "github.com/touchstone-cx/touchstone/internal/model"

// Suppressed counts what Suppress dropped.
type Suppressed struct {
	Cells int // experience cells
	NPS   int // NPS tallies (touchpoint, journey and brand)
}

// Suppress applies [stats] suppress_below (SPEC §9 "Base sizes") to the
// site's data: a cell or an NPS tally answered by fewer than
// suppress_below people is dropped as if there were no data, in every
// wave, and so are the verbatims of its touchpoint in that wave
// (respondent privacy: a handful of answers beside their comments can
// name people). Cells without a count (inline experience, measures
// rows without n) are never dropped. It returns site itself when
// nothing is dropped, else a shallow copy with filtered maps; site is
// not changed. Pages that show verbatims read them from the result.
// Segments are filtered the same way, each value on its own answers.
func Suppress(site *model.Site) (*model.Site, Suppressed) {
	min := site.Config.Stats.SuppressBelow
	if min <= 0 {
		return site, Suppressed{}
	}
	var sup Suppressed
	data := filterData(min, &sup, site.Cells, site.NPS, site.JourneyNPS, site.BrandNPS, site.Verbatims)
	segs := make([]*model.Segment, len(site.Segments))
	for i, s := range site.Segments {
		d := filterData(min, &sup, s.Cells, s.NPS, s.JourneyNPS, s.BrandNPS, s.Verbatims)
		cp := *s
		cp.Cells, cp.NPS, cp.JourneyNPS, cp.BrandNPS, cp.Verbatims = d.cells, d.nps, d.jnps, d.bnps, d.verb
		segs[i] = &cp
	}
	if sup == (Suppressed{}) {
		return site, sup
	}
	out := *site
	out.Cells, out.NPS, out.JourneyNPS, out.BrandNPS, out.Verbatims = data.cells, data.nps, data.jnps, data.bnps, data.verb
	if site.Segments != nil {
		out.Segments = segs
	}
	return &out, sup
}

type filtered struct {
	cells map[model.CellKey]*model.Cell
	nps   map[model.TouchKey]*model.NPSCounts
	jnps  map[model.JourneyKey]*model.NPSCounts
	bnps  map[model.BrandKey]*model.NPSCounts
	verb  map[model.TouchKey]*model.Verbatims
}

func filterData(min int, sup *Suppressed, cells map[model.CellKey]*model.Cell, nps map[model.TouchKey]*model.NPSCounts,
	jnps map[model.JourneyKey]*model.NPSCounts, bnps map[model.BrandKey]*model.NPSCounts,
	verb map[model.TouchKey]*model.Verbatims) filtered {
	small := func(n int) bool { return n > 0 && n < min }
	hidden := map[model.TouchKey]bool{}
	f := filtered{jnps: jnps, bnps: bnps, verb: verb}
	f.cells = make(map[model.CellKey]*model.Cell, len(cells))
	for k, c := range cells {
		if small(c.N) {
			sup.Cells++
			hidden[model.TouchKey{Wave: k.Wave, Journey: k.Journey, Touchpoint: k.Touchpoint}] = true
			continue
		}
		f.cells[k] = c
	}
	f.nps = make(map[model.TouchKey]*model.NPSCounts, len(nps))
	for k, c := range nps {
		if small(c.N()) {
			sup.NPS++
			hidden[k] = true
			continue
		}
		f.nps[k] = c
	}
	f.jnps = filterNPS(jnps, small, sup)
	f.bnps = filterNPS(bnps, small, sup)
	if len(hidden) > 0 && verb != nil {
		f.verb = make(map[model.TouchKey]*model.Verbatims, len(verb))
		for k, v := range verb {
			if !hidden[k] {
				f.verb[k] = v
			}
		}
	}
	return f
}

func filterNPS[K comparable](m map[K]*model.NPSCounts, small func(int) bool, sup *Suppressed) map[K]*model.NPSCounts {
	if m == nil {
		return nil
	}
	out := make(map[K]*model.NPSCounts, len(m))
	for k, c := range m {
		if small(c.N()) {
			sup.NPS++
			continue
		}
		out[k] = c
	}
	return out
}
