package charts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// drawEcosystem: a graph of actors (left) linked to the touchpoints
// they own (solid) or contribute to (dashed), touchpoints (right, in
// stage order) coloured by status. A fixed two-column layout rather
// than a force layout: the same data always draws the same picture,
// and no label lands on another. Without a journey it spans the site.
// Data, table, aria text and option are steps of their own.
func drawEcosystem(in *input) (*drawing, error) {
	g := ecosystemData(in)
	t := ecosystemTable(in, g)
	summary := ecosystemSummary(g)
	option, height, err := ecosystemOption(in, g, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: height}, nil
}

// ecoTouchpoint is a touchpoint of the graph with its verdict.
type ecoTouchpoint struct {
	journey *model.Journey
	tp      *model.Touchpoint
	r       *metrics.TouchpointReport
	label   string // its name, after its journey's title when the graph spans several
}

// ecosystem is what the graph shows, before any drawing.
type ecosystem struct {
	tps               []ecoTouchpoint
	actors            []string            // in order of first appearance
	owns, contributes map[string][]string // actor id → touchpoint labels
	scope             string
}

func ecosystemData(in *input) *ecosystem {
	g := &ecosystem{owns: map[string][]string{}, contributes: map[string][]string{}, scope: "all journeys"}
	journeys := in.site.Journeys
	if in.journey != nil {
		journeys = []*model.Journey{in.journey}
		g.scope = journeyTitle(in.journey)
	}
	multi := len(journeys) > 1
	for _, j := range journeys {
		jr := in.report.Journey(j.ID)
		for _, t := range j.Touchpoints {
			label := touchpointName(t)
			if multi {
				label = journeyTitle(j) + ": " + label
			}
			g.tps = append(g.tps, ecoTouchpoint{journey: j, tp: t, r: jr.Touchpoint(t.ID), label: label})
		}
	}
	// Actors in order of first appearance along the journey, so the
	// edges run mostly downwards and cross little.
	seen := map[string]bool{}
	addActor := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			g.actors = append(g.actors, id)
		}
	}
	for _, n := range g.tps {
		addActor(n.tp.Owner)
		for _, c := range n.tp.Contributors {
			addActor(c)
		}
		g.owns[n.tp.Owner] = append(g.owns[n.tp.Owner], n.label)
		for _, c := range n.tp.Contributors {
			g.contributes[c] = append(g.contributes[c], n.label)
		}
	}
	return g
}

func (in *input) actorKind(id string) string {
	if a := in.site.Actor(id); a != nil {
		return a.Kind
	}
	return ""
}

func ecosystemTable(in *input, g *ecosystem) table {
	t := table{head: []string{"Actor", "Kind", "Owns", "Contributes to"}}
	for _, id := range g.actors {
		t.rows = append(t.rows, []cell{txt(in.actorName(id)), txt(in.actorKind(id)), txt(joinOr(g.owns[id])), txt(joinOr(g.contributes[id]))})
	}
	return t
}

// status is a touchpoint's status as the graph names it.
func (n ecoTouchpoint) status() string {
	if n.r == nil {
		return ""
	}
	return n.r.Status
}

func ecosystemSummary(g *ecosystem) string {
	count := map[string]int{}
	for _, n := range g.tps {
		count[statusLabel(n.status())]++
	}
	s := fmt.Sprintf("Network of %d actors and the %d touchpoints of %s they own (solid lines) or contribute to (dashed lines); touchpoints are coloured by status:",
		len(g.actors), len(g.tps), g.scope)
	for _, st := range []string{"aligned", "overpromised", "undersold", "no data"} {
		if count[st] > 0 {
			s += fmt.Sprintf(" %d %s,", count[st], st)
		}
	}
	return strings.TrimSuffix(s, ",") + "."
}

// ecosystemOption lays the graph out and returns the option and the
// height it was laid out for.
func ecosystemOption(in *input, g *ecosystem, summary string) ([]byte, int, error) {
	tps, actors := g.tps, g.actors
	categories := []*opts.GraphCategory{
		{Name: "Department", ItemStyle: &opts.ItemStyle{Color: colPromise}},
		{Name: "Partner", ItemStyle: &opts.ItemStyle{Color: colEmotion}},
		{Name: "Customer", ItemStyle: &opts.ItemStyle{Color: "#f0e442"}},
		{Name: "Aligned", ItemStyle: &opts.ItemStyle{Color: colAligned}},
		{Name: "Overpromised", ItemStyle: &opts.ItemStyle{Color: colOver}},
		{Name: "Undersold", ItemStyle: &opts.ItemStyle{Color: colUnder}},
		{Name: "No data", ItemStyle: &opts.ItemStyle{Color: colNoData}},
	}
	actorCategory := func(kind string) int {
		switch kind {
		case "partner":
			return 1
		case "customer":
			return 2
		}
		return 0
	}
	statusCategory := func(status string) int {
		switch status {
		case "aligned":
			return 3
		case "overpromised":
			return 4
		case "undersold":
			return 5
		}
		return 6
	}

	// Both columns span the same height; ECharts fits the coordinates
	// into the series' box.
	colY := func(i, n int) float64 {
		if n <= 1 {
			return 50
		}
		return float64(i) * 100 / float64(n-1)
	}
	// Labels are cut at maxLabel characters (whole in the tooltip and
	// the table), so two long names cannot squeeze the graph away.
	const maxLabel = 26
	leftLen, rightLen := 0, 0
	var nodes []graphNode
	var links []graphLink
	actorIndex := map[string]int{}
	owns, contributes := g.owns, g.contributes
	for i, id := range actors {
		kind, name := in.actorKind(id), in.actorName(id)
		leftLen = max(leftLen, len([]rune(shorten(name, maxLabel))))
		actorIndex[id] = len(nodes)
		nodes = append(nodes, graphNode{
			Name: name, ID: "actor:" + id, X: 0, Y: colY(i, len(actors)),
			Category: actorCategory(kind), Symbol: "roundRect", SymbolSize: []int{18, 18},
			Label:   &opts.Label{Show: opts.Bool(true), Position: "left", Formatter: cut(name, maxLabel)},
			Tooltip: tip(name, kindLine(kind), countLine("Owns", owns[id]), countLine("Contributes to", contributes[id])),
		})
	}
	for i, n := range tps {
		label, status := n.label, n.status()
		var align *float64
		if n.r != nil {
			align = n.r.Alignment
		}
		rightLen = max(rightLen, len([]rune(shorten(label, maxLabel))))
		idx := len(nodes)
		nodes = append(nodes, graphNode{
			Name: label, ID: "tp:" + n.journey.ID + "/" + n.tp.ID, X: 100, Y: colY(i, len(tps)),
			Category: statusCategory(status), Symbol: "circle", SymbolSize: []int{16, 16},
			Label: &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: cut(label, maxLabel)},
			Tooltip: tip(label, "Stage "+n.tp.Stage, "Owner "+in.actorName(n.tp.Owner),
				"Status "+statusLabel(status), alignmentLine(align)),
		})
		if ai, ok := actorIndex[n.tp.Owner]; ok {
			links = append(links, graphLink{Source: ai, Target: idx,
				LineStyle: &opts.LineStyle{Width: 2.5, Type: "solid", Opacity: opts.Float(0.7)},
				Tooltip:   tip(in.actorName(n.tp.Owner) + " owns " + label)})
		}
		for _, c := range n.tp.Contributors {
			if ai, ok := actorIndex[c]; ok {
				links = append(links, graphLink{Source: ai, Target: idx,
					LineStyle: &opts.LineStyle{Width: 1.5, Type: "dashed", Opacity: opts.Float(0.6)},
					Tooltip:   tip(in.actorName(c) + " contributes to " + label)})
			}
		}
	}

	// The legend lists only the kinds and statuses present.
	usedCat := map[int]int{}
	var shown []*opts.GraphCategory
	for i := range nodes {
		c := nodes[i].Category
		if _, ok := usedCat[c]; !ok {
			usedCat[c] = -1
		}
	}
	for c, cat := range categories {
		if _, ok := usedCat[c]; ok {
			usedCat[c] = len(shown)
			shown = append(shown, cat)
		}
	}
	for i := range nodes {
		nodes[i].Category = usedCat[nodes[i].Category]
	}

	// ECharts fits the coordinates into the series' box and scales the
	// symbols by the horizontal factor only: when the two factors
	// differ, circles become ovals. Put the touchpoint column as far
	// right as makes both factors equal in a half-width figure.
	height := clampInt(120+34*max(len(actors), len(tps)), 340, 1600)
	boxW := max(120, 560-(24+7*leftLen)-(24+7*rightLen))
	right := 100 * float64(boxW) / float64(height-80)
	for i := range nodes {
		if nodes[i].X > 0 {
			nodes[i].X = right
		}
	}

	gr := charts.NewGraph()
	gr.SetGlobalOptions(global(in, summary)...)
	gr.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "4", Left: "center"}))
	gr.AddSeries("Ecosystem", nil, nil,
		charts.WithGraphChartOpts(opts.GraphChart{
			Layout: "none", Roam: opts.Bool(false), Categories: shown,
			EdgeSymbol: []string{"none", "arrow"}, EdgeSymbolSize: 7,
			Emphasis: &opts.Emphasis{Focus: "adjacency"},
		}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Data, s.Links = nodes, links
			// The columns' labels sit outside the graph's box: leave
			// each side as much room as its longest label needs.
			s.Left, s.Right, s.Top, s.Bottom = labelRoom(leftLen), labelRoom(rightLen), "56", "24"
		}),
	)
	option, err := finish(gr, false, func(o map[string]any) {
		s := o["series"].([]any)[0].(map[string]any)
		s["lineStyle"] = map[string]any{"color": "source", "curveness": 0.15}
		s["label"] = map[string]any{"fontSize": 12}
	})
	return option, height, err
}

// cut is a label formatter showing name cut to n characters, or none
// (the node's name) when it is short enough: a formatter is a template,
// and only our own cut names should go through one.
func cut(name string, n int) string {
	if s := shorten(name, n); s != name {
		return s
	}
	return ""
}

// labelRoom is the margin, in px, for labels of n characters at 12 px.
func labelRoom(n int) string {
	return strconv.Itoa(24 + 7*n)
}

type graphNode struct {
	Name       string       `json:"name"`
	ID         string       `json:"id"`
	X          float64      `json:"x"`
	Y          float64      `json:"y"`
	Category   int          `json:"category"`
	Symbol     string       `json:"symbol,omitempty"`
	SymbolSize any          `json:"symbolSize,omitempty"`
	Label      *opts.Label  `json:"label,omitempty"`
	Tooltip    *itemTooltip `json:"tooltip,omitempty"`
}

type graphLink struct {
	Source    int             `json:"source"`
	Target    int             `json:"target"`
	Value     float64         `json:"value,omitempty"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	Tooltip   *itemTooltip    `json:"tooltip,omitempty"`
}

func joinOr(list []string) string {
	if len(list) == 0 {
		return "–"
	}
	return strings.Join(list, ", ")
}

func kindLine(kind string) string {
	if kind == "" {
		return ""
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

func countLine(what string, list []string) string {
	if len(list) == 0 {
		return ""
	}
	return what + ": " + strings.Join(list, ", ")
}
