// clang-format off
// ============================================================================
// Schema (PRAGMA user_version = 9; step 1 made the tables up to fetches, step 2
// added the frontier, step 3 the page hashes, the page archive and the views,
// step 4 the frontier partitions (schedule, kind, interval_ms) and
// schedule_runs, step 5 the frontier's referrer, step 6 the provenance
// columns of pages, the page of a listener snapshot, related_events and their
// views, step 7 the frontier's sitemap columns, step 8 the identity columns
// of shows, the history and identity views and the ISO 8601 time columns of
// every view, step 9 the identifiers that a show's pages name: podcast_guid,
// linked_apple_id, linked_spotify_id)
//
// Times are Unix milliseconds (UTC), as passed by the caller. URLs are stored
// normalised (StorageKey in store.h: scheme and host lowercased, default port
// and fragment dropped). Missing values are NULL, never 0 or ''.
//
// shows: one row per show (podcast), keyed by its canonical URL. A show gets a
// row when one of its pages is stored and when another show lists it.
//   id             INTEGER PRIMARY KEY
//   url            TEXT NOT NULL UNIQUE  canonical show URL, or
//                  "podcrawl-show://HOST/NAME" for a show known only by name
//                  (SyntheticShowKey in store.h)
//   name           TEXT     the show's name
//   description    TEXT     full description, from the show's own page
//   feed_url       TEXT     RSS feed
//   language       TEXT     from the show's own page
//   rating_value   REAL     latest known average stars
//   rating_count   INTEGER  latest known number of ratings
//   listeners      INTEGER  latest listener count (shown beside the show in
//                           another show's related list)
//   first_seen_ms  INTEGER NOT NULL  first time stored or listed
//   last_seen_ms   INTEGER NOT NULL  last time stored or listed
//   last_page_ms   INTEGER  last time one of its own pages (show page or
//                           episode page) was stored; NULL if only listed
//   Step 8, VIRTUAL generated columns (computed from url and feed_url when
//   read; nothing writes them):
//   host           TEXT     the host of url, lowercased, without its port
//                           ("goodpods.com"; the HOST of a podcrawl-show://
//                           key), as frontier.host
//   feed_key       TEXT     feed_url normalised for comparison: no scheme,
//                           host lowercased without "www.", no trailing "/"
//                           ("feeds.example.com/harbour.xml"); NULL when
//                           feed_url is not an absolute URL
//   apple_id       TEXT     Apple Podcasts' numeric id, the digits of a last
//                           path segment "id123" on an apple.com host
//   spotify_id     TEXT     Spotify's show id, the segment after "/show/" on
//                           a spotify.com host
//   Step 9, written from the records of the show's pages (an episode page's
//   too; a later page without one keeps the value, as feed_url):
//   podcast_guid   TEXT     the show's podcast:guid, a lowercase UUID
//                           (record podcast_guid)
//   linked_apple_id TEXT    the Apple Podcasts id that the show's pages name
//                           (JSON-LD sameAs, or their one "Listen on Apple
//                           Podcasts" link; record apple_id), compared with
//                           other rows' apple_id
//   linked_spotify_id TEXT  the same for Spotify (record spotify_id)
//
// episodes: one row per episode, keyed by its canonical URL.
//   id             INTEGER PRIMARY KEY
//   url            TEXT NOT NULL UNIQUE  canonical episode URL
//   show_id        INTEGER  REFERENCES shows(id) ON DELETE SET NULL; NULL
//                           when the page names no show
//   title          TEXT
//   description    TEXT     the episode's full description
//   audio_url      TEXT
//   published      TEXT     ISO 8601, as the record has it
//   duration_s     INTEGER
//   language       TEXT
//   first_seen_ms  INTEGER NOT NULL
//   last_seen_ms   INTEGER NOT NULL
//
// related_shows: a show's "you may also like" list as last seen, one row per
// listed show. PRIMARY KEY (show_id, related_show_id).
//   show_id          INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//   related_show_id  INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//                                      (the listed show's own shows row)
//   position         INTEGER NOT NULL  1-based, in page order
//   listeners        INTEGER           latest listener count shown beside it
//   observed_ms      INTEGER NOT NULL  last time the list held it
//
// rating_snapshots: rating history, a row only when the show's rating changed.
// PRIMARY KEY (show_id, observed_ms).
//   show_id        INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//   observed_ms    INTEGER NOT NULL
//   value          REAL              average stars
//   count          INTEGER           number of ratings
//
// listener_snapshots: listener history, a row only when the count changed,
// by the rule "Listener counts" at the top of store.cc (a rounded display of
// the known count is no change; one snapshot per round when pages disagree).
// PRIMARY KEY (show_id, observed_ms).
//   show_id        INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//   observed_ms    INTEGER NOT NULL
//   listeners      INTEGER NOT NULL
//   page_url       TEXT              the page whose related list showed it
//                                    (as pages.url); NULL before step 6
//
// related_events: the history of related lists, a row per edge added, moved
// or removed when a show's list is stored (step 6 gave each edge already
// stored an 'added' row at its observed_ms).
//   id              INTEGER PRIMARY KEY
//   show_id         INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//   related_show_id INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//   observed_ms     INTEGER NOT NULL
//   change          TEXT NOT NULL     'added', 'moved' or 'removed'
//   position        INTEGER           in the new list; NULL when removed
//   old_position    INTEGER           in the old list; NULL when added
//
// fetches: every fetch, successful or not.
//   id             INTEGER PRIMARY KEY
//   url            TEXT NOT NULL     as asked for
//   final_url      TEXT              after redirects
//   fetched_at_ms  INTEGER NOT NULL
//   status         INTEGER NOT NULL  HTTP status; 0 when no response arrived
//   bytes          INTEGER NOT NULL  bytes received
//   duration_ms    INTEGER NOT NULL
//   content_type   TEXT
//   etag           TEXT
//   last_modified  TEXT
//   error_code     TEXT              core::ErrorCodeName ("network",
//                                    "http_status", ...), NULL on success
//   error_message  TEXT
//
// frontier: the crawl frontiers (storage/frontier_store.h implements
// core::FrontierStore on it), one row per URL ever queued in a partition. A URL
// moves queued -> in_flight (claimed for a fetch) -> done | failed, or back to
// queued with a later next_fetch_ms (retry, recrawl). Rows are never deleted.
// UNIQUE (schedule, url).
//   id             INTEGER PRIMARY KEY
//   schedule       TEXT NOT NULL     the partition: the name of the schedule
//                                    whose frontier holds the row, '' for
//                                    one-off `crawl` runs. Partitions are
//                                    independent: the same URL in two
//                                    schedules is two rows, each with its own
//                                    state, validators and interval.
//   url            TEXT NOT NULL     normalised URL (StorageKey)
//   host           TEXT NOT NULL     core::UrlHost(url): lowercased, no port
//   state          TEXT NOT NULL     'queued', 'in_flight', 'done' or 'failed'
//   depth          INTEGER NOT NULL  links followed from a seed; 0 for seeds
//   attempts       INTEGER NOT NULL  failed attempts counted toward the retry
//                                    limit; 0 again after a success or requeue
//   next_fetch_ms  INTEGER NOT NULL  queued or in flight: when the URL is (was)
//                                    due. Done or failed in a partition with a
//                                    recrawl policy: when it is due again
//                                    (ScheduleStore::RequeueDuePages queues it
//                                    then); INT64_MAX (kNeverDueMs) for a
//                                    schedule's seeds, which come back when
//                                    their schedule is due. Done or failed
//                                    without a policy: the time it was last
//                                    due, meaning nothing more.
//   added_ms       INTEGER NOT NULL  first queued
//   last_fetch_ms  INTEGER           last claimed for a fetch, or when that
//                                    fetch ended (done or failed)
//   etag           TEXT              validators of the last successful fetch,
//   last_modified  TEXT              sent back in a conditional GET
//   last_error     TEXT              why the last counted attempt failed (or
//                                    why the URL failed for good); NULL once
//                                    done
//   kind           TEXT              'show', 'episode' or 'unknown'
//                                    (core::PageKindName): the kind of page
//                                    its last parse found; NULL until parsed
//                                    (a 304 keeps the stored kind)
//   sitemap        INTEGER           1 for a sitemap (step 7), read as one
//                                    and not stored as a page; else 0
//   lastmod_ms     INTEGER           the latest <lastmod> a sitemap gave the
//                                    page (step 7); NULL when none did
//   interval_ms    INTEGER           the current recrawl interval: what the
//                                    last successful fetch set next_fetch_ms
//                                    to (core::NextRecrawlIntervalMs adapts it
//                                    at each fetch: shorter after a change,
//                                    longer after an unchanged one); NULL
//                                    without a recrawl policy or before the
//                                    first fetch
//   referrer       TEXT              the page whose links queued the URL first
//                                    (normalised), for tracing a failed URL
//                                    back (`podcrawl stats --failures`); NULL
//                                    for seeds and for rows queued before
//                                    step 5
//
// frontier_counts: the number of frontier rows of each partition in each
// state, kept by triggers on frontier (insert, delete, update of schedule or
// state; a (schedule, state) row is made by the first row that needs it), so
// counting a large frontier reads four rows instead of an index. The
// partition '' always has its four rows. PRIMARY KEY (schedule, state),
// WITHOUT ROWID.
//   schedule       TEXT NOT NULL     as in frontier
//   state          TEXT NOT NULL     'queued', 'in_flight', 'done', 'failed'
//   n              INTEGER NOT NULL
//
// schedule_runs: one row per round of a schedule (storage/schedule_store.h).
// A round starts 'running'; its process sets the outcome when it ends. A
// 'running' row whose process died becomes 'interrupted' when the schedule's
// next round starts (ended_ms stays NULL: when it died is unknown).
//   id             INTEGER PRIMARY KEY
//   schedule       TEXT NOT NULL     the schedule's name, as in the config
//   started_ms     INTEGER NOT NULL  the round's start; the schedule's next due
//                                    time counts from the latest one
//   ended_ms       INTEGER           NULL while running or when interrupted
//   outcome        TEXT NOT NULL     'running', 'ok', 'stopped' (by a signal),
//                                    'failed' (see message) or 'interrupted'
//   seeds_due      INTEGER NOT NULL  1 when the schedule itself was due (its
//                                    seeds were queued), 0 for a round of
//                                    only recrawls that came due
//   pages          INTEGER NOT NULL  pages stored by the round
//   changed        INTEGER NOT NULL  of those, pages whose content changed
//   not_modified   INTEGER NOT NULL  304 answers
//   failed         INTEGER NOT NULL  URLs failed for good
//   message        TEXT              the error that ended a 'failed' round
//
// pages: one row per page URL that had a version stored (SavePage), the
// URL the parser read (after redirects), normalised. PRIMARY KEY (url),
// WITHOUT ROWID.
//   url             TEXT              StorageKey(page URL)
//   body_hash       TEXT NOT NULL     ContentHash (storage/archive.h) of the
//                                     bytes of the last version
//   record_hash     TEXT NOT NULL     ContentHash of the record's JSON
//                                     (core::ToJson): equal means the page
//                                     says nothing new, and SavePage writes
//                                     nothing
//   first_stored_ms INTEGER NOT NULL
//   last_changed_ms INTEGER NOT NULL  last time either hash changed
//   The provenance of the last record stored (step 6; NULL on older rows
//   until their page is fetched again):
//   kind            TEXT              'show', 'episode' or 'unknown'
//   show_url        TEXT              shows.url of the show it updated
//   episode_url     TEXT              episodes.url of the episode it updated
//   sources         TEXT              the record's sources, a JSON object
//   errors          TEXT              the record's errors, a JSON array
//
// page_archive: the bytes of each page version (a row when body_hash
// changed, when StoreOptions::archive is on), for `podcrawl reparse`. The
// newest StoreOptions::keep_versions of a page stay (retention: store.cc).
//   id             INTEGER PRIMARY KEY
//   url            TEXT NOT NULL     as in pages
//   fetched_at_ms  INTEGER NOT NULL
//   body_hash      TEXT NOT NULL
//   content_type   TEXT              HTTP Content-Type (its charset matters)
//   raw_bytes      INTEGER NOT NULL  size before compression
//   body_z         BLOB NOT NULL     the bytes as a zstd frame (RFC 8878, with
//                                    its checksum); rows written before v0.2
//                                    hold a zlib stream (RFC 1950)
//
// Views (step 3), the usual questions over the tables above:
// episode_latest       each episode with its show's name, URL, rating and
//                      feed: url, show_name, show_url, episode_title,
//                      description, published, duration_s, audio_url,
//                      language, rating_value, rating_count, feed_url,
//                      first_seen_ms, last_seen_ms
// show_rating_history  each rating snapshot with its show: show_url,
//                      show_name, observed_ms, rating_value, rating_count,
//                      count_change (against the previous snapshot, NULL for
//                      the first)
// related_graph        each related-show edge: show_url, show_name,
//                      position, related_url, related_name, listeners
//                      (the edge's latest count, else the show's),
//                      observed_ms
// show_summary         each show: url, show_name, description, feed_url,
//                      language, episodes, rating_value, rating_count,
//                      listeners, related (edges out), first_seen_ms,
//                      last_seen_ms, last_crawled_ms (= last_page_ms)
// related_history      (step 6) each related_events row with its shows:
//                      show_url, show_name, observed_ms, change,
//                      related_url, related_name, position, old_position
// page_sources         (step 6) one row per field of a page's sources: url,
//                      kind, show_url, episode_url, field, source,
//                      last_changed_ms
// page_errors          (step 6) one row per error of a page's record: url,
//                      kind, show_url, episode_url, error, last_changed_ms
//
// Step 8 recreated the views above with an ISO 8601 UTC text column beside
// each millisecond one, appended after the old columns (observed_ms ->
// observed, first_seen_ms -> first_seen, last_crawled_ms -> last_crawled,
// ...: "2026-12-03T09:33:54Z"); show_rating_history also got value_change
// (rounded to 3 decimals, as rating_change's) and host, show_summary host,
// feed_key, apple_id and spotify_id. New in step 8:
// change_periods       the windows of the *_change views: period ('day',
//                      'week', 'month': the last 1, 7, 30 days), start_ms,
//                      start
// listener_history     each listener snapshot with its show: show_url,
//                      show_name, host, observed_ms, listeners, change
//                      (against the previous snapshot, NULL for the first),
//                      page_url, observed
// listener_change      each show with listener snapshots, once per period
//                      ('day', 'week', 'month': the last 1, 7, 30 days):
//                      period, show_url, show_name, host, listeners_before
//                      (the latest snapshot at or before the period's start,
//                      else the first one inside it), before_ms, listeners
//                      (the latest), observed_ms, change, before, observed
// rating_change        the same for ratings: period, show_url, show_name,
//                      host, rating_value_before, rating_count_before,
//                      before_ms, rating_value, rating_count, observed_ms,
//                      value_change, count_change, before, observed
// related_edge_history each stint of a related edge (from its 'added' event
//                      to its 'removed' one, or now): show_url, show_name,
//                      related_url, related_name, appeared_ms,
//                      first_position, moves, last_moved_ms, last_position,
//                      disappeared_ms (NULL while listed), listed (1 or 0),
//                      appeared, last_moved, disappeared
// show_identity        each show with the group of shows that share a
//                      feed_key, an Apple id, a Spotify id or a podcast_guid
//                      with it, directly or through others (step 9: an Apple
//                      id is a row's apple_id or linked_apple_id, a Spotify id
//                      likewise): identity_id (the smallest shows.id of the
//                      group), identity_shows (its size), show_id, show_url,
//                      show_name, host, feed_url, feed_key, apple_id,
//                      spotify_id, rating_value, rating_count, listeners,
//                      last_seen_ms, last_seen, and (step 9) podcast_guid,
//                      linked_apple_id, linked_spotify_id
// Step 9 also appended podcast_guid, linked_apple_id and linked_spotify_id to
// show_summary.
//
// Indexes: page_archive(url, fetched_at_ms) (also for retention),
// episodes(show_id), related_shows(related_show_id),
// related_events(show_id, observed_ms), related_events(related_show_id,
// observed_ms),
// fetches(url, fetched_at_ms), fetches(fetched_at_ms),
// frontier(schedule, url) (the UNIQUE constraint) for lookups by URL,
// frontier(schedule, state, next_fetch_ms, depth, id, host) for claiming the
// due URLs of a partition in claim order, NextDueMs, the recrawls that came
// due and the next due time, frontier(schedule, state, host, next_fetch_ms,
// depth, id) for claiming host by host when most due URLs belong to skipped
// hosts (both cover those queries: the table is read only for the rows
// claimed), schedule_runs(schedule, started_ms) for the last rounds of a
// schedule, and schedule_runs(schedule) WHERE outcome = 'running' for the
// rounds a new round marks interrupted.
//
// ============================================================================
// clang-format on
#include "storage/schema.h"

#include <array>
#include <iterator>
#include <string>

#include "storage/sqlite.h"

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

// Schema migrations, applied in order, each in its own transaction that also
// sets PRAGMA user_version to the step's version. Steps are append-only: a
// released step never changes (step 2 added the frontier, step 3 the page
// hashes, the page archive and the views, step 4 the frontier partitions, the
// recrawl columns and schedule_runs, step 5 frontier.referrer, step 6
// provenance, listener pages and related_events, step 7 sitemaps, step 8 the
// analysis views, step 9 the identifiers pages name).
struct Migration {
  int64_t version;
  const char* sql;
};

constexpr auto kMigrations = std::to_array<Migration>({
    {1, R"sql(
CREATE TABLE shows (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL UNIQUE,
  name          TEXT,
  description   TEXT,
  feed_url      TEXT,
  language      TEXT,
  rating_value  REAL,
  rating_count  INTEGER,
  listeners     INTEGER,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  last_page_ms  INTEGER
);
CREATE TABLE episodes (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL UNIQUE,
  show_id       INTEGER REFERENCES shows(id) ON DELETE SET NULL,
  title         TEXT,
  description   TEXT,
  audio_url     TEXT,
  published     TEXT,
  duration_s    INTEGER,
  language      TEXT,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL
);
CREATE INDEX episodes_by_show ON episodes(show_id);
CREATE TABLE related_shows (
  show_id         INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  related_show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  listeners       INTEGER,
  observed_ms     INTEGER NOT NULL,
  PRIMARY KEY (show_id, related_show_id)
);
CREATE INDEX related_shows_by_related ON related_shows(related_show_id);
CREATE TABLE rating_snapshots (
  show_id     INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  observed_ms INTEGER NOT NULL,
  value       REAL,
  count       INTEGER,
  PRIMARY KEY (show_id, observed_ms)
);
CREATE TABLE listener_snapshots (
  show_id     INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  observed_ms INTEGER NOT NULL,
  listeners   INTEGER NOT NULL,
  PRIMARY KEY (show_id, observed_ms)
);
CREATE TABLE fetches (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL,
  final_url     TEXT,
  fetched_at_ms INTEGER NOT NULL,
  status        INTEGER NOT NULL,
  bytes         INTEGER NOT NULL,
  duration_ms   INTEGER NOT NULL,
  content_type  TEXT,
  etag          TEXT,
  last_modified TEXT,
  error_code    TEXT,
  error_message TEXT
);
CREATE INDEX fetches_by_url ON fetches(url, fetched_at_ms);
CREATE INDEX fetches_by_time ON fetches(fetched_at_ms);
)sql"},
    {2, R"sql(
CREATE TABLE frontier (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL UNIQUE,
  host          TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'in_flight', 'done', 'failed')),
  depth         INTEGER NOT NULL DEFAULT 0,
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_fetch_ms INTEGER NOT NULL,
  added_ms      INTEGER NOT NULL,
  last_fetch_ms INTEGER,
  etag          TEXT,
  last_modified TEXT,
  last_error    TEXT
);
CREATE INDEX frontier_by_due ON frontier(state, next_fetch_ms, depth, id, host);
CREATE INDEX frontier_by_host ON frontier(state, host, next_fetch_ms, depth, id);
CREATE TABLE frontier_counts (
  state TEXT PRIMARY KEY,
  n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO frontier_counts (state, n)
  VALUES ('queued', 0), ('in_flight', 0), ('done', 0), ('failed', 0);
CREATE TRIGGER frontier_counts_insert AFTER INSERT ON frontier BEGIN
  UPDATE frontier_counts SET n = n + 1 WHERE state = NEW.state;
END;
CREATE TRIGGER frontier_counts_delete AFTER DELETE ON frontier BEGIN
  UPDATE frontier_counts SET n = n - 1 WHERE state = OLD.state;
END;
CREATE TRIGGER frontier_counts_update AFTER UPDATE OF state ON frontier
WHEN OLD.state <> NEW.state BEGIN
  UPDATE frontier_counts SET n = n - 1 WHERE state = OLD.state;
  UPDATE frontier_counts SET n = n + 1 WHERE state = NEW.state;
END;
)sql"},
    {3, R"sql(
CREATE TABLE pages (
  url             TEXT PRIMARY KEY,
  body_hash       TEXT NOT NULL,
  record_hash     TEXT NOT NULL,
  first_stored_ms INTEGER NOT NULL,
  last_changed_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE page_archive (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL,
  fetched_at_ms INTEGER NOT NULL,
  body_hash     TEXT NOT NULL,
  content_type  TEXT,
  raw_bytes     INTEGER NOT NULL,
  body_z        BLOB NOT NULL
);
CREATE INDEX page_archive_by_url ON page_archive(url, fetched_at_ms);
CREATE VIEW episode_latest AS
SELECT e.url AS url, s.name AS show_name, s.url AS show_url, e.title AS episode_title,
       e.description AS description, e.published AS published, e.duration_s AS duration_s,
       e.audio_url AS audio_url, e.language AS language, s.rating_value AS rating_value,
       s.rating_count AS rating_count, s.feed_url AS feed_url,
       e.first_seen_ms AS first_seen_ms, e.last_seen_ms AS last_seen_ms
FROM episodes e LEFT JOIN shows s ON s.id = e.show_id;
CREATE VIEW show_rating_history AS
SELECT s.url AS show_url, s.name AS show_name, r.observed_ms AS observed_ms,
       r.value AS rating_value, r.count AS rating_count,
       r.count - LAG(r.count) OVER (PARTITION BY r.show_id ORDER BY r.observed_ms)
         AS count_change
FROM rating_snapshots r JOIN shows s ON s.id = r.show_id;
CREATE VIEW related_graph AS
SELECT s.url AS show_url, s.name AS show_name, rs.position AS position,
       r.url AS related_url, r.name AS related_name,
       COALESCE(rs.listeners, r.listeners) AS listeners, rs.observed_ms AS observed_ms
FROM related_shows rs JOIN shows s ON s.id = rs.show_id
JOIN shows r ON r.id = rs.related_show_id;
CREATE VIEW show_summary AS
SELECT s.url AS url, s.name AS show_name, s.description AS description,
       s.feed_url AS feed_url, s.language AS language,
       (SELECT count(*) FROM episodes e WHERE e.show_id = s.id) AS episodes,
       s.rating_value AS rating_value, s.rating_count AS rating_count,
       s.listeners AS listeners,
       (SELECT count(*) FROM related_shows rs WHERE rs.show_id = s.id) AS related,
       s.first_seen_ms AS first_seen_ms, s.last_seen_ms AS last_seen_ms,
       s.last_page_ms AS last_crawled_ms
FROM shows s;
)sql"},
    // Step 4: frontier partitions and recrawl. SQLite cannot drop the
    // UNIQUE(url) constraint, so the frontier is rebuilt (ids kept, every row
    // in the one-off partition ''); frontier_counts is rebuilt keyed by
    // (schedule, state) and recomputed from the rows.
    {4, R"sql(
CREATE TABLE frontier_new (
  id            INTEGER PRIMARY KEY,
  schedule      TEXT NOT NULL DEFAULT '',
  url           TEXT NOT NULL,
  host          TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'in_flight', 'done', 'failed')),
  depth         INTEGER NOT NULL DEFAULT 0,
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_fetch_ms INTEGER NOT NULL,
  added_ms      INTEGER NOT NULL,
  last_fetch_ms INTEGER,
  etag          TEXT,
  last_modified TEXT,
  last_error    TEXT,
  kind          TEXT CHECK (kind IN ('show', 'episode', 'unknown')),
  interval_ms   INTEGER,
  UNIQUE (schedule, url)
);
INSERT INTO frontier_new (id, schedule, url, host, state, depth, attempts, next_fetch_ms,
                          added_ms, last_fetch_ms, etag, last_modified, last_error)
SELECT id, '', url, host, state, depth, attempts, next_fetch_ms,
       added_ms, last_fetch_ms, etag, last_modified, last_error
FROM frontier ORDER BY id;
DROP TRIGGER IF EXISTS frontier_counts_insert;
DROP TRIGGER IF EXISTS frontier_counts_delete;
DROP TRIGGER IF EXISTS frontier_counts_update;
DROP INDEX IF EXISTS frontier_by_due;
DROP INDEX IF EXISTS frontier_by_host;
DROP TABLE frontier;
DROP TABLE frontier_counts;
ALTER TABLE frontier_new RENAME TO frontier;
CREATE INDEX frontier_by_due
  ON frontier(schedule, state, next_fetch_ms, depth, id, host);
CREATE INDEX frontier_by_host
  ON frontier(schedule, state, host, next_fetch_ms, depth, id);
CREATE TABLE frontier_counts (
  schedule TEXT NOT NULL,
  state    TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (schedule, state)
) WITHOUT ROWID;
INSERT INTO frontier_counts (schedule, state, n)
  VALUES ('', 'queued', 0), ('', 'in_flight', 0), ('', 'done', 0), ('', 'failed', 0);
-- "WHERE true": an upsert after a SELECT needs a WHERE clause to parse.
INSERT INTO frontier_counts (schedule, state, n)
  SELECT schedule, state, count(*) FROM frontier WHERE true GROUP BY schedule, state
  ON CONFLICT (schedule, state) DO UPDATE SET n = excluded.n;
CREATE TRIGGER frontier_counts_insert AFTER INSERT ON frontier BEGIN
  INSERT INTO frontier_counts (schedule, state, n) VALUES (NEW.schedule, NEW.state, 1)
    ON CONFLICT (schedule, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER frontier_counts_delete AFTER DELETE ON frontier BEGIN
  UPDATE frontier_counts SET n = n - 1
    WHERE schedule = OLD.schedule AND state = OLD.state;
END;
CREATE TRIGGER frontier_counts_update AFTER UPDATE OF schedule, state ON frontier
WHEN OLD.state IS NOT NEW.state OR OLD.schedule IS NOT NEW.schedule BEGIN
  UPDATE frontier_counts SET n = n - 1
    WHERE schedule = OLD.schedule AND state = OLD.state;
  INSERT INTO frontier_counts (schedule, state, n) VALUES (NEW.schedule, NEW.state, 1)
    ON CONFLICT (schedule, state) DO UPDATE SET n = n + 1;
END;
CREATE TABLE schedule_runs (
  id           INTEGER PRIMARY KEY,
  schedule     TEXT NOT NULL,
  started_ms   INTEGER NOT NULL,
  ended_ms     INTEGER,
  outcome      TEXT NOT NULL
               CHECK (outcome IN ('running', 'ok', 'stopped', 'failed', 'interrupted')),
  seeds_due    INTEGER NOT NULL,
  pages        INTEGER NOT NULL DEFAULT 0,
  changed      INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0,
  message      TEXT
);
CREATE INDEX schedule_runs_by_start ON schedule_runs(schedule, started_ms);
CREATE INDEX schedule_runs_running ON schedule_runs(schedule) WHERE outcome = 'running';
)sql"},
    // Step 5: where each URL was found, for tracing failures.
    {5, R"sql(
ALTER TABLE frontier ADD COLUMN referrer TEXT;
)sql"},
    // Step 6: provenance of each page's record (kind, the rows it updated, its
    // sources and errors), the page a listener count was read from, and the
    // history of related-show edges. Edges already stored get an 'added'
    // event at the last time their list held them (when they entered is not
    // known), so replaying related_events gives the current lists.
    {6, R"sql(
ALTER TABLE pages ADD COLUMN kind TEXT;
ALTER TABLE pages ADD COLUMN show_url TEXT;
ALTER TABLE pages ADD COLUMN episode_url TEXT;
ALTER TABLE pages ADD COLUMN sources TEXT;
ALTER TABLE pages ADD COLUMN errors TEXT;
ALTER TABLE listener_snapshots ADD COLUMN page_url TEXT;
CREATE TABLE related_events (
  id              INTEGER PRIMARY KEY,
  show_id         INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  related_show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  observed_ms     INTEGER NOT NULL,
  change          TEXT NOT NULL CHECK (change IN ('added', 'moved', 'removed')),
  position        INTEGER,
  old_position    INTEGER
);
CREATE INDEX related_events_by_show ON related_events(show_id, observed_ms);
CREATE INDEX related_events_by_related ON related_events(related_show_id, observed_ms);
INSERT INTO related_events (show_id, related_show_id, observed_ms, change, position)
  SELECT show_id, related_show_id, observed_ms, 'added', position FROM related_shows
  ORDER BY show_id, position;
CREATE VIEW related_history AS
SELECT s.url AS show_url, s.name AS show_name, e.observed_ms AS observed_ms,
       e.change AS change, r.url AS related_url, r.name AS related_name,
       e.position AS position, e.old_position AS old_position
FROM related_events e JOIN shows s ON s.id = e.show_id
JOIN shows r ON r.id = e.related_show_id;
CREATE VIEW page_sources AS
SELECT p.url AS url, p.kind AS kind, p.show_url AS show_url, p.episode_url AS episode_url,
       j.key AS field, j.value AS source, p.last_changed_ms AS last_changed_ms
FROM pages p, json_each(p.sources) j WHERE p.sources IS NOT NULL;
CREATE VIEW page_errors AS
SELECT p.url AS url, p.kind AS kind, p.show_url AS show_url, p.episode_url AS episode_url,
       j.value AS error, p.last_changed_ms AS last_changed_ms
FROM pages p, json_each(p.errors) j WHERE p.errors IS NOT NULL;
)sql"},
    // Step 7: sitemaps: which URLs are sitemaps, and when a sitemap last
    // dated each page (<lastmod>).
    {7, R"sql(
ALTER TABLE frontier ADD COLUMN sitemap INTEGER NOT NULL DEFAULT 0;
ALTER TABLE frontier ADD COLUMN lastmod_ms INTEGER;
)sql"},
    // Step 8: analysis (issue 16). Where a show lives (host) and the
    // identifiers its URL and feed carry, as VIRTUAL generated columns of
    // shows (computed when read: the writers are untouched); the listener
    // and rating history views; each related edge by stint; show_identity;
    // and every view again with an ISO 8601 UTC text column beside each
    // millisecond time (appended, so the old columns keep their places).
    {8, R"sql(
-- Generated columns take no subquery or CTE, so the authority of url (between "://" and the
-- next "/") is spelt out where it is used: substr(substr(url, instr(url, '://') + 3), 1, ...).
ALTER TABLE shows ADD COLUMN host TEXT GENERATED ALWAYS AS (
  lower(CASE WHEN instr(substr(substr(url, instr(url, '://') + 3), 1,
             instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1), ':') > 0
               AND substr(substr(url, instr(url, '://') + 3), 1,
             instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1) NOT LIKE '[%'
             THEN substr(substr(substr(url, instr(url, '://') + 3), 1,
             instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1), 1,
                         instr(substr(substr(url, instr(url, '://') + 3), 1,
             instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1), ':') - 1)
             ELSE substr(substr(url, instr(url, '://') + 3), 1,
             instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1) END)) VIRTUAL;
ALTER TABLE shows ADD COLUMN feed_key TEXT GENERATED ALWAYS AS (
  CASE WHEN instr(feed_url, '://') > 0 THEN
    replace(lower(substr(substr(feed_url, instr(feed_url, '://') + 3), 1,
        instr(substr(feed_url, instr(feed_url, '://') + 3) || '/', '/') - 1)) || '/', 'www.', '')
    || ltrim(rtrim(substr(substr(feed_url, instr(feed_url, '://') + 3),
        instr(substr(feed_url, instr(feed_url, '://') + 3) || '/', '/')), '/'), '/')
  END) VIRTUAL;
ALTER TABLE shows ADD COLUMN apple_id TEXT GENERATED ALWAYS AS (
  CASE WHEN host LIKE '%apple.com'
        AND rtrim(rtrim(CASE WHEN instr(url, '?') > 0 THEN substr(url, 1, instr(url, '?') - 1)
                             ELSE url END, '/'), '0123456789') LIKE '%/id'
   THEN substr(rtrim(CASE WHEN instr(url, '?') > 0 THEN substr(url, 1, instr(url, '?') - 1)
                          ELSE url END, '/'),
               length(rtrim(rtrim(CASE WHEN instr(url, '?') > 0
                                       THEN substr(url, 1, instr(url, '?') - 1)
                                       ELSE url END, '/'), '0123456789')) + 1)
  END) VIRTUAL;
ALTER TABLE shows ADD COLUMN spotify_id TEXT GENERATED ALWAYS AS (
  CASE WHEN host LIKE '%spotify.com' AND instr(url, '/show/') > 0 THEN
    substr(replace(substr(url, instr(url, '/show/') + 6), '?', '/'), 1,
           instr(replace(substr(url, instr(url, '/show/') + 6), '?', '/') || '/', '/') - 1)
  END) VIRTUAL;
DROP VIEW episode_latest;
CREATE VIEW episode_latest AS
SELECT e.url AS url, s.name AS show_name, s.url AS show_url, e.title AS episode_title,
       e.description AS description, e.published AS published, e.duration_s AS duration_s,
       e.audio_url AS audio_url, e.language AS language, s.rating_value AS rating_value,
       s.rating_count AS rating_count, s.feed_url AS feed_url,
       e.first_seen_ms AS first_seen_ms, e.last_seen_ms AS last_seen_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen_ms / 1000, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', e.last_seen_ms / 1000, 'unixepoch') AS last_seen
FROM episodes e LEFT JOIN shows s ON s.id = e.show_id;
DROP VIEW show_rating_history;
CREATE VIEW show_rating_history AS
SELECT s.url AS show_url, s.name AS show_name, r.observed_ms AS observed_ms,
       r.value AS rating_value, r.count AS rating_count,
       r.count - LAG(r.count) OVER (PARTITION BY r.show_id ORDER BY r.observed_ms)
         AS count_change,
       strftime('%Y-%m-%dT%H:%M:%SZ', r.observed_ms / 1000, 'unixepoch') AS observed,
       round(r.value - LAG(r.value) OVER (PARTITION BY r.show_id ORDER BY r.observed_ms), 3)
         AS value_change,
       s.host AS host
FROM rating_snapshots r JOIN shows s ON s.id = r.show_id;
DROP VIEW related_graph;
CREATE VIEW related_graph AS
SELECT s.url AS show_url, s.name AS show_name, rs.position AS position,
       r.url AS related_url, r.name AS related_name,
       COALESCE(rs.listeners, r.listeners) AS listeners, rs.observed_ms AS observed_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', rs.observed_ms / 1000, 'unixepoch') AS observed
FROM related_shows rs JOIN shows s ON s.id = rs.show_id
JOIN shows r ON r.id = rs.related_show_id;
DROP VIEW show_summary;
CREATE VIEW show_summary AS
SELECT s.url AS url, s.name AS show_name, s.description AS description,
       s.feed_url AS feed_url, s.language AS language,
       (SELECT count(*) FROM episodes e WHERE e.show_id = s.id) AS episodes,
       s.rating_value AS rating_value, s.rating_count AS rating_count,
       s.listeners AS listeners,
       (SELECT count(*) FROM related_shows rs WHERE rs.show_id = s.id) AS related,
       s.first_seen_ms AS first_seen_ms, s.last_seen_ms AS last_seen_ms,
       s.last_page_ms AS last_crawled_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.first_seen_ms / 1000, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_seen_ms / 1000, 'unixepoch') AS last_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_page_ms / 1000, 'unixepoch') AS last_crawled,
       s.host AS host, s.feed_key AS feed_key, s.apple_id AS apple_id,
       s.spotify_id AS spotify_id
FROM shows s;
DROP VIEW related_history;
CREATE VIEW related_history AS
SELECT s.url AS show_url, s.name AS show_name, e.observed_ms AS observed_ms,
       e.change AS change, r.url AS related_url, r.name AS related_name,
       e.position AS position, e.old_position AS old_position,
       strftime('%Y-%m-%dT%H:%M:%SZ', e.observed_ms / 1000, 'unixepoch') AS observed
FROM related_events e JOIN shows s ON s.id = e.show_id
JOIN shows r ON r.id = e.related_show_id;
DROP VIEW page_sources;
CREATE VIEW page_sources AS
SELECT p.url AS url, p.kind AS kind, p.show_url AS show_url, p.episode_url AS episode_url,
       j.key AS field, j.value AS source, p.last_changed_ms AS last_changed_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.last_changed_ms / 1000, 'unixepoch') AS last_changed
FROM pages p, json_each(p.sources) j WHERE p.sources IS NOT NULL;
DROP VIEW page_errors;
CREATE VIEW page_errors AS
SELECT p.url AS url, p.kind AS kind, p.show_url AS show_url, p.episode_url AS episode_url,
       j.value AS error, p.last_changed_ms AS last_changed_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.last_changed_ms / 1000, 'unixepoch') AS last_changed
FROM pages p, json_each(p.errors) j WHERE p.errors IS NOT NULL;
CREATE VIEW listener_history AS
SELECT s.url AS show_url, s.name AS show_name, s.host AS host, l.observed_ms AS observed_ms,
       l.listeners AS listeners,
       l.listeners - LAG(l.listeners) OVER (PARTITION BY l.show_id ORDER BY l.observed_ms)
         AS change,
       l.page_url AS page_url,
       strftime('%Y-%m-%dT%H:%M:%SZ', l.observed_ms / 1000, 'unixepoch') AS observed
FROM listener_snapshots l JOIN shows s ON s.id = l.show_id;
CREATE VIEW change_periods AS
SELECT column1 AS period, column2 AS start_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', column2 / 1000, 'unixepoch') AS start
FROM (VALUES
  ('day', CAST(strftime('%s', 'now', '-1 day') AS INTEGER) * 1000),
  ('week', CAST(strftime('%s', 'now', '-7 days') AS INTEGER) * 1000),
  ('month', CAST(strftime('%s', 'now', '-30 days') AS INTEGER) * 1000));
CREATE VIEW listener_change AS
WITH spans AS (
  SELECT p.period AS period, l.show_id AS show_id, l.observed_ms AS observed_ms,
         coalesce((SELECT max(b.observed_ms) FROM listener_snapshots b
                   WHERE b.show_id = l.show_id AND b.observed_ms <= p.start_ms),
                  (SELECT min(b.observed_ms) FROM listener_snapshots b
                   WHERE b.show_id = l.show_id AND b.observed_ms > p.start_ms))
           AS before_ms
  FROM change_periods p, listener_snapshots l
  WHERE l.observed_ms = (SELECT max(m.observed_ms) FROM listener_snapshots m
                         WHERE m.show_id = l.show_id))
SELECT t.period AS period, s.url AS show_url, s.name AS show_name, s.host AS host,
       b.listeners AS listeners_before, t.before_ms AS before_ms,
       l.listeners AS listeners, t.observed_ms AS observed_ms,
       l.listeners - b.listeners AS change,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.before_ms / 1000, 'unixepoch') AS before,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.observed_ms / 1000, 'unixepoch') AS observed
FROM spans t JOIN shows s ON s.id = t.show_id
JOIN listener_snapshots l ON l.show_id = t.show_id AND l.observed_ms = t.observed_ms
JOIN listener_snapshots b ON b.show_id = t.show_id AND b.observed_ms = t.before_ms;
CREATE VIEW rating_change AS
WITH spans AS (
  SELECT p.period AS period, r.show_id AS show_id, r.observed_ms AS observed_ms,
         coalesce((SELECT max(b.observed_ms) FROM rating_snapshots b
                   WHERE b.show_id = r.show_id AND b.observed_ms <= p.start_ms),
                  (SELECT min(b.observed_ms) FROM rating_snapshots b
                   WHERE b.show_id = r.show_id AND b.observed_ms > p.start_ms))
           AS before_ms
  FROM change_periods p, rating_snapshots r
  WHERE r.observed_ms = (SELECT max(m.observed_ms) FROM rating_snapshots m
                         WHERE m.show_id = r.show_id))
SELECT t.period AS period, s.url AS show_url, s.name AS show_name, s.host AS host,
       b.value AS rating_value_before, b.count AS rating_count_before,
       t.before_ms AS before_ms, r.value AS rating_value, r.count AS rating_count,
       t.observed_ms AS observed_ms,
       round(r.value - b.value, 3) AS value_change, r.count - b.count AS count_change,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.before_ms / 1000, 'unixepoch') AS before,
       strftime('%Y-%m-%dT%H:%M:%SZ', t.observed_ms / 1000, 'unixepoch') AS observed
FROM spans t JOIN shows s ON s.id = t.show_id
JOIN rating_snapshots r ON r.show_id = t.show_id AND r.observed_ms = t.observed_ms
JOIN rating_snapshots b ON b.show_id = t.show_id AND b.observed_ms = t.before_ms;
CREATE VIEW related_edge_history AS
WITH stints AS (
  SELECT e.show_id AS show_id, e.related_show_id AS related_show_id, e.id AS id,
         e.observed_ms AS observed_ms, e.change AS change, e.position AS position,
         e.old_position AS old_position,
         sum(e.change = 'added') OVER (PARTITION BY e.show_id, e.related_show_id
                                       ORDER BY e.observed_ms, e.id) AS stint
  FROM related_events e),
last AS (
  SELECT *, row_number() OVER (PARTITION BY show_id, related_show_id, stint
                               ORDER BY observed_ms DESC, id DESC) AS newest
  FROM stints)
SELECT s.url AS show_url, s.name AS show_name, r.url AS related_url, r.name AS related_name,
       min(l.observed_ms) AS appeared_ms,
       max(CASE WHEN l.change = 'added' THEN l.position END) AS first_position,
       sum(l.change = 'moved') AS moves,
       max(CASE WHEN l.change = 'moved' THEN l.observed_ms END) AS last_moved_ms,
       max(CASE WHEN l.newest = 1 THEN coalesce(l.position, l.old_position) END)
         AS last_position,
       max(CASE WHEN l.change = 'removed' THEN l.observed_ms END) AS disappeared_ms,
       max(l.change = 'removed') = 0 AS listed,
       strftime('%Y-%m-%dT%H:%M:%SZ', min(l.observed_ms) / 1000, 'unixepoch') AS appeared,
       strftime('%Y-%m-%dT%H:%M:%SZ',
                max(CASE WHEN l.change = 'moved' THEN l.observed_ms END) / 1000,
                'unixepoch') AS last_moved,
       strftime('%Y-%m-%dT%H:%M:%SZ',
                max(CASE WHEN l.change = 'removed' THEN l.observed_ms END) / 1000,
                'unixepoch') AS disappeared
FROM last l JOIN shows s ON s.id = l.show_id JOIN shows r ON r.id = l.related_show_id
GROUP BY l.show_id, l.related_show_id, l.stint;
CREATE VIEW show_identity AS
WITH RECURSIVE keyed(show_id, k) AS (
  SELECT id, 'feed ' || feed_key FROM shows WHERE feed_key IS NOT NULL
  UNION ALL SELECT id, 'apple ' || apple_id FROM shows WHERE apple_id IS NOT NULL
  UNION ALL SELECT id, 'spotify ' || spotify_id FROM shows WHERE spotify_id IS NOT NULL),
reach(show_id, other) AS (
  SELECT show_id, show_id FROM keyed
  UNION
  SELECT r.show_id, y.show_id FROM reach r JOIN keyed x ON x.show_id = r.other
  JOIN keyed y ON y.k = x.k),
groups AS (SELECT show_id, min(other) AS identity_id FROM reach GROUP BY show_id)
SELECT coalesce(g.identity_id, s.id) AS identity_id,
       max(1, (SELECT count(*) FROM groups m WHERE m.identity_id = g.identity_id))
         AS identity_shows,
       s.id AS show_id, s.url AS show_url, s.name AS show_name, s.host AS host,
       s.feed_url AS feed_url, s.feed_key AS feed_key, s.apple_id AS apple_id,
       s.spotify_id AS spotify_id, s.rating_value AS rating_value,
       s.rating_count AS rating_count, s.listeners AS listeners,
       s.last_seen_ms AS last_seen_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_seen_ms / 1000, 'unixepoch') AS last_seen
FROM shows s LEFT JOIN groups g ON g.show_id = s.id;
)sql"},
    // Step 9: the identifiers a show's pages name (issue 16): its
    // podcast:guid, and the Apple Podcasts and Spotify ids it links to, stored
    // (they come from records, not from the row's URL); show_identity groups
    // on them too, and show_summary shows them.
    {9, R"sql(
ALTER TABLE shows ADD COLUMN podcast_guid TEXT;
ALTER TABLE shows ADD COLUMN linked_apple_id TEXT;
ALTER TABLE shows ADD COLUMN linked_spotify_id TEXT;
DROP VIEW show_summary;
CREATE VIEW show_summary AS
SELECT s.url AS url, s.name AS show_name, s.description AS description,
       s.feed_url AS feed_url, s.language AS language,
       (SELECT count(*) FROM episodes e WHERE e.show_id = s.id) AS episodes,
       s.rating_value AS rating_value, s.rating_count AS rating_count,
       s.listeners AS listeners,
       (SELECT count(*) FROM related_shows rs WHERE rs.show_id = s.id) AS related,
       s.first_seen_ms AS first_seen_ms, s.last_seen_ms AS last_seen_ms,
       s.last_page_ms AS last_crawled_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.first_seen_ms / 1000, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_seen_ms / 1000, 'unixepoch') AS last_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_page_ms / 1000, 'unixepoch') AS last_crawled,
       s.host AS host, s.feed_key AS feed_key, s.apple_id AS apple_id,
       s.spotify_id AS spotify_id, s.podcast_guid AS podcast_guid,
       s.linked_apple_id AS linked_apple_id, s.linked_spotify_id AS linked_spotify_id
FROM shows s;
DROP VIEW show_identity;
-- A row's own Apple id (from its URL) and the one its pages link to share one key space, so a
-- Goodpods page that links to Apple joins the Apple page's row.
CREATE VIEW show_identity AS
WITH RECURSIVE keyed(show_id, k) AS (
  SELECT id, 'feed ' || feed_key FROM shows WHERE feed_key IS NOT NULL
  UNION ALL SELECT id, 'apple ' || apple_id FROM shows WHERE apple_id IS NOT NULL
  UNION ALL SELECT id, 'apple ' || linked_apple_id FROM shows WHERE linked_apple_id IS NOT NULL
  UNION ALL SELECT id, 'spotify ' || spotify_id FROM shows WHERE spotify_id IS NOT NULL
  UNION ALL SELECT id, 'spotify ' || linked_spotify_id FROM shows
            WHERE linked_spotify_id IS NOT NULL
  UNION ALL SELECT id, 'guid ' || podcast_guid FROM shows WHERE podcast_guid IS NOT NULL),
reach(show_id, other) AS (
  SELECT show_id, show_id FROM keyed
  UNION
  SELECT r.show_id, y.show_id FROM reach r JOIN keyed x ON x.show_id = r.other
  JOIN keyed y ON y.k = x.k),
groups AS (SELECT show_id, min(other) AS identity_id FROM reach GROUP BY show_id)
SELECT coalesce(g.identity_id, s.id) AS identity_id,
       max(1, (SELECT count(*) FROM groups m WHERE m.identity_id = g.identity_id))
         AS identity_shows,
       s.id AS show_id, s.url AS show_url, s.name AS show_name, s.host AS host,
       s.feed_url AS feed_url, s.feed_key AS feed_key, s.apple_id AS apple_id,
       s.spotify_id AS spotify_id, s.rating_value AS rating_value,
       s.rating_count AS rating_count, s.listeners AS listeners,
       s.last_seen_ms AS last_seen_ms,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_seen_ms / 1000, 'unixepoch') AS last_seen,
       s.podcast_guid AS podcast_guid, s.linked_apple_id AS linked_apple_id,
       s.linked_spotify_id AS linked_spotify_id
FROM shows s LEFT JOIN groups g ON g.show_id = s.id;
)sql"},
});

static_assert(std::size(kMigrations) > 0 &&
                  kMigrations[std::size(kMigrations) - 1].version ==
                      kSchemaVersion,
              "kSchemaVersion must be the version of the last migration");

Status NewerSchemaError(const std::string& path, int64_t version) {
  return core::Error(
      ErrorCode::kStorage,
      "database \"" + path + "\" has schema version " +
          std::to_string(version) + ", newer than this podcrawl supports (" +
          std::to_string(kSchemaVersion) + "); use a newer podcrawl");
}

// Applies the migration steps after the database's version, up to `target`.
Status MigrateTo(Connection& db, int64_t target) {
  Result<int64_t> version = db.QueryInt64("PRAGMA user_version");
  if (!version) return version.error();
  if (*version > kSchemaVersion) return NewerSchemaError(db.path(), *version);
  for (const Migration& step : kMigrations) {
    if (step.version <= *version) continue;
    if (step.version > target) break;
    Result<Transaction> tx = Transaction::Begin(db);
    if (!tx) return tx.error();
    // Another process may have migrated while we waited for the write lock.
    Result<int64_t> current = db.QueryInt64("PRAGMA user_version");
    if (!current) return current.error();
    if (*current > kSchemaVersion) return NewerSchemaError(db.path(), *current);
    if (*current >= step.version) {
      version = *current;
      continue;  // the transaction rolls back: nothing was written
    }
    Status status = db.ExecScript(step.sql);
    if (!status) return status;
    // PRAGMA takes no bound parameters; the value is a constant of this binary,
    // not input.
    status =
        db.ExecScript("PRAGMA user_version = " + std::to_string(step.version));
    if (!status) return status;
    status = tx->Commit();
    if (!status) return status;
    version = step.version;
  }
  return {};
}

Status Configure(Connection& db, const StoreOptions& options) {
  // The busy timeout first, so the PRAGMAs below wait for a concurrent writer
  // too.
  Status status = db.SetBusyTimeout(options.busy_timeout_ms);
  if (!status) return status;
  status = db.ExecScript("PRAGMA foreign_keys = ON");
  if (!status) return status;
  // No memory map (PRAGMA mmap_size): measured with the crawl's batched
  // writes on one connection, it saved no CPU and doubled the peak RSS (the
  // mapped pages count).
  if (!options.read_only) {
    // WAL lets readers (sqlite3 CLI, export) run beside a crawl
    // (https://sqlite.org/wal.html).
    // ":memory:" databases answer "memory", which is fine.
    Result<std::string> mode = db.QueryText("PRAGMA journal_mode = WAL");
    if (!mode) return mode.error();
    // In WAL mode NORMAL is durable against application crashes and consistent
    // after power loss (https://sqlite.org/pragma.html#pragma_synchronous).
    status = db.ExecScript("PRAGMA synchronous = NORMAL");
    if (!status) return status;
    // No checkpoint when the last writer closes: that checkpoint takes an
    // EXCLUSIVE lock on the database file, and a reader opening it at that
    // moment without a busy timeout (the sqlite3 shell's default) fails with
    // "database is locked". The WAL stays beside the database; the Store
    // runs a PASSIVE checkpoint (which never blocks readers) when it closes,
    // and SQLite's auto-checkpoints stay on.
    status = db.DisableCheckpointOnClose();
    if (!status) return status;
  }
  return {};
}

}  // namespace

Status MigrateToForTesting(Connection& db, int64_t version) {
  return MigrateTo(db, version);
}

Result<Connection> OpenDatabase(const std::string& path,
                                const StoreOptions& options) {
  Result<Connection> db =
      Connection::Open(path, options.read_only ? OpenMode::kReadOnly
                                               : OpenMode::kReadWriteCreate);
  if (!db) return db.error();
  Status status = Configure(*db, options);
  if (!status) return status.error();
  if (options.read_only) {
    Result<int64_t> version = db->QueryInt64("PRAGMA user_version");
    if (!version) return version.error();
    if (*version > kSchemaVersion)
      return NewerSchemaError(path, *version).error();
    if (*version < kSchemaVersion) {
      return core::Error(ErrorCode::kStorage,
                         "database \"" + path + "\" has schema version " +
                             std::to_string(*version) + ", older than " +
                             std::to_string(kSchemaVersion) +
                             "; open it once for writing to migrate it");
    }
  } else {
    status = MigrateTo(*db, kSchemaVersion);
    if (!status) {
      core::Error error = status.error();
      error.message =
          "cannot migrate database \"" + path + "\": " + error.message;
      return error;
    }
  }
  return db;
}

}  // namespace storage
