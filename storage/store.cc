// The SQLite implementation of storage::Store.
//
// clang-format off
// ============================================================================
// Schema (PRAGMA user_version = 4; step 1 made the tables up to fetches, step 2
// added the frontier, step 3 the page hashes, the page archive and the views,
// step 4 the frontier partitions (schedule, kind, interval_ms) and
// schedule_runs)
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
// listener_snapshots: listener history, a row only when the count changed.
// PRIMARY KEY (show_id, observed_ms).
//   show_id        INTEGER NOT NULL  REFERENCES shows(id) ON DELETE CASCADE
//   observed_ms    INTEGER NOT NULL
//   listeners      INTEGER NOT NULL
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
//   interval_ms    INTEGER           the current recrawl interval: what the
//                                    last successful fetch set next_fetch_ms
//                                    to (core::NextRecrawlIntervalMs adapts it
//                                    at each fetch: shorter after a change,
//                                    longer after an unchanged one); NULL
//                                    without a recrawl policy or before the
//                                    first fetch
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
//
// page_archive: the bytes of each page version (a row when body_hash
// changed, when StoreOptions::archive is on), for `podcrawl reparse`.
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
//
// Indexes: page_archive(url, fetched_at_ms), episodes(show_id), related_shows(related_show_id),
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
// How a record is stored (SaveRecord), one transaction per call:
// - The rating, the related shows and the feed URL belong to the SHOW, on
//   every kind of page (podcast apps rate shows; on an episode page the rating
//   and "you may also like" are the show's). The description and language go
//   to the show only from a show page; on an episode page they are the
//   episode's.
// - The show's key: record.show_url when known; else, on a show page, the
//   page's key_url(); else, when the record names the show,
//   SyntheticShowKey(page URL, show name). An episode page that names no show
//   stores the episode with show_id NULL. A page of unknown kind stores
//   nothing here, even when it names a show (that name is mostly the site's,
//   from og:site_name): no show row, rating snapshot or related list comes
//   from it; SavePage still writes its pages and page_archive rows.
// - Descriptive fields merge new over old: a NULL in the record never erases
//   a known value (COALESCE(new, old)). The rating merges field by field the
//   same way, and a rating snapshot is written when the merged (value, count)
//   differs from the show's latest snapshot; likewise for listener counts.
// - A non-empty related list replaces the show's list: rows for shows that
//   left it are deleted (their shows rows stay). An empty list leaves the
//   stored list alone, because a page without the section (most episode
//   pages, or a layout the parser missed) says nothing about it. A related
//   show without a link is keyed by SyntheticShowKey(page URL, its name). A
//   listed name only fills in an unknown show name (the show's own page is
//   the better source). Repeats keep their first position; a show listed as
//   related to itself is skipped.
// - Saving the same record again changes no row count and writes no
//   snapshot; only the seen times move forward.
// - SavePage (what `fetch` and `crawl` call) goes further: when the page's
//   record hash equals the one in pages, nothing at all is written (the seen
//   times stay; the fetches row says the page was fetched).
// ============================================================================
// clang-format on
#include "storage/store.h"

#include <sqlite3.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/url.h"
#include "storage/archive.h"
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
// recrawl columns and schedule_runs).
struct Migration {
  int64_t version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
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
};

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
Status MigrateTo(Database& db, int64_t target) {
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
    Status status = db.Exec(step.sql);
    if (!status) return status;
    // PRAGMA takes no bound parameters; the value is a constant of this binary,
    // not input.
    status = db.Exec("PRAGMA user_version = " + std::to_string(step.version));
    if (!status) return status;
    status = tx->Commit();
    if (!status) return status;
    version = step.version;
  }
  return {};
}

bool IsSpaceAt(std::string_view s, size_t i, size_t* width) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
      c == '\v') {
    *width = 1;
    return true;
  }
  // U+00A0 NO-BREAK SPACE, common in names taken from HTML (&nbsp;).
  if (c == 0xC2 && i + 1 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *width = 2;
    return true;
  }
  return false;
}

// Trims, collapses whitespace runs to one space, lowercases ASCII letters.
std::string FoldName(std::string_view name) {
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < name.size();) {
    size_t width = 0;
    if (IsSpaceAt(name, i, &width)) {
      pending_space = !out.empty();
      i += width;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                      (u >= '0' && u <= '9') || u == '-' || u == '.' ||
                      u == '_' || u == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

std::optional<std::string> NonEmpty(std::string_view text) {
  if (FoldName(text).empty()) return std::nullopt;
  return std::string(text);
}

// --- SQL, prepared once per connection and reused (StatementCache) ---

constexpr std::string_view kUpsertShow = R"sql(
INSERT INTO shows (url, name, description, feed_url, language, rating_value, rating_count,
                   first_seen_ms, last_seen_ms, last_page_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8)
ON CONFLICT (url) DO UPDATE SET
  name          = COALESCE(excluded.name, name),
  description   = COALESCE(excluded.description, description),
  feed_url      = COALESCE(excluded.feed_url, feed_url),
  language      = COALESCE(excluded.language, language),
  rating_value  = COALESCE(excluded.rating_value, rating_value),
  rating_count  = COALESCE(excluded.rating_count, rating_count),
  first_seen_ms = MIN(first_seen_ms, excluded.first_seen_ms),
  last_seen_ms  = MAX(last_seen_ms, excluded.last_seen_ms),
  last_page_ms  = MAX(COALESCE(last_page_ms, excluded.last_page_ms), excluded.last_page_ms)
RETURNING id, rating_value, rating_count
)sql";

// A show listed as related: its own page is the better source for its name, so
// the listed name only fills a gap.
constexpr std::string_view kUpsertListedShow = R"sql(
INSERT INTO shows (url, name, listeners, first_seen_ms, last_seen_ms)
VALUES (?1, ?2, ?3, ?4, ?4)
ON CONFLICT (url) DO UPDATE SET
  name          = COALESCE(name, excluded.name),
  listeners     = COALESCE(excluded.listeners, listeners),
  first_seen_ms = MIN(first_seen_ms, excluded.first_seen_ms),
  last_seen_ms  = MAX(last_seen_ms, excluded.last_seen_ms)
RETURNING id
)sql";

constexpr std::string_view kUpsertEpisode = R"sql(
INSERT INTO episodes (url, show_id, title, description, audio_url, published, duration_s,
                      language, first_seen_ms, last_seen_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
ON CONFLICT (url) DO UPDATE SET
  show_id       = COALESCE(excluded.show_id, show_id),
  title         = COALESCE(excluded.title, title),
  description   = COALESCE(excluded.description, description),
  audio_url     = COALESCE(excluded.audio_url, audio_url),
  published     = COALESCE(excluded.published, published),
  duration_s    = COALESCE(excluded.duration_s, duration_s),
  language      = COALESCE(excluded.language, language),
  first_seen_ms = MIN(first_seen_ms, excluded.first_seen_ms),
  last_seen_ms  = MAX(last_seen_ms, excluded.last_seen_ms)
)sql";

constexpr std::string_view kLatestRating = R"sql(
SELECT value, count FROM rating_snapshots WHERE show_id = ?1
ORDER BY observed_ms DESC LIMIT 1
)sql";

// Two observations in the same millisecond: the later call wins.
constexpr std::string_view kInsertRating = R"sql(
INSERT INTO rating_snapshots (show_id, observed_ms, value, count) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (show_id, observed_ms) DO UPDATE SET value = excluded.value, count = excluded.count
)sql";

constexpr std::string_view kLatestListeners = R"sql(
SELECT listeners FROM listener_snapshots WHERE show_id = ?1
ORDER BY observed_ms DESC LIMIT 1
)sql";

constexpr std::string_view kInsertListeners = R"sql(
INSERT INTO listener_snapshots (show_id, observed_ms, listeners) VALUES (?1, ?2, ?3)
ON CONFLICT (show_id, observed_ms) DO UPDATE SET listeners = excluded.listeners
)sql";

constexpr std::string_view kRelatedIds = R"sql(
SELECT related_show_id FROM related_shows WHERE show_id = ?1
)sql";

constexpr std::string_view kUpsertRelated = R"sql(
INSERT INTO related_shows (show_id, related_show_id, position, listeners, observed_ms)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (show_id, related_show_id) DO UPDATE SET
  position    = excluded.position,
  listeners   = COALESCE(excluded.listeners, listeners),
  observed_ms = MAX(observed_ms, excluded.observed_ms)
)sql";

constexpr std::string_view kDeleteRelated = R"sql(
DELETE FROM related_shows WHERE show_id = ?1 AND related_show_id = ?2
)sql";

constexpr std::string_view kInsertFetch = R"sql(
INSERT INTO fetches (url, final_url, fetched_at_ms, status, bytes, duration_ms, content_type,
                     etag, last_modified, error_code, error_message)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
)sql";

constexpr std::string_view kCounts = R"sql(
SELECT (SELECT count(*) FROM shows), (SELECT count(*) FROM episodes),
       (SELECT count(*) FROM related_shows), (SELECT count(*) FROM rating_snapshots),
       (SELECT count(*) FROM listener_snapshots), (SELECT count(*) FROM fetches)
)sql";

constexpr std::string_view kFindShow = R"sql(
SELECT id, url, name, description, feed_url, language, rating_value, rating_count, listeners,
       first_seen_ms, last_seen_ms, last_page_ms
FROM shows WHERE url = ?1
)sql";

constexpr std::string_view kFindEpisode = R"sql(
SELECT e.id, e.url, s.url, e.title, e.description, e.audio_url, e.published, e.duration_s,
       e.language, e.first_seen_ms, e.last_seen_ms
FROM episodes e LEFT JOIN shows s ON s.id = e.show_id WHERE e.url = ?1
)sql";

constexpr std::string_view kRelatedOf = R"sql(
SELECT r.url, r.name, rs.position, rs.listeners, rs.observed_ms
FROM shows s JOIN related_shows rs ON rs.show_id = s.id JOIN shows r ON r.id = rs.related_show_id
WHERE s.url = ?1 ORDER BY rs.position
)sql";

constexpr std::string_view kRatingHistory = R"sql(
SELECT rs.observed_ms, rs.value, rs.count
FROM shows s JOIN rating_snapshots rs ON rs.show_id = s.id WHERE s.url = ?1
ORDER BY rs.observed_ms
)sql";

constexpr std::string_view kListenerHistory = R"sql(
SELECT ls.observed_ms, ls.listeners
FROM shows s JOIN listener_snapshots ls ON ls.show_id = s.id WHERE s.url = ?1
ORDER BY ls.observed_ms
)sql";

constexpr std::string_view kPageHashes = R"sql(
SELECT body_hash, record_hash FROM pages WHERE url = ?1
)sql";

constexpr std::string_view kUpsertPage = R"sql(
INSERT INTO pages (url, body_hash, record_hash, first_stored_ms, last_changed_ms)
VALUES (?1, ?2, ?3, ?4, ?4)
ON CONFLICT (url) DO UPDATE SET
  body_hash       = excluded.body_hash,
  record_hash     = excluded.record_hash,
  last_changed_ms = MAX(last_changed_ms, excluded.last_changed_ms)
)sql";

constexpr std::string_view kInsertArchive = R"sql(
INSERT INTO page_archive (url, fetched_at_ms, body_hash, content_type, raw_bytes, body_z)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
)sql";

constexpr std::string_view kLatestArchived = R"sql(
SELECT max(id) FROM page_archive GROUP BY url ORDER BY url
)sql";

constexpr std::string_view kLoadArchived = R"sql(
SELECT url, fetched_at_ms, content_type, raw_bytes, body_z FROM page_archive WHERE id = ?1
)sql";

// The hash that decides whether a page's record changed: that of its JSON.
std::string RecordHash(const core::Record& record) {
  return ContentHash(
      core::ToJson(record).dump(-1, ' ', /*ensure_ascii=*/false,
                                nlohmann::json::error_handler_t::replace));
}

class SqliteStore final : public Store {
 public:
  SqliteStore(Database db, bool archive)
      : db_(std::move(db)), statements_(db_), archive_(archive) {}

  // Copies the WAL into the database file without blocking readers (PASSIVE:
  // pages a reader still uses stay in the WAL), so the database file alone is
  // complete after a clean run. Errors are ignored: the WAL keeps the data.
  ~SqliteStore() override {
    std::lock_guard<std::mutex> lock(mutex_);
    statements_.Clear();
    if (!db_.InTransaction()) (void)db_.Exec("PRAGMA wal_checkpoint(PASSIVE)");
  }

  Result<PageSaveOutcome> SavePage(const PageVersion& page,
                                   const core::Record& record,
                                   int64_t observed_at_ms) override {
    const std::string key = StorageKey(page.url);
    const std::string body_hash = ContentHash(page.body);
    const std::string record_hash = RecordHash(record);
    std::lock_guard<std::mutex> lock(mutex_);
    // Read outside a write transaction first: an unchanged page (the common
    // case on a recrawl) takes no write lock at all.
    Result<std::optional<std::pair<std::string, std::string>>> known =
        PageHashes(key);
    if (!known) return known.error();
    const bool body_changed = !*known || (*known)->first != body_hash;
    const bool record_changed = !*known || (*known)->second != record_hash;
    if (!body_changed && !record_changed) return PageSaveOutcome::kUnchanged;

    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    if (record_changed) {
      if (Status saved = SaveOne(record, observed_at_ms); !saved)
        return saved.error();
    }
    if (body_changed && archive_) {
      if (Status archived = Archive(key, page, body_hash, observed_at_ms);
          !archived) {
        return archived.error();
      }
    }
    {
      Result<StatementCache::Lease> st = statements_.Get(kUpsertPage);
      if (!st) return st.error();
      Status status =
          (*st)->BindAll(key, body_hash, record_hash, observed_at_ms);
      if (!status) return status.error();
      if (status = (*st)->Run(); !status) return status.error();
    }
    if (Status committed = tx->Commit(); !committed) return committed.error();
    return record_changed ? PageSaveOutcome::kStored
                          : PageSaveOutcome::kUnchanged;
  }

  Result<std::vector<int64_t>> LatestArchivedPageIds() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kLatestArchived);
    if (!st) return st.error();
    std::vector<int64_t> ids;
    while (true) {
      Result<bool> row = (*st)->Step();
      if (!row) return row.error();
      if (!*row) break;
      ids.push_back((*st)->ColumnInt64(0));
    }
    return ids;
  }

  Result<ArchivedPage> LoadArchivedPage(int64_t id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kLoadArchived);
    if (!st) return st.error();
    Statement& s = **st;
    if (Status status = s.Bind(1, id); !status) return status.error();
    Result<bool> row = s.Step();
    if (!row) return row.error();
    if (!*row) {
      return core::Error(ErrorCode::kStorage,
                         "no archived page with id " + std::to_string(id));
    }
    ArchivedPage page;
    page.id = id;
    page.url = s.ColumnText(0);
    page.fetched_at_ms = s.ColumnInt64(1);
    page.content_type = s.OptionalText(2);
    const void* blob = sqlite3_column_blob(s.handle(), 4);
    const int blob_size = sqlite3_column_bytes(s.handle(), 4);
    std::string_view compressed(
        static_cast<const char*>(blob),
        blob == nullptr ? 0 : static_cast<size_t>(blob_size));
    Result<std::string> body = Decompress(compressed, s.ColumnInt64(3));
    if (!body) {
      core::Error error = body.error();
      error.message = page.url + " (archive id " + std::to_string(id) +
                      "): " + error.message;
      return error;
    }
    page.body = std::move(body).value();
    return page;
  }

  // Not copyable or movable: statements_ points at db_.
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status SaveRecord(const core::Record& record,
                    int64_t observed_at_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    Status status = SaveOne(record, observed_at_ms);
    if (!status) return status;  // ~Transaction rolls back
    return tx->Commit();
  }

  Status SaveRecords(const std::vector<core::Record>& records,
                     int64_t observed_at_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    for (const core::Record& record : records) {
      Status status = SaveOne(record, observed_at_ms);
      if (!status) return status;
    }
    return tx->Commit();
  }

  Status LogFetch(const FetchLogEntry& entry) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kInsertFetch);
    if (!st) return st.error();
    Status status = (*st)->BindAll(
        entry.url, entry.final_url, entry.fetched_at_ms, entry.status,
        entry.bytes, entry.duration_ms, entry.content_type, entry.etag,
        entry.last_modified, entry.error_code, entry.error_message);
    if (!status) return status;
    return (*st)->Run();
  }

  Result<StoreCounts> Counts() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kCounts);
    if (!st) return st.error();
    Result<bool> row = (*st)->Step();
    if (!row) return row.error();
    StoreCounts counts;
    if (*row) {
      Statement& s = **st;
      counts.shows = s.ColumnInt64(0);
      counts.episodes = s.ColumnInt64(1);
      counts.related_shows = s.ColumnInt64(2);
      counts.rating_snapshots = s.ColumnInt64(3);
      counts.listener_snapshots = s.ColumnInt64(4);
      counts.fetches = s.ColumnInt64(5);
    }
    return counts;
  }

  Result<std::optional<ShowRow>> FindShow(std::string_view url) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kFindShow);
    if (!st) return st.error();
    Statement& s = **st;
    if (Status status = s.Bind(1, StorageKey(url)); !status)
      return status.error();
    Result<bool> row = s.Step();
    if (!row) return row.error();
    if (!*row) return std::optional<ShowRow>();
    ShowRow show;
    show.id = s.ColumnInt64(0);
    show.url = s.ColumnText(1);
    show.name = s.OptionalText(2);
    show.description = s.OptionalText(3);
    show.feed_url = s.OptionalText(4);
    show.language = s.OptionalText(5);
    show.rating_value = s.OptionalDouble(6);
    show.rating_count = s.OptionalInt64(7);
    show.listeners = s.OptionalInt64(8);
    show.first_seen_ms = s.ColumnInt64(9);
    show.last_seen_ms = s.ColumnInt64(10);
    show.last_page_ms = s.OptionalInt64(11);
    return std::optional<ShowRow>(std::move(show));
  }

  Result<std::optional<EpisodeRow>> FindEpisode(std::string_view url) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kFindEpisode);
    if (!st) return st.error();
    Statement& s = **st;
    if (Status status = s.Bind(1, StorageKey(url)); !status)
      return status.error();
    Result<bool> row = s.Step();
    if (!row) return row.error();
    if (!*row) return std::optional<EpisodeRow>();
    EpisodeRow episode;
    episode.id = s.ColumnInt64(0);
    episode.url = s.ColumnText(1);
    episode.show_url = s.OptionalText(2);
    episode.title = s.OptionalText(3);
    episode.description = s.OptionalText(4);
    episode.audio_url = s.OptionalText(5);
    episode.published = s.OptionalText(6);
    episode.duration_s = s.OptionalInt64(7);
    episode.language = s.OptionalText(8);
    episode.first_seen_ms = s.ColumnInt64(9);
    episode.last_seen_ms = s.ColumnInt64(10);
    return std::optional<EpisodeRow>(std::move(episode));
  }

  Result<std::vector<RelatedRow>> RelatedShows(
      std::string_view show_url) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadRows<RelatedRow>(kRelatedOf, show_url, [](const Statement& s) {
      RelatedRow related;
      related.url = s.ColumnText(0);
      related.name = s.OptionalText(1);
      related.position = s.ColumnInt64(2);
      related.listeners = s.OptionalInt64(3);
      related.observed_ms = s.ColumnInt64(4);
      return related;
    });
  }

  Result<std::vector<RatingSnapshot>> RatingHistory(
      std::string_view show_url) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadRows<RatingSnapshot>(
        kRatingHistory, show_url, [](const Statement& s) {
          return RatingSnapshot{s.ColumnInt64(0), s.OptionalDouble(1),
                                s.OptionalInt64(2)};
        });
  }

  Result<std::vector<ListenerSnapshot>> ListenerHistory(
      std::string_view show_url) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadRows<ListenerSnapshot>(
        kListenerHistory, show_url, [](const Statement& s) {
          return ListenerSnapshot{s.ColumnInt64(0), s.ColumnInt64(1)};
        });
  }

  Result<int64_t> SchemaVersion() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return db_.QueryInt64("PRAGMA user_version");
  }

 private:
  template <typename Row, typename ReadFn>
  Result<std::vector<Row>> ReadRows(std::string_view sql, std::string_view url,
                                    ReadFn read) {
    Result<StatementCache::Lease> st = statements_.Get(sql);
    if (!st) return st.error();
    Statement& s = **st;
    if (Status status = s.Bind(1, StorageKey(url)); !status)
      return status.error();
    std::vector<Row> rows;
    while (true) {
      Result<bool> row = s.Step();
      if (!row) return row.error();
      if (!*row) break;
      rows.push_back(read(s));
    }
    return rows;
  }

  // Writes one record inside the caller's transaction.
  Status SaveOne(const core::Record& record, int64_t now) {
    const bool is_show_page = record.kind == core::PageKind::kShow;
    const bool is_episode_page = record.kind == core::PageKind::kEpisode;
    std::optional<std::string> show_name;
    if (record.show_name) show_name = NonEmpty(*record.show_name);
    // A page of unknown kind (a site's index, about, search or careers page)
    // has no podcast signal: its show_name is at best the site's name
    // (og:site_name), so it never creates or updates a show, its rating or its
    // related list.
    if (record.kind == core::PageKind::kUnknown) return {};

    std::optional<std::string> show_key;
    if (record.show_url && !record.show_url->empty()) {
      show_key = StorageKey(*record.show_url);
    } else if (is_show_page) {
      show_key = StorageKey(record.key_url());
    } else if (show_name) {
      show_key = SyntheticShowKey(record.url, *show_name);
    }
    if (!is_episode_page && !show_key)
      return {};  // no podcast data: nothing to store

    std::optional<int64_t> show_id;
    if (show_key) {
      Result<int64_t> id =
          UpsertShow(*show_key, show_name, record, is_show_page, now);
      if (!id) return id.error();
      show_id = *id;
      if (!record.related_shows.empty()) {
        Status status = ReplaceRelated(*show_id, record, now);
        if (!status) return status;
      }
    }
    if (is_episode_page) {
      Result<StatementCache::Lease> st = statements_.Get(kUpsertEpisode);
      if (!st) return st.error();
      Status status = (*st)->BindAll(StorageKey(record.key_url()), show_id,
                                     record.episode_title, record.description,
                                     record.audio_url, record.published,
                                     record.duration_s, record.language, now);
      if (!status) return status;
      return (*st)->Run();
    }
    return {};
  }

  // Upserts the record's show and writes a rating snapshot when its rating
  // changed. Returns the show's id.
  Result<int64_t> UpsertShow(const std::string& key,
                             const std::optional<std::string>& name,
                             const core::Record& record, bool is_show_page,
                             int64_t now) {
    std::optional<double> rating_value;
    std::optional<int64_t> rating_count;
    if (record.rating) {
      rating_value = record.rating->value;
      rating_count = record.rating->count;
    }
    const std::optional<std::string> no_text;
    int64_t id = 0;
    std::optional<double> merged_value;
    std::optional<int64_t> merged_count;
    {
      Result<StatementCache::Lease> st = statements_.Get(kUpsertShow);
      if (!st) return st.error();
      Statement& s = **st;
      Status status =
          s.BindAll(key, name, is_show_page ? record.description : no_text,
                    record.feed_url, is_show_page ? record.language : no_text,
                    rating_value, rating_count, now);
      if (!status) return status.error();
      Result<bool> row = s.Step();
      if (!row) return row.error();
      if (!*row)
        return core::Error(ErrorCode::kInternal, "show upsert returned no row");
      id = s.ColumnInt64(0);
      merged_value = s.OptionalDouble(1);
      merged_count = s.OptionalInt64(2);
      // Finish the statement so the upsert is complete before the next one
      // runs.
      if (Status done = s.Run(); !done) return done.error();
    }
    if (rating_value || rating_count) {
      Status status = SnapshotRating(id, merged_value, merged_count, now);
      if (!status) return status.error();
    }
    return id;
  }

  Status SnapshotRating(int64_t show_id, std::optional<double> value,
                        std::optional<int64_t> count, int64_t now) {
    {
      Result<StatementCache::Lease> st = statements_.Get(kLatestRating);
      if (!st) return st.error();
      if (Status status = (*st)->Bind(1, show_id); !status) return status;
      Result<bool> row = (*st)->Step();
      if (!row) return row.error();
      if (*row && (*st)->OptionalDouble(0) == value &&
          (*st)->OptionalInt64(1) == count) {
        return {};  // unchanged
      }
    }
    Result<StatementCache::Lease> st = statements_.Get(kInsertRating);
    if (!st) return st.error();
    if (Status status = (*st)->BindAll(show_id, now, value, count); !status)
      return status;
    return (*st)->Run();
  }

  Status SnapshotListeners(int64_t show_id, int64_t listeners, int64_t now) {
    {
      Result<StatementCache::Lease> st = statements_.Get(kLatestListeners);
      if (!st) return st.error();
      if (Status status = (*st)->Bind(1, show_id); !status) return status;
      Result<bool> row = (*st)->Step();
      if (!row) return row.error();
      if (*row && (*st)->ColumnInt64(0) == listeners) return {};  // unchanged
    }
    Result<StatementCache::Lease> st = statements_.Get(kInsertListeners);
    if (!st) return st.error();
    if (Status status = (*st)->BindAll(show_id, now, listeners); !status)
      return status;
    return (*st)->Run();
  }

  Status ReplaceRelated(int64_t show_id, const core::Record& record,
                        int64_t now) {
    std::set<int64_t> old_ids;
    {
      Result<StatementCache::Lease> st = statements_.Get(kRelatedIds);
      if (!st) return st.error();
      if (Status status = (*st)->Bind(1, show_id); !status) return status;
      while (true) {
        Result<bool> row = (*st)->Step();
        if (!row) return row.error();
        if (!*row) break;
        old_ids.insert((*st)->ColumnInt64(0));
      }
    }
    std::set<int64_t> new_ids;
    int64_t position = 0;
    for (const core::RelatedShow& related : record.related_shows) {
      std::optional<std::string> name = NonEmpty(related.name);
      std::string key;
      if (related.url && !related.url->empty()) {
        key = StorageKey(*related.url);
      } else if (name) {
        key = SyntheticShowKey(record.url, *name);
      } else {
        continue;  // neither a link nor a name: nothing to key it by
      }
      int64_t related_id = 0;
      {
        Result<StatementCache::Lease> st = statements_.Get(kUpsertListedShow);
        if (!st) return st.error();
        if (Status status = (*st)->BindAll(key, name, related.listeners, now);
            !status) {
          return status;
        }
        Result<bool> row = (*st)->Step();
        if (!row) return row.error();
        if (!*row)
          return core::Error(ErrorCode::kInternal,
                             "show upsert returned no row");
        related_id = (*st)->ColumnInt64(0);
        if (Status done = (*st)->Run(); !done) return done;
      }
      if (related_id == show_id || !new_ids.insert(related_id).second) continue;
      ++position;
      {
        Result<StatementCache::Lease> st = statements_.Get(kUpsertRelated);
        if (!st) return st.error();
        Status status = (*st)->BindAll(show_id, related_id, position,
                                       related.listeners, now);
        if (!status) return status;
        if (status = (*st)->Run(); !status) return status;
      }
      if (related.listeners) {
        Status status = SnapshotListeners(related_id, *related.listeners, now);
        if (!status) return status;
      }
    }
    for (int64_t old_id : old_ids) {
      if (new_ids.contains(old_id)) continue;
      Result<StatementCache::Lease> st = statements_.Get(kDeleteRelated);
      if (!st) return st.error();
      if (Status status = (*st)->BindAll(show_id, old_id); !status)
        return status;
      if (Status status = (*st)->Run(); !status) return status;
    }
    return {};
  }

  Result<std::optional<std::pair<std::string, std::string>>> PageHashes(
      const std::string& key) {
    Result<StatementCache::Lease> st = statements_.Get(kPageHashes);
    if (!st) return st.error();
    if (Status status = (*st)->Bind(1, key); !status) return status.error();
    Result<bool> row = (*st)->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::pair<std::string, std::string>>();
    return std::optional<std::pair<std::string, std::string>>(
        std::make_pair((*st)->ColumnText(0), (*st)->ColumnText(1)));
  }

  Status Archive(const std::string& key, const PageVersion& page,
                 const std::string& body_hash, int64_t now) {
    Result<std::string> compressed = Compress(page.body);
    if (!compressed) return compressed.error();
    Result<StatementCache::Lease> st = statements_.Get(kInsertArchive);
    if (!st) return st.error();
    Statement& s = **st;
    Status status = s.BindAll(key, now, body_hash, page.content_type,
                              static_cast<int64_t>(page.body.size()));
    if (!status) return status;
    if (compressed->size() > static_cast<size_t>(INT32_MAX)) {
      return core::Error(ErrorCode::kStorage, "page too large to archive");
    }
    const int rc = sqlite3_bind_blob(s.handle(), 6, compressed->data(),
                                     static_cast<int>(compressed->size()),
                                     SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) return SqliteError(db_.handle(), rc, "archive page");
    return s.Run();
  }

  std::mutex mutex_;
  Database db_;
  StatementCache statements_;  // after db_: destroyed first
  bool archive_ = true;
};

Status Configure(Database& db, const StoreOptions& options) {
  // The busy timeout first, so the PRAGMAs below wait for a concurrent writer
  // too.
  Status status = db.SetBusyTimeout(options.busy_timeout_ms);
  if (!status) return status;
  status = db.Exec("PRAGMA foreign_keys = ON");
  if (!status) return status;
  if (!options.read_only) {
    // WAL lets readers (sqlite3 CLI, export) run beside a crawl
    // (https://sqlite.org/wal.html).
    // ":memory:" databases answer "memory", which is fine.
    Result<std::string> mode = db.QueryText("PRAGMA journal_mode = WAL");
    if (!mode) return mode.error();
    // In WAL mode NORMAL is durable against application crashes and consistent
    // after power loss (https://sqlite.org/pragma.html#pragma_synchronous).
    status = db.Exec("PRAGMA synchronous = NORMAL");
    if (!status) return status;
    // No checkpoint when the last writer closes: that checkpoint takes an
    // EXCLUSIVE lock on the database file, and a reader opening it at that
    // moment without a busy timeout (the sqlite3 shell's default) fails with
    // "database is locked". The WAL stays beside the database; the Store
    // runs a PASSIVE checkpoint (which never blocks readers) when it closes,
    // and SQLite's auto-checkpoints stay on.
    const int rc = sqlite3_db_config(
        db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db.handle(), rc, "configure");
  }
  return {};
}

}  // namespace

std::string SyntheticShowKey(std::string_view page_url,
                             std::string_view show_name) {
  return "podcrawl-show://" + core::UrlHost(page_url) + "/" +
         PercentEncode(FoldName(show_name));
}

std::string StorageKey(std::string_view url) {
  Result<std::string> normalized = core::NormalizeUrl(url);
  if (normalized) return std::move(normalized).value();
  return std::string(url);
}

Status MigrateToForTesting(Database& db, int64_t version) {
  return MigrateTo(db, version);
}

Result<Database> OpenDatabase(const std::string& path,
                              const StoreOptions& options) {
  Result<Database> db =
      Database::Open(path, options.read_only ? OpenMode::kReadOnly
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

Result<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                           const StoreOptions& options) {
  Result<Database> db = OpenDatabase(path, options);
  if (!db) return db.error();
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(std::move(db).value(), options.archive));
}

}  // namespace storage
