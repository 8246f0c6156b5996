#!/usr/bin/env bash
# bench/scale.sh — does `touchstone build` grow linearly with touchpoints?
# (issue 17: 100,000 touchpoints took 227 s and 5 GB, 10,000 took 5.5 s:
# a scan per lookup made the build quadratic.)
#
# For each N in TOUCHPOINTS it writes a synthetic site with
# `go run ./internal/bench/gensite -touchpoints N -per-journey PER` (N
# touchpoints in journeys of PER, one owner per 100 touchpoints, a
# measured score on two attributes in two waves for each: 4N measures
# rows; 10 narrative pages), then builds it RUNS times into tmpfs and
# prints the median wall time, the median CPU time (user + system) and
# the largest peak memory, with the CPU time per touchpoint: flat when
# the build is linear. Usage, from the repository root:
#
#   bench/scale.sh                                   # 10k 30k 100k, 3 runs
#   TOUCHPOINTS="10000 30000" PER=1000 RUNS=1 bench/scale.sh
#
# Environment: TOUCHPOINTS, PER (default 1000), RUNS (3), WORK (default
# /dev/shm/touchstone-scale).
set -euo pipefail

TOUCHPOINTS=${TOUCHPOINTS:-"10000 30000 100000"}
PER=${PER:-1000}
RUNS=${RUNS:-3}
WORK=${WORK:-/dev/shm/touchstone-scale}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p "$WORK"
cd "$ROOT"
go build -o "$WORK/touchstone" ./cmd/touchstone
go build -o "$WORK/gensite" ./internal/bench/gensite

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-12s %-10s %-10s %-12s %-14s %s\n' touchpoints wall-s cpu-s peak-MiB cpu-µs/tp pages
for n in $TOUCHPOINTS; do
  site="$WORK/site-$n-$PER"
  [ -d "$site" ] || "$WORK/gensite" -o "$site" -pages 10 -rows 0 -touchpoints "$n" -per-journey "$PER" >/dev/null
  walls=() cpus=() peak=0 pages=""
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$WORK/touchstone" build -s "$site" -o "$WORK/out" >"$WORK/log" 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
    read -r wall user sys rss <"$WORK/time"
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc)")
    [ "$rss" -gt "$peak" ] && peak=$rss
    pages=$(sed -n 's/^built \([0-9]*\) pages.*/\1/p' "$WORK/log")
  done
  wall=$(printf '%s\n' "${walls[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  printf '%-12s %-10s %-10s %-12s %-14s %s\n' "$n" "$wall" "$cpu" "$((peak / 1024))" "$(echo "scale=1; $cpu * 1000000 / $n" | bc)" "$pages"
done
rm -rf "$WORK/out"
