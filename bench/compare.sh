#!/usr/bin/env bash
# bench/compare.sh — Touchstone's whole-program benchmarks, side by side in
# one run (issue 7):
#
#   1. `touchstone build` vs `hugo` on the same N plain pages (both to tmpfs);
#   2. `touchstone build` of a site with a 1M-row responses CSV vs a program
#      that only reads that file with encoding/csv; peak memory at 1M and
#      10M rows;
#   3. the dev server: a one-page edit in a 2,000-page site, from the save
#      to the new text served over HTTP; a data edit in the demo site, and
#      how many of its pages it renders again;
#   4. the dev server's cold start on the demo site: to the first answer.
#
# Every timing is the median of RUNS runs, the two programs alternating.
# Usage, from the repository root:
#
#   bench/compare.sh                      # pages 1000 2000 5000, 5 runs
#   PAGES="1000 2000 5000 20000" RUNS=3 bench/compare.sh
#
# Environment: PAGES, RUNS, ROWS (default 1000000), BIGROWS (10000000, or
# 0 to skip), EDITS (10), WORK (default /dev/shm/touchstone-bench; tmpfs,
# so that the disk does not time the runs), HUGO and HUGO_VERSION.
#
# Which Hugo: $HUGO when set (a path); else, with HUGO_VERSION=v0.165.0
# (say), that release built from the Go module proxy into $WORK/bin once
# (`go install github.com/gohugoio/hugo@$HUGO_VERSION`, about 3 minutes
# the first time; the issue's reference figures are Hugo 0.165's); else
# the hugo on PATH, from Debian's package, installed with apt-get when
# missing (Debian 12 has 0.111).
set -euo pipefail

PAGES=${PAGES:-"1000 2000 5000"}
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
BIGROWS=${BIGROWS:-10000000}
EDITS=${EDITS:-10}
WORK=${WORK:-/dev/shm/touchstone-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }

mkdir -p "$WORK/bin"
if [ -n "${HUGO:-}" ]; then
	:
elif [ -n "${HUGO_VERSION:-}" ]; then
	HUGO=$WORK/bin/hugo-$HUGO_VERSION
	if [ ! -x "$HUGO" ]; then
		say "building hugo $HUGO_VERSION from the Go module proxy…"
		tmp=$(mktemp -d)
		GOBIN=$tmp CGO_ENABLED=0 go install "github.com/gohugoio/hugo@$HUGO_VERSION"
		mv "$tmp/hugo" "$HUGO"
		rmdir "$tmp"
	fi
else
	if ! command -v hugo >/dev/null; then
		say "installing hugo (Debian package)…"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
	fi
	HUGO=$(command -v hugo)
fi
[ -x /usr/bin/time ] || { say "needs /usr/bin/time (apt-get install time)"; exit 1; }

say "building touchstone and the benchmark tools…"
(cd "$ROOT" &&
	go build -o "$WORK/bin/touchstone" ./cmd/touchstone &&
	go build -o "$WORK/bin/gensite" ./internal/bench/gensite &&
	go build -o "$WORK/bin/csvread" ./internal/bench/csvread &&
	go build -o "$WORK/bin/editlatency" ./internal/bench/editlatency)
TS=$WORK/bin/touchstone

# ms CMD… runs CMD quietly and prints its wall time in milliseconds.
ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || { say "failed: $*"; exit 1; }
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

# median reads numbers, one a line, and prints the median.
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# peak CMD… prints CMD's maximum resident set size in MB.
peak() {
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
perpage() { awk -v t="$1" -v n="$2" 'BEGIN {printf "%.3f", t/n}'; }

site() { # site DIR PAGES ROWS [-hugo]
	[ -f "$1/site.toml" ] || "$WORK/bin/gensite" -o "$1" -pages "$2" -rows "$3" ${4:-} -force
}

echo "# Touchstone benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM"
echo "$(go version | cut -d' ' -f3-4), $("$HUGO" version | cut -d' ' -f1-2), touchstone $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo '+changes')"
echo "runs: median of $RUNS; sites and outputs in $WORK"
echo

echo "## 1. Pages: touchstone build vs hugo (same pages, output to tmpfs)"
echo
printf '| %6s | %14s | %10s | %14s | %10s | %11s |\n' pages touchstone ms/page hugo ms/page "ts/hugo"
printf '|%s|%s|%s|%s|%s|%s|\n' -------: ---------------: -----------: ---------------: -----------: ------------:
for n in $PAGES; do
	d=$WORK/pages-$n
	site "$d" "$n" 1000 -hugo
	tt=() th=()
	for ((r = 0; r < RUNS; r++)); do
		rm -rf "$WORK/out-ts" "$WORK/out-hugo"
		tt+=("$(ms "$TS" build -s "$d" -o "$WORK/out-ts")")
		th+=("$(ms "$HUGO" -s "$d-hugo" -d "$WORK/out-hugo" --quiet)")
	done
	mt=$(printf '%s\n' "${tt[@]}" | median)
	mh=$(printf '%s\n' "${th[@]}" | median)
	printf '| %6s | %11s ms | %10s | %11s ms | %10s | %11s |\n' "$n" "$mt" "$(perpage "$mt" "$n")" "$mh" "$(perpage "$mh" "$n")" "$(ratio "$mt" "$mh")"
done
echo
echo "pages rendered in the last run: touchstone $(find "$WORK/out-ts" -name index.html | wc -l) (the N pages, 21 section pages and its own data pages), hugo $(find "$WORK/out-hugo" -name index.html | wc -l)"
echo

echo "## 2. Survey data: touchstone build vs reading the CSV with encoding/csv"
echo
d=$WORK/rows-$ROWS
site "$d" 0 "$ROWS"
csv=$d/data/responses/survey.csv
tt=() tc=()
for ((r = 0; r < RUNS; r++)); do
	tt+=("$(ms "$TS" build -s "$d" -o "$WORK/out-rows")")
	tc+=("$(ms "$WORK/bin/csvread" "$csv")")
done
mt=$(printf '%s\n' "${tt[@]}" | median)
mc=$(printf '%s\n' "${tc[@]}" | median)
# The same site without the big file: what the build costs besides it.
d0=$WORK/rows-0
site "$d0" 0 0
t0=()
for ((r = 0; r < RUNS; r++)); do t0+=("$(ms "$TS" build -s "$d0" -o "$WORK/out-rows0")"); done
m0=$(printf '%s\n' "${t0[@]}" | median)
printf '| %-44s | %10s |\n' "measure" "value"
printf '|%s|%s|\n' ---------------------------------------------- ------------:
printf '| %-44s | %10s |\n' "responses file" "$ROWS rows, $(($(stat -c %s "$csv") / 1000000)) MB"
printf '| %-44s | %7s ms |\n' "touchstone build (whole site, CSV included)" "$mt"
printf '| %-44s | %7s ms |\n' "encoding/csv read only (csvread)" "$mc"
printf '| %-44s | %10s |\n' "ratio build / csv read" "$(ratio "$mt" "$mc")"
printf '| %-44s | %7s ms |\n' "touchstone build of the same site, no CSV" "$m0"
printf '| %-44s | %7s MB |\n' "peak memory, build, $ROWS rows" "$(peak "$TS" build -s "$d" -o "$WORK/out-rows")"
if [ "$BIGROWS" -gt 0 ]; then
	db=$WORK/rows-$BIGROWS
	site "$db" 0 "$BIGROWS"
	printf '| %-44s | %7s MB |\n' "peak memory, build, $BIGROWS rows" "$(peak "$TS" build -s "$db" -o "$WORK/out-bigrows")"
	printf '| %-44s | %7s ms |\n' "touchstone build, $BIGROWS rows (one run)" "$(ms "$TS" build -s "$db" -o "$WORK/out-bigrows")"
	printf '| %-44s | %7s ms |\n' "encoding/csv read, $BIGROWS rows (one run)" "$(ms "$WORK/bin/csvread" "$db/data/responses/survey.csv")"
	printf '| %-44s | %7s MB |\n' "peak memory, csvread, $BIGROWS rows" "$(peak "$WORK/bin/csvread" "$db/data/responses/survey.csv")"
fi
echo

echo "## 3. Dev server: a page edit in a 2,000-page site and a data edit, visible over HTTP"
echo
d=$WORK/pages-2000
site "$d" 2000 1000 -hugo
"$WORK/bin/editlatency" -bin "$TS" -site "$d" -page content/unit-07/page-00007.md -n "$EDITS" | tail -1
echo
echo "A data edit in a copy of the demo site (one score of the current wave, up and down by 0.1), until the touchpoint's page shows it:"
echo
demo=$WORK/demo
rm -rf "$demo" && mkdir -p "$demo" && cp -r "$ROOT/content" "$ROOT/data" "$ROOT/site.toml" "$demo/"
"$WORK/bin/editlatency" -bin "$TS" -site "$demo" -data data/measures/2026-H1.csv -n "$EDITS" > "$WORK/data-edits.txt"
tail -1 "$WORK/data-edits.txt"
echo "the server, after the last one: $(tail -2 "$WORK/data-edits.txt" | head -1 | sed 's/.*server: //'), of $("$TS" build -s "$demo" -o "$WORK/out-demo" 2>/dev/null | sed -n 's/built \([0-9]*\) pages.*/\1/p') pages"
echo

echo "## 4. Dev server: cold start of the demo site to its first answer"
echo
tc=()
for ((r = 0; r < RUNS; r++)); do
	tc+=("$("$WORK/bin/editlatency" -bin "$TS" -site "$ROOT" -cold | awk '/summary/ {print int($3)}')")
done
echo "first answer after $(printf '%s\n' "${tc[@]}" | median) ms (median of $RUNS; runs: ${tc[*]} ms)"
