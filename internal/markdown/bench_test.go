package markdown

import "testing"

// benchPage is a typical narrative page body, about 1.5 KB: headings,
// lists, a table, emphasis, a link and a highlighted Go block.
const benchPage = `# Onboarding: where the promise breaks

Northwind promises to **be there** when life happens. Customers opening a
business account meet that promise at eleven touchpoints; at three of them
the experience falls short by more than the tolerance.

## What customers told us

- The *application form* is clear, but the document checklist is not.
- Call-centre waits doubled in the "busy" weeks -- see the trend below.
- Invoices arrive on time; nobody reads them.

1. Fix the checklist.
2. Staff the phones in March.
3. Drop the paper invoice.

## Scores by touchpoint

| Touchpoint     | Promise | Experience |   Gap |
|:---------------|--------:|-----------:|------:|
| TV advertising |     4.5 |        3.2 |  -1.3 |
| Application    |     4.0 |        3.9 |  -0.1 |
| Call centre    |     4.5 |        2.8 |  -1.7 |
| Invoice        |     3.5 |        3.6 |   0.1 |

## How the index is computed

The alignment index weights each gap by importance, as in the
[method note](/method/):

` + "```go" + `
func Alignment(cells []Cell, scale float64) float64 {
	var num, den float64
	for _, c := range cells {
		w := c.Importance * c.Weight
		num += w * math.Abs(c.Experience-c.Promise)
		den += w
	}
	return 100 * (1 - num/(scale*den))
}
` + "```" + `

> The brand promised more than it delivered where it matters most.

### Next steps

- [x] Share with the call-centre lead
- [ ] Re-survey in 2026-H2
`

// BenchmarkRender measures a page rendered again (the dev server on
// save, a snippet repeated across pages: highlighted code comes from the
// cache) and rendered for the first time (chroma runs).
func BenchmarkRender(b *testing.B) {
	for _, bm := range []struct {
		name  string
		first bool
	}{{"again", false}, {"first", true}} {
		b.Run(bm.name, func(b *testing.B) {
			m := New()
			src := []byte(benchPage)
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if bm.first {
					m.code.forget()
				}
				if _, err := m.Render(src, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// forget empties the highlight cache.
func (r *codeRenderer) forget() {
	r.mu.Lock()
	clear(r.cache)
	r.size = 0
	r.mu.Unlock()
}

func BenchmarkRenderParallel(b *testing.B) {
	m := New()
	src := []byte(benchPage)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := m.Render(src, 1); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkFrontMatter(b *testing.B) {
	src := []byte("+++\ntitle = \"Onboarding\"\ndate = 2026-03-01\nweight = 2\njourney = \"onboarding\"\ntags = [\"cx\", \"billing\"]\n[params]\nhero = \"x.png\"\n+++\n" + benchPage)
	b.ReportAllocs()
	for b.Loop() {
		fm, _, _, err := SplitFrontMatter(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseFrontMatter(fm, 2); err != nil {
			b.Fatal(err)
		}
	}
}
