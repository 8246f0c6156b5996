#!/usr/bin/env bash
# Database sources (issue 15): with ROWS answer rows in a PostgreSQL
# table, the time `touchstone pull` takes (it sends the one grouped query
# a build sends, and writes the pull file) against the time
# `psql \copy` needs merely to pull the raw rows out; and touchstone's
# peak memory. Starts a throw-away server in a temp dir (as the postgres
# user when root), removed at the end.
#
#   ROWS=5000000 RUNS=5 bench/postgres.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-5000000}
RUNS=${RUNS:-5}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed: apt-get install postgresql postgresql-contrib" >&2; exit 1; }
work=$(mktemp -d /tmp/pgbench-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$work"
  as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pgpid=
cleanup() {
  if [ -n "$pgpid" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
    wait "$pgpid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"${as[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
"${as[@]}" "$bin/postgres" -D "$work/data" -p "$port" -k "$work" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB >"$work/log" 2>&1 &
pgpid=$!
for _ in $(seq 100); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)

echo "== loading $ROWS rows"
# Deterministic pseudo-random answers: four waves, two journeys of three
# touchpoints, four attributes (about 10 % missing), recommend, a weight,
# a region, and a comment on one row in twenty.
"${psql[@]}" <<SQL
CREATE SCHEMA cx;
CREATE TABLE cx.responses (respondent text, wave text, journey text, touchpoint text, region text,
  wgt double precision, "be-there" smallint, clarity smallint, warmth smallint, speed smallint,
  recommend smallint, comment text);
INSERT INTO cx.responses
SELECT 'R' || i,
  (ARRAY['2025-H1','2025-H2','2026-H1','2026-H2'])[1 + (i * 7) % 4],
  CASE WHEN i % 3 = 0 THEN 'storm' ELSE 'onboarding' END,
  CASE WHEN i % 3 = 0 THEN (ARRAY['outage','call','repair'])[1 + (i / 3) % 3]
       ELSE (ARRAY['ad','welcome-pack','call-centre'])[1 + (i / 3) % 3] END,
  (ARRAY['North','South','East','West'])[1 + (i * 13) % 4],
  0.5 + ((i * 31) % 16) / 10.0,
  CASE WHEN (i * 17) % 10 = 0 THEN NULL ELSE 1 + (i * 7 + i / 11) % 5 END,
  CASE WHEN (i * 19) % 10 = 0 THEN NULL ELSE 1 + (i * 3 + i / 7) % 5 END,
  CASE WHEN (i * 23) % 10 = 0 THEN NULL ELSE 1 + (i * 5 + i / 13) % 5 END,
  CASE WHEN (i * 29) % 10 = 0 THEN NULL ELSE 1 + (i + i / 17) % 5 END,
  CASE WHEN (i * 37) % 8 = 0 THEN NULL ELSE (i * 11 + i / 5) % 11 END,
  CASE WHEN i % 20 = 0 THEN 'comment number ' || i || ', about the service' END
FROM generate_series(1, $ROWS) AS i;
VACUUM ANALYZE cx.responses;
SQL
"${psql[@]}" -c "SELECT pg_size_pretty(pg_total_relation_size('cx.responses')) AS table_size"

site="$work/site"
mkdir -p "$site/data/brands" "$site/data/journeys" "$site/data/sources"
cat >"$site/site.toml" <<'EOF'
title = "Bench"
brand = "acme"
waves = ["2025-H1", "2025-H2", "2026-H1", "2026-H2"]
[scale]
min = 1
max = 5
EOF
cat >"$site/data/brands/acme.toml" <<'EOF'
name = "Acme"
[[attributes]]
id = "be-there"
name = "Be There"
[[attributes]]
id = "clarity"
name = "Clarity"
[[attributes]]
id = "warmth"
name = "Warmth"
[[attributes]]
id = "speed"
name = "Speed"
EOF
tps() { # journey touchpoint...
  local j=$1; shift
  { echo "title = \"$j\""; echo "brand = \"acme\""; echo 'stages = ["All"]'
    for t in "$@"; do
      printf '[[touchpoints]]\nid = "%s"\nname = "%s"\nstage = "All"\nimportance = 3\npromise = { be-there = 4, clarity = 4, warmth = 4, speed = 4 }\n' "$t" "$t"
    done; } >"$site/data/journeys/$j.toml"
}
tps onboarding ad welcome-pack call-centre
tps storm outage call repair
cat >"$site/data/sources/cx.toml" <<'EOF'
kind     = "postgres"
dsn      = "$TOUCHSTONE_PG"
table    = "cx.responses"
shape    = "responses"
weight   = "wgt"
segments = { region = "region" }
EOF
export TOUCHSTONE_PG="host=127.0.0.1 port=$port user=postgres dbname=postgres sslmode=disable"

go build -o "$work/touchstone" ./cmd/touchstone

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
: >"$work/t-psql"; : >"$work/t-ts"; : >"$work/rss"
echo "== $RUNS runs, alternating"
for r in $(seq "$RUNS"); do
  t0=$(now)
  "${psql[@]}" -c "\\copy (SELECT * FROM cx.responses) TO '/dev/null' CSV"
  t1=$(now)
  /usr/bin/time -f '%M' -o "$work/rss1" "$work/touchstone" pull -s "$site" >"$work/pull.out"
  t2=$(now)
  echo "$t1 - $t0" | bc >>"$work/t-psql"
  echo "$t2 - $t1" | bc >>"$work/t-ts"
  cat "$work/rss1" >>"$work/rss"
  printf 'run %d: psql \\copy %.2f s, touchstone pull %.2f s, peak RSS %d KB; %s\n' "$r" "$(tail -1 "$work/t-psql")" "$(tail -1 "$work/t-ts")" "$(cat "$work/rss1")" "$(grep -o 'queries: [^)]*' "$work/pull.out")"
done
cat "$work/pull.out"
p=$(median <"$work/t-psql"); t=$(median <"$work/t-ts"); m=$(sort -n "$work/rss" | tail -1)
printf 'median: psql \\copy %.2f s, touchstone pull %.2f s, ratio %.2f; touchstone peak RSS %.1f MB\n' "$p" "$t" "$(echo "$t / $p" | bc -l)" "$(echo "$m / 1024" | bc -l)"
wc -l <"$site/data/pulled/cx.csv" | xargs printf 'pull file: %s lines\n'
