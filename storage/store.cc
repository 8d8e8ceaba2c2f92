// storage::Store: records in podcrawl's database (schema: storage/schema.cc).
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
//   times stay; the fetches row says the page was fetched). Its pages row
//   keeps the record's provenance: kind, the show and episode rows it
//   updated, its sources (JSON object) and errors (JSON array).
//
// Listener counts (README "Listener counts"): a related list shows each
// listed show's listeners, often rounded ("1.2K"), and several pages list the
// same show. A snapshot records the page it was read from. A reading v from
// page P, against the show's latest snapshot L:
// - v equal to L's count: nothing is written.
// - P is not L's page and v agrees with L (core::CountsAgree: one is a
//   rounding of the other): when v is no more precise than L (a coarser or
//   equal RoundingUnit), nothing is written: the page shows a rounding of the
//   known count. When v is more precise, it refines L: in the same round, L
//   takes v (and P); in a later round, v is a new snapshot.
// - Otherwise (the same page shows a new count, or two pages disagree): in
//   the same round and from another page, L takes v, P and the time: the
//   latest page's value is kept, one snapshot per round (and L goes when it
//   now equals the snapshot before it). Else v is a new snapshot.
// "The same round": L observed at or after PageVersion::round_started_ms,
// when the crawl or schedule round that fetched P began. shows.listeners is
// the latest snapshot's count; related_shows.listeners what each list showed.
//
// Related history: each stored related list is compared with the show's
// previous one, and related_events gets a row per edge that was added, moved
// (its position changed) or removed, at the observation time.
//
// Archive retention: when SavePage archives a new version of a page, that
// page's versions past the newest keep_versions, and those fetched more than
// max_age_ms before the new one, are deleted in the same transaction (the
// newest always stays). PruneArchive does the same for every page at once.
#include "storage/store.h"

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/clock.h"
#include "core/counts.h"
#include "core/url.h"
#include "storage/archive.h"
#include "storage/sqlite.h"

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;
using core::Status;

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
    out.push_back(core::AsciiLower(name[i]));
    ++i;
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
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
                   first_seen_ms, last_seen_ms, last_page_ms, podcast_guid, linked_apple_id,
                   linked_spotify_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8, ?9, ?10, ?11)
ON CONFLICT (url) DO UPDATE SET
  name          = COALESCE(excluded.name, name),
  description   = COALESCE(excluded.description, description),
  feed_url      = COALESCE(excluded.feed_url, feed_url),
  podcast_guid  = COALESCE(excluded.podcast_guid, podcast_guid),
  linked_apple_id   = COALESCE(excluded.linked_apple_id, linked_apple_id),
  linked_spotify_id = COALESCE(excluded.linked_spotify_id, linked_spotify_id),
  language      = COALESCE(excluded.language, language),
  rating_value  = COALESCE(excluded.rating_value, rating_value),
  rating_count  = COALESCE(excluded.rating_count, rating_count),
  first_seen_ms = MIN(first_seen_ms, excluded.first_seen_ms),
  last_seen_ms  = MAX(last_seen_ms, excluded.last_seen_ms),
  last_page_ms  = MAX(COALESCE(last_page_ms, excluded.last_page_ms), excluded.last_page_ms)
RETURNING id, rating_value, rating_count
)sql";

// A show listed as related: its own page is the better source for its name, so
// the listed name only fills a gap. Its listeners column follows its listener
// snapshots (SnapshotListeners), so an update leaves it alone.
constexpr std::string_view kUpsertListedShow = R"sql(
INSERT INTO shows (url, name, listeners, first_seen_ms, last_seen_ms)
VALUES (?1, ?2, ?3, ?4, ?4)
ON CONFLICT (url) DO UPDATE SET
  name          = COALESCE(name, excluded.name),
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
SELECT observed_ms, listeners, page_url FROM listener_snapshots WHERE show_id = ?1
ORDER BY observed_ms DESC LIMIT 1
)sql";

constexpr std::string_view kListenersBefore = R"sql(
SELECT listeners FROM listener_snapshots WHERE show_id = ?1 AND observed_ms < ?2
ORDER BY observed_ms DESC LIMIT 1
)sql";

constexpr std::string_view kInsertListeners = R"sql(
INSERT INTO listener_snapshots (show_id, observed_ms, listeners, page_url) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (show_id, observed_ms) DO UPDATE SET
  listeners = excluded.listeners, page_url = excluded.page_url
)sql";

// The round's snapshot takes a later reading of the round.
constexpr std::string_view kReplaceListeners = R"sql(
UPDATE listener_snapshots SET observed_ms = ?3, listeners = ?4, page_url = ?5
WHERE show_id = ?1 AND observed_ms = ?2
)sql";

constexpr std::string_view kDeleteListeners = R"sql(
DELETE FROM listener_snapshots WHERE show_id = ?1 AND observed_ms = ?2
)sql";

constexpr std::string_view kShowListenersFromSnapshots = R"sql(
UPDATE shows SET listeners = (
  SELECT listeners FROM listener_snapshots WHERE show_id = ?1
  ORDER BY observed_ms DESC LIMIT 1)
WHERE id = ?1
)sql";

constexpr std::string_view kRelatedIds = R"sql(
SELECT related_show_id, position FROM related_shows WHERE show_id = ?1
)sql";

constexpr std::string_view kInsertRelatedEvent = R"sql(
INSERT INTO related_events (show_id, related_show_id, observed_ms, change, position, old_position)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
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
SELECT ls.observed_ms, ls.listeners, ls.page_url
FROM shows s JOIN listener_snapshots ls ON ls.show_id = s.id WHERE s.url = ?1
ORDER BY ls.observed_ms
)sql";

constexpr std::string_view kRelatedHistory = R"sql(
SELECT e.observed_ms, e.change, r.url, e.position, e.old_position
FROM shows s JOIN related_events e ON e.show_id = s.id JOIN shows r ON r.id = e.related_show_id
WHERE s.url = ?1 ORDER BY e.observed_ms, e.id
)sql";

// The third column: the row predates schema 6 and has no provenance yet.
constexpr std::string_view kPageHashes = R"sql(
SELECT body_hash, record_hash, sources IS NULL FROM pages WHERE url = ?1
)sql";

constexpr std::string_view kUpsertPage = R"sql(
INSERT INTO pages (url, body_hash, record_hash, first_stored_ms, last_changed_ms, kind, show_url,
                   episode_url, sources, errors)
VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (url) DO UPDATE SET
  body_hash       = excluded.body_hash,
  record_hash     = excluded.record_hash,
  last_changed_ms = MAX(last_changed_ms, excluded.last_changed_ms),
  kind            = excluded.kind,
  show_url        = excluded.show_url,
  episode_url     = excluded.episode_url,
  sources         = excluded.sources,
  errors          = excluded.errors
)sql";

// An unchanged page whose row holds hashes of before 0.3 gets today's.
constexpr std::string_view kPageRehash = R"sql(
UPDATE pages SET body_hash = ?2, record_hash = ?3 WHERE url = ?1
)sql";

// A row from before schema 6 whose page is unchanged gets its provenance.
constexpr std::string_view kPageProvenance = R"sql(
UPDATE pages SET kind = ?2, show_url = ?3, episode_url = ?4, sources = ?5, errors = ?6
WHERE url = ?1
)sql";

constexpr std::string_view kInsertArchive = R"sql(
INSERT INTO page_archive (url, fetched_at_ms, body_hash, content_type, raw_bytes, body_z)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
)sql";

constexpr std::string_view kLatestArchived = R"sql(
SELECT max(id) FROM page_archive GROUP BY url ORDER BY url
)sql";

// Archive retention (kept in step with each other). The versions retention
// removes: of one page (?1) or of every page, those ranked past the ?2 newest
// (when ?2 > 0) or fetched before ?3, never a page's newest. Newest first by
// fetch time, then id. The window reads the page_archive_by_url index, not
// the blobs.
constexpr std::string_view kTrimPageVersions = R"sql(
DELETE FROM page_archive WHERE id IN (
  SELECT id FROM (
    SELECT id, fetched_at_ms,
           row_number() OVER (ORDER BY fetched_at_ms DESC, id DESC) AS newer
    FROM page_archive WHERE url = ?1)
  WHERE newer > 1 AND ((?2 > 0 AND newer > ?2) OR fetched_at_ms < ?3))
)sql";

constexpr std::string_view kPruneCount = R"sql(
SELECT count(*), count(DISTINCT url), COALESCE(sum(length(body_z)), 0),
       COALESCE(sum(raw_bytes), 0)
FROM page_archive WHERE id IN (
  SELECT id FROM (
    SELECT id, fetched_at_ms,
           row_number() OVER (PARTITION BY url ORDER BY fetched_at_ms DESC, id DESC) AS newer
    FROM page_archive)
  WHERE newer > 1 AND ((?1 > 0 AND newer > ?1) OR fetched_at_ms < ?2))
)sql";

constexpr std::string_view kPruneDelete = R"sql(
DELETE FROM page_archive WHERE id IN (
  SELECT id FROM (
    SELECT id, fetched_at_ms,
           row_number() OVER (PARTITION BY url ORDER BY fetched_at_ms DESC, id DESC) AS newer
    FROM page_archive)
  WHERE newer > 1 AND ((?1 > 0 AND newer > ?1) OR fetched_at_ms < ?2))
)sql";

constexpr std::string_view kLoadArchived = R"sql(
SELECT url, fetched_at_ms, content_type, raw_bytes, body_z FROM page_archive WHERE id = ?1
)sql";

// What decides whether a page's record changed: its JSON (and its hash).
std::string RecordJson(const core::Record& record) {
  return core::ToJson(record).dump(-1, ' ', /*ensure_ascii=*/false,
                                   nlohmann::json::error_handler_t::replace);
}

Status SnapshotRating(Connection& db, int64_t show_id,
                      std::optional<double> value, std::optional<int64_t> count,
                      int64_t now) {
  auto latest = db.QueryOne(
      kLatestRating, ReadColumns<std::optional<double>, std::optional<int64_t>>,
      show_id);
  if (!latest) return latest.error();
  if (*latest == std::make_tuple(value, count)) return {};  // unchanged
  return db.Exec(kInsertRating, show_id, now, value, count);
}

// Where a record is saved from: the page (StorageKey), when its round began
// (see "Listener counts" above) and the observation time.
struct SaveContext {
  std::string page_url;
  std::optional<int64_t> round_started_ms;
  int64_t now = 0;
};

// Records one listener count of the show `show_id` read on ctx.page_url, by
// the rule "Listener counts" at the top of this file, and sets the show's
// listeners to its latest snapshot.
Status SnapshotListeners(Connection& db, int64_t show_id, int64_t listeners,
                         const SaveContext& ctx) {
  auto latest = db.QueryOne(
      kLatestListeners,
      ReadColumns<int64_t, int64_t, std::optional<std::string>>, show_id);
  if (!latest) return latest.error();
  enum class Action { kNothing, kInsert, kReplace } action = Action::kInsert;
  if (*latest) {
    const auto& [observed, count, page] = **latest;
    const bool other_page = page != ctx.page_url;
    const bool same_round =
        ctx.round_started_ms && observed >= *ctx.round_started_ms;
    if (count == listeners) {
      action = Action::kNothing;
    } else if (other_page && core::CountsAgree(listeners, count)) {
      if (core::RoundingUnit(listeners) >= core::RoundingUnit(count)) {
        action = Action::kNothing;  // a rounding of the known count
      } else {
        action = same_round ? Action::kReplace : Action::kInsert;
      }
    } else {
      action = same_round && other_page ? Action::kReplace : Action::kInsert;
    }
  }
  Status status;
  if (action == Action::kInsert) {
    status =
        db.Exec(kInsertListeners, show_id, ctx.now, listeners, ctx.page_url);
  } else if (action == Action::kReplace) {
    const int64_t observed = std::get<0>(**latest);
    status = db.Exec(kReplaceListeners, show_id, observed, ctx.now, listeners,
                     ctx.page_url);
    if (!status) return status;
    // The round's snapshot may now repeat the one before it.
    auto before =
        db.QueryOne(kListenersBefore, ReadColumns<int64_t>, show_id, ctx.now);
    if (!before) return before.error();
    if (*before == listeners)
      status = db.Exec(kDeleteListeners, show_id, ctx.now);
  }
  if (!status) return status;
  if (action == Action::kNothing) return {};
  return db.Exec(kShowListenersFromSnapshots, show_id);
}

// Upserts the record's show and writes a rating snapshot when its rating
// changed. Returns the show's id.
Result<int64_t> UpsertShow(Connection& db, const std::string& key,
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
  auto row = db.QueryOne(
      kUpsertShow,
      ReadColumns<int64_t, std::optional<double>, std::optional<int64_t>>, key,
      name, is_show_page ? record.description : no_text, record.feed_url,
      is_show_page ? record.language : no_text, rating_value, rating_count, now,
      record.podcast_guid, record.apple_id, record.spotify_id);
  if (!row) return row.error();
  if (!*row)
    return core::Error(ErrorCode::kInternal, "show upsert returned no row");
  const auto& [id, merged_value, merged_count] = **row;
  if (rating_value || rating_count) {
    Status status = SnapshotRating(db, id, merged_value, merged_count, now);
    if (!status) return status.error();
  }
  return id;
}

// Replaces the related list of `show_id` with the record's and records each
// edge that was added, moved or removed in related_events.
Status ReplaceRelated(Connection& db, int64_t show_id,
                      const core::Record& record, const SaveContext& ctx) {
  const int64_t now = ctx.now;
  auto old_rows =
      db.QueryAll(kRelatedIds, ReadColumns<int64_t, int64_t>, show_id);
  if (!old_rows) return old_rows.error();
  std::map<int64_t, int64_t> old_positions;
  for (const auto& [id, old_position] : *old_rows)
    old_positions.emplace(id, old_position);
  std::set<int64_t> new_ids;
  int64_t position = 0;
  const std::optional<int64_t> none;
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
    Result<std::optional<int64_t>> related_id =
        db.QueryOne(kUpsertListedShow, ReadColumns<int64_t>, key, name,
                    related.listeners, now);
    if (!related_id) return related_id.error();
    if (!*related_id)
      return core::Error(ErrorCode::kInternal, "show upsert returned no row");
    if (**related_id == show_id || !new_ids.insert(**related_id).second)
      continue;
    ++position;
    Status status = db.Exec(kUpsertRelated, show_id, **related_id, position,
                            related.listeners, now);
    if (!status) return status;
    auto old = old_positions.find(**related_id);
    if (old == old_positions.end()) {
      status = db.Exec(kInsertRelatedEvent, show_id, **related_id, now, "added",
                       position, none);
    } else if (old->second != position) {
      status = db.Exec(kInsertRelatedEvent, show_id, **related_id, now, "moved",
                       position, old->second);
    }
    if (!status) return status;
    if (related.listeners) {
      status = SnapshotListeners(db, **related_id, *related.listeners, ctx);
      if (!status) return status;
    }
  }
  for (const auto& [old_id, old_position] : old_positions) {
    if (new_ids.contains(old_id)) continue;
    if (Status status = db.Exec(kDeleteRelated, show_id, old_id); !status)
      return status;
    if (Status status = db.Exec(kInsertRelatedEvent, show_id, old_id, now,
                                "removed", none, old_position);
        !status) {
      return status;
    }
  }
  return {};
}

// The rows a record updates: its show's key and, for an episode page, the
// episode's (the rules at the top of this file).
struct RecordKeys {
  std::optional<std::string> show_name;
  std::optional<std::string> show;
  std::optional<std::string> episode;
};

RecordKeys KeysOf(const core::Record& record) {
  RecordKeys keys;
  // A page of unknown kind (a site's index, about, search or careers page)
  // has no podcast signal: its show_name is at best the site's name
  // (og:site_name), so it never creates or updates a show, its rating or its
  // related list.
  if (record.kind == core::PageKind::kUnknown) return keys;
  const bool is_show_page = record.kind == core::PageKind::kShow;
  if (record.show_name) keys.show_name = NonEmpty(*record.show_name);
  if (record.show_url && !record.show_url->empty()) {
    keys.show = StorageKey(*record.show_url);
  } else if (is_show_page) {
    keys.show = StorageKey(record.key_url());
  } else if (keys.show_name) {
    keys.show = SyntheticShowKey(record.url, *keys.show_name);
  }
  if (record.kind == core::PageKind::kEpisode)
    keys.episode = StorageKey(record.key_url());
  return keys;
}

// Writes one record inside the caller's transaction.
Status SaveOne(Connection& db, const core::Record& record,
               const SaveContext& ctx) {
  const bool is_show_page = record.kind == core::PageKind::kShow;
  const RecordKeys keys = KeysOf(record);
  if (!keys.episode && !keys.show)
    return {};  // no podcast data: nothing to store

  std::optional<int64_t> show_id;
  if (keys.show) {
    Result<int64_t> id = UpsertShow(db, *keys.show, keys.show_name, record,
                                    is_show_page, ctx.now);
    if (!id) return id.error();
    show_id = *id;
    if (!record.related_shows.empty()) {
      Status status = ReplaceRelated(db, *show_id, record, ctx);
      if (!status) return status;
    }
  }
  if (!keys.episode) return {};
  return db.Exec(kUpsertEpisode, *keys.episode, show_id, record.episode_title,
                 record.description, record.audio_url, record.published,
                 record.duration_s, record.language, ctx.now);
}

std::string JsonText(const nlohmann::json& json) {
  return json.dump(-1, ' ', /*ensure_ascii=*/false,
                   nlohmann::json::error_handler_t::replace);
}

// The provenance columns of a page's row: kind, show_url, episode_url,
// sources, errors.
struct Provenance {
  std::string kind;
  std::optional<std::string> show_url;
  std::optional<std::string> episode_url;
  std::string sources;
  std::string errors;
};

Provenance ProvenanceOf(const core::Record& record) {
  RecordKeys keys = KeysOf(record);
  return {std::string(core::PageKindName(record.kind)), std::move(keys.show),
          std::move(keys.episode), JsonText(nlohmann::json(record.sources)),
          JsonText(nlohmann::json(record.errors))};
}

SaveContext ContextOf(const core::Record& record, int64_t now) {
  return {StorageKey(record.url), std::nullopt, now};
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

Result<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                           const StoreOptions& options) {
  Result<Connection> db = OpenDatabase(path, options);
  if (!db) return db.error();
  return std::make_unique<Store>(std::move(db).value(), options);
}

// Copies the WAL into the database file without blocking readers (PASSIVE:
// pages a reader still uses stay in the WAL), so the database file alone is
// complete after a clean run. Errors are ignored: the WAL keeps the data.
Store::~Store() {
  std::lock_guard<std::mutex> lock(mutex_);
  db_.ClearCache();
  if (!db_.InTransaction())
    (void)db_.ExecScript("PRAGMA wal_checkpoint(PASSIVE)");
}

Result<PageSaveOutcome> Store::SavePage(const PageVersion& page,
                                        const core::Record& record,
                                        int64_t observed_at_ms) {
  Result<PreparedPage> prepared = PreparePage(page, record, observed_at_ms);
  if (!prepared) return prepared.error();
  return WritePage(*prepared);
}

Result<PreparedPage> Store::PreparePage(const PageVersion& page,
                                        const core::Record& record,
                                        int64_t observed_at_ms) {
  PreparedPage p;
  p.key = StorageKey(page.url);
  p.body_hash = ContentHash(page.body);
  const std::string record_json = RecordJson(record);
  p.record_hash = ContentHash(record_json);
  // Read outside a write transaction: an unchanged page (the common case on
  // a recrawl) takes no write lock at all.
  auto known = [&] {
    std::lock_guard<std::mutex> lock(mutex_);
    return db_.QueryOne(kPageHashes,
                        ReadColumns<std::string, std::string, int64_t>, p.key);
  }();
  if (!known) return known.error();
  p.body_changed =
      !*known || !SameContent(std::get<0>(**known), page.body, p.body_hash);
  p.record_changed =
      !*known || !SameContent(std::get<1>(**known), record_json, p.record_hash);
  if (*known && !p.body_changed && !p.record_changed) {
    p.rehash = std::get<0>(**known) != p.body_hash ||
               std::get<1>(**known) != p.record_hash;  // hashes of before 0.3
    p.add_provenance = std::get<2>(**known) != 0;  // a row of before schema 6
  }
  Provenance provenance = ProvenanceOf(record);
  p.kind = std::move(provenance.kind);
  p.show_url = std::move(provenance.show_url);
  p.episode_url = std::move(provenance.episode_url);
  p.sources = std::move(provenance.sources);
  p.errors = std::move(provenance.errors);
  if (p.record_changed) p.record = record;
  p.observed_at_ms = observed_at_ms;
  p.content_type = page.content_type;
  p.round_started_ms = page.round_started_ms;
  p.body_bytes = static_cast<int64_t>(page.body.size());
  if (p.body_changed && archive_) {
    Result<std::string> compressed = Compress(page.body);
    if (!compressed) return compressed.error();
    if (compressed->size() > static_cast<size_t>(INT32_MAX))
      return core::Error(ErrorCode::kStorage, "page too large to archive");
    p.compressed_body = std::move(compressed).value();
  }
  return p;
}

Result<PageSaveOutcome> Store::WritePage(const PreparedPage& p) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!p.body_changed && !p.record_changed) {
    if (p.rehash) {
      Status status = db_.Exec(kPageRehash, p.key, p.body_hash, p.record_hash);
      if (!status) return status.error();
    }
    if (p.add_provenance) {
      Status status = db_.Exec(kPageProvenance, p.key, p.kind, p.show_url,
                               p.episode_url, p.sources, p.errors);
      if (!status) return status.error();
    }
    return PageSaveOutcome::kUnchanged;
  }

  Result<Transaction> tx = Transaction::Begin(db_);
  if (!tx) return tx.error();
  if (p.record_changed) {
    SaveContext ctx = ContextOf(p.record, p.observed_at_ms);
    ctx.page_url = p.key;
    ctx.round_started_ms = p.round_started_ms;
    if (Status saved = SaveOne(db_, p.record, ctx); !saved)
      return saved.error();
  }
  if (p.compressed_body) {
    Status archived =
        db_.Exec(kInsertArchive, p.key, p.observed_at_ms, p.body_hash,
                 p.content_type, p.body_bytes, Blob{*p.compressed_body});
    if (!archived) return archived.error();
    if (keep_versions_ > 0 || max_age_ms_) {
      const int64_t cutoff =
          max_age_ms_ ? core::SaturatingAdd(p.observed_at_ms, -*max_age_ms_)
                      : INT64_MIN;
      Status trimmed =
          db_.Exec(kTrimPageVersions, p.key, keep_versions_, cutoff);
      if (!trimmed) return trimmed.error();
    }
  }
  Status status =
      db_.Exec(kUpsertPage, p.key, p.body_hash, p.record_hash, p.observed_at_ms,
               p.kind, p.show_url, p.episode_url, p.sources, p.errors);
  if (!status) return status.error();
  if (Status committed = tx->Commit(); !committed) return committed.error();
  return p.record_changed ? PageSaveOutcome::kStored
                          : PageSaveOutcome::kUnchanged;
}

Result<PruneResult> Store::PruneArchive(const PruneOptions& options) {
  const int64_t cutoff =
      options.retention.max_age_ms
          ? core::SaturatingAdd(options.now_ms, -*options.retention.max_age_ms)
          : INT64_MIN;
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Transaction> tx = Transaction::Begin(db_);
  if (!tx) return tx.error();
  auto counted =
      db_.QueryOne(kPruneCount, ReadColumns<int64_t, int64_t, int64_t, int64_t>,
                   options.retention.keep_versions, cutoff);
  if (!counted) return counted.error();
  PruneResult result;
  if (*counted) {
    std::tie(result.versions, result.pages, result.bytes, result.raw_bytes) =
        **counted;
  }
  if (!options.dry_run && result.versions > 0) {
    Status status =
        db_.Exec(kPruneDelete, options.retention.keep_versions, cutoff);
    if (!status) return status.error();
  }
  Result<int64_t> total = db_.QueryInt64("SELECT count(*) FROM page_archive");
  if (!total) return total.error();
  result.kept = options.dry_run ? *total - result.versions : *total;
  if (options.dry_run) return result;  // the transaction rolls back
  if (Status committed = tx->Commit(); !committed) return committed.error();
  return result;
}

Status Store::Vacuum() {
  std::lock_guard<std::mutex> lock(mutex_);
  // VACUUM fails while a statement of this connection is still active; the
  // cached ones are reset, but finalizing them costs nothing here.
  db_.ClearCache();
  if (Status status = db_.ExecScript("VACUUM"); !status) return status;
  // In WAL mode the rebuilt pages go to the WAL; the database file shrinks
  // when they are checkpointed (https://sqlite.org/lang_vacuum.html).
  return db_.ExecScript("PRAGMA wal_checkpoint(TRUNCATE)");
}

Result<DatabaseSize> Store::Size() {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<int64_t> pages = db_.QueryInt64("PRAGMA page_count");
  if (!pages) return pages.error();
  Result<int64_t> free_pages = db_.QueryInt64("PRAGMA freelist_count");
  if (!free_pages) return free_pages.error();
  Result<int64_t> page_size = db_.QueryInt64("PRAGMA page_size");
  if (!page_size) return page_size.error();
  return DatabaseSize{*pages * *page_size, *free_pages * *page_size};
}

Result<std::vector<int64_t>> Store::LatestArchivedPageIds() {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryAll(kLatestArchived, ReadColumns<int64_t>);
}

Result<ArchivedPage> Store::LoadArchivedPage(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = db_.QueryOne(
      kLoadArchived,
      [id](const Statement& s) {
        ArchivedPage page{id, s.ColumnText(0), s.ColumnInt64(1),
                          s.OptionalText(2), s.ColumnBlob(4)};
        return std::make_pair(std::move(page), s.ColumnInt64(3));
      },
      id);
  if (!row) return row.error();
  if (!*row) {
    return core::Error(ErrorCode::kStorage,
                       "no archived page with id " + std::to_string(id));
  }
  auto& [page, raw_bytes] = **row;
  Result<std::string> body = Decompress(page.body, raw_bytes);
  if (!body) {
    core::Error error = body.error();
    error.message =
        page.url + " (archive id " + std::to_string(id) + "): " + error.message;
    return error;
  }
  page.body = std::move(body).value();
  return std::move(page);
}

Status Store::SaveRecord(const core::Record& record, int64_t observed_at_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return InTransaction(db_, [&] {
    return SaveOne(db_, record, ContextOf(record, observed_at_ms));
  });
}

Status Store::SaveRecords(const std::vector<core::Record>& records,
                          int64_t observed_at_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return InTransaction(db_, [&]() -> Status {
    for (const core::Record& record : records) {
      if (Status status =
              SaveOne(db_, record, ContextOf(record, observed_at_ms));
          !status)
        return status;
    }
    return {};
  });
}

Status Store::LogFetch(const FetchLogEntry& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.Exec(kInsertFetch, entry.url, entry.final_url, entry.fetched_at_ms,
                  entry.status, entry.bytes, entry.duration_ms,
                  entry.content_type, entry.etag, entry.last_modified,
                  entry.error_code, entry.error_message);
}

Result<StoreCounts> Store::Counts() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto counts = db_.QueryOne(kCounts, [](const Statement& s) {
    return StoreCounts{s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnInt64(2),
                       s.ColumnInt64(3), s.ColumnInt64(4), s.ColumnInt64(5)};
  });
  if (!counts) return counts.error();
  return counts->value_or(StoreCounts{});
}

Result<std::optional<ShowRow>> Store::FindShow(std::string_view url) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryOne(
      kFindShow,
      [](const Statement& s) {
        return ShowRow{
            s.ColumnInt64(0),    s.ColumnText(1),    s.OptionalText(2),
            s.OptionalText(3),   s.OptionalText(4),  s.OptionalText(5),
            s.OptionalDouble(6), s.OptionalInt64(7), s.OptionalInt64(8),
            s.ColumnInt64(9),    s.ColumnInt64(10),  s.OptionalInt64(11)};
      },
      StorageKey(url));
}

Result<std::optional<EpisodeRow>> Store::FindEpisode(std::string_view url) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryOne(
      kFindEpisode,
      [](const Statement& s) {
        return EpisodeRow{
            s.ColumnInt64(0),  s.ColumnText(1),    s.OptionalText(2),
            s.OptionalText(3), s.OptionalText(4),  s.OptionalText(5),
            s.OptionalText(6), s.OptionalInt64(7), s.OptionalText(8),
            s.ColumnInt64(9),  s.ColumnInt64(10)};
      },
      StorageKey(url));
}

Result<std::vector<RelatedRow>> Store::RelatedShows(std::string_view show_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryAll(
      kRelatedOf,
      [](const Statement& s) {
        return RelatedRow{s.ColumnText(0), s.OptionalText(1), s.ColumnInt64(2),
                          s.OptionalInt64(3), s.ColumnInt64(4)};
      },
      StorageKey(show_url));
}

Result<std::vector<RatingSnapshot>> Store::RatingHistory(
    std::string_view show_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryAll(
      kRatingHistory,
      [](const Statement& s) {
        return RatingSnapshot{s.ColumnInt64(0), s.OptionalDouble(1),
                              s.OptionalInt64(2)};
      },
      StorageKey(show_url));
}

Result<std::vector<ListenerSnapshot>> Store::ListenerHistory(
    std::string_view show_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryAll(
      kListenerHistory,
      [](const Statement& s) {
        return ListenerSnapshot{s.ColumnInt64(0), s.ColumnInt64(1),
                                s.OptionalText(2)};
      },
      StorageKey(show_url));
}

Result<std::vector<RelatedEvent>> Store::RelatedHistory(
    std::string_view show_url) {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryAll(
      kRelatedHistory,
      [](const Statement& s) {
        return RelatedEvent{s.ColumnInt64(0), s.ColumnText(1), s.ColumnText(2),
                            s.OptionalInt64(3), s.OptionalInt64(4)};
      },
      StorageKey(show_url));
}

Result<int64_t> Store::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryInt64("PRAGMA user_version");
}

}  // namespace storage
