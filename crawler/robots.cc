#include "crawler/robots.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/ascii.h"
#include "core/url.h"

namespace crawler {
namespace {

// RFC 9309 2.5: crawlers MUST parse at least 500 kibibytes.
constexpr size_t kMaxRobotsBytes = size_t{500} * 1024;
// Crawl-delay values above a day are taken as a day; callers cap lower.
constexpr double kMaxCrawlDelaySeconds = 86'400.0;

using core::AsciiEqualsIgnoreCase;
using core::Trim;

bool IsSpace(char c) { return core::IsOneOf(c, core::kAsciiWhitespace); }

// RFC 9309 2.2.1: product-token = 1*( ALPHA / "-" / "_" ). The token of a
// user-agent line (or of our own User-Agent) is its leading run of those.
std::string_view ProductToken(std::string_view s) {
  s = Trim(s);
  size_t n = 0;
  while (n < s.size()) {
    const char c = s[n];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) break;
    ++n;
  }
  return s.substr(0, n);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

void AppendPercent(std::string& out, unsigned char c) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0x0F]);
}

enum class Key { kUserAgent, kAllow, kDisallow, kCrawlDelay, kSitemap, kOther };

// Keys are case-insensitive (RFC 9309 2.2); a few spellings seen in the wild
// are accepted as google/robotstxt does.
Key ClassifyKey(std::string_view key) {
  const std::string lower = core::AsciiLower(key);
  if (lower == "user-agent" || lower == "useragent" || lower == "user agent") {
    return Key::kUserAgent;
  }
  if (lower == "allow") return Key::kAllow;
  if (lower == "disallow" || lower == "dissallow" || lower == "dissalow" ||
      lower == "disalow" || lower == "diasllow" || lower == "disallaw") {
    return Key::kDisallow;
  }
  if (lower == "crawl-delay" || lower == "crawldelay" ||
      lower == "crawl delay") {
    return Key::kCrawlDelay;
  }
  if (lower == "sitemap" || lower == "site-map") return Key::kSitemap;
  return Key::kOther;
}

// Returns the Crawl-delay value in ms: non-negative decimal seconds, the
// whole value a number; anything else (negative, "inf", "5s") is nullopt.
std::optional<int64_t> ParseCrawlDelay(std::string_view value) {
  if (value.empty() || value.front() == '-' || value.front() == '+') {
    return std::nullopt;
  }
  double seconds = 0;
  const char* begin = value.data();
  const char* end = value.data() + value.size();
  auto [ptr, ec] =
      std::from_chars(begin, end, seconds, std::chars_format::fixed);
  if (ec != std::errc() || ptr != end || !std::isfinite(seconds) ||
      seconds < 0) {
    return std::nullopt;
  }
  seconds = std::min(seconds, kMaxCrawlDelaySeconds);
  return static_cast<int64_t>(std::llround(seconds * 1000.0));
}

// Returns whether `pattern` (normalised; '*' any run, a trailing '$' the end)
// matches a prefix of `path` (all of it when anchored). Greedy matching with
// backtracking to the last '*' is exact for patterns whose only wildcard is
// '*', and linear-times-pattern at worst.
bool PatternMatches(std::string_view path, std::string_view pattern) {
  bool anchored = false;
  if (!pattern.empty() && pattern.back() == '$') {
    anchored = true;
    pattern.remove_suffix(1);
  }
  size_t p = 0;
  size_t s = 0;
  size_t star_p = std::string_view::npos;
  size_t star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
    } else if (pattern[p] == '*') {
      star_p = p++;
      star_s = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    // Mismatch (or an anchored pattern ended early): let the last '*' eat one
    // more character.
    if (star_p == std::string_view::npos || star_s >= path.size()) {
      return false;
    }
    p = star_p + 1;
    s = ++star_s;
  }
}

// The rules of the groups naming one kind of agent (ours, or "*").
struct CollectedRules {
  bool seen = false;  // a group for this agent exists, even an empty one
  std::vector<std::pair<bool, std::string>> rules;  // (allow, pattern)
  std::optional<int64_t> crawl_delay_ms;
};

// Reads robots.txt lines into the rules for our product token and for "*"
// (RFC 9309 2.1, 2.2.1).
class GroupParser {
 public:
  explicit GroupParser(std::string_view our_token) : our_token_(our_token) {}

  void HandleLine(std::string_view line) {
    const size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    const Key key = ClassifyKey(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    switch (key) {
      case Key::kUserAgent:
        HandleUserAgent(value);
        break;
      case Key::kAllow:
      case Key::kDisallow:
      case Key::kCrawlDelay:
        HandleGroupMember(key, value);
        break;
      case Key::kSitemap:  // 2.2.4: outside any group, for every agent
        if (!value.empty() && std::find(sitemaps_.begin(), sitemaps_.end(),
                                        value) == sitemaps_.end()) {
          sitemaps_.emplace_back(value);
        }
        break;
      case Key::kOther:  // host, ...: not group lines
        break;
    }
  }

  // Returns the groups naming us when there are any, else the "*" groups.
  CollectedRules& Chosen() { return specific_.seen ? specific_ : global_; }
  // The "Sitemap:" URLs, in file order, each once.
  std::vector<std::string>& sitemaps() { return sitemaps_; }

 private:
  void HandleUserAgent(std::string_view value) {
    if (!in_agent_list_) {
      group_specific_ = false;
      group_global_ = false;
    }
    in_agent_list_ = true;
    // google/robotstxt: "*" alone (or followed by space) is the global agent;
    // otherwise the product token is compared.
    if (!value.empty() && value.front() == '*' &&
        (value.size() == 1 || IsSpace(value[1]))) {
      group_global_ = true;
      global_.seen = true;
      return;
    }
    const std::string_view token = ProductToken(value);
    if (!token.empty() && AsciiEqualsIgnoreCase(token, our_token_)) {
      group_specific_ = true;
      specific_.seen = true;
    }
  }

  void HandleGroupMember(Key key, std::string_view value) {
    in_agent_list_ = false;
    // Rules before the first user-agent line, or in other agents' groups.
    if (!group_specific_ && !group_global_) return;
    if (key == Key::kCrawlDelay) {
      const std::optional<int64_t> delay = ParseCrawlDelay(value);
      if (!delay) return;
      for (CollectedRules* c : Targets()) {
        c->crawl_delay_ms = std::max(c->crawl_delay_ms.value_or(0), *delay);
      }
      return;
    }
    // RFC 9309 2.2.2: an empty value is no rule ("Disallow:" allows all).
    if (value.empty()) return;
    std::string pattern = NormalizeRobotsPath(value);
    if (pattern.front() != '/' && pattern.front() != '*') {
      pattern.insert(pattern.begin(), '/');
    }
    for (CollectedRules* c : Targets()) {
      c->rules.emplace_back(key == Key::kAllow, pattern);
    }
  }

  std::vector<CollectedRules*> Targets() {
    std::vector<CollectedRules*> targets;
    if (group_specific_) targets.push_back(&specific_);
    if (group_global_) targets.push_back(&global_);
    return targets;
  }

  std::string_view our_token_;
  CollectedRules specific_;
  CollectedRules global_;
  std::vector<std::string> sitemaps_;
  bool in_agent_list_ = false;   // the last group line was a user-agent line
  bool group_specific_ = false;  // the current group names us
  bool group_global_ = false;    // the current group is "*"
};

}  // namespace

std::string NormalizeRobotsPath(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
        HexValue(s[i + 2]) >= 0) {
      const auto decoded = static_cast<unsigned char>(HexValue(s[i + 1]) * 16 +
                                                      HexValue(s[i + 2]));
      if (IsUnreserved(decoded)) {
        out.push_back(static_cast<char>(decoded));
      } else {
        AppendPercent(out, decoded);
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7F) {
      AppendPercent(out, c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

RobotsRules RobotsRules::AllowAll() { return {}; }

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules rules;
  rules.disallow_all_ = true;
  return rules;
}

RobotsAccess RobotsAccessForStatus(
    long http_status) {  // NOLINT(google-runtime-int)
  if (http_status >= 200 && http_status < 300) return RobotsAccess::kParse;
  if (http_status >= 300 && http_status < 500 && http_status != 429) {
    return RobotsAccess::kAllowAll;
  }
  return RobotsAccess::kUnreachable;
}

RobotsRules RobotsRules::FromResponse(int http_status, std::string_view body,
                                      std::string_view user_agent_token) {
  switch (RobotsAccessForStatus(http_status)) {
    case RobotsAccess::kParse:
      return Parse(body, user_agent_token);
    case RobotsAccess::kAllowAll:
      return AllowAll();
    case RobotsAccess::kUnreachable:
      return DisallowAll();
  }
  return DisallowAll();
}

RobotsRules RobotsRules::Parse(std::string_view body,
                               std::string_view user_agent_token) {
  if (body.size() > kMaxRobotsBytes) {
    body = body.substr(0, kMaxRobotsBytes);
    // Drop the line the limit cut: half a rule could allow more than the
    // whole one ("Allow: /a/b" cut to "Allow: /").
    const size_t last_break = body.find_last_of("\r\n");
    body = last_break == std::string_view::npos ? std::string_view()
                                                : body.substr(0, last_break);
  }
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);

  GroupParser parser(ProductToken(user_agent_token));
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = body.size();
    parser.HandleLine(body.substr(pos, end - pos));
    // CRLF is one break; a lone CR or LF is one as well.
    pos = end + 1;
    if (end < body.size() && body[end] == '\r' && pos < body.size() &&
        body[pos] == '\n') {
      ++pos;
    }
  }

  CollectedRules& chosen = parser.Chosen();
  RobotsRules rules;
  rules.rules_.reserve(chosen.rules.size());
  for (auto& [allow, pattern] : chosen.rules) {
    rules.rules_.push_back(Rule{allow, std::move(pattern)});
  }
  rules.crawl_delay_ms_ = chosen.crawl_delay_ms;
  rules.sitemaps_ = std::move(parser.sitemaps());
  return rules;
}

bool RobotsRules::IsAllowed(std::string_view path_and_query) const {
  std::string path = NormalizeRobotsPath(path_and_query);
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  // RFC 9309 2.2.2: "/robots.txt" is implicitly allowed.
  const std::string_view path_view = path;
  const std::string_view path_only = path_view.substr(0, path.find('?'));
  if (path_only == "/robots.txt") return true;
  if (disallow_all_) return false;

  size_t best_length = 0;
  bool matched = false;
  bool allowed = true;
  for (const Rule& rule : rules_) {
    if (matched && rule.pattern.size() < best_length) continue;
    if (!PatternMatches(path, rule.pattern)) continue;
    if (!matched || rule.pattern.size() > best_length) {
      matched = true;
      best_length = rule.pattern.size();
      allowed = rule.allow;
    } else if (rule.allow) {
      allowed = true;  // RFC 9309 2.2.2: allow wins a tie
    }
  }
  return allowed;
}

bool RobotsRules::IsAllowedUrl(std::string_view url) const {
  return IsAllowed(core::UrlPathAndQuery(url));
}

}  // namespace crawler
