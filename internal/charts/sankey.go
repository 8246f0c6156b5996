package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// drawSankey: owner → touchpoint → stage, each flow as wide as the
// touchpoint's importance. Nodes keep their input order (owners by
// first appearance, touchpoints and stages in stage order) instead of
// ECharts' crossing-minimising iterations, so the middle column reads
// as the journey. Data, table, aria text and option are steps of their
// own.
func drawSankey(in *input) (*drawing, error) {
	fl := sankeyData(in)
	t := sankeyTable(fl)
	summary := fmt.Sprintf("Flow diagram of %s: %d owners lead to %d touchpoints, which lead to %d stages; each flow is as wide as the touchpoint's importance, and touchpoints are coloured by status.",
		journeyTitle(in.journey), len(fl.ownerLoad), len(fl.tps), len(fl.stageImp))
	option, err := sankeyOption(in, fl, summary)
	if err != nil {
		return nil, err
	}
	return &drawing{option: option, summary: summary, table: t, height: clampInt(80+48*len(fl.tps), 340, 2000)}, nil
}

// flows are the sankey's nodes by what they stand for. Sankey nodes are
// keyed by name: a touchpoint called like a stage or an owner gets a
// suffix rather than merging with it.
type flows struct {
	tps                  []tpFigures
	imp                  []float64 // per touchpoint
	tpNodes              []string  // per touchpoint
	ownerNode, stageNode map[string]string
	ownerLoad, stageImp  map[string]float64
}

func sankeyData(in *input) *flows {
	tps := in.touchpoints()
	fl := &flows{tps: tps, imp: make([]float64, len(tps)), tpNodes: make([]string, len(tps)),
		ownerNode: map[string]string{}, stageNode: map[string]string{}, ownerLoad: map[string]float64{}, stageImp: map[string]float64{}}
	used := map[string]bool{}
	unique := func(name, kind string) string {
		n := name
		if used[n] {
			n = name + " (" + kind + ")"
		}
		for i := 2; used[n]; i++ {
			n = fmt.Sprintf("%s (%s %d)", name, kind, i)
		}
		used[n] = true
		return n
	}
	// Owners first, in order of first appearance along the journey.
	for _, f := range tps {
		if _, ok := fl.ownerNode[f.tp.Owner]; ok {
			continue
		}
		name := in.actorName(f.tp.Owner)
		if f.tp.Owner == "" {
			name = "No owner"
		}
		fl.ownerNode[f.tp.Owner] = unique(name, "owner")
	}
	for i, f := range tps {
		fl.tpNodes[i] = unique(touchpointName(f.tp), "touchpoint")
	}
	for i, f := range tps {
		if _, ok := fl.stageNode[f.tp.Stage]; !ok {
			fl.stageNode[f.tp.Stage] = unique(f.tp.Stage, "stage")
		}
		imp := f.tp.Importance
		if f.r != nil {
			imp = f.r.Importance
		}
		fl.imp[i] = imp
		fl.ownerLoad[f.tp.Owner] += imp
		fl.stageImp[f.tp.Stage] += imp
	}
	return fl
}

func sankeyTable(fl *flows) table {
	t := table{head: []string{"Touchpoint", "Owner", "Stage", "Importance"}}
	for i, f := range fl.tps {
		t.rows = append(t.rows, []cell{txt(touchpointName(f.tp)), txt(fl.ownerNode[f.tp.Owner]), txt(f.tp.Stage), figv(fl.imp[i])})
	}
	return t
}

func sankeyOption(in *input, fl *flows, summary string) ([]byte, error) {
	tps := fl.tps
	var nodes []sankeyNode
	var links []sankeyLink
	addNode := func(name string, depth int, colour string, tt *itemTooltip) {
		d := depth
		nodes = append(nodes, sankeyNode{Name: name, Depth: &d, ItemStyle: &opts.ItemStyle{Color: colour}, Tooltip: tt})
	}
	for i, f := range tps {
		imp, owner := fl.imp[i], fl.ownerNode[f.tp.Owner]
		links = append(links,
			sankeyLink{Source: owner, Target: fl.tpNodes[i], Value: imp,
				Tooltip: tip(owner+" → "+touchpointName(f.tp), "Importance "+num1(imp))},
			sankeyLink{Source: fl.tpNodes[i], Target: fl.stageNode[f.tp.Stage], Value: imp,
				Tooltip: tip(touchpointName(f.tp)+" → "+f.tp.Stage, "Importance "+num1(imp))},
		)
	}
	done := map[string]bool{}
	for _, f := range tps {
		if o := f.tp.Owner; !done["o:"+o] {
			done["o:"+o] = true
			addNode(fl.ownerNode[o], 0, colPromise, tip(fl.ownerNode[o], "Owner, total importance "+num1(fl.ownerLoad[o])))
		}
	}
	for i, f := range tps {
		status := ""
		if f.r != nil {
			status = f.r.Status
		}
		addNode(fl.tpNodes[i], 1, statusColour(status), tip(touchpointName(f.tp), "Stage "+f.tp.Stage, "Importance "+num1(f.tp.Importance), "Status "+statusLabel(status)))
	}
	for _, f := range tps {
		if s := f.tp.Stage; !done["s:"+s] {
			done["s:"+s] = true
			addNode(fl.stageNode[s], 2, colNoData, tip(s, "Stage, total importance "+num1(fl.stageImp[s])))
		}
	}

	sk := charts.NewSankey()
	sk.SetGlobalOptions(global(in, summary)...)
	sk.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	sk.AddSeries("Owner → touchpoint → stage", nil, nil,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Data, s.Links = nodes, links
			// The gap keeps two lines of name between the centres of two
			// thin neighbours; the right margin holds the stages' names.
			s.NodeWidth, s.NodeGap = opts.Int(14), opts.Int(18)
			s.Left, s.Right, s.Top, s.Bottom = "16", "150", "16", "16"
		}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 12}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: "source", Opacity: opts.Float(0.35), Curveness: 0.5}),
		charts.WithEmphasisOpts(opts.Emphasis{Focus: "adjacency"}),
	)
	return finish(sk, false, func(o map[string]any) {
		s := o["series"].([]any)[0].(map[string]any)
		// Zero iterations keep the nodes in the order given.
		s["layoutIterations"] = 0
		s["nodeAlign"] = "justify"
		// A long owner or touchpoint name wraps before the next column
		// rather than running into its names (the chart bootstrap also
		// keeps it to two lines).
		if l, ok := s["label"].(map[string]any); ok {
			l["width"], l["overflow"], l["lineHeight"] = 140, "break", 13
		}
	})
}

type sankeyNode struct {
	Name      string          `json:"name"`
	Depth     *int            `json:"depth,omitempty"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Tooltip   *itemTooltip    `json:"tooltip,omitempty"`
}

type sankeyLink struct {
	Source  string       `json:"source"`
	Target  string       `json:"target"`
	Value   float64      `json:"value"`
	Tooltip *itemTooltip `json:"tooltip,omitempty"`
}
