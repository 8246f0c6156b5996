package charts

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkChartRender draws each chart type of the fixture site's
// onboarding journey, spec parsing and resolution included, as a page's
// chart block costs in a build (metrics are computed once per build and
// shared, so they are outside the loop).
func BenchmarkChartRender(b *testing.B) {
	f := loadFixture(b)
	for i, body := range pageSpecs() {
		spec, err := ParseSpec([]byte(body), 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(spec.Type, func(b *testing.B) {
			if _, err := f.report(""); err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				spec, err := ParseSpec([]byte(body), 1)
				if err != nil {
					b.Fatal(err)
				}
				spec, err = Resolve(spec, Defaults{Journey: "onboarding"}, f.ctx)
				if err != nil {
					b.Fatal(err)
				}
				buf.Reset()
				if err := Render(&buf, spec, fmt.Sprintf("chart-%d", i+1), f.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
