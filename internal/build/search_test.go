package build

import (
	"encoding/json"
	"testing"
)

// TestSearchIndex: the index is json.Marshal of the documents, and a
// page's kept document is encoded again when the page changes.
func TestSearchIndex(t *testing.T) {
	pages := []*PageView{
		{Kind: "home", Title: "Home", text: "Welcome"},
		{Kind: "404", Title: "Not found"},
		{Kind: "page", Title: `<script>alert("x")</script>`, URL: "a/", text: "a & b \u2028 line"},
		{Kind: "search", Title: "Search", URL: "search/"},
		{Kind: "touchpoint", Title: "Call centre", URL: "journeys/j/call-centre/", text: "Phone"},
	}
	want := func() string {
		var docs []searchDoc
		for _, p := range pages {
			if p.Kind != "404" && p.Kind != "search" {
				docs = append(docs, searchDoc{ID: len(docs), Title: p.Title, URL: p.URL, Kind: p.Kind, Text: p.text})
			}
		}
		b, err := json.Marshal(docs)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for i, edit := range []func(){
		func() {},
		func() { pages[2].text = "edited" }, // kept document stale
		func() { pages = append(pages[:1], pages[2:]...) }, // ids shift
		func() { pages[0].Title = "Start" },
	} {
		edit()
		got, err := searchIndex(pages)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want() {
			t.Errorf("step %d:\n got %s\nwant %s", i, got, want())
		}
	}
	if got, _ := searchIndex(nil); string(got) != "[]" {
		t.Errorf("no pages: %s", got)
	}
}
