package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

const surveyUsage = `Usage:
  touchstone survey init EXPORT [-s SITE]

Recognises a survey export (Qualtrics, SurveyMonkey, or one header row as
Google Forms, LimeSurvey and spreadsheets write) and writes a starting
mapping data/surveys/<export's name>.toml beside it, copying the export
into data/surveys/ when it is elsewhere. Nothing is ever overwritten.
`

// cmdSurvey runs survey subcommands: init.
func cmdSurvey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "init" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, surveyUsage)
			return nil
		}
		fmt.Fprint(stderr, surveyUsage)
		return &exitError{code: 2, err: errors.New("touchstone survey: say init EXPORT")}
	}
	fs := newFlags("survey init", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, surveyUsage) }
	site := fs.String("s", ".", "site folder")
	export, err := parseInterleaved(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, err: fmt.Errorf("touchstone survey init: %w", err)}
	}
	if export == "" {
		fmt.Fprint(stderr, surveyUsage)
		return &exitError{code: 2, err: errors.New("touchstone survey init: name the export file")}
	}
	cfg, _ := config.Load(*site)
	info := survey.InitSite{Waves: cfg.Waves}
	if entries, err := os.ReadDir(filepath.Join(*site, "data", "journeys")); err == nil {
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".toml") && !strings.HasPrefix(n, ".") {
				info.Journeys = append(info.Journeys, strings.TrimSuffix(n, ".toml"))
			}
		}
		sort.Strings(info.Journeys)
	}
	written, err := survey.Init(*site, export, info)
	for _, w := range written {
		fmt.Fprintf(stdout, "wrote %s\n", w)
	}
	if err != nil {
		return fmt.Errorf("survey init: %w", err)
	}
	fmt.Fprintf(stdout, "next: tie its questions to touchpoints and attributes, then run touchstone check\n")
	return nil
}
