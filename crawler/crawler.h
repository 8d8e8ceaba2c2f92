// Crawler: the crawl loop (DESIGN.md "Architecture": frontier -> fetcher ->
// parser -> store, and the store feeds new links back into the frontier).
// Scrapy's engine: it owns scheduling and manners; what a page means is the
// PageHandler's business, where the frontier lives is the FrontierStore's.
//
// Threads: the network loop (libcurl multi) runs on the thread that calls
// Run(); pages are handed to a pool of worker threads that call
// PageHandler::OnPage, so the network never waits for parsing and parsing never
// waits for the network.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/frontier.h"
#include "core/page_handler.h"
#include "core/result.h"
#include "core/settings.h"
#include "crawler/http_client.h"
#include "crawler/politeness.h"

namespace crawler {

// The user's crawl settings (core::CrawlSettings: limits, concurrency,
// workers, robots, manners, retries, scope; `seeds` is not read, see
// AddSeeds) and what only a program sets.
struct CrawlOptions : core::CrawlSettings {
  FetchOptions fetch;
  // Links on these hosts are followed besides those the scope's allow
  // patterns name; empty: the hosts of the seeds given to AddSeeds.
  std::vector<std::string> seed_hosts;
  // A run waits for its own retries and host pauses due within this long.
  // Later ones are not waited for: the run finishes what it can and ends,
  // leaving those URLs queued, due then (a paused host's URLs due when its
  // pause ends), for a later run; CrawlStats::waiting names them.
  int64_t max_wait_ms = 30'000;
  std::string robots_user_agent =
      "podcrawl";  // product token matched in robots.txt
  int64_t robots_cache_ms =
      int64_t{24} * 3'600'000;  // how long a robots.txt is kept
  int64_t robots_unreachable_retry_ms =
      600'000;  // 5xx / unreachable: disallow for this long
  // Off (the default): links to literal loopback / private hosts found on
  // public pages are dropped, and a URL that is no seed, not on a seed's host
  // and no literal private host may only connect to public addresses
  // (IsPrivateAddress, judged on the address connected to): a host name that
  // resolves to a private address, or a redirect of a public page to one,
  // fails for good with reason "private_address". Seeds, URLs on a seed's
  // host, and their redirects as long as they stay on private addresses, may
  // connect anywhere. On: none of this is checked.
  bool follow_private_links = false;
  // Where frontier times, pacing and robots.txt expiry read the time; null:
  // the system clock. Not owned; must outlive the Crawler. Durations measured
  // for statistics (elapsed time, fetch latency) use a monotonic clock.
  const core::Clock* clock = nullptr;
};

// What a crawl did; also the progress snapshot.
struct CrawlStats {
  int64_t pages_stored = 0;  // pages handed to the handler successfully
  int64_t changed = 0;       // of those, pages whose content changed
  int64_t not_modified = 0;  // 304 answers to conditional GETs
  // URLs failed for good in this run. URLs robots.txt excludes are skips,
  // counted in robots_disallowed only.
  int64_t failed = 0;
  int64_t retried = 0;  // transient failures queued again
  std::map<std::string, int64_t>
      failures_by_reason;  // of `failed`: ErrorCodeName or "http_404" ...
  int64_t robots_disallowed = 0;     // URLs skipped: robots.txt excludes them
  int64_t sitemaps = 0;              // sitemap files read
  int64_t sitemap_urls = 0;          // URLs they listed (before the scope)
  int64_t sitemap_urls_dropped = 0;  // past crawl.max_sitemap_urls
  int64_t bytes = 0;                 // body bytes received
  int64_t queued = 0;                // frontier: queued now
  // Where the URLs claimed from the frontier are now: transfers under way
  // (pages and robots.txt files), URLs waiting to start (for a slot, their
  // host's delay or its robots.txt), and pages handed to the workers (parsed
  // and stored) that they have not finished.
  int64_t fetching = 0;
  int64_t waiting_to_start = 0;
  int64_t parsing = 0;
  double elapsed_s = 0;
  double fetch_p50_ms = 0;
  double fetch_p95_ms = 0;
  // URLs this run left queued for later than it waited (a host paused by a
  // 429/503 Retry-After, an unreachable robots.txt, a retry's backoff), by
  // host: how many, and when the last of them is due. Set in Run()'s result.
  struct HostWait {
    int64_t urls = 0;
    int64_t until_ms = 0;
  };
  std::map<std::string, HostWait> waiting;
  // Hosts that did not answer in this run, by host (README "Exit codes"):
  // their robots.txt was unreachable (no answer, a timeout, a 5xx), or no
  // request to them got an answer and some ended without one (no answer, a
  // timeout, a 5xx). A 429, or a 503 with Retry-After, asks for a pause and
  // is an answer; so is a 404. Set in Run()'s result.
  struct HostDown {
    // Why robots.txt could not be fetched ("connection refused", "HTTP 500"),
    // empty when it could. Its URLs wait: see `waiting`.
    std::string robots_unreachable;
    // Page requests that got no answer, and why the last one did not.
    int64_t failed_attempts = 0;
    std::string reason;
  };
  std::map<std::string, HostDown> down;
};

class Crawler {
 public:
  // `frontier` and `handler` must outlive the crawler; `handler` is called from
  // worker threads.
  Crawler(CrawlOptions options, core::FrontierStore* frontier,
          core::PageHandler* handler);
  ~Crawler();
  Crawler(const Crawler&) = delete;
  Crawler& operator=(const Crawler&) = delete;

  // Adds `seeds` (normalised http/https URLs) to the frontier at depth 0,
  // queued now even when already done; seeds given explicitly may point
  // anywhere, loopback included (see follow_private_links).
  core::Status AddSeeds(const std::vector<std::string>& seeds);
  // Adds `sitemaps` (sitemap or sitemap index URLs, crawler/sitemap.h) as
  // AddSeeds adds seeds: queued now, their hosts seed hosts. The pages they
  // list are queued at depth 0 when in scope; a page they date later than
  // its last fetch is queued again.
  core::Status AddSitemaps(const std::vector<std::string>& sitemaps);

  // Crawls until the frontier has nothing queued and nothing in flight,
  // max_pages is reached, or `stop` becomes true. On stop it takes no new URL,
  // lets in-flight transfers finish or returns them to the frontier, and waits
  // for the workers. Returns the stats, or the first error that ended the crawl
  // (a frontier or handler storage error). `progress`, when set, is called
  // about once a second on the calling thread.
  core::Result<CrawlStats> Run(
      const std::atomic<bool>& stop,
      const std::function<void(const CrawlStats&)>& progress = {});

 private:
  core::Status AddStartUrls(const std::vector<std::string>& start,
                            bool sitemaps);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crawler
