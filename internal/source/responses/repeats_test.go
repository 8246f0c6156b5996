package responses

import "testing"

// TestRepeatsTable: the table finds every repeat while it grows, names
// the first place, and stops taking keys at its bound.
func TestRepeatsTable(t *testing.T) {
	r := newRepeats()
	f := r.file("a.csv")
	for i := 1; i <= 50000; i++ {
		if _, dup := r.see(uint64(i)*0x9e3779b97f4a7c15, f, i); dup {
			t.Fatalf("key %d reported as a repeat", i)
		}
	}
	for _, i := range []int{1, 777, 50000} {
		first, dup := r.see(uint64(i)*0x9e3779b97f4a7c15, f, 99)
		if !dup || first.Line != i || first.Path != "a.csv" {
			t.Errorf("key %d: %v %v", i, first, dup)
		}
	}
}
