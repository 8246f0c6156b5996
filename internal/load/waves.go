package load

import (
	"slices"
	"sort"
	"strconv"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// defaultWave names the only wave of a site that declares none and has
// no survey data, so inline experience still has a wave to belong to.
const defaultWave = "current"

// resolveWaves fixes the wave order: as declared in site.toml, else the
// lexical order of every wave name seen in data. A data wave missing from
// a declared list is an error, since its place in the trend is unknown.
// A declared wave no data has is a warning; declared waves after the
// last one with data are left out, so the current wave is the last one
// with data (a wave declared before its survey is in the field must not
// take the inline experience, nor make a trend compare it with nothing).
func (l *loader) resolveWaves() {
	declared := l.site.Config.Waves
	if len(declared) > 0 {
		l.site.Waves = append([]string(nil), declared...)
		l.emptyWaves(declared)
		type seen struct {
			w   string
			pos model.Pos
		}
		var unknown []seen
		for w, pos := range l.seenWaves {
			if !slices.Contains(declared, w) {
				unknown = append(unknown, seen{w, pos})
			}
		}
		sort.Slice(unknown, func(i, j int) bool { return unknown[i].w < unknown[j].w })
		for _, u := range unknown {
			l.errorf(u.pos, "%s (site.toml lists the waves in order; add it there)", diag.Unknown("wave", u.w, declared))
		}
		l.dropCells(func(w string) bool { return !slices.Contains(declared, w) })
		return
	}
	for w := range l.seenWaves {
		l.site.Waves = append(l.site.Waves, w)
	}
	sort.Strings(l.site.Waves)
	if len(l.site.Waves) == 0 {
		l.site.Waves = []string{defaultWave}
	}
}

// emptyWaves warns of declared waves without data and drops those after
// the last wave with data. With no data at all, every declared wave
// stays and inline experience belongs to the last.
func (l *loader) emptyWaves(declared []string) {
	last := -1
	for i, w := range declared {
		if _, ok := l.seenWaves[w]; ok {
			last = i
		}
	}
	if last < 0 {
		return
	}
	for i, w := range declared {
		if _, ok := l.seenWaves[w]; ok {
			continue
		}
		pos := l.site.Config.Pos["waves["+strconv.Itoa(i)+"]"]
		if i > last {
			l.warnf(pos, "wave %q is declared but no data has it yet: the current wave is %q until data of %q arrives", w, declared[last], w)
		} else {
			l.warnf(pos, "wave %q is declared but no data has it: trends show nothing for it", w)
		}
	}
	l.site.Waves = l.site.Waves[:last+1]
}

// dropCells removes data of waves that failed validation, so later stages
// never see them.
func (l *loader) dropCells(bad func(string) bool) {
	for k := range l.site.Cells {
		if bad(k.Wave) {
			delete(l.site.Cells, k)
		}
	}
	for k := range l.site.NPS {
		if bad(k.Wave) {
			delete(l.site.NPS, k)
		}
	}
	for k := range l.site.Verbatims {
		if bad(k.Wave) {
			delete(l.site.Verbatims, k)
		}
	}
}

// inline places journeys' inline experience in the current wave.
func (l *loader) inline() {
	current := l.site.Waves[len(l.site.Waves)-1]
	for _, c := range l.pending {
		k := model.CellKey{Wave: current, Journey: c.journey, Touchpoint: c.touchpoint, Attribute: c.attribute}
		if prev, dup := l.site.Cells[k]; dup {
			l.errorf(c.pos, "%s has two sources: this inline experience (which belongs to the current wave) and %s", describe(k), where(prev.Source))
			continue
		}
		l.site.Cells[k] = &model.Cell{Mean: c.score, Source: c.pos, Kind: model.FromInline}
	}
}

// warnings flags what is legal but probably unintended.
func (l *loader) warnings() {
	withData := map[[2]string]bool{}
	for k := range l.site.Cells {
		withData[[2]string{k.Journey, k.Touchpoint}] = true
	}
	promised := map[string]map[string]bool{}
	for _, j := range l.site.Journeys {
		if promised[j.Brand] == nil {
			promised[j.Brand] = map[string]bool{}
		}
		for _, t := range j.Touchpoints {
			if !withData[[2]string{j.ID, t.ID}] && !l.isBroken("journey", j.ID) {
				l.warnf(t.Pos, "touchpoint %q of journey %q has no experience data in any wave", t.ID, j.ID)
			}
			for a := range t.Promise {
				promised[j.Brand][a] = true
			}
		}
	}
	for _, b := range l.site.Brands {
		if l.anyBroken("journey") {
			break // a journey that did not decode may promise it
		}
		for _, a := range b.Attributes {
			if !promised[b.ID][a.ID] {
				l.warnf(a.Pos, "attribute %q of brand %q is never promised at any touchpoint", a.ID, b.ID)
			}
		}
	}
}
