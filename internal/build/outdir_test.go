package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteAtomicStaleOld: when the previous output cannot be removed
// after the new one is in place, the error says so and where the
// previous build is, and the new build is complete; the next write
// removes the leftover.
func TestWriteAtomicStaleOld(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	o := &Output{Files: map[string][]byte{"index.html": []byte("1")}}
	if err := o.WriteAtomic(out); err != nil {
		t.Fatal(err)
	}
	failOld := func(p string) error {
		if strings.HasSuffix(p, ".old") {
			return os.ErrPermission
		}
		return os.RemoveAll(p)
	}
	o2 := &Output{Files: map[string][]byte{"index.html": []byte("2")}}
	err := o2.writeAtomic(out, failOld)
	var stale *StaleError
	if !errors.As(err, &stale) {
		t.Fatalf("got %v, want a StaleError", err)
	}
	msg := err.Error()
	for _, want := range []string{"new build is complete in " + out, "moved aside to " + filepath.Join(parent, ".public.tmp-"), "permission denied", "delete that folder by hand"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "2" {
		t.Errorf("new build not in place: %q", b)
	}
	if _, err := os.Stat(stale.Old); err != nil {
		t.Errorf("the previous build should still be at %s: %v", stale.Old, err)
	}
	if err := o2.WriteAtomic(out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale.Old); err == nil {
		t.Errorf("the next build left %s", stale.Old)
	}
}

// TestWriteAtomicRefusesForeignFolder: WriteAtomic itself never empties
// a folder that is not an earlier build, whoever calls it.
func TestWriteAtomicRefusesForeignFolder(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "important.xlsx"), []byte("x"), 0o644)
	err := (&Output{Files: map[string][]byte{"index.html": []byte("1")}}).WriteAtomic(out)
	if err == nil || !strings.Contains(err.Error(), "not an earlier Touchstone build") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "important.xlsx")); err != nil {
		t.Error("the foreign file is gone")
	}
}

// TestLargePageWarning: a page over the limit is a warning at the
// journey that makes it.
func TestLargePageWarning(t *testing.T) {
	b := New(Options{Site: "testdata/mini-site"})
	b.maxPage = 20000
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "browsers open it slowly") {
			got = append(got, w.Error())
		}
	}
	if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "data/journeys/onboarding.toml:1:1: warning: the page journeys/onboarding/index.html is ") {
		t.Errorf("warnings:\n%s", strings.Join(got, "\n"))
	}
	b.maxPage = 0
	res, _ = New(Options{Site: "testdata/mini-site"}).Build(context.Background())
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "browsers open it slowly") {
			t.Errorf("at the real limit: %s", w)
		}
	}
}
