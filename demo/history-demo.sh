#!/usr/bin/env bash
# podcrawl's history demo: serves a copy of the demo site on 127.0.0.1, crawls it with a schedule
# (`podcrawl schedule run`), then changes the pages (demo/change-site.py: new ratings, listener
# counts, a related list reordered, a show dropped and back) and runs a round after each change,
# so the database holds the history the README's example queries show; at the end it writes
# `podcrawl report`.
# Usage: demo/history-demo.sh [PATH/TO/podcrawl]   (default: build/cli/podcrawl)
# Environment: DEMO_DB (demo.db), DEMO_PORT (a free port; the README's outputs used 18765),
# ROUNDS (changes after the first crawl, 0 to 3; default 3), REPORT (report.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/podcrawl}
db=${DEMO_DB:-demo.db}
rounds=${ROUNDS:-3}
report=${REPORT:-report.html}
rm -f "$db" "$db-wal" "$db-shm" "$db.lock"

work=$(mktemp -d)
site="$work/site"
python3 demo/change-site.py demo/site "$site" 0
python3 demo/serve.py "$site" "${DEMO_PORT:-0}" >"$work/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(head -1 "$work/port")"
echo "demo site served at $base" >&2

# Every page is due again a second after its fetch, so each round recrawls the site (with
# conditional GETs: an unchanged page answers 304).
cat >"$work/podcrawl.json" <<JSON
{
  "db": "$db",
  "crawl": {"delay_ms": "20ms", "per_host": 2},
  "recrawl": {"show": "1s", "episode": "1s", "other": "1s", "min": "1s",
              "changed_factor": 1, "unchanged_factor": 1},
  "schedules": [{"name": "demo", "seeds": ["$base/"], "every": "1h"}]
}
JSON
echo "round 0: crawling $base/ into $db" >&2
"$bin" schedule run demo --config "$work/podcrawl.json" --quiet
for round in $(seq 1 "$rounds"); do
  sleep 1.2
  python3 demo/change-site.py demo/site "$site" "$round"
  echo "round $round: pages changed (demo/change-site.py), crawling again" >&2
  "$bin" schedule run demo --config "$work/podcrawl.json" --quiet
done
"$bin" schedule history demo --config "$work/podcrawl.json"
"$bin" report --db "$db" --output "$report" --quiet
echo "report written to $report" >&2
