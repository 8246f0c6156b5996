package metricstest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the failures instead of failing,
// so the tests can check what CompareJSON reports.
type recorder struct {
	testing.TB
	msgs []string
}

type fatal struct{}

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.msgs = append(r.msgs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
	panic(fatal{})
}

func run(got, want string) (msgs []string) {
	r := &recorder{}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(fatal); !ok {
				panic(p)
			}
		}
		msgs = r.msgs
	}()
	CompareJSON(r, []byte(got), []byte(want), 1e-9)
	return r.msgs
}

func TestCompareJSON(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		wantMsgs  []string // substrings, one per expected message, in order
	}{
		{"equal", `{"a":1,"b":[1,2],"c":"x"}`, `{"c":"x","b":[1,2],"a":1}`, nil},
		{"absolute tolerance", `{"a":1e-10}`, `{"a":0}`, nil},
		{"relative tolerance", `{"a":1000000.0000001}`, `{"a":1000000}`, nil},
		{"number off", `{"a":1.000001}`, `{"a":1}`, []string{"a: got 1.000001, want 1"}},
		{"missing key", `{}`, `{"a":1}`, []string{`key "a" missing`}},
		{"null is absent", `{"a":null}`, `{}`, nil},
		{"absent is null", `{}`, `{"a":null}`, nil},
		{"null where a value is wanted", `{"a":null}`, `{"a":2}`, []string{`key "a" missing`}},
		{"unexpected key", `{"b":1}`, `{}`, []string{`unexpected key "b"`}},
		{"string differs", `{"a":"x"}`, `{"a":"y"}`, []string{`a: got "x", want "y"`}},
		{"type differs", `{"a":"1"}`, `{"a":1}`, []string{`a: got "1", want 1`}},
		{"array length", `{"a":[1]}`, `{"a":[1,2]}`, []string{"a: got 1 elements, want 2"}},
		{"nested path", `{"j":[{"t":[{"x":1},{"x":3}]}]}`, `{"j":[{"t":[{"x":1},{"x":2}]}]}`, []string{"j[0].t[1].x: got 3, want 2"}},
		{
			"allowed extras",
			`{"journeys":[{"delta":1,"crosshair":{"x":1,"y":2},"touchpoints":[{"promise":4,"status":"aligned","attributes":[{"sd":0.5}]}]}],
			  "brands":[{"trend":[],"attributes":[]}],"actors":[{"contributes":["j/t"]}],"assessments":[]}`,
			`{"journeys":[{"touchpoints":[{"attributes":[{}]}]}],"brands":[{}],"actors":[{}]}`,
			nil,
		},
		{
			// promise and status are §6 keys at cell level: an extra one
			// there is a real difference, not an allowed extra.
			"extras only where allowed",
			`{"journeys":[{"touchpoints":[{"attributes":[{"promise":4,"status":"aligned"}]}]}],"delta":1}`,
			`{"journeys":[{"touchpoints":[{"attributes":[{}]}]}]}`,
			[]string{`attributes[0]: unexpected key "promise"`, `attributes[0]: unexpected key "status"`, `(root): unexpected key "delta"`},
		},
		{"invalid got", `{`, `{}`, []string{"got: invalid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := run(tt.got, tt.want)
			if len(msgs) != len(tt.wantMsgs) {
				t.Fatalf("got %d messages %q, want %d %q", len(msgs), msgs, len(tt.wantMsgs), tt.wantMsgs)
			}
			for i, m := range msgs {
				if !strings.Contains(m, tt.wantMsgs[i]) {
					t.Errorf("message %d = %q, want it to contain %q", i, m, tt.wantMsgs[i])
				}
			}
		})
	}
}

func TestCompareJSONCapsMessages(t *testing.T) {
	var got, want strings.Builder
	got.WriteString("[")
	want.WriteString("[")
	for i := range 100 {
		if i > 0 {
			got.WriteString(",")
			want.WriteString(",")
		}
		fmt.Fprint(&got, i+1)
		fmt.Fprint(&want, i)
	}
	got.WriteString("]")
	want.WriteString("]")
	msgs := run(got.String(), want.String())
	if len(msgs) != maxReported+1 || !strings.Contains(msgs[maxReported], "60 more") {
		t.Errorf("got %d messages, last %q; want %d and a count of the rest", len(msgs), msgs[len(msgs)-1], maxReported+1)
	}
}

func TestStripIndices(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "",
		"assessments":                 "assessments",
		"journeys[0].delta":           "journeys[].delta",
		"journeys[12].touchpoints[3]": "journeys[].touchpoints[]",
	} {
		if got := stripIndices(in); got != want {
			t.Errorf("stripIndices(%q) = %q, want %q", in, got, want)
		}
	}
}
