package build

import (
	"html/template"
	"time"

	"github.com/touchstone-cx/touchstone/internal/markdown"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/pageplan"
)

// SiteView is what every template sees of the site as .Site.
type SiteView struct {
	Title     string
	BaseURL   string
	Params    map[string]any
	Model     *model.Site
	Report    *metrics.Report
	Menu      []Link
	Generator string
	Built     time.Time
}

// Link is a titled site-relative URL ("journeys/onboarding/").
type Link struct {
	Title string
	URL   string
}

// PageView is the data of one page's template.
type PageView struct {
	Kind        string // home, page, list, brand, journeys, journey, touchpoint, actors, actor, changes, search, 404
	Layout      string // a layout named by the page's front matter, overriding the kind's
	Title       string
	Summary     string
	Date        time.Time
	Tags        []string
	Params      map[string]any
	URL         string // site-relative, "" for the home page
	Root        string // prefix from this page to the site root: "../../" or the base path
	Content     template.HTML
	TOC         []markdown.Heading
	Breadcrumbs []Link
	Children    []*PageView
	Weight      int
	Site        *SiteView
	// Charts are generated pages' charts, rendered by the build.
	Charts map[string]template.HTML
	// HasCharts says whether the page shows any chart, from the data or
	// from its markdown: baseof loads the chart library only then.
	HasCharts bool

	Brand      *model.Brand
	Journey    *model.Journey
	Touchpoint *model.Touchpoint
	Actor      *model.Actor

	JourneyReport    *metrics.JourneyReport
	TouchpointReport *metrics.TouchpointReport
	BrandReport      *metrics.BrandReport
	ActorReport      *metrics.ActorReport
	Verbatims        *model.Verbatims
	// Waves is this touchpoint's figures per wave, oldest first.
	Waves []WaveFigures
	// Shortfalls are the largest shortfalls, for the home KPIs.
	Shortfalls []Shortfall
	// Owned are an actor's touchpoints with their figures.
	Owned []Owned
	// Blueprint is the journey's service blueprint, lane by lane.
	Blueprint *Blueprint
	// ChangeList is the current wave's significant changes: the whole
	// of the /changes/ page, a summary line on the home page.
	ChangeList *ChangeList
	// Segment is set on a segment value's page (SPEC §9): its figures
	// are that value's respondents' only. SegmentSwitch links the same
	// page for all respondents and each value, where segmented data is.
	Segment       *SegmentView
	SegmentSwitch *SegmentSwitch
	// Print is the whole report as one document, on the print page only.
	Print *PrintDoc

	text string // plain text for the search index
	// usesData marks a narrative page with charts or quoted figures: a
	// data edit must render it again. reusable marks one that need not.
	usesData, reusable bool
	// search is the page's encoded search document, kept between
	// rebuilds (searchIndex).
	search struct {
		doc  searchDoc
		json []byte
	}
}

// MenuCurrent is the URL of the menu entry that is this page, or "":
// with the page's Root it is all the header differs by between pages,
// so baseof renders the header once per pair (theme's cached).
//
// Methods of PageView are invisible to theme.SiteFields: one that reads
// p.Site must read only the chrome, as this one does, or a data edit
// would keep pages whose output changed (see keepUnchanged).
func (p *PageView) MenuCurrent() string {
	if p.URL == "search/" {
		return p.URL
	}
	for _, l := range p.Site.Menu {
		if l.URL == p.URL {
			return p.URL
		}
	}
	return ""
}

// WaveFigures is a touchpoint in one wave.
type WaveFigures struct {
	Wave       string
	Touchpoint *metrics.TouchpointReport
}

// The blueprint, shortfall and owned views are package pageplan's;
// their names here keep templates and callers reading as before.
type (
	Blueprint     = pageplan.Blueprint
	Lane          = pageplan.Lane
	BlueprintItem = pageplan.BlueprintItem
	Shortfall     = pageplan.Shortfall
	Owned         = pageplan.Owned
)
