// core::FrontierStore on the SQLite table `frontier` (schema:
// storage/store.cc).
//
// Claiming. The due URLs are read in claim order straight from an index
// (frontier_by_due: state, next_fetch_ms, depth, id, host), so a claim reads
// only a window of the earliest due rows (2 x limit + 256 index entries) and
// the table rows of the URLs it claims (UPDATE ... RETURNING). Skipped hosts
// are filtered in SQL within that window (json_each over a bound JSON array): a
// plain filtered scan would walk every due row of a skipped host, and in a
// one-site crawl the one host is skipped whenever it is at its concurrency
// limit, which would make each claim read the whole frontier. When the window
// is full yet yields too few URLs, the claim goes host by host instead
// (frontier_by_host: state, host, ...): it steps from one queued host to the
// next with one index seek each, jumps over the skipped ones, and reads each
// remaining host's earliest due entries. Its cost grows with the number of
// hosts, not of URLs.
#include "storage/frontier_store.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

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

// Most links a crawl finds are known already: a lookup opens one cursor where
// the INSERT opens one per index, and the host is computed only for new URLs.
constexpr std::string_view kKnown = R"sql(
SELECT 1 FROM frontier WHERE url = ?1
)sql";

constexpr std::string_view kAdd = R"sql(
INSERT INTO frontier (url, host, state, depth, next_fetch_ms, added_ms)
VALUES (?1, ?2, 'queued', ?3, ?4, ?4)
ON CONFLICT (url) DO NOTHING
)sql";

// A URL in flight is left alone: its fetch is under way, and RequeueInFlight
// returns it if the process that claimed it died.
constexpr std::string_view kRequeue = R"sql(
INSERT INTO frontier (url, host, state, depth, next_fetch_ms, added_ms)
VALUES (?1, ?2, 'queued', ?3, ?4, ?4)
ON CONFLICT (url) DO UPDATE SET
  state         = 'queued',
  next_fetch_ms = excluded.next_fetch_ms,
  attempts      = 0,
  depth         = MIN(depth, excluded.depth)
WHERE state <> 'in_flight'
)sql";

// The window: the earliest `?2` due rows, read from the covering index
// frontier_by_due, then filtered by host. Claim order is (next_fetch_ms, depth,
// id): the same time and depth go first in, first out.
constexpr std::string_view kClaimWindow = R"sql(
SELECT id, next_fetch_ms, depth
FROM (SELECT id, host, next_fetch_ms, depth FROM frontier
      WHERE state = 'queued' AND next_fetch_ms <= ?1
      ORDER BY next_fetch_ms, depth, id LIMIT ?2)
WHERE host NOT IN (SELECT value FROM json_each(?3))
ORDER BY next_fetch_ms, depth, id
LIMIT ?4
)sql";

constexpr std::string_view kCountWindow = R"sql(
SELECT count(*) FROM (SELECT 1 FROM frontier
                      WHERE state = 'queued' AND next_fetch_ms <= ?1 LIMIT ?2)
)sql";

constexpr std::string_view kFirstQueuedHost = R"sql(
SELECT host FROM frontier WHERE state = 'queued' AND host >= ?1 ORDER BY host LIMIT 1
)sql";

constexpr std::string_view kNextQueuedHost = R"sql(
SELECT host FROM frontier WHERE state = 'queued' AND host > ?1 ORDER BY host LIMIT 1
)sql";

// One host's earliest due rows that come before (?4, ?5, ?6) in claim order,
// from the covering index frontier_by_host. The caller passes ?2 <= ?4: the
// row value alone is only a filter, the bound on next_fetch_ms ends the range.
constexpr std::string_view kClaimHost = R"sql(
SELECT id, next_fetch_ms, depth FROM frontier
WHERE state = 'queued' AND host = ?1 AND next_fetch_ms <= ?2
  AND (next_fetch_ms, depth, id) < (?4, ?5, ?6)
ORDER BY next_fetch_ms, depth, id LIMIT ?3
)sql";

constexpr std::string_view kMarkInFlight = R"sql(
UPDATE frontier SET state = 'in_flight', last_fetch_ms = ?2 WHERE id = ?1
RETURNING url, depth, attempts, next_fetch_ms, etag, last_modified
)sql";

// A validator the response did not carry (a 304 often omits them) keeps its
// stored value: sending a stale one costs at worst a full answer.
constexpr std::string_view kComplete = R"sql(
UPDATE frontier SET
  state         = 'done',
  last_fetch_ms = ?2,
  etag          = COALESCE(?3, etag),
  last_modified = COALESCE(?4, last_modified),
  attempts      = 0,
  last_error    = NULL
WHERE url = ?1
)sql";

constexpr std::string_view kRetry = R"sql(
UPDATE frontier SET
  state         = 'queued',
  next_fetch_ms = ?2,
  attempts      = attempts + ?3,
  last_error    = CASE WHEN ?3 THEN ?4 ELSE last_error END
WHERE url = ?1
)sql";

constexpr std::string_view kFail = R"sql(
UPDATE frontier SET state = 'failed', last_fetch_ms = ?2, last_error = ?3 WHERE url = ?1
)sql";

// MIN keeps the place in the claim order of a URL that was due long ago.
constexpr std::string_view kRequeueInFlight = R"sql(
UPDATE frontier SET state = 'queued', next_fetch_ms = MIN(next_fetch_ms, ?1)
WHERE state = 'in_flight'
)sql";

// The counts by state come from frontier_counts (kept by triggers); the URLs
// not due yet are counted in frontier_by_due, a range that is short while a
// crawl runs (retries waiting for their backoff).
constexpr std::string_view kCounts = R"sql(
SELECT (SELECT n FROM frontier_counts WHERE state = 'queued'),
       (SELECT count(*) FROM frontier WHERE state = 'queued' AND next_fetch_ms > ?1),
       (SELECT n FROM frontier_counts WHERE state = 'in_flight'),
       (SELECT n FROM frontier_counts WHERE state = 'done'),
       (SELECT n FROM frontier_counts WHERE state = 'failed')
)sql";

constexpr std::string_view kNextDue = R"sql(
SELECT min(next_fetch_ms) FROM frontier WHERE state = 'queued'
)sql";

// Returns `values` as a JSON array of strings (RFC 8259), for json_each.
std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string json = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) json.push_back(',');
    json.push_back('"');
    for (char c : values[i]) {
      auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        json.push_back('\\');
        json.push_back(c);
      } else if (u < 0x20) {
        std::array<char, 8> escaped{};
        std::snprintf(escaped.data(), escaped.size(), "\\u%04x", u);
        json += escaped.data();
      } else {
        json.push_back(c);
      }
    }
    json.push_back('"');
  }
  json.push_back(']');
  return json;
}

// A claimable row: its id and its place in the claim order.
struct Candidate {
  int64_t id = 0;
  int64_t next_fetch_ms = 0;
  int64_t depth = 0;

  auto OrderKey() const { return std::tie(next_fetch_ms, depth, id); }
};

// Appends the rows (id, next_fetch_ms, depth) of a bound statement to `out`.
Status ReadCandidates(Statement& s, std::vector<Candidate>* out) {
  while (true) {
    Result<bool> row = s.Step();
    if (!row) return row.error();
    if (!*row) return {};
    out->push_back({s.ColumnInt64(0), s.ColumnInt64(1), s.ColumnInt64(2)});
  }
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
  explicit SqliteFrontierStore(Database db)
      : db_(std::move(db)), statements_(db_) {}

  // Not copyable or movable: statements_ points at db_.
  SqliteFrontierStore(const SqliteFrontierStore&) = delete;
  SqliteFrontierStore& operator=(const SqliteFrontierStore&) = delete;

  Result<int64_t> Add(const std::vector<NewUrl>& urls,
                      int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    Result<int64_t> added = AddUrls(urls, now_ms);
    if (!added) return added;  // ~Transaction rolls back
    if (Status status = tx->Commit(); !status) return status.error();
    return added;
  }

  Status Requeue(const std::vector<NewUrl>& urls, int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    for (const NewUrl& url : urls) {
      Result<StatementCache::Lease> st = statements_.Get(kRequeue);
      if (!st) return st.error();
      std::string key = StorageKey(url.url);
      std::string host = core::UrlHost(key);
      Status status = (*st)->BindAll(key, host, url.depth, now_ms);
      if (!status) return status;
      if (status = (*st)->Run(); !status) return status;
    }
    return tx->Commit();
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
    std::vector<Candidate> candidates;
    const auto window = static_cast<int64_t>(limit) * 2 + kClaimWindowSlack;
    {
      Result<StatementCache::Lease> st = statements_.Get(kClaimWindow);
      if (!st) return st.error();
      Status status =
          (*st)->BindAll(now_ms, window, JsonStringArray(skip_hosts), limit);
      if (!status) return status.error();
      if (status = ReadCandidates(**st, &candidates); !status)
        return status.error();
    }
    if (candidates.size() < limit && !skip_hosts.empty()) {
      Result<bool> full = WindowIsFull(now_ms, window);
      if (!full) return full.error();
      if (*full) {
        candidates.clear();
        Status status = ClaimByHost(limit, now_ms, skip_hosts, &candidates);
        if (!status) return status.error();
      }
    }
    claimed.reserve(candidates.size());
    for (const Candidate& candidate : candidates) {
      Result<StatementCache::Lease> st = statements_.Get(kMarkInFlight);
      if (!st) return st.error();
      Statement& s = **st;
      Status status = s.BindAll(candidate.id, now_ms);
      if (!status) return status.error();
      Result<bool> row = s.Step();
      if (!row) return row.error();
      if (!*row) {
        return core::Error(ErrorCode::kInternal,
                           "claimed frontier row vanished: id " +
                               std::to_string(candidate.id));
      }
      FrontierEntry entry;
      entry.url = s.ColumnText(0);
      entry.depth = static_cast<int>(s.ColumnInt64(1));
      entry.attempts = static_cast<int>(s.ColumnInt64(2));
      entry.next_fetch_ms = s.ColumnInt64(3);
      entry.etag = s.OptionalText(4);
      entry.last_modified = s.OptionalText(5);
      // Finish the statement so the update is complete before the next one.
      if (status = s.Run(); !status) return status.error();
      claimed.push_back(std::move(entry));
    }
    if (Status status = tx->Commit(); !status) return status.error();
    return claimed;
  }

  Status Complete(const std::string& url, int64_t now_ms,
                  const std::optional<std::string>& etag,
                  const std::optional<std::string>& last_modified,
                  const std::vector<NewUrl>& links) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<Transaction> tx = Transaction::Begin(db_);
    if (!tx) return tx.error();
    std::string key = StorageKey(url);
    {
      Result<StatementCache::Lease> st = statements_.Get(kComplete);
      if (!st) return st.error();
      Status status = (*st)->BindAll(key, now_ms, etag, last_modified);
      if (!status) return status;
      if (status = (*st)->Run(); !status) return status;
      if (db_.Changes() == 0) return NotInFrontier("Complete", key);
    }
    Result<int64_t> added = AddUrls(links, now_ms);
    if (!added) return added.error();
    return tx->Commit();
  }

  Status Retry(const std::string& url, int64_t next_fetch_ms,
               bool count_attempt, const std::string& error) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = StorageKey(url);
    Result<StatementCache::Lease> st = statements_.Get(kRetry);
    if (!st) return st.error();
    Status status =
        (*st)->BindAll(key, next_fetch_ms, count_attempt ? 1 : 0, error);
    if (!status) return status;
    if (status = (*st)->Run(); !status) return status;
    if (db_.Changes() == 0) return NotInFrontier("Retry", key);
    return {};
  }

  Status Fail(const std::string& url, int64_t now_ms,
              const std::string& error) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = StorageKey(url);
    Result<StatementCache::Lease> st = statements_.Get(kFail);
    if (!st) return st.error();
    Status status = (*st)->BindAll(key, now_ms, error);
    if (!status) return status;
    if (status = (*st)->Run(); !status) return status;
    if (db_.Changes() == 0) return NotInFrontier("Fail", key);
    return {};
  }

  Result<int64_t> RequeueInFlight(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kRequeueInFlight);
    if (!st) return st.error();
    if (Status status = (*st)->Bind(1, now_ms); !status) return status.error();
    if (Status status = (*st)->Run(); !status) return status.error();
    return db_.Changes();
  }

  Result<FrontierCounts> Counts(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kCounts);
    if (!st) return st.error();
    Statement& s = **st;
    if (Status status = s.Bind(1, now_ms); !status) return status.error();
    Result<bool> row = s.Step();
    if (!row) return row.error();
    FrontierCounts counts;
    if (*row) {
      counts.queued = s.ColumnInt64(0);
      counts.due = counts.queued - s.ColumnInt64(1);
      counts.in_flight = s.ColumnInt64(2);
      counts.done = s.ColumnInt64(3);
      counts.failed = s.ColumnInt64(4);
    }
    return counts;
  }

  Result<std::optional<int64_t>> NextDueMs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<StatementCache::Lease> st = statements_.Get(kNextDue);
    if (!st) return st.error();
    Result<bool> row = (*st)->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<int64_t>();
    return (*st)->OptionalInt64(0);
  }

 private:
  // Inserts the unknown URLs of `urls` inside the caller's transaction.
  // Returns how many were new.
  Result<int64_t> AddUrls(const std::vector<NewUrl>& urls, int64_t now_ms) {
    int64_t added = 0;
    for (const NewUrl& url : urls) {
      std::string key = StorageKey(url.url);
      {
        Result<StatementCache::Lease> known = statements_.Get(kKnown);
        if (!known) return known.error();
        if (Status status = (*known)->Bind(1, key); !status)
          return status.error();
        Result<bool> row = (*known)->Step();
        if (!row) return row.error();
        if (*row) continue;
      }
      Result<StatementCache::Lease> st = statements_.Get(kAdd);
      if (!st) return st.error();
      std::string host = core::UrlHost(key);
      Status status = (*st)->BindAll(key, host, url.depth, now_ms);
      if (!status) return status.error();
      if (status = (*st)->Run(); !status) return status.error();
      added += db_.Changes();
    }
    return added;
  }

  // Returns true when at least `window` URLs are due at `now_ms`.
  Result<bool> WindowIsFull(int64_t now_ms, int64_t window) {
    Result<StatementCache::Lease> st = statements_.Get(kCountWindow);
    if (!st) return st.error();
    if (Status status = (*st)->BindAll(now_ms, window); !status)
      return status.error();
    Result<bool> row = (*st)->Step();
    if (!row) return row.error();
    return *row && (*st)->ColumnInt64(0) >= window;
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
      {
        Result<StatementCache::Lease> st =
            statements_.Get(host ? kNextQueuedHost : kFirstQueuedHost);
        if (!st) return st.error();
        if (Status status = (*st)->Bind(1, host ? *host : std::string());
            !status) {
          return status;
        }
        Result<bool> row = (*st)->Step();
        if (!row) return row.error();
        if (!*row) break;
        host = (*st)->ColumnText(0);
      }
      if (skip.contains(*host)) continue;
      Result<StatementCache::Lease> st = statements_.Get(kClaimHost);
      if (!st) return st.error();
      if (Status status =
              (*st)->BindAll(*host, std::min(now_ms, bound.next_fetch_ms),
                             limit, bound.next_fetch_ms, bound.depth, bound.id);
          !status) {
        return status;
      }
      if (Status status = ReadCandidates(**st, candidates); !status)
        return status;
      if (candidates->size() >= limit) {
        // Bounded memory however many hosts there are.
        KeepFirst(candidates, limit);
        bound = candidates->back();
      }
    }
    KeepFirst(candidates, limit);
    return {};
  }

  std::mutex mutex_;
  Database db_;
  StatementCache statements_;  // after db_: destroyed first
};

}  // namespace

std::vector<std::string_view> FrontierStatementsForTesting() {
  return {kKnown,           kAdd,         kRequeue,
          kClaimWindow,     kCountWindow, kFirstQueuedHost,
          kNextQueuedHost,  kClaimHost,   kMarkInFlight,
          kComplete,        kRetry,       kFail,
          kRequeueInFlight, kCounts,      kNextDue};
}

Result<std::unique_ptr<core::FrontierStore>> OpenFrontierStore(
    const std::string& path, const StoreOptions& options) {
  Result<Database> db = OpenDatabase(path, options);
  if (!db) return db.error();
  return std::unique_ptr<core::FrontierStore>(
      std::make_unique<SqliteFrontierStore>(std::move(db).value()));
}

}  // namespace storage
