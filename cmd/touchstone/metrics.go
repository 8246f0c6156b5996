package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/metrics"
)

func cmdMetrics(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("metrics", stderr)
	site := fs.String("s", ".", "site folder")
	asJSON := fs.Bool("json", false, "print the JSON export (as data/metrics.json)")
	wave := fs.String("wave", "", "survey wave (default: the current one)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, l := load.Site(*site)
	if err := l.Err(); err != nil {
		return inputErrors(err)
	}
	if *wave != "" && !slices.Contains(s.Waves, *wave) {
		return &exitError{code: 1, err: errors.New("--wave: " + diag.Unknown("wave", *wave, s.Waves))}
	}
	rep := metrics.Compute(s, *wave)
	if *asJSON {
		b, err := json.MarshalIndent(rep, "", " ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	return printTable(stdout, rep)
}

func f1(p *float64) string {
	if p == nil {
		return "–"
	}
	return figure.One(*p)
}

// printTable is the readable form: figures rounded to one decimal, as
// on the site.
func printTable(w io.Writer, rep *metrics.Report) error {
	fmt.Fprintf(w, "wave %s (waves: %s), scale %g..%g, tolerance %g\n\n", rep.Wave, strings.Join(rep.Waves, ", "), rep.Scale.Min, rep.Scale.Max, rep.Tolerance)
	for _, b := range rep.Brands {
		fmt.Fprintf(w, "brand %s: alignment %s\n", b.ID, f1(b.Alignment))
	}
	for _, j := range rep.Journeys {
		delta := ""
		if j.Delta != nil {
			delta = " (" + figure.Signed(*j.Delta) + " since " + j.DeltaFrom + ")"
		}
		fmt.Fprintf(w, "\njourney %s (brand %s): alignment %s%s\n", j.ID, j.Brand, f1(j.Alignment), delta)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "touchpoint\tstage\towner\timportance\talignment\tperformance\tgap\tstatus\tpriority\tshortfall\tNPS\t")
		for _, t := range j.Touchpoints {
			nps := "–"
			if t.NPS != nil {
				nps = fmt.Sprintf("%s (n=%d)", figure.Signed(t.NPS.Score), t.NPS.N)
			}
			gap := "–"
			if t.Gap != nil {
				gap = figure.Signed(*t.Gap)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%g\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", t.ID, t.Stage, t.Owner, t.Importance, f1(t.Alignment), f1(t.Performance),
				gap, orDash(t.Status), orDash(t.Priority), f1(t.Shortfall), nps)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nowners")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "actor\tload\tcontributed\ttouchpoints\t")
	for _, a := range rep.ByLoad() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t\n", a.ID, figure.One(a.Load), f1(a.Contributed), len(a.Touchpoints))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
