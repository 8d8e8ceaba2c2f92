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
//   times stay; the fetches row says the page was fetched).
#include "storage/store.h"

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/ascii.h"
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

Status SnapshotListeners(Connection& db, int64_t show_id, int64_t listeners,
                         int64_t now) {
  auto latest = db.QueryOne(kLatestListeners, ReadColumns<int64_t>, show_id);
  if (!latest) return latest.error();
  if (*latest == listeners) return {};  // unchanged
  return db.Exec(kInsertListeners, show_id, now, listeners);
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
      is_show_page ? record.language : no_text, rating_value, rating_count,
      now);
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

Status ReplaceRelated(Connection& db, int64_t show_id,
                      const core::Record& record, int64_t now) {
  Result<std::vector<int64_t>> old_ids =
      db.QueryAll(kRelatedIds, ReadColumns<int64_t>, show_id);
  if (!old_ids) return old_ids.error();
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
    if (related.listeners) {
      status = SnapshotListeners(db, **related_id, *related.listeners, now);
      if (!status) return status;
    }
  }
  for (int64_t old_id : *old_ids) {
    if (new_ids.contains(old_id)) continue;
    if (Status status = db.Exec(kDeleteRelated, show_id, old_id); !status)
      return status;
  }
  return {};
}

// Writes one record inside the caller's transaction.
Status SaveOne(Connection& db, const core::Record& record, int64_t now) {
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
        UpsertShow(db, *show_key, show_name, record, is_show_page, now);
    if (!id) return id.error();
    show_id = *id;
    if (!record.related_shows.empty()) {
      Status status = ReplaceRelated(db, *show_id, record, now);
      if (!status) return status;
    }
  }
  if (!is_episode_page) return {};
  return db.Exec(kUpsertEpisode, StorageKey(record.key_url()), show_id,
                 record.episode_title, record.description, record.audio_url,
                 record.published, record.duration_s, record.language, now);
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
  return std::make_unique<Store>(std::move(db).value(), options.archive);
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
  const std::string key = StorageKey(page.url);
  const std::string body_hash = ContentHash(page.body);
  const std::string record_hash = RecordHash(record);
  std::lock_guard<std::mutex> lock(mutex_);
  // Read outside a write transaction first: an unchanged page (the common
  // case on a recrawl) takes no write lock at all.
  auto known =
      db_.QueryOne(kPageHashes, ReadColumns<std::string, std::string>, key);
  if (!known) return known.error();
  const bool body_changed = !*known || std::get<0>(**known) != body_hash;
  const bool record_changed = !*known || std::get<1>(**known) != record_hash;
  if (!body_changed && !record_changed) return PageSaveOutcome::kUnchanged;

  Result<Transaction> tx = Transaction::Begin(db_);
  if (!tx) return tx.error();
  if (record_changed) {
    if (Status saved = SaveOne(db_, record, observed_at_ms); !saved)
      return saved.error();
  }
  if (body_changed && archive_) {
    Result<std::string> compressed = Compress(page.body);
    if (!compressed) return compressed.error();
    if (compressed->size() > static_cast<size_t>(INT32_MAX))
      return core::Error(ErrorCode::kStorage, "page too large to archive");
    Status archived = db_.Exec(
        kInsertArchive, key, observed_at_ms, body_hash, page.content_type,
        static_cast<int64_t>(page.body.size()), Blob{*compressed});
    if (!archived) return archived.error();
  }
  Status status =
      db_.Exec(kUpsertPage, key, body_hash, record_hash, observed_at_ms);
  if (!status) return status.error();
  if (Status committed = tx->Commit(); !committed) return committed.error();
  return record_changed ? PageSaveOutcome::kStored
                        : PageSaveOutcome::kUnchanged;
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
  return InTransaction(db_,
                       [&] { return SaveOne(db_, record, observed_at_ms); });
}

Status Store::SaveRecords(const std::vector<core::Record>& records,
                          int64_t observed_at_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  return InTransaction(db_, [&]() -> Status {
    for (const core::Record& record : records) {
      if (Status status = SaveOne(db_, record, observed_at_ms); !status)
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
        return ListenerSnapshot{s.ColumnInt64(0), s.ColumnInt64(1)};
      },
      StorageKey(show_url));
}

Result<int64_t> Store::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mutex_);
  return db_.QueryInt64("PRAGMA user_version");
}

}  // namespace storage
