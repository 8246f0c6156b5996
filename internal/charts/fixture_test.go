package charts

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// fixture is the small site under testdata/site, loaded and computed
// the way the build does it.
type fixture struct {
	site *model.Site
	ctx  Context
	mu   sync.Mutex
	reps map[string]*metrics.Report
}

func loadFixture(t testing.TB) *fixture {
	t.Helper()
	site, diags := load.Site("testdata/site")
	if diags.HasErrors() {
		t.Fatalf("loading the fixture site:\n%v", diags.Err())
	}
	f := &fixture{site: site, reps: map[string]*metrics.Report{}}
	f.ctx = Context{Site: site, Report: f.report}
	return f
}

func (f *fixture) report(wave string) (*metrics.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.reps[wave]; ok {
		return r, nil
	}
	r := metrics.Compute(f.site, wave)
	f.reps[wave] = r
	return r, nil
}

// pageSpecs are the twelve chart blocks of the fixture page, one per type.
func pageSpecs() []string {
	var out []string
	for _, typ := range Types() {
		body := fmt.Sprintf("type = %q\n", typ)
		out = append(out, body)
	}
	return out
}

// renderAll parses, resolves and renders every chart type for the
// fixture page (journey "onboarding"), as the build does.
func renderAll(t testing.TB, f *fixture) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i, body := range pageSpecs() {
		spec, err := ParseSpec([]byte(body), 10*i+1)
		if err != nil {
			t.Fatalf("ParseSpec(%q): %v", body, err)
		}
		spec, err = Resolve(spec, Defaults{Journey: "onboarding"}, f.ctx)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", body, err)
		}
		var b bytes.Buffer
		if err := Render(&b, spec, fmt.Sprintf("chart-%d", i+1), f.ctx); err != nil {
			t.Fatalf("Render(%s): %v", spec.Type, err)
		}
		out[spec.Type] = b.String()
	}
	return out
}

// optionOf extracts the option JSON of a rendered figure.
func optionOf(t testing.TB, figure string) string {
	t.Helper()
	const open = `<script type="application/json" data-chart-for="`
	i := strings.Index(figure, open)
	if i < 0 {
		t.Fatalf("no option script in %q", figure)
	}
	rest := figure[i+len(open):]
	rest = rest[strings.Index(rest, ">")+1:]
	return rest[:strings.Index(rest, "</script>")]
}
