// Crawling manners (DESIGN.md "Crawling manners"): per-host concurrency and
// minimum delay, Crawl-delay, pauses after 429/503 with Retry-After,
// exponential backoff with jitter for retries, and the scope of a crawl (which
// discovered links are followed). Pure logic: the caller passes the time, so
// every rule is testable without a network or a clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/regex.h"
#include "core/settings.h"

namespace crawler {

// Per-host pacing. Not thread-safe: owned by the crawl loop's thread.
class HostPacer {
 public:
  explicit HostPacer(core::PolitenessSettings options);

  // Returns the earliest time (>= now_ms) a new request to `host` may start
  // as far as delays and pauses go: max(now, last start + delay, paused
  // until). The concurrency limit is not a time; CanStart checks it too.
  int64_t ReadyAt(const std::string& host, int64_t now_ms) const;
  // Returns true when a request to `host` may start at `now_ms` (ReadyAt(host,
  // now) == now and fewer than per_host in flight).
  bool CanStart(const std::string& host, int64_t now_ms) const;
  // Records that a request to `host` started / finished.
  void OnStart(const std::string& host, int64_t now_ms);
  void OnFinish(const std::string& host, int64_t now_ms);
  // Sets the host's Crawl-delay (capped at max_crawl_delay_ms); it replaces
  // delay_ms when larger.
  void SetCrawlDelay(const std::string& host, int64_t delay_ms);
  // Pauses the host until `until_ms` (429/503 Retry-After), capped at now +
  // max_retry_after_ms.
  void PauseUntil(const std::string& host, int64_t now_ms, int64_t until_ms);
  // Returns the hosts that cannot start a request at `now_ms` (known hosts
  // only; a host never seen can always start), in sorted order.
  std::vector<std::string> BlockedHosts(int64_t now_ms) const;
  // Returns the requests to `host` in flight (0 for an unknown host).
  int in_flight(const std::string& host) const;
  // Returns the delay between request starts to `host`: max(delay_ms,
  // its capped Crawl-delay).
  int64_t DelayMs(const std::string& host) const;
  // Forgets hosts whose state no longer matters at `now_ms` (nothing in
  // flight, no Crawl-delay, no pause, delay since the last start elapsed), so
  // the map does not grow with every host ever seen. Returns how many went.
  size_t Prune(int64_t now_ms);
  size_t host_count() const { return hosts_.size(); }

 private:
  struct HostState {
    int in_flight = 0;
    int64_t last_start_ms = INT64_MIN / 2;
    int64_t crawl_delay_ms = 0;
    int64_t paused_until_ms = 0;
  };
  core::PolitenessSettings options_;
  std::map<std::string, HostState, std::less<>> hosts_;
};

// Parses a Retry-After header value (delay-seconds or an HTTP-date, RFC
// 9110 10.2.3) into an absolute time in ms, or nullopt when it cannot be read.
// HTTP-dates (RFC 9110 5.6.7) in all three forms: IMF-fixdate ("Sun, 06 Nov
// 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit
// year more than 50 years ahead of now is taken as the past century) and
// asctime ("Sun Nov  6 08:49:37 1994"). A date in the past gives now_ms.
// Surrounding whitespace is allowed; anything else malformed is nullopt.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms);

// Returns the delay before attempt number `attempts + 1`, after `attempts`
// failures: exponential from base_delay_ms, capped, with full jitter in
// [delay/2, delay].
// attempts < 1 counts as 1; a delay never exceeds max_delay_ms.
int64_t BackoffDelayMs(const core::RetrySettings& options, int attempts,
                       std::mt19937_64& rng);
// Returns true when a URL that failed `attempts` times (transiently) may be
// tried again: attempts < max_attempts.
bool ShouldRetry(const core::RetrySettings& options, int attempts);

// The user's scope settings (allow, deny, max_depth) and the crawl's seed
// hosts: links on these hosts are followed (the default scope).
struct ScopeOptions : core::ScopeSettings {
  std::vector<std::string> seed_hosts;
};

// Decides which discovered links a crawl follows. A link is followed when its
// depth is at most max_depth, it is an http/https URL, no deny pattern matches
// it, and either its host is one of seed_hosts (exact, case-insensitive host
// match: "www.example.com" and "example.com" are different hosts, and so are
// subdomains; the port is not compared; with include_subdomains a seed host
// without its "www." and every subdomain of that match too, IP literals
// excepted) or an allow pattern matches. Patterns
// are RE2 regexes (core::Regex: linear time, whatever the URL's length)
// searched anywhere in the URL (as Scrapy's and Nutch's URL filters do);
// anchor them with ^ and $ to match the whole URL. Thread-safe for concurrent
// Follows calls after construction.
class Scope {
 public:
  // Fails (std::invalid_argument, with RE2's message) on an invalid pattern;
  // config validation checks them first.
  explicit Scope(ScopeOptions options);
  // Returns true when `url` (normalised), found at depth `depth`, is to be
  // followed.
  bool Follows(std::string_view url, int depth) const;
  // Returns Follows(url, depth), and false as well when `url` points to a
  // private host (IsPrivateHost) while the page it was found on, `from_url`,
  // does not: a public page must not steer the crawl into a local network.
  bool FollowsLink(std::string_view from_url, std::string_view url,
                   int depth) const;

 private:
  ScopeOptions options_;
  // include_subdomains: the seed hosts without "www.", IP literals left out.
  std::vector<std::string> seed_domains_;
  std::vector<core::Regex> allow_;
  std::vector<core::Regex> deny_;
};

// Returns true when `host` is a literal loopback, private, link-local,
// unspecified or unique-local address (IPv4 or IPv6, brackets allowed), or
// "localhost" / "*.localhost": links found on public pages pointing there are
// not followed.
// Addresses are read with inet_pton (and inet_aton for the shorthand IPv4
// forms libcurl and browsers also accept: "127.1", "0x7f000001"), never by
// string prefix. IPv4: 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
// 192.168/16. IPv6: ::, ::1, fc00::/7, fe80::/10, fec0::/10 (deprecated
// site-local), and IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible
// (::a.b.c.d) forms of the IPv4 ranges. A zone ("fe80::1%eth0") and a
// trailing dot ("localhost.") are allowed.
bool IsPrivateHost(std::string_view host);

// Returns true when `address`, a numeric IPv4 or IPv6 address as libcurl
// reports the one it connects to (brackets and a zone allowed), is not a
// public Internet address: every range of IsPrivateHost, and also multicast
// (224.0.0.0/4, ff00::/8), reserved and broadcast (240.0.0.0/4), IETF
// protocol assignments (192.0.0.0/24), benchmarking (198.18.0.0/15), and the
// IPv6 forms that embed an IPv4 address of these ranges (NAT64 64:ff9b::/96,
// 6to4 2002::/16). A string that is no address counts as not public. Used on
// the address a connection actually goes to, so a host name that resolves
// there is caught as well as a literal.
bool IsPrivateAddress(std::string_view address);

}  // namespace crawler
