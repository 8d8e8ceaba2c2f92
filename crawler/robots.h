// robots.txt (RFC 9309, "Robots Exclusion Protocol"): parsing and matching,
// plus the common Crawl-delay extension. A pure parser in the manner of
// google/robotstxt: any bytes in, rules out; never fails.
//
// Parsing (RFC 9309 2.1, 2.2): lines end in CR, LF or CRLF; a UTF-8 BOM is
// skipped; "#" starts a comment; a line without ":" is ignored; keys are
// case-insensitive. A group is one or more user-agent lines followed by rules
// (allow, disallow, crawl-delay); a user-agent line after a rule starts a new
// group; "Sitemap:" lines (2.2.4) are collected for every agent; other lines
// (host, unknown keys) are ignored; neither ends a group. The groups whose
// product token equals ours (case-insensitive) are merged; when none names us,
// the "*" groups are merged instead; when neither exists everything is allowed.
// Only the first 500 KiB are parsed (2.5); when the body is longer, the line
// cut by the limit is dropped as well.
//
// Matching (2.2.2, 2.2.3): patterns and paths are compared after
// percent-encoding normalisation ("%7e" and "~" are the same; "%2f" and "%2F"
// are the same, but not "/"); "*" matches any run of characters, a trailing
// "$" anchors the end; the longest matching pattern wins, allow wins a tie; an
// empty disallow (or allow) is no rule; "/robots.txt" is always allowed.
// A pattern that starts with neither "/" nor "*" gets a leading "/" (the
// webmaster's evident intent; RFC 9309 requires the slash).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crawler {

// What the answer to a robots.txt request means for access (RFC 9309 2.3.1).
enum class RobotsAccess {
  kParse,        // 2.3.1.1 successful: the rules are in the body
  kAllowAll,     // 2.3.1.3 "unavailable": no rules, everything allowed
  kUnreachable,  // 2.3.1.4 "unreachable": everything disallowed for now
};

// Returns the access for the status of the final answer to a robots.txt
// request (RFC 9309 2.3.1): 2xx kParse; 3xx (a redirect that was not or could
// not be followed, 2.3.1.2) and 4xx except 429 kAllowAll (2.3.1.3); 429, 5xx,
// status 0 (no HTTP answer) and anything else kUnreachable (2.3.1.4; 429 is
// treated as a server error, as Google does, so a host that asks us to slow
// down is not crawled harder). The one place this is decided: FromResponse
// and the crawler's RobotsCache both use it.
RobotsAccess RobotsAccessForStatus(
    long http_status);  // NOLINT(google-runtime-int)

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
  // A full User-Agent ("podcrawl/1.0 (+https://...)") may be passed: its
  // product token (the leading letters, "_" and "-") is used.
  static RobotsRules Parse(std::string_view body,
                           std::string_view user_agent_token);
  // Returns the rules for the final answer to a robots.txt request (RFC 9309
  // 2.3.1), as RobotsAccessForStatus decides: kParse parses `body`, kAllowAll
  // allows all, kUnreachable disallows all.
  static RobotsRules FromResponse(int http_status, std::string_view body,
                                  std::string_view user_agent_token);

  // Returns whether `path_and_query` ("/a/b?x=1"; percent-encoding normalised
  // as RFC 9309 2.2.2) may be fetched: the longest matching rule wins, allow
  // wins a tie; "/robots.txt" is always allowed. An empty path is "/".
  bool IsAllowed(std::string_view path_and_query) const;
  // Returns IsAllowed(core::UrlPathAndQuery(url)) for an absolute URL.
  bool IsAllowedUrl(std::string_view url) const;

  // Returns the Crawl-delay of the matching group in milliseconds, if any
  // (decimal seconds allowed; the largest when several merged groups set one;
  // capped at one day here, callers apply their own cap).
  std::optional<int64_t> crawl_delay_ms() const { return crawl_delay_ms_; }
  // Returns whether these are DisallowAll() rules.
  bool disallows_all() const { return disallow_all_; }
  // Returns the number of allow/disallow rules kept for the matching group(s).
  size_t rule_count() const { return rules_.size(); }
  // Returns the URLs of the "Sitemap:" lines (any group, or none), as
  // written, in file order, each once.
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;  // normalised; may hold '*' and a trailing '$'
  };
  std::vector<Rule> rules_;
  std::optional<int64_t> crawl_delay_ms_;
  std::vector<std::string> sitemaps_;
  bool disallow_all_ = false;
};

// Returns `s` with percent-encoding normalised for robots.txt comparison (RFC
// 9309 2.2.2): "%XX" of an unreserved character (RFC 3986 2.3) decoded, other
// "%XX" hex uppercased, and octets outside printable US-ASCII (controls,
// space, 0x7F and above, e.g. raw UTF-8) percent-encoded. '*' and '$' are left
// alone.
std::string NormalizeRobotsPath(std::string_view s);

}  // namespace crawler
