// Internal to crawler/: the pure pieces of the crawl loop (crawler.cc), in a
// header so unit tests can pin them without a network: link filtering, the
// robots.txt URL of a page, failure reasons and the fetch latency histogram.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/frontier.h"
#include "crawler/politeness.h"
#include "crawler/sitemap.h"

namespace crawler::internal {

// A set of hosts shared by the worker threads. Thread-safe.
class HostSet {
 public:
  void Insert(const std::string& host) {
    std::lock_guard<std::mutex> lock(mutex_);
    hosts_.insert(host);
  }
  bool Contains(const std::string& host) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return hosts_.contains(host);
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> hosts_;
};

// Which links found on a page a crawl follows.
struct LinkPolicy {
  const Scope* scope = nullptr;  // required
  // The crawl's deny patterns and depth with every URL allowed: judges links
  // on the hosts below.
  const Scope* host_scope = nullptr;
  // Set when the crawl has no seed hosts (resumed without seeds): a link on
  // the host of its page is followed when host_scope follows it.
  bool follow_same_host = false;
  // Hosts that count as seed hosts too: where seeds were redirected to
  // ("http://example.com/" -> "https://www.example.com/"). May be null.
  const HostSet* extra_seed_hosts = nullptr;
  // Links to loopback / private / link-local hosts found on public pages.
  bool follow_private_links = false;
};

// Returns the links of the page fetched as `page_url` (its final URL, after
// redirects) that the crawl follows, normalised, deduplicated, in page order,
// at depth `link_depth`: in scope, and not pointing to a private host from a
// public page unless `policy.follow_private_links`. Links that are no absolute
// http/https URL are dropped. Thread-safe.
std::vector<core::NewUrl> FilterLinks(const LinkPolicy& policy,
                                      std::string_view page_url,
                                      const std::vector<std::string>& links,
                                      int link_depth);

// Returns what the crawl queues from a sitemap read at `sitemap_url`
// (robots.txt's "Sitemap:" lines come as an index): an index's sitemaps, as
// sitemaps, wherever they are; a sitemap's pages, with their lastmod, when in
// scope at `depth` (the sitemap's own: its pages are as far from the seeds as
// it is). Normalised, deduplicated, in file order; no private host from a
// public sitemap unless `policy.follow_private_links`. Thread-safe.
std::vector<core::NewUrl> SitemapUrls(const LinkPolicy& policy,
                                      std::string_view sitemap_url,
                                      const Sitemap& sitemap, int depth);

// Returns the robots.txt URL of a normalised http/https URL
// ("https://h:8080/a?b" -> "https://h:8080/robots.txt"): robots.txt applies
// per scheme, host and port (RFC 9309 2.3), so it also keys the cache.
std::string RobotsUrl(std::string_view url);

// Returns the short reason a fetch failed, the key of
// CrawlStats::failures_by_reason: "http_404" for an HTTP status, else
// core::ErrorCodeName ("network", "timeout", "too_large", "too_many_redirects",
// "unsupported", ...), and "private_address".
std::string FailureReason(const core::Error& error);

// Returns why a fetch got no usable answer, short enough for a one-line
// message: "HTTP 500" for a status, "timed out", "host name not resolved",
// "connection refused" (or "cannot connect" without the socket's errno), else
// the error's message without its "cannot fetch URL: " lead. (The full message
// goes to the fetches table.)
std::string ShortReason(const core::Error& error);

// Returns true when a robots.txt answer that makes the file unreachable (RFC
// 9309 2.3.1.4: 429 and 5xx) asks for a pause rather than says the host is
// down: a 429, or a 503 with a Retry-After header (RFC 9110 10.2.3). The
// host's URLs wait either way; only a host that is down fails the run.
bool IsPauseAnswer(int http_status, bool has_retry_after);

// Fetch latencies in logarithmic buckets (5% wide), so percentiles cost fixed
// memory however many pages a crawl fetches. Not thread-safe.
class LatencyHistogram {
 public:
  void Add(double ms);
  // Returns the `q`-quantile (0..1) in ms, to within the bucket width (5%);
  // 0 when empty.
  double Percentile(double q) const;
  int64_t count() const { return count_; }

 private:
  static constexpr size_t kBuckets = 512;  // 1.05^511 ms is ~ 8e10 ms
  std::array<int64_t, kBuckets> buckets_{};
  int64_t count_ = 0;
};

}  // namespace crawler::internal
