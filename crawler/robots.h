// robots.txt (RFC 9309, "Robots Exclusion Protocol"): parsing and matching,
// plus the common Crawl-delay extension. A pure parser in the manner of
// google/robotstxt: any bytes in, rules out; never fails.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crawler {

class RobotsRules {
 public:
  // Returns rules that allow everything (RFC 9309 2.3.1.3: 4xx "unavailable").
  static RobotsRules AllowAll();
  // Returns rules that disallow everything (RFC 9309 2.3.1.4: 5xx / unreachable
  // "unreachable").
  static RobotsRules DisallowAll();
  // Parses a robots.txt body (only the first 500 KiB are read, RFC 9309 2.5)
  // for the crawler whose product token is `user_agent_token` (e.g.
  // "podcrawl"): the groups matching it (case-insensitive), else the "*" group.
  static RobotsRules Parse(std::string_view body,
                           std::string_view user_agent_token);

  // Returns whether `path_and_query` ("/a/b?x=1"; percent-encoding normalised
  // as RFC 9309 2.2.2) may be fetched: the longest matching rule wins, allow
  // wins a tie; "/robots.txt" is always allowed.
  bool IsAllowed(std::string_view path_and_query) const;

  // Returns the Crawl-delay of the matching group in milliseconds, if any.
  std::optional<int64_t> crawl_delay_ms() const { return crawl_delay_ms_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;  // may hold '*' and a trailing '$'
  };
  std::vector<Rule> rules_;
  std::optional<int64_t> crawl_delay_ms_;
  bool disallow_all_ = false;
};

}  // namespace crawler
