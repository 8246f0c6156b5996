package build

import (
	"context"
	"errors"
)

// Builder builds one site and keeps what it needs to rebuild
// incrementally when a few files change.
type Builder struct {
	opts Options
}

// New returns a Builder for opts.
func New(opts Options) *Builder { return &Builder{opts: opts} }

// Build builds the whole site. Bad inputs give a *diag.Errors listing
// every problem.
func (b *Builder) Build(ctx context.Context) (*Result, error) {
	return nil, errors.New("build: not implemented yet")
}

// Rebuild rebuilds after the files at changed (paths relative to the
// site root, slash-separated) were written, created or removed,
// re-rendering only what depends on them where that is known.
func (b *Builder) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	return b.Build(ctx)
}
