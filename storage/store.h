// Store: podcrawl's SQLite database (DESIGN.md "Storage"). Deduplicated shows
// and episodes keyed by canonical URL, related shows, rating and listener
// history, and a log of every fetch. WAL mode, busy timeout, migrations by
// PRAGMA user_version (storage/schema.h), prepared statements only, one
// transaction per page. The schema is documented at the top of
// storage/schema.cc, how a record is stored at the top of storage/store.cc.
//
// Storage has no clock: callers pass observation times (Unix milliseconds),
// expected not to go backwards from one call to the next.
//
// Thread-safety: every method may be called from several threads; calls are
// serialised on the one connection the Store owns.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "storage/schema.h"
#include "storage/sqlite.h"

namespace storage {

struct FetchLogEntry {
  std::string url;
  std::optional<std::string> final_url;
  int64_t fetched_at_ms = 0;
  long status = 0;  // NOLINT(google-runtime-int): 0 when no response arrived
  int64_t bytes = 0;
  int64_t duration_ms = 0;
  std::optional<std::string> content_type;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string>
      error_code;  // core::ErrorCodeName, when the fetch failed
  std::optional<std::string> error_message;
};

// Row counts, for `podcrawl stats` and tests.
struct StoreCounts {
  int64_t shows = 0;
  int64_t episodes = 0;
  int64_t related_shows =
      0;  // rows of related_shows (show -> related show edges)
  int64_t rating_snapshots = 0;
  int64_t listener_snapshots = 0;
  int64_t fetches = 0;
};

// One row of `shows`.
struct ShowRow {
  int64_t id = 0;
  std::string url;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> feed_url;
  std::optional<std::string> language;
  std::optional<double> rating_value;
  std::optional<int64_t> rating_count;
  std::optional<int64_t> listeners;
  int64_t first_seen_ms = 0;
  int64_t last_seen_ms = 0;
  std::optional<int64_t> last_page_ms;
};

// One row of `episodes`, with its show's URL.
struct EpisodeRow {
  int64_t id = 0;
  std::string url;
  std::optional<std::string> show_url;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> audio_url;
  std::optional<std::string> published;
  std::optional<int64_t> duration_s;
  std::optional<std::string> language;
  int64_t first_seen_ms = 0;
  int64_t last_seen_ms = 0;
};

// One edge of `related_shows`, with the related show's URL and name.
struct RelatedRow {
  std::string url;
  std::optional<std::string> name;
  int64_t position = 0;  // 1-based, in page order
  std::optional<int64_t> listeners;
  int64_t observed_ms = 0;
};

struct RatingSnapshot {
  int64_t observed_ms = 0;
  std::optional<double> value;
  std::optional<int64_t> count;
};

struct ListenerSnapshot {
  int64_t observed_ms = 0;
  int64_t listeners = 0;
  // The page whose related list showed the count (as in pages.url); nullopt
  // for snapshots written before schema 6.
  std::optional<std::string> page_url = std::nullopt;
};

// One change of a show's related list (related_events), oldest first.
struct RelatedEvent {
  int64_t observed_ms = 0;
  std::string change;  // "added", "moved" or "removed"
  std::string related_url;
  std::optional<int64_t> position;      // in the new list; none when removed
  std::optional<int64_t> old_position;  // in the old list; none when added
};

// What Store::PruneArchive removes (or, dry run, would remove).
struct PruneOptions {
  // keep_versions and max_age_ms (from now_ms) are the retention applied;
  // `enabled` is not read.
  core::ArchiveSettings retention{};
  int64_t now_ms = 0;
  bool dry_run = false;  // count only; nothing is deleted
};

struct PruneResult {
  int64_t versions = 0;   // page_archive rows removed
  int64_t pages = 0;      // distinct pages they belonged to
  int64_t bytes = 0;      // their compressed bytes (body_z)
  int64_t raw_bytes = 0;  // their size before compression
  int64_t kept = 0;       // page_archive rows left
};

// The size of the database file as SQLite sees it (PRAGMA page_count and
// freelist_count times page_size): `free_bytes` of `bytes` are free pages that
// later writes reuse and VACUUM gives back.
struct DatabaseSize {
  int64_t bytes = 0;
  int64_t free_bytes = 0;
};

// One fetched page version, for Store::SavePage.
struct PageVersion {
  std::string url;        // as fetched; stored under StorageKey(url)
  std::string_view body;  // the bytes as received (must outlive the call)
  std::optional<std::string> content_type;
  // When the crawl (or schedule round) that fetched the page began: listener
  // counts read by other pages at or after this time belong to the same
  // round (see "Listener counts" at the top of store.cc). nullopt: a round
  // of its own.
  std::optional<int64_t> round_started_ms = std::nullopt;
};

// What Store::PreparePage found for one page, for Store::WritePage.
struct PreparedPage {
  std::string key;  // StorageKey of the page's URL
  std::string body_hash;
  std::string record_hash;
  bool body_changed = true;
  bool record_changed = true;
  bool rehash = false;          // unchanged, but its hashes are of before 0.3
  bool add_provenance = false;  // unchanged, but its row is of before schema 6
  core::Record record;
  // The provenance columns of `pages` (kind, show and episode keys, the
  // record's sources and errors as JSON).
  std::string kind;
  std::optional<std::string> show_url;
  std::optional<std::string> episode_url;
  std::string sources;
  std::string errors;
  int64_t observed_at_ms = 0;
  std::optional<std::string> content_type;
  std::optional<int64_t> round_started_ms;
  int64_t body_bytes = 0;
  // The body, zstd-compressed, when it is to be archived.
  std::optional<std::string> compressed_body;
};

enum class PageSaveOutcome {
  kUnchanged,  // same record as last time: nothing written
  kStored,     // the record was stored (new page, or its content changed)
};

// One version of a page from page_archive, decompressed.
struct ArchivedPage {
  int64_t id = 0;
  std::string url;
  int64_t fetched_at_ms = 0;
  std::optional<std::string> content_type;
  std::string body;
};

// Returns the key of a show known only by name on a page of `page_url` (an
// episode page that does not link its show, or a related show without a link):
// "podcrawl-show://HOST/NAME", HOST the page's lowercased host, NAME the show
// name trimmed, runs of whitespace collapsed to one space, ASCII letters
// lowercased, and percent-encoded (RFC 3986 unreserved characters kept).
// Stable: the same host and name always give the same key.
std::string SyntheticShowKey(std::string_view page_url,
                             std::string_view show_name);

// Returns the form under which `url` is stored: core::NormalizeUrl's result
// when it accepts the URL, else `url` unchanged. Lookups (FindShow, ...) apply
// it too.
std::string StorageKey(std::string_view url);

class Store {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for tests;
  // "file:" URIs are accepted) and migrates it to the current schema. Fails
  // with kStorage naming the path and SQLite's message, or when the database
  // comes from a newer podcrawl.
  static core::Result<std::unique_ptr<Store>> Open(
      const std::string& path, const StoreOptions& options = {});

  // Makes a store on `db`, opened by OpenDatabase, archiving and pruning page
  // versions as `options.archive` says.
  Store(Connection db, const StoreOptions& options)
      : shared_(std::make_shared<SharedConnection>(std::move(db))),
        mutex_(shared_->mutex),
        db_(shared_->db),
        archive_(options.archive.enabled),
        keep_versions_(options.archive.keep_versions),
        max_age_ms_(options.archive.max_age_ms) {}
  // Copies the WAL into the database file without blocking readers. Not
  // copyable or movable (it holds a mutex): callers share it by pointer.
  ~Store();

  // Stores one page's record in one transaction: upserts the show (and the
  // episode, for an episode page) keyed by canonical URL, replaces the show's
  // related shows, and writes nothing else on failure. Idempotent: saving the
  // same record twice leaves the same rows.
  core::Status SaveRecord(const core::Record& record, int64_t observed_at_ms);

  // Stores several records in one transaction (all or nothing), with
  // SaveRecord's rules; records later in the list win where they disagree.
  core::Status SaveRecords(const std::vector<core::Record>& records,
                           int64_t observed_at_ms);

  // Stores one fetched page: compares the hash of `record` (its JSON) with the
  // one kept in `pages` for the page's URL; when unchanged, writes nothing and
  // returns kUnchanged. Otherwise stores the record as SaveRecord does, updates
  // `pages` (with the record's kind, keys, sources and errors), and (archive
  // on, and the body's hash changed) appends the compressed body to
  // page_archive and applies the retention of StoreOptions to that page's
  // versions, all in one transaction.
  core::Result<PageSaveOutcome> SavePage(const PageVersion& page,
                                         const core::Record& record,
                                         int64_t observed_at_ms);

  // SavePage in two halves, for a crawl that writes pages in batches:
  // PreparePage does what needs no write (hashes, the record's JSON, the
  // comparison with the stored hashes, the body's compression when it is to be
  // archived) and may run on any thread, several at once; WritePage writes
  // what PreparePage found, in one transaction (a savepoint of the batch when
  // one is open on the connection: FrontierStore::BeginBatch). Between the
  // two, no other save of the same URL may run.
  core::Result<PreparedPage> PreparePage(const PageVersion& page,
                                         const core::Record& record,
                                         int64_t observed_at_ms);
  core::Result<PageSaveOutcome> WritePage(const PreparedPage& prepared);

  // Returns the connection, shared with a frontier store opened on it
  // (OpenFrontierStore(Store*)).
  std::shared_ptr<SharedConnection> shared_connection() const {
    return shared_;
  }

  // Returns the page_archive ids of the latest archived version of every URL,
  // in URL order (for `podcrawl reparse`).
  core::Result<std::vector<int64_t>> LatestArchivedPageIds();
  // Returns one archived version, decompressed. Fails with kStorage when the
  // id is unknown or the stored bytes do not decompress.
  core::Result<ArchivedPage> LoadArchivedPage(int64_t id);

  // Removes the archived versions that `options` do not keep, in one
  // transaction: per page, versions past the newest keep_versions and
  // versions fetched before now_ms - max_age_ms; the newest version of a page
  // always stays. The freed space is reused by later writes; Vacuum gives it
  // back to the file system.
  core::Result<PruneResult> PruneArchive(const PruneOptions& options);

  // Rebuilds the database file without its free pages (VACUUM), then
  // truncates the WAL. Needs no other connection to be writing; fails with
  // kStorage (SQLite's "database is locked") when one is.
  core::Status Vacuum();

  // Returns the size of the database (DatabaseSize).
  core::Result<DatabaseSize> Size();

  // Appends one row to the fetch log.
  core::Status LogFetch(const FetchLogEntry& entry);

  // Returns the row counts of the main tables.
  core::Result<StoreCounts> Counts();

  // Returns the show or episode stored under `url` (see StorageKey), or
  // nullopt.
  core::Result<std::optional<ShowRow>> FindShow(std::string_view url);
  core::Result<std::optional<EpisodeRow>> FindEpisode(std::string_view url);

  // Returns the related shows of the show at `show_url`, in page order.
  core::Result<std::vector<RelatedRow>> RelatedShows(std::string_view show_url);

  // Returns the rating / listener history of the show at `show_url`, oldest
  // first.
  core::Result<std::vector<RatingSnapshot>> RatingHistory(
      std::string_view show_url);
  core::Result<std::vector<ListenerSnapshot>> ListenerHistory(
      std::string_view show_url);
  // Returns the changes of the related list of the show at `show_url`, oldest
  // first.
  core::Result<std::vector<RelatedEvent>> RelatedHistory(
      std::string_view show_url);

  // Returns PRAGMA user_version.
  core::Result<int64_t> SchemaVersion();

 private:
  std::shared_ptr<SharedConnection> shared_;
  std::mutex& mutex_;  // shared_->mutex
  Connection& db_;     // shared_->db
  bool archive_ = true;
  int64_t keep_versions_ = 0;
  std::optional<int64_t> max_age_ms_;
};

}  // namespace storage
