package charts

import (
	"fmt"
	"slices"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// Defaults are what a page supplies to its chart blocks: its front
// matter's journey and brand (the site brand when the page names none).
type Defaults struct {
	Journey, Brand string
}

// Context is what charts draw from. Report returns the metrics of a
// wave ("" = current); the build computes each wave once and shares it
// between pages.
type Context struct {
	Site   *model.Site
	Report func(wave string) (*metrics.Report, error)
}

// scope says what a chart type draws from, and so which keys it needs.
type scope int

const (
	perJourney     scope = iota // a journey is required
	journeyOrBrand              // a journey, or a brand when none is given
	journeyOrSite               // a journey, or every journey of the site
	perAssessment               // an assessment; journey and brand unused
)

// Resolve fills a parsed spec's defaults and checks every id it names
// against the site. The journey comes from the spec, then the page; the
// brand from the spec, the page, the journey's brand, then the site's;
// the wave defaults to the current one (the last of Site.Waves). A
// brand named in the block without a journey asks for a brand-level
// radar or trend, so the page's journey is not applied then.
func Resolve(spec Spec, d Defaults, ctx Context) (Spec, error) {
	var list diag.List
	site := ctx.Site
	if site == nil {
		list.Errorf("", spec.Line, 1, "chart: no site to draw from")
		return spec, list.Err()
	}
	at := func(p tomlpos.Pos) (int, int) {
		if p.Line == 0 {
			return spec.Line, 1
		}
		return p.Line, p.Col
	}
	if !knownType(spec.Type) {
		list.Errorf("", spec.Line, 1, "chart: %s", diag.Unknown("chart type", spec.Type, Types()))
		return spec, list.Err()
	}

	sc := scopeOf(spec.Type)
	explicitBrand := spec.Brand != ""
	if spec.Journey == "" && sc != perAssessment && !(sc == journeyOrBrand && explicitBrand) {
		spec.Journey = d.Journey
	}

	var journey *model.Journey
	if spec.Journey != "" {
		journey = site.Journey(spec.Journey)
		if journey == nil {
			l, c := at(spec.at.journey)
			list.Errorf("", l, c, "chart: %s", diag.Unknown("journey", spec.Journey, site.JourneyIDs()))
		}
	} else if sc == perJourney {
		list.Errorf("", spec.Line, 1, "chart: a %s chart needs a journey: add journey = \"…\" to the block or to the page's front matter (journeys: %s)",
			spec.Type, listOrNone(site.JourneyIDs()))
	}

	if sc != perAssessment {
		switch {
		case spec.Brand != "":
		case d.Brand != "":
			spec.Brand = d.Brand
		case journey != nil && journey.Brand != "":
			spec.Brand = journey.Brand
		default:
			spec.Brand = site.Config.Brand
		}
		// A journey belongs to one brand: its attributes are the ones
		// drawn. The page's brand is only a default, so the journey's
		// own wins over it; a brand named in the block that disagrees
		// is a mistake worth reporting.
		if journey != nil && journey.Brand != "" && spec.Brand != journey.Brand {
			if explicitBrand {
				l, c := at(spec.at.brand)
				list.Errorf("", l, c, "chart: journey %q belongs to brand %q, not %q", journey.ID, journey.Brand, spec.Brand)
			} else {
				spec.Brand = journey.Brand
			}
		}
		if spec.Brand != "" && site.Brand(spec.Brand) == nil {
			l, c := at(spec.at.brand)
			list.Errorf("", l, c, "chart: %s", diag.Unknown("brand", spec.Brand, site.BrandIDs()))
		}
		if sc == journeyOrBrand && spec.Journey == "" && spec.Brand == "" {
			list.Errorf("", spec.Line, 1, "chart: a %s chart needs a journey or a brand (journeys: %s; brands: %s)",
				spec.Type, listOrNone(site.JourneyIDs()), listOrNone(site.BrandIDs()))
		}
	} else {
		// A scorecard draws an assessment only: ids of the page are not
		// its business, and an id named in the block is ignored.
		spec.Journey, spec.Brand = "", ""
		if spec.Assessment == "" && len(site.Assessments) == 1 {
			spec.Assessment = site.Assessments[0].ID
		}
		switch {
		case spec.Assessment == "":
			list.Errorf("", spec.Line, 1, "chart: a scorecard chart needs an assessment (assessments: %s)", listOrNone(assessmentIDs(site)))
		case site.Assessment(spec.Assessment) == nil:
			l, c := at(spec.at.assessment)
			list.Errorf("", l, c, "chart: %s", diag.Unknown("assessment", spec.Assessment, assessmentIDs(site)))
		}
	}

	if spec.Type == "segments" {
		resolveSegments(&spec, site, journey, at, &list)
	}

	if spec.Wave == "" {
		if n := len(site.Waves); n > 0 {
			spec.Wave = site.Waves[n-1]
		}
	} else if !slices.Contains(site.Waves, spec.Wave) {
		l, c := at(spec.at.wave)
		list.Errorf("", l, c, "chart: %s", diag.Unknown("wave", spec.Wave, site.Waves))
	}
	return spec, list.Err()
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ", "
		}
		if i == 8 {
			return s + "…"
		}
		s += fmt.Sprintf("%q", id)
	}
	return s
}

func assessmentIDs(site *model.Site) []string {
	ids := make([]string, len(site.Assessments))
	for i, a := range site.Assessments {
		ids[i] = a.ID
	}
	return ids
}

// resolveSegments checks a segments chart's own keys: the segment (the
// site's only one by default), the touchpoint of the journey and the
// brand's attribute, each with the nearest name when unknown. Without
// attribute or nps the figure is the NPS. A site without segmented data
// cannot check a segment's name; the chart says it has no data.
func resolveSegments(spec *Spec, site *model.Site, journey *model.Journey, at func(tomlpos.Pos) (int, int), list *diag.List) {
	ids := SegmentIDs(site)
	switch {
	case spec.Segment == "" && len(ids) == 1:
		spec.Segment = ids[0]
	case spec.Segment == "" && len(ids) > 1:
		list.Errorf("", spec.Line, 1, "chart: a segments chart needs segment = \"…\" (segments: %s)", listOrNone(ids))
	case spec.Segment != "" && len(ids) > 0 && !slices.Contains(ids, spec.Segment):
		l, c := at(spec.at.segment)
		list.Errorf("", l, c, "chart: %s", diag.Unknown("segment", spec.Segment, ids))
	}
	if spec.Touchpoint != "" && journey != nil && journey.Touchpoint(spec.Touchpoint) == nil {
		l, c := at(spec.at.touchpoint)
		tps := make([]string, len(journey.Touchpoints))
		for i, t := range journey.Touchpoints {
			tps[i] = t.ID
		}
		list.Errorf("", l, c, "chart: journey %q: %s", journey.ID, diag.Unknown("touchpoint", spec.Touchpoint, tps))
	}
	if spec.Attribute != "" {
		if b := site.Brand(spec.Brand); b != nil && b.Attribute(spec.Attribute) == nil {
			l, c := at(spec.at.attribute)
			attrs := make([]string, len(b.Attributes))
			for i, a := range b.Attributes {
				attrs[i] = a.ID
			}
			list.Errorf("", l, c, "chart: brand %q: %s", b.ID, diag.Unknown("attribute", spec.Attribute, attrs))
		}
	} else {
		spec.NPS = true
	}
}

// SegmentIDs lists the site's segment ids (SPEC §9), in the order their
// values come in the data, each once.
func SegmentIDs(site *model.Site) []string {
	var ids []string
	for _, s := range site.Segments {
		if !slices.Contains(ids, s.ID) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}
