package load

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

type journeyFile struct {
	Title       string   `toml:"title"`
	Brand       string   `toml:"brand"`
	Persona     string   `toml:"persona"`
	Description string   `toml:"description"`
	Stages      []string `toml:"stages"`
	Touchpoints []struct {
		ID           string             `toml:"id"`
		Name         string             `toml:"name"`
		Stage        string             `toml:"stage"`
		Channel      string             `toml:"channel"`
		Owner        string             `toml:"owner"`
		Contributors []string           `toml:"contributors"`
		Visibility   string             `toml:"visibility"`
		Evidence     string             `toml:"evidence"`
		Description  string             `toml:"description"`
		Importance   *float64           `toml:"importance"`
		Emotion      *float64           `toml:"emotion"`
		Promise      map[string]float64 `toml:"promise"`
		Experience   map[string]float64 `toml:"experience"`
	} `toml:"touchpoints"`
}

func journeyKeys() []string {
	return []string{"title", "brand", "persona", "description", "stages", "touchpoints", "id", "name", "stage", "channel", "owner",
		"contributors", "visibility", "evidence", "importance", "emotion", "promise", "experience"}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// defaultBrand is the brand a journey without one belongs to: the site's,
// or the only brand there is.
func (l *loader) defaultBrand() string {
	if l.site.Config.Brand != "" {
		return l.site.Config.Brand
	}
	if len(l.site.Brands) == 1 {
		return l.site.Brands[0].ID
	}
	return ""
}

func (l *loader) journeys() {
	if b := l.site.Config.Brand; b != "" && l.site.Brand(b) == nil {
		p := l.site.Config.Pos["brand"]
		l.errorf(model.Pos{Path: "site.toml", Line: p.Line, Col: p.Col}, "%s", diag.Unknown("brand", b, l.site.BrandIDs()))
	}
	for _, path := range l.files("data/journeys", ".toml") {
		rel := l.rel(path)
		id := strings.TrimSuffix(filepath.Base(path), ".toml")
		var f journeyFile
		ix, ok := l.decode(path, &f, journeyKeys())
		if !ok {
			l.site.Journeys = append(l.site.Journeys, &model.Journey{ID: id, Title: id, Pos: model.Pos{Path: rel, Line: 1, Col: 1}})
			l.markBroken("journey", id)
			continue
		}
		l.checkID("journey (the file name)", id, model.Pos{Path: rel})
		j := &model.Journey{ID: id, Title: f.Title, Persona: f.Persona, Description: f.Description, Pos: model.Pos{Path: rel, Line: 1, Col: 1}}
		if j.Title == "" {
			j.Title = id
		}
		j.Brand = f.Brand
		if j.Brand == "" {
			j.Brand = l.defaultBrand()
		}
		brand := l.site.Brand(j.Brand)
		if l.isBroken("brand", j.Brand) {
			l.markBroken("journey", id)
			brand = nil // its attributes are unknown: check nothing against them
		}
		switch {
		case j.Brand == "":
			l.errorf(j.Pos, "journey %q names no brand and the site has several: add brand = \"...\" here or in site.toml", id)
		case brand == nil && !l.isBroken("brand", j.Brand):
			pos := atValue(rel, ix, "brand")
			if f.Brand == "" {
				pos = j.Pos
			}
			l.errorf(pos, "%s", diag.Unknown("brand", j.Brand, l.site.BrandIDs()))
		}
		if f.Persona != "" && brand != nil {
			var ids []string
			found := false
			for _, p := range brand.Personas {
				ids = append(ids, p.ID)
				found = found || p.ID == f.Persona
			}
			if !found {
				l.errorf(atValue(rel, ix, "persona"), "%s", diag.Unknown("persona of brand "+strconv.Quote(brand.ID), f.Persona, ids))
			}
		}
		stageIndex := map[string]int{}
		for i, s := range f.Stages {
			if _, dup := stageIndex[s]; dup {
				l.errorf(atValue(rel, ix, "stages["+strconv.Itoa(i)+"]"), "stage %q is listed twice", s)
				continue
			}
			stageIndex[s] = i
			j.Stages = append(j.Stages, s)
		}
		if len(f.Stages) == 0 {
			l.errorf(j.Pos, "journey %q has no stages: add stages = [\"Discover\", ...]", id)
		}
		if len(f.Touchpoints) == 0 {
			l.errorf(j.Pos, "journey %q is empty: add at least one [[touchpoints]]", id)
		}
		seen := map[string]int{}
		for i := range f.Touchpoints {
			if t := l.touchpoint(j, brand, stageIndex, rel, ix, i, &f, seen); t != nil {
				j.Touchpoints = append(j.Touchpoints, t)
			}
		}
		// Stage order is the journey's order; within a stage the author's.
		sort.SliceStable(j.Touchpoints, func(a, b int) bool {
			return stageIndex[j.Touchpoints[a].Stage] < stageIndex[j.Touchpoints[b].Stage]
		})
		l.site.Journeys = append(l.site.Journeys, j)
	}
}

func (l *loader) touchpoint(j *model.Journey, brand *model.Brand, stages map[string]int, rel string, ix tomlpos.Index, i int, f *journeyFile, seen map[string]int) *model.Touchpoint {
	src := f.Touchpoints[i]
	p := "touchpoints[" + strconv.Itoa(i) + "]"
	pos := at(rel, ix, p+".id")
	if src.ID == "" {
		l.errorf(at(rel, ix, p), "touchpoint without id: add id = \"...\"")
		return nil
	}
	if !l.checkID("touchpoint", src.ID, pos) {
		return nil
	}
	if line, dup := seen[src.ID]; dup {
		l.errorf(pos, "duplicate touchpoint id %q in journey %q (first defined at line %d)", src.ID, j.ID, line)
		return nil
	}
	seen[src.ID] = pos.Line
	t := &model.Touchpoint{
		ID: src.ID, Name: src.Name, Stage: src.Stage, Channel: src.Channel, Owner: src.Owner,
		Contributors: src.Contributors, Visibility: src.Visibility, Evidence: src.Evidence,
		Description: src.Description, Emotion: src.Emotion, Promise: map[string]float64{}, Pos: pos,
	}
	if t.Name == "" {
		l.errorf(pos, "touchpoint %q has no name: add name = \"...\"", src.ID)
		t.Name = src.ID
	}
	if src.Stage == "" {
		l.errorf(pos, "touchpoint %q has no stage: add stage = one of the journey's stages", src.ID)
	} else if _, ok := stages[src.Stage]; !ok && len(stages) > 0 {
		l.errorf(atValue(rel, ix, p+".stage"), "touchpoint %q is in no listed stage: %s", src.ID, diag.Unknown("stage", src.Stage, j.Stages))
	}
	if src.Owner != "" && !l.isActor(src.Owner) {
		l.errorf(atValue(rel, ix, p+".owner"), "%s", diag.Unknown("actor", src.Owner, l.site.ActorIDs()))
	}
	for k, c := range src.Contributors {
		if !l.isActor(c) {
			l.errorf(atValue(rel, ix, p+".contributors["+strconv.Itoa(k)+"]"), "%s", diag.Unknown("actor", c, l.site.ActorIDs()))
		}
	}
	lanes := []string{"frontstage", "backstage", "support"}
	if t.Visibility == "" {
		t.Visibility = "frontstage"
	} else if !slices.Contains(lanes, t.Visibility) {
		l.errorf(atValue(rel, ix, p+".visibility"), "%s", diag.Unknown("visibility", t.Visibility, lanes))
	}
	scale := l.site.Config.Scale
	t.Importance = scale.Mid()
	if src.Importance != nil {
		v := *src.Importance
		ipos := atValue(rel, ix, p+".importance")
		switch {
		case !(v > 0):
			l.errorf(ipos, "importance of %q must be positive (got %g)", src.ID, v)
		case l.inScale("importance", v, ipos):
			t.Importance = v
		}
	}
	if src.Emotion != nil && (*src.Emotion < -2 || *src.Emotion > 2) {
		l.errorf(atValue(rel, ix, p+".emotion"), "emotion %g is outside -2..2", *src.Emotion)
	}
	attrs := attributeIDs(brand)
	t.PromiseOrder = orderedKeys(ix, p+".promise", src.Promise)
	for _, a := range t.PromiseOrder {
		v := src.Promise[a]
		apos := at(rel, ix, p+".promise."+a)
		if brand != nil && !hasAttribute(brand, a) {
			l.errorf(apos, "%s", diag.Unknown("attribute of brand "+strconv.Quote(brand.ID), a, attrs))
			continue
		}
		if l.inScale("promise", v, atValue(rel, ix, p+".promise."+a)) {
			t.Promise[a] = v
		}
	}
	for _, a := range orderedKeys(ix, p+".experience", src.Experience) {
		v := src.Experience[a]
		apos := at(rel, ix, p+".experience."+a)
		if brand != nil && !hasAttribute(brand, a) {
			l.errorf(apos, "%s", diag.Unknown("attribute of brand "+strconv.Quote(brand.ID), a, attrs))
			continue
		}
		if l.inScale("experience", v, atValue(rel, ix, p+".experience."+a)) {
			l.pending = append(l.pending, inlineCell{journey: j.ID, touchpoint: t.ID, attribute: a, score: v, pos: apos})
		}
	}
	return t
}

// orderedKeys returns m's keys in the order they are written in the file,
// so promises are listed as the author wrote them.
func orderedKeys(ix tomlpos.Index, prefix string, m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		pa, pb := ix.Near(prefix+"."+keys[a]), ix.Near(prefix+"."+keys[b])
		if pa.Line != pb.Line {
			return pa.Line < pb.Line
		}
		if pa.Col != pb.Col {
			return pa.Col < pb.Col
		}
		return keys[a] < keys[b]
	})
	return keys
}
