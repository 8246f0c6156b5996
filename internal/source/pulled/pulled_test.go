package pulled_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/source"
	"github.com/touchstone-cx/touchstone/internal/source/pulled"
)

func sample() *source.Result {
	res := source.NewResult(model.FromResponses)
	fill := func(d *source.Data, f float64) {
		a := &source.Acc{}
		a.Add(3.5, 0.1*f)
		a.Add(4, 0.2)
		a.Add(1.0/3, 1e-17)
		d.Cells[model.CellKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call", Attribute: "be-there"}] = a
		n := &model.NPSCounts{}
		n.AddNPS(10, 0.7)
		n.AddNPS(3, 1.3*f)
		d.NPS[model.TouchKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call"}] = n
		j := &model.NPSCounts{}
		j.AddNPS(8, 1)
		d.JourneyNPS[model.JourneyKey{Wave: "2025-H2", Journey: "onboarding"}] = j
		ds := model.NewDriverSums([]string{"be-there", "clarity", "recommend"})
		ds.Add([]float64{1, 2, 9}, 0.3)
		ds.Add([]float64{5, 4.25, 0}, f)
		d.Drivers[model.JourneyKey{Wave: "2026-H1", Journey: "onboarding"}] = ds
		r := 7
		d.Verbatims[model.TouchKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call"}] = &model.Verbatims{Total: 5,
			Comments: []model.Verbatim{{Respondent: "R1", Text: "fine, \"really\"\nsecond line", Recommend: &r}, {Text: "=cmd|' /C calc'!A0"}}}
	}
	fill(res.Data, 1)
	fill(res.Segment(source.SegmentValue{Segment: "region", Value: "North, West"}), 0.5)
	fill(res.Segment(source.SegmentValue{Segment: "plan", Value: "Ünïcode"}), 2)
	return res
}

func write(t testing.TB, res *source.Result) []byte {
	var b bytes.Buffer
	if err := pulled.Write(&b, res, model.Pull{Source: "cx", Where: "db:5432/cx", When: "2026-11-29T14:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A pull reads back to exactly the statistics written: every float to
// the last bit, and writing it again gives the same bytes.
func TestRoundTrip(t *testing.T) {
	want := sample()
	file := write(t, want)
	var diags diag.List
	got := pulled.Read("data/pulled/cx.csv", bytes.NewReader(file), &diags)
	if diags.Len() > 0 {
		t.Fatal(diags.Err())
	}
	if again := write(t, got); !bytes.Equal(again, file) {
		t.Errorf("written again differs:\n%s\nvs\n%s", again, file)
	}
	k := model.CellKey{Wave: "2026-H1", Journey: "onboarding", Touchpoint: "call", Attribute: "be-there"}
	if g, w := got.Data.Cells[k].Moments, want.Data.Cells[k].Moments; g != w {
		t.Errorf("cell %+v, want %+v", g, w)
	}
	if g, w := got.Segments[source.SegmentValue{Segment: "region", Value: "North, West"}].Drivers, want.Segments[source.SegmentValue{Segment: "region", Value: "North, West"}].Drivers; len(g) != 1 {
		t.Errorf("segment drivers %v, want %v", g, w)
	}
	if *got.Pull != (model.Pull{Source: "cx", Where: "db:5432/cx", When: "2026-11-29T14:00:00Z"}) {
		t.Errorf("pull %+v", got.Pull)
	}
	if got.Order[0].Segment != "region" || got.Order[1].Segment != "plan" {
		t.Errorf("segment order %v", got.Order)
	}
	if !strings.Contains(string(file), "record,segment,segment_value,wave,journey,touchpoint,item,stat,value\n") {
		t.Errorf("no header:\n%s", file)
	}
}

// Broken pull files give positioned errors.
func TestReadErrors(t *testing.T) {
	head := strings.Join(pulled.Header, ",") + "\npull,,,,,,,where,h:1/d\npull,,,,,,,when,2026-01-01T00:00:00Z\n"
	tests := []struct{ name, file, want string }{
		{"header", "a,b\n", "1:1: not a pull file"},
		{"number", head + "cell,,,w,j,t,a,sw,x\n", `4:`},
		{"stat", head + "cell,,,w,j,t,a,swz,1\n", `4:16: unknown cell stat "swz"`},
		{"record", head + "cel,,,w,j,t,a,sw,1\n", `did you mean "cell"`},
		{"fields", head + "cell,,,w\n", "4:"},
		{"drivers", head + "drivers,,,w,j,,,vars,a b\ndrivers,,,w,j,,,n,3\n", "drivers of j in w are incomplete"},
		{"index", head + "drivers,,,w,j,,,vars,a b\ndrivers,,,w,j,,2,s,3\n", "not one of 0..1"},
		{"provenance", strings.Join(pulled.Header, ",") + "\n", "does not say where and when"},
		{"verbatim", head + "verbatim,,,w,j,t,R,,hi\n", "before its touchpoint's verbatims total"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.List
			pulled.Read("p.csv", strings.NewReader(tc.file), &diags)
			err := diags.Err()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// The pulled source checks the ids against the site it builds.
func TestSourceChecksIDs(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "data", "pulled"), 0o755)
	os.WriteFile(filepath.Join(root, "data", "pulled", "cx.csv"), write(t, sample()), 0o644)
	site := &model.Site{Brands: []*model.Brand{{ID: "nw", Attributes: []*model.Attribute{{ID: "clarity"}}}},
		Journeys: []*model.Journey{{ID: "onboarding", Brand: "nw", Touchpoints: []*model.Touchpoint{{ID: "call"}}}}}
	var diags diag.List
	res := pulled.Open(root, pulled.PathOf("cx")).Load(context.Background(), &source.Env{Root: root, Site: site, Diags: &diags})
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), `"be-there" is not an attribute of brand "nw"`) {
		t.Errorf("got %v", err)
	}
	if len(res.Data.Cells) != 0 || res.Pull.Where != "db:5432/cx" {
		t.Errorf("cells %v, pull %+v", res.Data.Cells, res.Pull)
	}
}

// FuzzRead: any input reads without panicking, every problem is placed
// in the file, and what reads cleanly writes back to a file that reads
// to the same statistics (written again, the same bytes).
func FuzzRead(f *testing.F) {
	f.Add(write(f, sample()))
	f.Add([]byte(strings.Join(pulled.Header, ",") + "\npull,,,,,,,where,h\ncell,,,w,j,t,a,n,3\n"))
	f.Add([]byte("record,segment\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var diags diag.List
		res := pulled.Read("p.csv", bytes.NewReader(data), &diags)
		for _, d := range diags.Items() {
			if d.Path != "p.csv" || d.Line < 1 {
				t.Fatalf("unplaced problem: %v", d)
			}
		}
		if diags.HasErrors() {
			return
		}
		once := write(t, res)
		var d2 diag.List
		res2 := pulled.Read("p.csv", bytes.NewReader(once), &d2)
		if d2.HasErrors() {
			t.Fatalf("a clean read wrote a broken file: %v\n%s", d2.Err(), once)
		}
		if twice := write(t, res2); !bytes.Equal(once, twice) {
			t.Fatalf("not stable:\n%s\nvs\n%s", once, twice)
		}
	})
}
