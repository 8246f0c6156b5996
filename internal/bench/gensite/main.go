// Command gensite writes a synthetic Touchstone site for whole-program
// benchmarks (see package synth for what it holds):
//
//	go run ./internal/bench/gensite -o DIR -pages 2000 -rows 1000000 [-hugo]
//	go run ./internal/bench/gensite -o DIR -pages 10 -rows 0 -touchpoints 100000
//	go run ./internal/bench/gensite -o DIR -pages 0 -rows 0 -export 1000000
//
// With -hugo the same pages also go to DIR-hugo as a Hugo site with a
// minimal theme, so both generators can be timed on identical content.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/touchstone-cx/touchstone/internal/bench/synth"
)

func main() {
	var o synth.Options
	out := flag.String("o", "", "output folder")
	flag.IntVar(&o.Pages, "pages", 1000, "number of markdown pages")
	flag.IntVar(&o.Rows, "rows", 1000, "number of response rows")
	flag.IntVar(&o.Export, "export", 0, "number of rows of a Qualtrics-shaped export with its mapping in data/surveys/")
	flag.BoolVar(&o.Hugo, "hugo", false, "also write the same pages as a Hugo site in DIR-hugo")
	flag.BoolVar(&o.Force, "force", false, "write into existing folders")
	flag.IntVar(&o.Touchpoints, "touchpoints", 0, "write this many touchpoints (with measures) instead of the two small journeys")
	flag.IntVar(&o.PerJourney, "per-journey", 1000, "touchpoints per journey, with -touchpoints")
	flag.Parse()
	if *out == "" || o.Pages < 0 || o.Rows < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := synth.Write(*out, o); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}
