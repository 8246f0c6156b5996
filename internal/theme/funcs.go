package theme

import (
	"html/template"
	"maps"
	"math"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Funcs are the template functions of every layout. They format and
// look up; they never compute metrics (DESIGN: templates never compute).
func Funcs(site *model.Site) template.FuncMap {
	fm := template.FuncMap{
		// rel joins the page's root prefix and a site-relative path.
		"rel": func(root, p string) string { return root + strings.TrimPrefix(p, "/") },
		// f1 shows a figure with one decimal, as every figure is shown
		// (package figure: half away from zero, typographic minus).
		"f1": func(v any) string {
			f, ok := num(v)
			if !ok {
				return figure.Dash
			}
			return figure.One(f)
		},
		// signed shows a delta or a gap with its sign.
		"signed": func(v any) string {
			f, ok := num(v)
			if !ok {
				return figure.Dash
			}
			return figure.Signed(f)
		},
		// ci shows a 95% interval, "3.0 – 4.7"; "–" without one.
		"ci": func(v any) string {
			switch x := v.(type) {
			case [2]float64:
				return figure.Interval(x[0], x[1])
			case *[2]float64:
				if x != nil {
					return figure.Interval(x[0], x[1])
				}
			}
			return figure.Dash
		},
		"has": func(v any) bool { _, ok := num(v); return ok },
		"actorName": func(id string) string {
			if a := site.Actor(id); a != nil {
				return a.Name
			}
			return id
		},
		// brandName is a brand's name; "" is the site's brand (a journey
		// that names none belongs to it).
		"brandName": func(id string) string {
			if id == "" {
				id = site.Config.Brand
			}
			if b := site.Brand(id); b != nil && b.Name != "" {
				return b.Name
			}
			return id
		},
		// personaName is the name of a persona of the brand ("" = the
		// site's), as people read it: "Eileen, 78", not "priority".
		"personaName": func(brand, id string) string {
			if brand == "" {
				brand = site.Config.Brand
			}
			if b := site.Brand(brand); b != nil {
				for _, p := range b.Personas {
					if p.ID == id && p.Name != "" {
						return p.Name
					}
				}
			}
			return id
		},
		"attrName": func(brand, id string) string {
			if brand == "" {
				brand = site.Config.Brand
			}
			if a := site.Brand(brand).Attribute(id); a != nil {
				return a.Name
			}
			return id
		},
		"tpName": func(journey, id string) string {
			if j := site.Journey(journey); j != nil {
				if t := j.Touchpoint(id); t != nil {
					return t.Name
				}
			}
			return id
		},
		"journeyTitle": func(id string) string {
			if j := site.Journey(id); j != nil {
				return j.Title
			}
			return id
		},
		"statusLabel": func(s string) string {
			switch s {
			case "overpromised":
				return "Over-promised"
			case "undersold":
				return "Undersold"
			case "aligned":
				return "Aligned"
			}
			return "No data"
		},
		// priorityLabel names a touchpoint's verdict (SPEC §9).
		"priorityLabel": func(s string) string {
			switch s {
			case metrics.PriorityFixFirst:
				return "Fix first"
			case metrics.PriorityFixNext:
				return "Fix next"
			case metrics.PriorityKeep:
				return "Keep"
			case metrics.PriorityTellMore:
				return "Tell more"
			}
			return "–"
		},
		"tp":            func(r *metrics.JourneyReport, id string) *metrics.TouchpointReport { return r.Touchpoint(id) },
		"journeyReport": func(r *metrics.Report, id string) *metrics.JourneyReport { return r.Journey(id) },
		"lower":         strings.ToLower,
		"date": func(t any) string {
			if d, ok := t.(interface{ IsZero() bool }); ok && d.IsZero() {
				return ""
			}
			if d, ok := t.(interface{ Format(string) string }); ok {
				return d.Format("2 January 2006")
			}
			return ""
		},
		"add": func(a, b int) int { return a + b },
		// indexReading puts an alignment index into plain words beside
		// its figure (content/docs/formulas.md, "Reading an index").
		"indexReading": func(v any) string {
			f, ok := num(v)
			if !ok {
				return ""
			}
			return indexReading(f)
		},
	}
	maps.Copy(fm, statFuncs(site))
	return fm
}

// num reads a figure that may be a pointer (absent) or a number.
func num(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x)
	case *float64:
		if x == nil {
			return 0, false
		}
		return *x, true
	case int:
		return float64(x), true
	case *int:
		if x == nil {
			return 0, false
		}
		return float64(*x), true
	}
	return 0, false
}

// The thresholds of an index's reading, as content/docs/formulas.md
// gives them: at 85 the cells miss their promises by 15% of the scale
// on average (0.6 on a 1–5 scale, about the default tolerance); at 70,
// by 30% (1.2 points, well beyond it).
const (
	indexStrong = 85.0
	indexFair   = 70.0
)

// indexReading names an index's band. It reads the figure as shown,
// rounded to one decimal, so 84.96 (shown 85.0) reads strong, as a
// reader checking the figure against the documented bands expects.
func indexReading(x float64) string {
	shown, err := strconv.ParseFloat(strings.ReplaceAll(figure.One(x), figure.Minus, "-"), 64)
	if err != nil {
		return ""
	}
	switch {
	case shown >= indexStrong:
		return "strong alignment"
	case shown >= indexFair:
		return "fair alignment"
	}
	return "weak alignment"
}
