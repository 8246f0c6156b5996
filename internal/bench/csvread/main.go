// Command csvread is the baseline of the responses benchmark: it only
// reads a CSV file with encoding/csv (ReuseRecord, a 64 KB buffer) and
// counts records and fields, the least any CSV consumer has to do. The
// time `touchstone build` takes over a site with that file, aggregation
// included, is compared with this one's.
//
//	go run ./internal/bench/csvread FILE
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: csvread FILE")
		os.Exit(2)
	}
	records, fields, err := count(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "csvread:", err)
		os.Exit(1)
	}
	fmt.Printf("%d records, %d fields\n", records, fields)
}

func count(path string) (records, fields int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return records, fields, nil
		}
		if err != nil {
			return records, fields, err
		}
		records++
		fields += len(rec)
	}
}
