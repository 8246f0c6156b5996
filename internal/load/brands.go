package load

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

type brandFile struct {
	Name        string   `toml:"name"`
	Promise     string   `toml:"promise"`
	Essence     string   `toml:"essence"`
	Description string   `toml:"description"`
	Values      []string `toml:"values"`
	Attributes  []struct {
		ID          string   `toml:"id"`
		Name        string   `toml:"name"`
		Description string   `toml:"description"`
		Weight      *float64 `toml:"weight"`
	} `toml:"attributes"`
	Personas []struct {
		ID    string   `toml:"id"`
		Name  string   `toml:"name"`
		Needs []string `toml:"needs"`
	} `toml:"personas"`
}

func brandKeys() []string {
	return []string{"name", "promise", "essence", "description", "values", "attributes", "personas", "id", "weight", "needs"}
}

func (l *loader) brands() {
	for _, path := range l.files("data/brands", ".toml") {
		rel := l.rel(path)
		id := strings.TrimSuffix(filepath.Base(path), ".toml")
		var f brandFile
		ix, ok := l.decode(path, &f, brandKeys())
		if !ok {
			// Keep a placeholder so journeys naming this brand do not
			// add "unknown brand" noise on top of the syntax error.
			l.site.Brands = append(l.site.Brands, &model.Brand{ID: id, Name: id, Pos: model.Pos{Path: rel, Line: 1, Col: 1}})
			l.markBroken("brand", id)
			continue
		}
		l.checkID("brand (the file name)", id, model.Pos{Path: rel})
		b := &model.Brand{ID: id, Name: f.Name, Promise: f.Promise, Essence: f.Essence, Values: f.Values, Pos: model.Pos{Path: rel, Line: 1, Col: 1}}
		if b.Name == "" {
			b.Name = id
		}
		seen := map[string]model.Pos{}
		for i, a := range f.Attributes {
			p := "attributes[" + strconv.Itoa(i) + "]"
			pos := at(rel, ix, p+".id")
			if a.ID == "" {
				l.errorf(at(rel, ix, p), "attribute without id: add id = \"...\"")
				continue
			}
			if !l.checkID("attribute", a.ID, pos) {
				continue
			}
			if prev, dup := seen[a.ID]; dup {
				l.errorf(pos, "duplicate attribute id %q (first defined at line %d)", a.ID, prev.Line)
				continue
			}
			seen[a.ID] = pos
			w := 1.0
			if a.Weight != nil {
				w = *a.Weight
				if !(w > 0) {
					l.errorf(atValue(rel, ix, p+".weight"), "weight of attribute %q must be positive (got %g)", a.ID, w)
					w = 1
				} else if w > maxWeight {
					// Weighted sums of such weights overflow to Inf and
					// the figures to NaN.
					l.errorf(atValue(rel, ix, p+".weight"), "weight of attribute %q is too large (%g): weights are relative, use numbers such as 1 to 10 (at most %g)", a.ID, w, float64(maxWeight))
					w = 1
				}
			}
			name := a.Name
			if name == "" {
				name = a.ID
			}
			b.Attributes = append(b.Attributes, &model.Attribute{ID: a.ID, Name: name, Description: a.Description, Weight: w, Pos: pos})
		}
		if len(f.Attributes) == 0 {
			l.errorf(b.Pos, "brand %q has no attributes: add [[attributes]] with an id and a name", id)
		}
		pseen := map[string]bool{}
		for i, pe := range f.Personas {
			p := "personas[" + strconv.Itoa(i) + "]"
			pos := at(rel, ix, p+".id")
			if !l.checkID("persona", pe.ID, pos) {
				continue
			}
			if pseen[pe.ID] {
				l.errorf(pos, "duplicate persona id %q", pe.ID)
				continue
			}
			pseen[pe.ID] = true
			name := pe.Name
			if name == "" {
				name = pe.ID
			}
			b.Personas = append(b.Personas, &model.Persona{ID: pe.ID, Name: name, Needs: pe.Needs, Pos: pos})
		}
		l.site.Brands = append(l.site.Brands, b)
	}
}

type actorsFile struct {
	Actors []struct {
		ID          string `toml:"id"`
		Name        string `toml:"name"`
		Kind        string `toml:"kind"`
		Role        string `toml:"role"`
		Description string `toml:"description"`
	} `toml:"actors"`
}

// maxWeight bounds an attribute weight: far beyond any sensible
// relative weight, far below where sums of weights times scores overflow.
const maxWeight = 1e6

func (l *loader) actors() {
	path := filepath.Join(l.root, "data", "actors.toml")
	l.input("data/actors.toml")
	if !exists(path) {
		return
	}
	rel := l.rel(path)
	var f actorsFile
	ix, ok := l.decode(path, &f, []string{"actors", "id", "name", "kind", "role", "description"})
	if !ok {
		// Journeys naming actors are not checked against a file that
		// did not decode: one syntax error, not one per owner.
		l.markBroken("actors", "")
		return
	}
	seen := map[string]int{}
	for i, a := range f.Actors {
		p := "actors[" + strconv.Itoa(i) + "]"
		pos := at(rel, ix, p+".id")
		if !l.checkID("actor", a.ID, pos) {
			continue
		}
		if line, dup := seen[a.ID]; dup {
			l.errorf(pos, "duplicate actor id %q (first defined at line %d)", a.ID, line)
			continue
		}
		seen[a.ID] = pos.Line
		kinds := []string{"department", "partner", "customer"}
		if a.Kind != "" && !slices.Contains(kinds, a.Kind) {
			l.errorf(atValue(rel, ix, p+".kind"), "%s", diag.Unknown("actor kind", a.Kind, kinds))
		}
		roles := []string{"frontstage", "backstage"}
		if a.Role != "" && !slices.Contains(roles, a.Role) {
			l.errorf(atValue(rel, ix, p+".role"), "%s", diag.Unknown("actor role", a.Role, roles))
		}
		name := a.Name
		if name == "" {
			name = a.ID
		}
		l.site.Actors = append(l.site.Actors, &model.Actor{ID: a.ID, Name: name, Kind: a.Kind, Role: a.Role, Description: a.Description, Pos: pos})
	}
}

type assessmentFile struct {
	Title string `toml:"title"`
	Scale *struct {
		Min float64 `toml:"min"`
		Max float64 `toml:"max"`
	} `toml:"scale"`
	Pillars []struct {
		Name     string `toml:"name"`
		Criteria []struct {
			Name    string   `toml:"name"`
			Current *float64 `toml:"current"`
			Target  *float64 `toml:"target"`
		} `toml:"criteria"`
	} `toml:"pillars"`
}

func (l *loader) assessments() {
	for _, path := range l.files("data/assessments", ".toml") {
		rel := l.rel(path)
		id := strings.TrimSuffix(filepath.Base(path), ".toml")
		var f assessmentFile
		ix, ok := l.decode(path, &f, []string{"title", "scale", "min", "max", "pillars", "name", "criteria", "current", "target"})
		if !ok {
			continue
		}
		l.checkID("assessment (the file name)", id, model.Pos{Path: rel})
		a := &model.Assessment{ID: id, Title: f.Title, Scale: l.site.Config.Scale, Pos: model.Pos{Path: rel, Line: 1, Col: 1}}
		if a.Title == "" {
			a.Title = id
		}
		if f.Scale != nil {
			a.Scale = model.Scale{Min: f.Scale.Min, Max: f.Scale.Max}
			if !(a.Scale.Max > a.Scale.Min) {
				l.errorf(at(rel, ix, "scale"), "scale: max must be greater than min")
			}
		}
		for i, p := range f.Pillars {
			pp := "pillars[" + strconv.Itoa(i) + "]"
			if p.Name == "" {
				l.errorf(at(rel, ix, pp), "pillar without a name")
			}
			pillar := &model.Pillar{Name: p.Name}
			for j, c := range p.Criteria {
				cp := pp + ".criteria[" + strconv.Itoa(j) + "]"
				pos := at(rel, ix, cp+".name")
				if c.Name == "" {
					l.errorf(at(rel, ix, cp), "criterion without a name")
				}
				crit := &model.Criterion{Name: c.Name, Pos: pos}
				for _, v := range []struct {
					key string
					val *float64
					dst *float64
				}{{"current", c.Current, &crit.Current}, {"target", c.Target, &crit.Target}} {
					if v.val == nil {
						l.errorf(at(rel, ix, cp), "criterion %q has no %s score", c.Name, v.key)
						continue
					}
					if *v.val < a.Scale.Min || *v.val > a.Scale.Max {
						l.errorf(atValue(rel, ix, cp+"."+v.key), "%s %g is outside the scale %g..%g", v.key, *v.val, a.Scale.Min, a.Scale.Max)
					}
					*v.dst = *v.val
				}
				pillar.Criteria = append(pillar.Criteria, crit)
			}
			a.Pillars = append(a.Pillars, pillar)
		}
		l.site.Assessments = append(l.site.Assessments, a)
	}
}
