package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeJS is axe-core, kept in the repository so that the accessibility
// checks run offline and always with the same rules.
//
//go:embed axe/axe.min.js
var axeJS string

// Axe runs axe-core's WCAG 2.1 A and AA rules on the page open in ctx,
// or on the part of it that selector picks when not empty, and returns
// one line per violation: the rule, its impact, how many elements fail
// and the first of them with axe's reason.
func Axe(ctx context.Context, selector string) ([]string, error) {
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axeJS+";0")); err != nil {
			return nil, fmt.Errorf("loading axe-core: %w", err)
		}
	}
	within := "document"
	if selector != "" {
		within = strconv.Quote(selector)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(`+within+`, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
		resultTypes: ["violations"],
	}).then(r => r.violations.map(v => {
		const n = v.nodes[0];
		const why = (n.failureSummary || "").split("\n").slice(1).join(" ").trim();
		return v.id + " (" + v.impact + ", " + v.nodes.length + " element" + (v.nodes.length > 1 ? "s" : "") + "): " + n.target.join(" ") + ": " + why;
	}).join("\n"))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	if out == "" {
		return nil, nil
	}
	return strings.Split(out, "\n"), nil
}
