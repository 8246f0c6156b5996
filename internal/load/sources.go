package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/postgres"
	"github.com/touchstone-cx/touchstone/internal/source/responses"
	"github.com/touchstone-cx/touchstone/internal/source/survey"
)

// maxVerbatims is how many comments are kept per touchpoint and wave
// when sources pool (as each source keeps).
const maxVerbatims = survey.MaxVerbatims

// sources runs every source of answers (the responses files of
// data/responses/, the survey mappings of data/surveys/, then the
// database sources of data/sources/ or their pulls in data/pulled/) and
// pools each Result into the site, after the measures: a cell from two
// sources is an error naming both; NPS, relationship NPS, drivers,
// verbatims and segments add up. The files each source read are inputs
// of the data model.
func (l *loader) sources() {
	l.inputGlob("data/responses", ".csv")
	srcs := []source.Source{responses.New("data/responses").WithChunkSize(chunkSize)}
	for _, p := range l.files("data/surveys", ".toml") {
		srcs = append(srcs, survey.New(l.rel(p)))
	}
	srcs = append(srcs, postgres.Sources(l.root, l.diags)...)
	env := &source.Env{Root: l.root, Site: l.site, Diags: l.diags, Broken: l.isBroken}
	segs := map[[2]string]*segAcc{}
	for _, s := range srcs {
		res := s.Load(context.Background(), env)
		for _, in := range res.Inputs {
			l.input(in)
		}
		l.pool(res, segs)
	}
	l.unnamedExports()
	l.strayFiles()
}

// segAcc collects one segment value's data from every source before it
// becomes a model.Segment.
type segAcc struct {
	seg   *model.Segment
	cells map[model.CellKey]*source.Acc
	kinds map[model.CellKey]model.Source
}

func (l *loader) pool(res *source.Result, segs map[[2]string]*segAcc) {
	for w, pos := range res.Waves {
		l.seeWave(w, pos)
	}
	for _, in := range res.Inputs {
		l.input(in)
	}
	site := l.site
	if res.Pull != nil {
		site.Pulls = append(site.Pulls, *res.Pull)
	}
	if site.JourneyNPS == nil {
		site.JourneyNPS = map[model.JourneyKey]*model.NPSCounts{}
		site.BrandNPS = map[model.BrandKey]*model.NPSCounts{}
		site.Drivers = map[model.JourneyKey]*model.DriverSums{}
	}
	d := res.Data
	clashed := map[model.CellKey]bool{}
	for _, k := range sortedCells(d.Cells) {
		a := d.Cells[k]
		if prev, dup := site.Cells[k]; dup {
			l.errorf(a.First, "%s has two sources: %s from this row on and %s", describe(k), kindName(res.Kind), where(prev.Source))
			clashed[k] = true
			continue
		}
		site.Cells[k] = a.Cell(res.Kind)
	}
	poolData(site.NPS, site.JourneyNPS, site.BrandNPS, site.Drivers, site.Verbatims, d)
	for _, v := range res.Order {
		sd := res.Segments[v]
		slug := survey.Slug(v.Value)
		key := [2]string{v.Segment, slug}
		sa := segs[key]
		if sa == nil {
			sa = &segAcc{seg: &model.Segment{ID: v.Segment, Value: v.Value, Slug: slug,
				Cells: map[model.CellKey]*model.Cell{}, NPS: map[model.TouchKey]*model.NPSCounts{},
				JourneyNPS: map[model.JourneyKey]*model.NPSCounts{}, BrandNPS: map[model.BrandKey]*model.NPSCounts{},
				Drivers: map[model.JourneyKey]*model.DriverSums{}, Verbatims: map[model.TouchKey]*model.Verbatims{}},
				cells: map[model.CellKey]*source.Acc{}, kinds: map[model.CellKey]model.Source{}}
			segs[key] = sa
			site.Segments = append(site.Segments, sa.seg)
		}
		for k, a := range sd.Cells {
			if clashed[k] {
				continue // reported above: the cell has another source
			}
			g := sa.cells[k]
			if g == nil {
				g = &source.Acc{First: a.First}
				sa.cells[k] = g
			}
			g.Merge(a.Moments)
			sa.seg.Cells[k] = g.Cell(res.Kind)
		}
		poolData(sa.seg.NPS, sa.seg.JourneyNPS, sa.seg.BrandNPS, sa.seg.Drivers, sa.seg.Verbatims, sd)
	}
	sortSegments(site.Segments)
}

func poolData(nps map[model.TouchKey]*model.NPSCounts, jn map[model.JourneyKey]*model.NPSCounts, bn map[model.BrandKey]*model.NPSCounts,
	drv map[model.JourneyKey]*model.DriverSums, vbs map[model.TouchKey]*model.Verbatims, d *source.Data) {
	mergeCounts(nps, d.NPS)
	mergeCounts(jn, d.JourneyNPS)
	mergeCounts(bn, d.BrandNPS)
	for k, s := range d.Drivers {
		if g := drv[k]; g != nil && len(g.Vars) == len(s.Vars) {
			g.Merge(s)
		} else if g == nil {
			c := *s
			c.S, c.SS = append([]float64(nil), s.S...), append([]float64(nil), s.SS...)
			drv[k] = &c
		}
	}
	for k, vb := range d.Verbatims {
		g := vbs[k]
		if g == nil {
			// The first source of a touchpoint's verbatims gives them
			// as they are: a Result is pooled once, and copying up to
			// 200 comments per touchpoint and wave is not free.
			vbs[k] = vb
			continue
		}
		g.Total += vb.Total
		for _, v := range vb.Comments {
			if len(g.Comments) >= maxVerbatims {
				break
			}
			g.Comments = append(g.Comments, v)
		}
	}
}

func mergeCounts[K comparable](dst, src map[K]*model.NPSCounts) {
	for k, c := range src {
		if g := dst[k]; g != nil {
			g.Merge(*c)
		} else {
			cc := *c
			dst[k] = &cc
		}
	}
}

// sortSegments keeps segments in a stable order: segment id, then value
// as first seen (the order sources met them).
func sortSegments(s []*model.Segment) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].ID < s[j-1].ID; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func sortedCells(m map[model.CellKey]*source.Acc) []model.CellKey {
	keys := make([]model.CellKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// By place of first answer, so messages come in file order.
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && before(m[keys[j]].First, m[keys[j-1]].First); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func before(a, b model.Pos) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

func kindName(k model.Source) string {
	switch k {
	case model.FromSurvey:
		return "the survey export"
	case model.FromResponses:
		return "responses"
	case model.FromMeasures:
		return "measures"
	}
	return "inline experience"
}

// unnamedExports warns about files in data/surveys/ that no mapping
// names: an export dropped in without its mapping is not read.
func (l *loader) unnamedExports() {
	dir := filepath.Join(l.root, "data", "surveys")
	all, _ := filepath.Glob(filepath.Join(dir, "*"))
	named := map[string]bool{}
	for _, m := range l.files("data/surveys", ".toml") {
		named[m] = true
		pat := surveyFilePattern(m)
		if pat == "" {
			continue
		}
		ms, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pat)))
		for _, p := range ms {
			named[p] = true
		}
	}
	for _, p := range all {
		base := filepath.Base(p)
		if named[p] || strings.HasPrefix(base, ".") || isDir(p) {
			continue
		}
		l.warnf(model.Pos{Path: l.rel(p)}, "no mapping in data/surveys/ names this file, so it is not read: describe it with `touchstone survey init %s`", l.rel(p))
	}
}

// surveyFilePattern reads the file key of a mapping, or "" (the mapping's
// own problems are reported when it loads).
func surveyFilePattern(path string) string {
	var m struct {
		File string `toml:"file"`
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	toml.Decode(strings.TrimPrefix(string(src), "\ufeff"), &m)
	return m.File
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// strayFiles names files in data folders that nothing reads, so an
// export is never skipped silently.
func (l *loader) strayFiles() {
	for _, dir := range []string{"data/responses", "data/measures"} {
		entries, err := os.ReadDir(filepath.Join(l.root, filepath.FromSlash(dir)))
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || strings.HasPrefix(n, ".") || strings.HasSuffix(n, ".csv") {
				continue
			}
			rel := dir + "/" + n
			ext := strings.ToLower(filepath.Ext(n))
			switch ext {
			case ".tsv", ".txt", ".tab":
				l.warnf(model.Pos{Path: rel}, "%s files in %s/ are not read (only .csv are): map this export with `touchstone survey init %s`, which reads tab-separated and UTF-16 files", ext, dir, rel)
			case ".xlsx", ".xls", ".ods", ".numbers":
				l.warnf(model.Pos{Path: rel}, "spreadsheet files are not read: save it as CSV UTF-8 (%s/ takes .csv files)", dir)
			default:
				l.warnf(model.Pos{Path: rel}, "not read: %s/ takes .csv files only", dir)
			}
		}
	}
}
