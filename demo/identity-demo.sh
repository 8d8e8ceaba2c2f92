#!/usr/bin/env bash
# podcrawl's "same show across sites" demo: stores the pages of tests/data/identity (invented
# shows as Goodpods, Apple Podcasts, Spotify, Podcast Index and a show's own site would show them)
# under their sites' URLs, without a network: it puts each page in the page archive, as a crawl
# would have, and runs `podcrawl reparse`, which parses and stores the archived pages. The
# README's show_identity queries show this database.
# Usage: demo/identity-demo.sh [PATH/TO/podcrawl]   (default: build/cli/podcrawl)
# Environment: DEMO_DB (identity.db).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/podcrawl}
db=${DEMO_DB:-identity.db}
rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
"$bin" reparse --db "$db" --quiet  # creates the database at the current schema
python3 - "$db" <<'PY'
import hashlib, sqlite3, sys, zlib
pages = [
    ("goodpods-harbour-lights.html", "https://goodpods.com/podcasts/harbour-lights-81234"),
    ("apple-harbour-lights.html",
     "https://podcasts.apple.com/us/podcast/harbour-lights/id1587654321"),
    ("goodpods-night-ferry.html", "https://goodpods.com/podcasts/night-ferry-90211"),
    ("apple-night-ferry.html", "https://podcasts.apple.com/us/podcast/night-ferry/id1622876113"),
    ("spotify-night-ferry.html", "https://open.spotify.com/show/5Cq0AbpyWcmRZKEBlRzqVB"),
    ("site-tidewater-tales.html", "https://tidewatertales.example.org/"),
    ("podcastindex-tidewater-tales.html", "https://podcastindex.org/podcast/6120981"),
]
db = sqlite3.connect(sys.argv[1])
for i, (name, url) in enumerate(pages):
    body = open("tests/data/identity/" + name, "rb").read()
    # An archived version: zlib streams (RFC 1950) are read as the zstd frames podcrawl writes.
    db.execute("INSERT INTO page_archive (url, fetched_at_ms, body_hash, content_type, raw_bytes,"
               " body_z) VALUES (?, ?, ?, 'text/html; charset=utf-8', ?, ?)",
               (url, 1795878000000 + i * 60000, hashlib.sha256(body).hexdigest(), len(body),
                zlib.compress(body)))
db.commit()
PY
"$bin" reparse --db "$db" --quiet
echo "stored the pages of tests/data/identity in $db" >&2
