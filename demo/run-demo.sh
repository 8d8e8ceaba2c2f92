#!/usr/bin/env bash
# podcrawl's demo: serves the bundled site demo/site on 127.0.0.1 for the length of the demo,
# crawls it from its front page into demo.db with `podcrawl crawl`, fetches one page a second time
# with `podcrawl fetch --db` to show that records are deduplicated, then shows the rows with SQL.
# Usage: demo/run-demo.sh [PATH/TO/podcrawl]   (default: build/cli/podcrawl); DEMO_DB=demo.db
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/podcrawl}
db=${DEMO_DB:-demo.db}
rm -f "$db" "$db-wal" "$db-shm"

portfile=$(mktemp)
python3 demo/serve.py demo/site >"$portfile" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$portfile"' EXIT
for _ in $(seq 50); do [ -s "$portfile" ] && break; sleep 0.1; done
port=$(head -1 "$portfile")
base="http://127.0.0.1:$port"
echo "demo site served at $base" >&2

echo "crawling $base/ into $db" >&2
"$bin" crawl "$base/" --db "$db" --delay 20ms --per-host 2
# Fetching a page again updates its rows; it adds none.
"$bin" fetch --db "$db" --quiet --compact "$base/podcasts/harbour-lights/pilots.html" >/dev/null

echo
echo "One record, as 'podcrawl fetch' prints it:"
"$bin" fetch --quiet --pretty "$base/podcasts/harbour-lights/pilots.html"

echo
echo "Shows in $db:"
sqlite3 -header -column "$db" \
  "SELECT name, rating_value AS rating, rating_count AS ratings FROM shows ORDER BY name;"
echo
echo "Episodes:"
sqlite3 -header -column "$db" \
  "SELECT s.name AS show, e.title, e.duration_s FROM episodes e JOIN shows s ON s.id = e.show_id
   ORDER BY e.published;"
echo
echo "Related shows, with the listener counts each page shows:"
sqlite3 -header -column "$db" \
  "SELECT s.name AS show, r.name AS related, rs.listeners
   FROM related_shows rs JOIN shows s ON s.id = rs.show_id JOIN shows r ON r.id = rs.related_show_id
   ORDER BY s.name, rs.position;"
