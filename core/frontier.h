// FrontierStore: the crawl frontier's persistent state, behind an interface
// declared in core so the crawler never includes storage (DESIGN.md
// "Architecture"). storage/ implements it in the crawl's SQLite database (table
// `frontier`); a shared server could implement it for crawls larger than one
// machine without touching the crawl loop.
//
// Every URL is normalised (core::NormalizeUrl) before it reaches the store and
// is known once. A URL moves queued -> in_flight (claimed) -> done | failed, or
// back to queued with a later next_fetch_ms (retry, recrawl). Killing the
// process at any moment loses nothing: in-flight URLs are returned to the queue
// by RequeueInFlight() at the next start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/record.h"
#include "core/result.h"

namespace core {

enum class FrontierState { kQueued, kInFlight, kDone, kFailed };

struct FrontierEntry {
  std::string url;   // normalised
  int depth = 0;     // 0 for seeds
  int attempts = 0;  // failed attempts so far
  int64_t next_fetch_ms = 0;
  // Validators of the last successful fetch, for a conditional GET.
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  bool sitemap = false;  // a sitemap (crawler/sitemap.h), not a page
};

struct NewUrl {
  NewUrl() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): {"https://...", 1} reads well
  NewUrl(std::string url_in, int depth_in = 0)
      : url(std::move(url_in)), depth(depth_in) {}

  std::string url;  // normalised
  int depth = 0;
  // When a sitemap says the page last changed (<lastmod>): a known URL last
  // fetched before it is queued again (Add, Complete), and `crawl --recrawl`
  // (RequeueDone) leaves a page fetched since its lastmod alone.
  std::optional<int64_t> lastmod_ms;
  bool sitemap = false;  // a sitemap (crawler/sitemap.h), not a page
};

// What a completed fetch says about its URL (Complete).
struct PageVisit {
  // Validators of the fetch, for the next conditional GET; a missing one keeps
  // the stored value.
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  // The page's content changed since its last stored version (false for a 304
  // or the same content): a recrawl policy fetches it again sooner or later.
  bool changed = true;
  // The kind of page, when it was parsed; kUnknown keeps the stored kind (a
  // 304 parses nothing).
  PageKind kind = PageKind::kUnknown;
  // Links found on the page, added as Add does.
  std::vector<NewUrl> links;
};

struct FrontierCounts {
  int64_t queued = 0;  // including those not due yet
  int64_t due = 0;     // queued with next_fetch_ms <= now
  int64_t in_flight = 0;
  int64_t done = 0;
  int64_t failed = 0;
};

class FrontierStore {
 public:
  virtual ~FrontierStore() = default;

  // Adds the URLs not known yet as queued, due at `now_ms`; known URLs are
  // left alone, but for one done or failed whose lastmod_ms is later than its
  // last fetch: it is queued again. Returns how many were new.
  virtual Result<int64_t> Add(const std::vector<NewUrl>& urls,
                              int64_t now_ms) = 0;

  // Queues `urls` to be fetched again at `now_ms` even when they are done or
  // failed (seeds given explicitly, recrawls); unknown ones are added. Attempts
  // are reset.
  virtual Status Requeue(const std::vector<NewUrl>& urls, int64_t now_ms) = 0;

  // Claims up to `limit` queued URLs due at `now_ms` (earliest due first, then
  // shallowest), marking them in flight, and returns them. `skip_hosts` lists
  // hosts whose URLs should not be claimed now (they are paused or at their
  // concurrency limit); may be empty.
  virtual Result<std::vector<FrontierEntry>> Claim(
      size_t limit, int64_t now_ms,
      const std::vector<std::string>& skip_hosts) = 0;

  // Marks a claimed URL done after its page was handled, recording what the
  // visit says (validators, kind, whether it changed) and adding its links in
  // the same transaction, with `url` as the referrer of those it adds. A store
  // with a recrawl policy also sets when the URL is due again.
  virtual Status Complete(const std::string& url, int64_t now_ms,
                          const PageVisit& visit) = 0;

  // Returns a claimed URL to the queue, due at `next_fetch_ms`. With
  // `count_attempt` the failure counts toward its attempts and `error` is
  // recorded as its last error.
  virtual Status Retry(const std::string& url, int64_t next_fetch_ms,
                       bool count_attempt, const std::string& error) = 0;

  // Marks a claimed URL failed for good (robots disallow, 404, attempts
  // exhausted), with why.
  virtual Status Fail(const std::string& url, int64_t now_ms,
                      const std::string& error) = 0;

  // Queues every done URL again, due at `now_ms`, attempts reset, validators
  // kept so its fetch is a conditional GET (`crawl --recrawl`), but for pages
  // a sitemap dated no later than their last fetch (their sitemap, queued
  // again, says when they change). Returns how many were queued.
  virtual Result<int64_t> RequeueDone(int64_t now_ms) = 0;

  // Returns every in-flight URL to the queue (a previous process died or
  // stopped with work out). Returns how many were returned.
  virtual Result<int64_t> RequeueInFlight(int64_t now_ms) = 0;

  // Returns the counts by state, `due` computed at `now_ms`.
  virtual Result<FrontierCounts> Counts(int64_t now_ms) = 0;

  // Returns the earliest next_fetch_ms of the queued URLs, or nullopt when none
  // is queued.
  virtual Result<std::optional<int64_t>> NextDueMs() = 0;

  // A batch: the writes from BeginBatch to CommitBatch (this store's, and a
  // page handler's that shares its database: HandledPage::commit) commit as
  // one transaction, or not at all when the process dies before CommitBatch
  // (the claimed URLs are then still in flight, and the next start returns
  // them to the queue). The crawler completes the pages it has handled in
  // batches: one commit for many pages. A store without transactions does
  // nothing here.
  virtual Status BeginBatch() { return {}; }
  virtual Status CommitBatch() { return {}; }
};

}  // namespace core
