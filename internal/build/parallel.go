package build

import (
	"runtime"
	"sync"
)

// parallel runs f on every item, on every core.
func parallel[T any](items []T, f func(T)) {
	n := min(runtime.GOMAXPROCS(0), len(items))
	var wg sync.WaitGroup
	next := make(chan T)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				f(it)
			}
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
}
