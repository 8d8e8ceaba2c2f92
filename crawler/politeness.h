// Crawling manners (DESIGN.md "Crawling manners"): per-host concurrency and
// minimum delay, Crawl-delay, pauses after 429/503 with Retry-After,
// exponential backoff with jitter for retries, and the scope of a crawl (which
// discovered links are followed). Pure logic: the caller passes the time, so
// every rule is testable without a network or a clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace crawler {

struct PolitenessOptions {
  int per_host_concurrency = 2;
  int64_t min_delay_ms = 1000;             // between request starts to one host
  int64_t max_crawl_delay_ms = 30'000;     // Crawl-delay is honoured up to this
  int64_t max_retry_after_ms = 3'600'000;  // Retry-After is honoured up to this
};

// Per-host pacing. Not thread-safe: owned by the crawl loop's thread.
class HostPacer {
 public:
  explicit HostPacer(PolitenessOptions options);

  // Returns the earliest time (>= now_ms) a new request to `host` may start.
  int64_t ReadyAt(const std::string& host, int64_t now_ms) const;
  // Returns true when a request to `host` may start at `now_ms` (ReadyAt(host,
  // now) == now and fewer than per_host_concurrency in flight).
  bool CanStart(const std::string& host, int64_t now_ms) const;
  // Records that a request to `host` started / finished.
  void OnStart(const std::string& host, int64_t now_ms);
  void OnFinish(const std::string& host, int64_t now_ms);
  // Sets the host's Crawl-delay (capped at max_crawl_delay_ms); it replaces
  // min_delay_ms when larger.
  void SetCrawlDelay(const std::string& host, int64_t delay_ms);
  // Pauses the host until `until_ms` (429/503 Retry-After), capped at now +
  // max_retry_after_ms.
  void PauseUntil(const std::string& host, int64_t now_ms, int64_t until_ms);
  // Returns the hosts that cannot start a request at `now_ms`.
  std::vector<std::string> BlockedHosts(int64_t now_ms) const;
  int in_flight(const std::string& host) const;

 private:
  struct HostState {
    int in_flight = 0;
    int64_t last_start_ms = INT64_MIN / 2;
    int64_t crawl_delay_ms = 0;
    int64_t paused_until_ms = 0;
  };
  PolitenessOptions options_;
  std::map<std::string, HostState, std::less<>> hosts_;
};

// Parses a Retry-After header value (delay-seconds or an HTTP-date, RFC
// 9110 10.2.3) into an absolute time in ms, or nullopt when it cannot be read.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms);

struct RetryOptions {
  int max_attempts = 3;  // attempts in all, the first included
  int64_t base_delay_ms =
      2'000;  // delay after the first failure; doubles each time
  int64_t max_delay_ms = 300'000;
};

// Returns the delay before attempt number `attempts + 1`, after `attempts`
// failures: exponential from base_delay_ms, capped, with full jitter in
// [delay/2, delay].
int64_t BackoffDelayMs(const RetryOptions& options, int attempts,
                       std::mt19937_64& rng);

struct ScopeOptions {
  std::vector<std::string>
      seed_hosts;  // links on these hosts are followed (default scope)
  std::vector<std::string>
      allow_patterns;  // regexes on the whole URL; a match is also in scope
  std::vector<std::string> deny_patterns;  // regexes; a match is never followed
  int max_depth = 10;  // links deeper than this are not followed
};

// Decides which discovered links a crawl follows.
class Scope {
 public:
  // Fails (std::regex_error) on an invalid pattern; config validation checks
  // them first.
  explicit Scope(ScopeOptions options);
  // Returns true when `url` (normalised), found at depth `depth`, is to be
  // followed.
  bool Follows(std::string_view url, int depth) const;

 private:
  ScopeOptions options_;
  std::vector<std::regex> allow_;
  std::vector<std::regex> deny_;
};

// Returns true when `host` is a literal loopback, private, link-local,
// unspecified or unique-local address (IPv4 or IPv6, brackets allowed), or
// "localhost" / "*.localhost": links found on public pages pointing there are
// not followed.
bool IsPrivateHost(std::string_view host);

}  // namespace crawler
