package theme

import (
	"html/template"
	"maps"
	"slices"
	"strings"
	"text/template/parse"
)

// SiteFields lists what a layout reads of the site as field chains from
// .Site, such as "Site.Report.Wave" or "Site.Menu", from every template
// the layout's pages run (baseof, partials and the layout itself). A bare
// "Site" means the layout takes the site whole: passes it on, ranges or
// binds it. The build uses this to know whether a page's output depends
// on anything beyond its own data and the site chrome, so that a data
// edit can keep the pages it did not touch.
func (t *Theme) SiteFields(layout string) []string { return t.site[layout] }

// siteFields walks the parse trees of every template in set.
func siteFields(set *template.Template) []string {
	seen := map[string]bool{}
	for _, tpl := range set.Templates() {
		if tpl.Tree != nil && tpl.Tree.Root != nil {
			walkFields(tpl.Tree.Root, seen)
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// walkFields records every chain of identifiers that passes through a
// field called Site, whatever it starts from (dot, $ or a variable): the
// page data is the only value with such a field.
func walkFields(n parse.Node, seen map[string]bool) {
	record := func(idents []string) {
		for i, id := range idents {
			if id == "Site" {
				seen[strings.Join(idents[i:], ".")] = true
				return
			}
		}
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkFields(c, seen)
		}
	case *parse.ActionNode:
		walkFields(n.Pipe, seen)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, seen)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, seen)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, seen)
	case *parse.TemplateNode:
		if n.Pipe != nil {
			walkFields(n.Pipe, seen)
		}
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkFields(c, seen)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkFields(a, seen)
		}
	case *parse.FieldNode:
		record(n.Ident)
	case *parse.VariableNode:
		record(n.Ident)
	case *parse.ChainNode:
		// (x).Site.Report: what x is does not matter; the chain is read
		// from the Site field on. x itself is walked for its own fields.
		walkFields(n.Node, seen)
		record(n.Field)
	}
}

func walkBranch(b *parse.BranchNode, seen map[string]bool) {
	walkFields(b.Pipe, seen)
	walkFields(b.List, seen)
	walkFields(b.ElseList, seen)
}
