package main

import (
	"context"
	"errors"
	"io"
)

// cmdNew writes scaffolding; see issue 8.
func cmdNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("new: not implemented yet")
}
