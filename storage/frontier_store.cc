// core::FrontierStore on the SQLite table `frontier` (schema:
// storage/schema.cc).
//
// Claiming. The due URLs are read in claim order straight from an index
// (frontier_by_due: schedule, state, next_fetch_ms, depth, id, host), so a
// claim reads only a window of the earliest due rows (2 x limit + 256 index
// entries) and the table rows of the URLs it claims (UPDATE ... RETURNING).
// Skipped hosts are filtered in SQL within that window (json_each over a bound
// JSON array): a plain filtered scan would walk every due row of a skipped
// host, and in a one-site crawl the one host is skipped whenever it is at its
// concurrency limit, which would make each claim read the whole frontier. When
// the window is full yet yields too few URLs, the claim goes host by host
// instead (frontier_by_host: schedule, state, host, ...): it steps from one
// queued host to the next with one index seek each, jumps over the skipped
// ones, and reads each remaining host's earliest due entries. Its cost grows
// with the number of hosts, not of URLs.
//
// Partitions. Every statement names the store's schedule (`schedule = ?1`),
// the first column of every index, so a partition is a range of each index
// and one schedule's rows never slow another's claims.
//
// Recrawl. With a policy, Complete reads the row's depth, kind and interval
// first (one lookup by the UNIQUE index), computes the next interval in C++
// (core::NextRecrawlIntervalMs) and writes it with the mark, in one
// transaction.
#include "storage/frontier_store.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/url.h"
#include "storage/sqlite.h"

namespace storage {
namespace {

using core::ErrorCode;
using core::FrontierCounts;
using core::FrontierEntry;
using core::NewUrl;
using core::Result;
using core::Status;

// Rows of the claim window beyond `limit`: enough that a few skipped hosts
// among the earliest due URLs rarely force the host-by-host claim.
constexpr int64_t kClaimWindowSlack = 256;
// Claim's `limit` is capped here, keeping the window arithmetic far from
// overflow and one claim's transaction short.
constexpr size_t kMaxClaim = 65'536;

// Every statement works within one partition: `schedule = ?1`, the first
// column of every index of the table, so each partition's rows are a range of
// its own in each index.

// Most links a crawl finds are known already: a lookup opens one cursor where
// the INSERT opens one per index, and the host is computed only for new URLs.
constexpr std::string_view kKnown = R"sql(
SELECT 1 FROM frontier WHERE schedule = ?1 AND url = ?2
)sql";

// ?6: the page whose links hold the URL (NULL for seeds and Add); ?7 1 for a
// sitemap, ?8 its sitemap lastmod.
constexpr std::string_view kAdd = R"sql(
INSERT INTO frontier (schedule, url, host, state, depth, next_fetch_ms, added_ms, referrer,
                      sitemap, lastmod_ms)
VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5, ?6, ?7, ?8)
ON CONFLICT (schedule, url) DO NOTHING
)sql";

// A known URL a sitemap dates ?3: the date is kept, and a URL done or failed
// whose last fetch came before it is queued again, due at ?4 (one queued for
// later is due at ?4 too). One in flight is left alone.
constexpr std::string_view kLastmod = R"sql(
UPDATE frontier SET
  lastmod_ms    = MAX(COALESCE(lastmod_ms, ?3), ?3),
  state         = CASE WHEN state IN ('done', 'failed') AND COALESCE(last_fetch_ms, 0) < ?3
                       THEN 'queued' ELSE state END,
  attempts      = CASE WHEN state IN ('done', 'failed') AND COALESCE(last_fetch_ms, 0) < ?3
                       THEN 0 ELSE attempts END,
  next_fetch_ms = CASE WHEN state = 'in_flight' OR COALESCE(last_fetch_ms, 0) >= ?3
                         THEN next_fetch_ms
                       WHEN state = 'queued' THEN MIN(next_fetch_ms, ?4)
                       ELSE ?4 END
WHERE schedule = ?1 AND url = ?2
)sql";

// A URL in flight is left alone: its fetch is under way, and RequeueInFlight
// returns it if the process that claimed it died.
constexpr std::string_view kRequeue = R"sql(
INSERT INTO frontier (schedule, url, host, state, depth, next_fetch_ms, added_ms, sitemap)
VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5, ?6)
ON CONFLICT (schedule, url) DO UPDATE SET
  state         = 'queued',
  next_fetch_ms = excluded.next_fetch_ms,
  attempts      = 0,
  depth         = MIN(depth, excluded.depth),
  sitemap       = MAX(sitemap, excluded.sitemap)
WHERE state <> 'in_flight'
)sql";

// The window: the earliest `?3` due rows, read from the covering index
// frontier_by_due, then filtered by host. Claim order is (next_fetch_ms, depth,
// id): the same time and depth go first in, first out.
constexpr std::string_view kClaimWindow = R"sql(
SELECT id, next_fetch_ms, depth
FROM (SELECT id, host, next_fetch_ms, depth FROM frontier
      WHERE schedule = ?1 AND state = 'queued' AND next_fetch_ms <= ?2
      ORDER BY next_fetch_ms, depth, id LIMIT ?3)
WHERE host NOT IN (SELECT value FROM json_each(?4))
ORDER BY next_fetch_ms, depth, id
LIMIT ?5
)sql";

constexpr std::string_view kCountWindow = R"sql(
SELECT count(*) FROM (SELECT 1 FROM frontier
                      WHERE schedule = ?1 AND state = 'queued' AND next_fetch_ms <= ?2
                      LIMIT ?3)
)sql";

constexpr std::string_view kFirstQueuedHost = R"sql(
SELECT host FROM frontier
WHERE schedule = ?1 AND state = 'queued' AND host >= ?2 ORDER BY host LIMIT 1
)sql";

constexpr std::string_view kNextQueuedHost = R"sql(
SELECT host FROM frontier
WHERE schedule = ?1 AND state = 'queued' AND host > ?2 ORDER BY host LIMIT 1
)sql";

// One host's earliest due rows that come before (?5, ?6, ?7) in claim order,
// from the covering index frontier_by_host. The caller passes ?3 <= ?5: the
// row value alone is only a filter, the bound on next_fetch_ms ends the range.
constexpr std::string_view kClaimHost = R"sql(
SELECT id, next_fetch_ms, depth FROM frontier
WHERE schedule = ?1 AND state = 'queued' AND host = ?2 AND next_fetch_ms <= ?3
  AND (next_fetch_ms, depth, id) < (?5, ?6, ?7)
ORDER BY next_fetch_ms, depth, id LIMIT ?4
)sql";

constexpr std::string_view kMarkInFlight = R"sql(
UPDATE frontier SET state = 'in_flight', last_fetch_ms = ?2 WHERE id = ?1
RETURNING url, depth, attempts, next_fetch_ms, etag, last_modified, sitemap
)sql";

// What Complete needs to know of the row before it marks it: the recrawl
// interval depends on its depth, kind and current interval.
constexpr std::string_view kCompleteLookup = R"sql(
SELECT id, depth, kind, interval_ms, sitemap FROM frontier WHERE schedule = ?1 AND url = ?2
)sql";

// A validator the response did not carry (a 304 often omits them) keeps its
// stored value: sending a stale one costs at worst a full answer. The kind,
// the interval and the next due time are kept when NULL is passed (an
// unparsed page; a partition without recrawl policy).
constexpr std::string_view kComplete = R"sql(
UPDATE frontier SET
  state         = 'done',
  last_fetch_ms = ?2,
  etag          = COALESCE(?3, etag),
  last_modified = COALESCE(?4, last_modified),
  attempts      = 0,
  last_error    = NULL,
  kind          = COALESCE(?5, kind),
  interval_ms   = COALESCE(?6, interval_ms),
  next_fetch_ms = COALESCE(?7, next_fetch_ms)
WHERE id = ?1
)sql";

constexpr std::string_view kRetry = R"sql(
UPDATE frontier SET
  state         = 'queued',
  next_fetch_ms = ?3,
  attempts      = attempts + ?4,
  last_error    = CASE WHEN ?4 THEN ?5 ELSE last_error END
WHERE schedule = ?1 AND url = ?2
)sql";

// With a recrawl policy (?5 = its failed_ms, else NULL) a failed URL is due
// again after failed_ms, a seed never by interval (?6 = kNeverDueMs). The
// caller passes ?3 + ?5 as ?7, computed without overflow.
constexpr std::string_view kFail = R"sql(
UPDATE frontier SET
  state         = 'failed',
  last_fetch_ms = ?3,
  last_error    = ?4,
  next_fetch_ms = CASE WHEN ?5 IS NULL THEN next_fetch_ms
                       WHEN depth = 0 THEN ?6
                       ELSE ?7 END
WHERE schedule = ?1 AND url = ?2
)sql";

// `crawl --recrawl`: the done rows of the partition, read in the range
// (schedule, 'done') of frontier_by_due. Validators are kept: the fetch is a
// conditional GET.
constexpr std::string_view kRequeueDone = R"sql(
UPDATE frontier SET state = 'queued', next_fetch_ms = ?2, attempts = 0
WHERE schedule = ?1 AND state = 'done'
  AND (lastmod_ms IS NULL OR COALESCE(last_fetch_ms, 0) < lastmod_ms)
)sql";

// MIN keeps the place in the claim order of a URL that was due long ago.
constexpr std::string_view kRequeueInFlight = R"sql(
UPDATE frontier SET state = 'queued', next_fetch_ms = MIN(next_fetch_ms, ?2)
WHERE schedule = ?1 AND state = 'in_flight'
)sql";

// The counts by state come from frontier_counts (kept by triggers); the URLs
// not due yet are counted in frontier_by_due, a range that is short while a
// crawl runs (retries waiting for their backoff). A partition without a row
// of some state has none in it.
constexpr std::string_view kCounts = R"sql(
SELECT (SELECT n FROM frontier_counts WHERE schedule = ?1 AND state = 'queued'),
       (SELECT count(*) FROM frontier
        WHERE schedule = ?1 AND state = 'queued' AND next_fetch_ms > ?2),
       (SELECT n FROM frontier_counts WHERE schedule = ?1 AND state = 'in_flight'),
       (SELECT n FROM frontier_counts WHERE schedule = ?1 AND state = 'done'),
       (SELECT n FROM frontier_counts WHERE schedule = ?1 AND state = 'failed')
)sql";

constexpr std::string_view kNextDue = R"sql(
SELECT min(next_fetch_ms) FROM frontier WHERE schedule = ?1 AND state = 'queued'
)sql";

// Every partition's failed rows: one range of frontier_by_due per schedule
// (the partitions are those of frontier_counts), sorted for reading.
constexpr std::string_view kFailures = R"sql(
SELECT schedule, url, last_error, referrer, attempts, last_fetch_ms FROM frontier
WHERE schedule IN (SELECT DISTINCT schedule FROM frontier_counts) AND state = 'failed'
ORDER BY schedule, url
)sql";

// A claimable row: its id and its place in the claim order.
struct Candidate {
  int64_t id = 0;
  int64_t next_fetch_ms = 0;
  int64_t depth = 0;

  auto OrderKey() const { return std::tie(next_fetch_ms, depth, id); }
};

// Reads a row (id, next_fetch_ms, depth).
Candidate ReadCandidate(const Statement& s) {
  return {s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnInt64(2)};
}

// Keeps the first `limit` candidates in claim order, sorted.
void KeepFirst(std::vector<Candidate>* candidates, size_t limit) {
  auto less = [](const Candidate& a, const Candidate& b) {
    return a.OrderKey() < b.OrderKey();
  };
  if (candidates->size() > limit) {
    std::partial_sort(candidates->begin(),
                      candidates->begin() + static_cast<ptrdiff_t>(limit),
                      candidates->end(), less);
    candidates->resize(limit);
  } else {
    std::sort(candidates->begin(), candidates->end(), less);
  }
}

Status NotInFrontier(std::string_view what, const std::string& url) {
  return core::Error(ErrorCode::kInvalidArgument,
                     std::string(what) + ": URL not in the frontier: " + url);
}

class SqliteFrontierStore final : public core::FrontierStore {
 public:
  SqliteFrontierStore(std::shared_ptr<SharedConnection> shared,
                      FrontierPartition partition)
      : partition_(std::move(partition)),
        shared_(std::move(shared)),
        mutex_(shared_->mutex),
        db_(shared_->db) {}

  ~SqliteFrontierStore() override {
    if (batch_) (void)CommitBatch();
  }

  Status BeginBatch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (batch_) return {};
    // Not a Transaction object: the batch stays open across calls, and
    // everything written on the connection meanwhile (this store's
    // transactions and those of a records store sharing the connection)
    // becomes a savepoint of it.
    if (Status begun = db_.ExecScript("BEGIN IMMEDIATE"); !begun) return begun;
    batch_ = true;
    return {};
  }

  Status CommitBatch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!batch_) return {};
    batch_ = false;
    if (!db_.InTransaction()) {  // SQLite rolled it back after an I/O error
      SettleKnown(false);
      return core::Error(
          ErrorCode::kStorage,
          "the batch's transaction was rolled back: " + db_.path());
    }
    Status committed = db_.ExecScript("COMMIT");
    if (!committed) (void)db_.ExecScript("ROLLBACK");
    SettleKnown(committed.has_value());
    return committed;
  }

  Result<int64_t> Add(const std::vector<NewUrl>& urls,
                      int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const size_t mark = pending_known_.size();
    Result<int64_t> added =
        InTransaction(db_, [&] { return AddUrls(urls, now_ms, std::nullopt); });
    SettleCall(mark, added.has_value());
    return added;
  }

  Status Requeue(const std::vector<NewUrl>& urls, int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction(db_, [&]() -> Status {
      for (const NewUrl& url : urls) {
        const std::string key = StorageKey(url.url);
        Status status = db_.Exec(kRequeue, schedule(), key, core::UrlHost(key),
                                 url.depth, now_ms, url.sitemap ? 1 : 0);
        if (!status) return status;
      }
      return {};
    });
  }

  Result<std::vector<FrontierEntry>> Claim(
      size_t limit, int64_t now_ms,
      const std::vector<std::string>& skip_hosts) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<FrontierEntry> claimed;
    limit = std::min(limit, kMaxClaim);
    if (limit == 0) return claimed;
    // BEGIN IMMEDIATE: no other connection can claim between select and
    // update.
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    const auto window = static_cast<int64_t>(limit) * 2 + kClaimWindowSlack;
    // The skipped hosts as a JSON array of strings, for json_each.
    const std::string skip_json =
        nlohmann::json(skip_hosts)
            .dump(-1, ' ', /*ensure_ascii=*/false,
                  nlohmann::json::error_handler_t::replace);
    Result<std::vector<Candidate>> candidates =
        db_.QueryAll(kClaimWindow, ReadCandidate, schedule(), now_ms, window,
                     skip_json, limit);
    if (!candidates) return candidates.error();
    if (candidates->size() < limit && !skip_hosts.empty()) {
      Result<std::optional<int64_t>> due = db_.QueryOne(
          kCountWindow, ReadColumns<int64_t>, schedule(), now_ms, window);
      if (!due) return due.error();
      if (due->value_or(0) >= window) {  // the window is full
        candidates->clear();
        Status status = ClaimByHost(limit, now_ms, skip_hosts, &*candidates);
        if (!status) return status.error();
      }
    }
    claimed.reserve(candidates->size());
    for (const Candidate& candidate : *candidates) {
      Result<std::optional<FrontierEntry>> entry = db_.QueryOne(
          kMarkInFlight,
          [](const Statement& s) {
            return FrontierEntry{s.ColumnText(0),      s.Column<int>(1),
                                 s.Column<int>(2),     s.ColumnInt64(3),
                                 s.OptionalText(4),    s.OptionalText(5),
                                 s.ColumnInt64(6) != 0};
          },
          candidate.id, now_ms);
      if (!entry) return entry.error();
      if (!*entry) {
        return core::Error(ErrorCode::kInternal,
                           "claimed frontier row vanished: id " +
                               std::to_string(candidate.id));
      }
      claimed.push_back(std::move(**entry));
    }
    if (Status status = tx->Commit(); !status) return status.error();
    return claimed;
  }

  Status Complete(const std::string& url, int64_t now_ms,
                  const core::PageVisit& visit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    std::string key = StorageKey(url);
    auto row =
        db_.QueryOne(kCompleteLookup,
                     ReadColumns<int64_t, int64_t, std::optional<std::string>,
                                 std::optional<int64_t>, int64_t>,
                     schedule(), key);
    if (!row) return row.error();
    if (!*row) return NotInFrontier("Complete", key);
    const auto& [id, depth, stored_kind_name, stored_interval, sitemap] = **row;
    core::PageKind stored_kind = stored_kind_name
                                     ? core::PageKindFromName(*stored_kind_name)
                                     : core::PageKind::kUnknown;
    if (sitemap != 0) stored_kind = core::PageKind::kSitemap;
    // The kind column names what a page's parse found; a sitemap is marked
    // by its own column.
    std::optional<std::string_view> kind;
    if (visit.kind != core::PageKind::kUnknown &&
        visit.kind != core::PageKind::kSitemap)
      kind = core::PageKindName(visit.kind);
    std::optional<int64_t> interval;
    std::optional<int64_t> next_fetch_ms;
    if (partition_.recrawl) {
      const core::PageKind recrawl_kind =
          visit.kind != core::PageKind::kUnknown ? visit.kind : stored_kind;
      interval = core::NextRecrawlIntervalMs(*partition_.recrawl, recrawl_kind,
                                             stored_interval, visit.changed);
      next_fetch_ms =
          depth == 0 ? kNeverDueMs : core::SaturatingAdd(now_ms, *interval);
    }
    Status status =
        db_.Exec(kComplete, id, now_ms, visit.etag, visit.last_modified, kind,
                 interval, next_fetch_ms);
    if (!status) return status;
    const size_t mark = pending_known_.size();
    Result<int64_t> added = AddUrls(visit.links, now_ms, key);
    Status committed = added ? tx->Commit() : Status(added.error());
    SettleCall(mark, committed.has_value());
    return committed;
  }

  Status Retry(const std::string& url, int64_t next_fetch_ms,
               bool count_attempt, const std::string& error) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = StorageKey(url);
    Status status = db_.Exec(kRetry, schedule(), key, next_fetch_ms,
                             count_attempt ? 1 : 0, error);
    if (!status) return status;
    if (db_.Changes() == 0) return NotInFrontier("Retry", key);
    return {};
  }

  Status Fail(const std::string& url, int64_t now_ms,
              const std::string& error) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = StorageKey(url);
    std::optional<int64_t> failed_ms;
    int64_t due_again_ms = now_ms;
    if (partition_.recrawl) {
      failed_ms = partition_.recrawl->failed_ms;
      due_again_ms =
          core::SaturatingAdd(now_ms, std::max<int64_t>(*failed_ms, 0));
    }
    Status status = db_.Exec(kFail, schedule(), key, now_ms, error, failed_ms,
                             kNeverDueMs, due_again_ms);
    if (!status) return status;
    if (db_.Changes() == 0) return NotInFrontier("Fail", key);
    return {};
  }

  Result<int64_t> RequeueDone(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (Status status = db_.Exec(kRequeueDone, schedule(), now_ms); !status)
      return status.error();
    return db_.Changes();
  }

  Result<int64_t> RequeueInFlight(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (Status status = db_.Exec(kRequeueInFlight, schedule(), now_ms); !status)
      return status.error();
    return db_.Changes();
  }

  Result<FrontierCounts> Counts(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto counts = db_.QueryOne(
        kCounts,
        [](const Statement& s) {
          const int64_t queued = s.ColumnInt64(0);
          return FrontierCounts{queued, queued - s.ColumnInt64(1),
                                s.ColumnInt64(2), s.ColumnInt64(3),
                                s.ColumnInt64(4)};
        },
        schedule(), now_ms);
    if (!counts) return counts.error();
    return counts->value_or(FrontierCounts{});
  }

  Result<std::optional<int64_t>> NextDueMs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto due =
        db_.QueryOne(kNextDue, ReadColumns<std::optional<int64_t>>, schedule());
    if (!due) return due.error();
    return due->value_or(std::nullopt);
  }

 private:
  // Inserts the unknown URLs of `urls` inside the caller's transaction, found
  // on `referrer` (nullopt: seeds), and applies a sitemap's lastmod to the
  // known ones (kLastmod). Returns how many were new.
  Result<int64_t> AddUrls(const std::vector<NewUrl>& urls, int64_t now_ms,
                          const std::optional<std::string>& referrer) {
    int64_t added = 0;
    for (const NewUrl& url : urls) {
      std::string key = StorageKey(url.url);
      const uint64_t hash = std::hash<std::string>{}(key);
      if (!url.lastmod_ms && known_.contains(hash)) continue;
      Result<std::optional<int64_t>> known =
          db_.QueryOne(kKnown, ReadColumns<int64_t>, schedule(), key);
      if (!known) return known.error();
      if (*known) {
        pending_known_.push_back(hash);
        if (url.lastmod_ms) {
          Status status =
              db_.Exec(kLastmod, schedule(), key, *url.lastmod_ms, now_ms);
          if (!status) return status.error();
        }
        continue;
      }
      std::string host = core::UrlHost(key);
      Status status = db_.Exec(kAdd, schedule(), key, host, url.depth, now_ms,
                               referrer, url.sitemap ? 1 : 0, url.lastmod_ms);
      if (!status) return status.error();
      added += db_.Changes();
    }
    return added;
  }

  // Collects the first `limit` due URLs in claim order from the queued hosts
  // not in `skip_hosts`, one host at a time. Once `limit` candidates are held,
  // a host's URLs after the last of them in claim order cannot make the cut,
  // so the per-host range ends there.
  Status ClaimByHost(size_t limit, int64_t now_ms,
                     const std::vector<std::string>& skip_hosts,
                     std::vector<Candidate>* candidates) {
    const std::set<std::string, std::less<>> skip(skip_hosts.begin(),
                                                  skip_hosts.end());
    std::optional<std::string> host;
    Candidate bound{INT64_MAX, INT64_MAX, INT64_MAX};
    while (true) {
      Result<std::optional<std::string>> next = db_.QueryOne(
          host ? kNextQueuedHost : kFirstQueuedHost, ReadColumns<std::string>,
          schedule(), host ? *host : std::string());
      if (!next) return next.error();
      if (!*next) break;
      host = std::move(**next);
      if (skip.contains(*host)) continue;
      Result<std::vector<Candidate>> more =
          db_.QueryAll(kClaimHost, ReadCandidate, schedule(), *host,
                       std::min(now_ms, bound.next_fetch_ms), limit,
                       bound.next_fetch_ms, bound.depth, bound.id);
      if (!more) return more.error();
      candidates->insert(candidates->end(), more->begin(), more->end());
      if (candidates->size() >= limit) {
        // Bounded memory however many hosts there are.
        KeepFirst(candidates, limit);
        bound = candidates->back();
      }
    }
    KeepFirst(candidates, limit);
    return {};
  }

  const std::string& schedule() const { return partition_.schedule; }

  // After a call that may have found keys (pending_known_ past `mark`): when
  // it failed, its savepoint is gone and so are they; when it committed
  // outside a batch, they are known for good.
  void SettleCall(size_t mark, bool ok) {
    if (!ok) {
      pending_known_.resize(mark);
    } else if (!batch_) {
      SettleKnown(true);
    }
  }

  // At the end of a transaction: the keys found in it are known once it
  // committed, and dropped when it did not.
  void SettleKnown(bool committed) {
    if (committed) {
      if (known_.size() + pending_known_.size() > kMaxKnown) known_.clear();
      known_.insert(pending_known_.begin(), pending_known_.end());
    }
    pending_known_.clear();
  }

  const FrontierPartition partition_;
  std::shared_ptr<SharedConnection> shared_;
  std::mutex& mutex_;   // shared_->mutex
  Connection& db_;      // shared_->db
  bool batch_ = false;  // a BeginBatch transaction is open
  // Hashes of keys found in this partition (rows are never deleted): a link
  // met again on the next pages skips its lookup. Bounded (cleared when
  // full); keys found in a transaction not yet committed wait in
  // pending_known_ (a rolled back savepoint may have held their insert).
  static constexpr size_t kMaxKnown = size_t{1} << 18;
  std::unordered_set<uint64_t> known_;
  std::vector<uint64_t> pending_known_;
};

}  // namespace

std::vector<std::string_view> FrontierStatementsForTesting() {
  return {kKnown,       kAdd,          kLastmod,         kRequeue,
          kClaimWindow, kCountWindow,  kFirstQueuedHost, kNextQueuedHost,
          kClaimHost,   kMarkInFlight, kCompleteLookup,  kComplete,
          kRetry,       kFail,         kRequeueDone,     kRequeueInFlight,
          kCounts,      kNextDue,      kFailures};
}

Status ForEachFailure(
    Connection& db,
    const std::function<void(const FrontierFailure&)>& on_failure) {
  return db.ForEachRow(kFailures, [&on_failure](const Statement& s) {
    on_failure(FrontierFailure{
        s.ColumnText(0), s.ColumnText(1), s.OptionalText(2).value_or(""),
        s.OptionalText(3), s.ColumnInt64(4), s.OptionalInt64(5)});
  });
}

namespace {

// Returns the error of a partition whose recrawl policy is not valid.
Status CheckPartition(const FrontierPartition& partition) {
  if (partition.recrawl) {
    if (Status status = core::ValidateRecrawlPolicy(*partition.recrawl);
        !status) {
      core::Error error = status.error();
      error.message = "recrawl policy of schedule \"" + partition.schedule +
                      "\": " + error.message;
      return error;
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<core::FrontierStore>> OpenFrontierStore(
    const std::string& path, const StoreOptions& options,
    FrontierPartition partition) {
  if (Status valid = CheckPartition(partition); !valid) return valid.error();
  Result<Connection> db = OpenDatabase(path, options);
  if (!db) return db.error();
  return std::unique_ptr<core::FrontierStore>(
      std::make_unique<SqliteFrontierStore>(
          std::make_shared<SharedConnection>(std::move(db).value()),
          std::move(partition)));
}

Result<std::unique_ptr<core::FrontierStore>> OpenFrontierStore(
    Store* store, FrontierPartition partition) {
  if (Status valid = CheckPartition(partition); !valid) return valid.error();
  return std::unique_ptr<core::FrontierStore>(
      std::make_unique<SqliteFrontierStore>(store->shared_connection(),
                                            std::move(partition)));
}

}  // namespace storage
