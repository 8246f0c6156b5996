#!/usr/bin/env bash
# bench/survey.sh — the survey-export benchmark of issue 13, on its own:
# `touchstone build` of a site whose data is a Qualtrics-shaped export
# (3 header rows, twelve questions over five touchpoints, two
# text-labelled, missing codes, a 0..10 question, waves from the start
# date, a where filter, a region segment, comments with quoted commas and
# line breaks; `gensite -export N`) vs `internal/bench/csvread`, which
# only reads the same file with encoding/csv; then the same for the
# responses file of bench/compare.sh; peak memory at ROWS and BIGROWS.
#
#   bench/survey.sh                        # 1M rows, 5 runs, 10M for memory
#   ROWS=1000000 RUNS=7 BIGROWS=0 bench/survey.sh
#
# Every timing is the median of RUNS runs, the two programs alternating;
# the user CPU times (sum over cores) are printed too, steadier than wall
# time on a shared machine.
set -euo pipefail

RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
BIGROWS=${BIGROWS:-10000000}
WORK=${WORK:-/dev/shm/touchstone-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '%s\n' "$*" >&2; }
[ -x /usr/bin/time ] || { say "needs /usr/bin/time (apt-get install time)"; exit 1; }

mkdir -p "$WORK/bin"
say "building touchstone and the benchmark tools…"
(cd "$ROOT" &&
	go build -o "$WORK/bin/touchstone" ./cmd/touchstone &&
	go build -o "$WORK/bin/gensite" ./internal/bench/gensite &&
	go build -o "$WORK/bin/csvread" ./internal/bench/csvread)
TS=$WORK/bin/touchstone

# run CMD… runs CMD quietly and prints "wall_ms user_ms".
run() {
	/usr/bin/time -f '%e %U' -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || { say "failed: $*"; exit 1; }
	awk '{printf "%d %d\n", $1*1000, $2*1000}' "$WORK/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

compare() { # compare LABEL SITE FILE
	local tw=() tu=() cw=() cu=() t c
	for ((r = 0; r < RUNS; r++)); do
		t=$(run "$TS" build -s "$2" -o "$WORK/out-survey")
		c=$(run "$WORK/bin/csvread" "$3")
		tw+=("${t% *}") tu+=("${t#* }") cw+=("${c% *}") cu+=("${c#* }")
	done
	local mtw mtu mcw mcu
	mtw=$(printf '%s\n' "${tw[@]}" | median) mtu=$(printf '%s\n' "${tu[@]}" | median)
	mcw=$(printf '%s\n' "${cw[@]}" | median) mcu=$(printf '%s\n' "${cu[@]}" | median)
	printf '| %-34s | %9s | %9s | %9s | %9s | %9s | %6s | %6s |\n' "$1" "$(($(stat -c %s "$3") / 1000000)) MB" "$mtw ms" "$mcw ms" "$mtu ms" "$mcu ms" "$(ratio "$mtw" "$mcw")" "$(ratio "$mtu" "$mcu")"
}

echo "# Survey data benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(go version | cut -d' ' -f3); touchstone $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
printf '| %-34s | %9s | %9s | %9s | %9s | %9s | %6s | %6s |\n' "$ROWS rows" file "build" "csv read" "build CPU" "csv CPU" "wall ratio" "CPU ratio"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------------------------------ ----------: ----------: ----------: ----------: ----------: -------: -------:
de=$WORK/export-$ROWS
[ -f "$de/site.toml" ] || "$WORK/bin/gensite" -o "$de" -pages 0 -rows 0 -export "$ROWS" -force
compare "Qualtrics-shaped export" "$de" "$de/data/surveys/pulse.csv"
dr=$WORK/rows-$ROWS
[ -f "$dr/site.toml" ] || "$WORK/bin/gensite" -o "$dr" -pages 0 -rows "$ROWS" -force
compare "responses file" "$dr" "$dr/data/responses/survey.csv"
echo
echo "peak memory, build, $ROWS-row export: $(peak "$TS" build -s "$de" -o "$WORK/out-survey") MB"
if [ "$BIGROWS" -gt 0 ]; then
	db=$WORK/export-$BIGROWS
	[ -f "$db/site.toml" ] || "$WORK/bin/gensite" -o "$db" -pages 0 -rows 0 -export "$BIGROWS" -force
	echo "peak memory, build, $BIGROWS-row export: $(peak "$TS" build -s "$db" -o "$WORK/out-survey") MB"
fi
