package main

import (
	"context"
	"errors"
	"io"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	site := fs.String("s", ".", "site folder")
	addr := fs.String("addr", "127.0.0.1:1313", "address to listen on (loopback unless told otherwise)")
	open := fs.Bool("open", false, "open the site in the browser")
	drafts := fs.Bool("drafts", false, "include draft pages")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, _ := config.Load(*site) // errors show in the browser once serving
	newBuilder := func() serve.Builder {
		b := build.New(build.Options{Site: *site, Drafts: *drafts, Dev: true})
		b.Version = version()
		return b
	}
	s, err := serve.New(serve.Options{Site: *site, Addr: *addr, NewBuilder: newBuilder, Out: stdout, Open: *open, Output: cfg.Output})
	if err != nil {
		return err
	}
	if err := s.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
