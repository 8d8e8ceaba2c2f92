#include "crawler/politeness.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

#include "core/url.h"

namespace crawler {
namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kMsPerDay = 86'400'000;

char ToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Saturating a + b for the times and delays here (both may be large).
int64_t AddSaturating(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) {
    return std::numeric_limits<int64_t>::min();
  }
  return a + b;
}

// ---- HTTP-date (RFC 9110 5.6.7) ----

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), so no timegm() and no time zone is involved.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Year of a day count since 1970-01-01 (Hinnant's civil_from_days).
int64_t YearFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  return yoe + era * 400 + (m <= 2 ? 1 : 0);
}

bool IsLeapYear(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) return 29;
  return kDays[static_cast<size_t>(m - 1)];
}

// A cursor over a header value; every Read* consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  bool Char(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  // Reads exactly `n` digits.
  bool Digits(size_t n, int* out) {
    if (s_.size() - i_ < n) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      if (!IsDigit(s_[i_ + k])) return false;
      v = v * 10 + (s_[i_ + k] - '0');
    }
    i_ += n;
    *out = v;
    return true;
  }
  // Reads one or two digits.
  bool Digits12(int* out) {
    if (Digits(2, out)) return true;
    return Digits(1, out);
  }
  std::string_view Letters() {
    const size_t start = i_;
    while (i_ < s_.size() && ((s_[i_] >= 'a' && s_[i_] <= 'z') ||
                              (s_[i_] >= 'A' && s_[i_] <= 'Z'))) {
      ++i_;
    }
    return s_.substr(start, i_ - start);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

bool IsDayName(std::string_view word) {
  static constexpr std::array<std::string_view, 7> kShort = {
      "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static constexpr std::array<std::string_view, 7> kLong = {
      "monday", "tuesday",  "wednesday", "thursday",
      "friday", "saturday", "sunday"};
  const std::string lower = Lowercase(word);
  return std::find(kShort.begin(), kShort.end(), lower) != kShort.end() ||
         std::find(kLong.begin(), kLong.end(), lower) != kLong.end();
}

// Returns 1..12, or 0 when `word` is no month name.
int MonthNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = Lowercase(word);
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == lower) return static_cast<int>(i) + 1;
  }
  return 0;
}

// time-of-day = hour ":" minute ":" second (2DIGIT each).
bool ReadTime(Cursor& c, int* h, int* m, int* s) {
  return c.Digits(2, h) && c.Char(':') && c.Digits(2, m) && c.Char(':') &&
         c.Digits(2, s);
}

std::optional<int64_t> ToEpochMs(int64_t year, int month, int day, int hour,
                                 int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  // A leap second (":60") is read as the next second, as most parsers do.
  const int64_t days = DaysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60 * kMsPerSecond +
         int64_t{second} * kMsPerSecond;
}

std::optional<int64_t> ParseHttpDate(std::string_view value, int64_t now_ms) {
  Cursor c(value);
  if (!IsDayName(c.Letters())) return std::nullopt;
  int day = 0;
  int month = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (c.Char(',')) {
    // IMF-fixdate or rfc850-date.
    if (!c.Char(' ') || !c.Digits12(&day)) return std::nullopt;
    if (c.Char(' ')) {
      // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
      month = MonthNumber(c.Letters());
      if (month == 0 || !c.Char(' ') || !c.Digits(4, &year)) {
        return std::nullopt;
      }
    } else if (c.Char('-')) {
      // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT".
      month = MonthNumber(c.Letters());
      int yy = 0;
      if (month == 0 || !c.Char('-') || !c.Digits(2, &yy)) {
        return std::nullopt;
      }
      // RFC 9110 5.6.7: a two-digit year more than 50 years in the future is
      // the most recent past year with those last two digits.
      const int64_t now_year =
          YearFromDays(now_ms >= 0 ? now_ms / kMsPerDay
                                   : (now_ms - kMsPerDay + 1) / kMsPerDay);
      int64_t full = now_year - (now_year % 100 + 100) % 100 + yy;
      if (full > now_year + 50) full -= 100;
      year = static_cast<int>(full);
    } else {
      return std::nullopt;
    }
    if (!c.Char(' ') || !ReadTime(c, &hour, &minute, &second) || !c.Char(' ')) {
      return std::nullopt;
    }
    const std::string_view zone = c.Letters();
    if (Lowercase(zone) != "gmt" || !c.done()) return std::nullopt;
  } else {
    // asctime-date: "Sun Nov  6 08:49:37 1994".
    if (!c.Char(' ')) return std::nullopt;
    month = MonthNumber(c.Letters());
    if (month == 0 || !c.Char(' ')) return std::nullopt;
    c.Char(' ');  // a single-digit day is padded with a space
    if (!c.Digits12(&day) || !c.Char(' ') ||
        !ReadTime(c, &hour, &minute, &second) || !c.Char(' ') ||
        !c.Digits(4, &year) || !c.done()) {
      return std::nullopt;
    }
  }
  return ToEpochMs(year, month, day, hour, minute, second);
}

// ---- IsPrivateHost ----

bool IsPrivateV4(const in_addr& addr) {
  const uint32_t a = ntohl(addr.s_addr);
  const auto in = [a](uint32_t net, int bits) {
    const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  return in(0x00000000, 8) ||   // 0.0.0.0/8 "this network"
         in(0x0A000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10 CGNAT
         in(0x7F000000, 8) ||   // 127/8 loopback
         in(0xA9FE0000, 16) ||  // 169.254/16 link-local
         in(0xAC100000, 12) ||  // 172.16/12
         in(0xC0A80000, 16);    // 192.168/16
}

bool IsPrivateV6(const in6_addr& addr) {
  const unsigned char* b = addr.s6_addr;
  bool first_ten_zero = true;
  for (int i = 0; i < 10; ++i) first_ten_zero = first_ten_zero && b[i] == 0;
  bool first_twelve_zero = first_ten_zero && b[10] == 0 && b[11] == 0;
  if (first_twelve_zero) {
    bool rest_zero = b[12] == 0 && b[13] == 0 && b[14] == 0;
    if (rest_zero && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  }
  if ((b[0] & 0xFE) == 0xFC) return true;                  // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;  // fe80::/10
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return true;  // fec0::/10
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) reach IPv4 a.b.c.d.
  if (first_twelve_zero || (first_ten_zero && b[10] == 0xFF && b[11] == 0xFF)) {
    in_addr v4{};
    std::memcpy(&v4.s_addr, b + 12, 4);
    return IsPrivateV4(v4);
  }
  return false;
}

// The ranges IsPrivateAddress adds to IsPrivateV4: multicast, reserved,
// broadcast and special-purpose blocks no public server lives in.
bool IsSpecialV4(const in_addr& addr) {
  const uint32_t a = ntohl(addr.s_addr);
  const auto in = [a](uint32_t net, int bits) {
    const uint32_t mask = ~uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  return in(0xE0000000, 4) ||   // 224/4 multicast
         in(0xF0000000, 4) ||   // 240/4 reserved, 255.255.255.255 broadcast
         in(0xC0000000, 24) ||  // 192.0.0/24 IETF protocol assignments
         in(0xC6120000, 15);    // 198.18/15 benchmarking
}

bool IsNonPublicV4(const in_addr& addr) {
  return IsPrivateV4(addr) || IsSpecialV4(addr);
}

bool IsNonPublicV6(const in6_addr& addr) {
  if (IsPrivateV6(addr)) return true;
  const unsigned char* b = addr.s6_addr;
  if (b[0] == 0xFF) return true;  // ff00::/8 multicast
  in_addr v4{};
  // ::ffff:a.b.c.d and ::a.b.c.d: IsPrivateV6 checked the IsPrivateV4 part.
  bool first_ten_zero = true;
  for (int i = 0; i < 10; ++i) first_ten_zero = first_ten_zero && b[i] == 0;
  if (first_ten_zero &&
      ((b[10] == 0 && b[11] == 0) || (b[10] == 0xFF && b[11] == 0xFF))) {
    std::memcpy(&v4.s_addr, b + 12, 4);
    return IsSpecialV4(v4);
  }
  // 64:ff9b::a.b.c.d (NAT64, RFC 6052).
  static constexpr std::array<unsigned char, 12> kNat64 = {0x00, 0x64, 0xFF,
                                                           0x9B};
  if (std::equal(kNat64.begin(), kNat64.end(), b)) {
    std::memcpy(&v4.s_addr, b + 12, 4);
    return IsNonPublicV4(v4);
  }
  // 2002:AABB:CCDD::/48 (6to4, RFC 3056) reaches a.b.c.d = AA.BB.CC.DD.
  if (b[0] == 0x20 && b[1] == 0x02) {
    std::memcpy(&v4.s_addr, b + 2, 4);
    return IsNonPublicV4(v4);
  }
  return false;
}

}  // namespace

// ---- HostPacer ----

HostPacer::HostPacer(PolitenessOptions options) : options_(options) {}

int64_t HostPacer::DelayMs(const std::string& host) const {
  const auto it = hosts_.find(host);
  const int64_t crawl_delay =
      it == hosts_.end() ? 0 : it->second.crawl_delay_ms;
  return std::max(options_.min_delay_ms, crawl_delay);
}

int64_t HostPacer::ReadyAt(const std::string& host, int64_t now_ms) const {
  const auto it = hosts_.find(host);
  if (it == hosts_.end()) return now_ms;
  const HostState& state = it->second;
  const int64_t delay = std::max(options_.min_delay_ms, state.crawl_delay_ms);
  return std::max({now_ms, AddSaturating(state.last_start_ms, delay),
                   state.paused_until_ms});
}

bool HostPacer::CanStart(const std::string& host, int64_t now_ms) const {
  return in_flight(host) < options_.per_host_concurrency &&
         ReadyAt(host, now_ms) <= now_ms;
}

void HostPacer::OnStart(const std::string& host, int64_t now_ms) {
  HostState& state = hosts_[host];
  ++state.in_flight;
  state.last_start_ms = std::max(state.last_start_ms, now_ms);
}

void HostPacer::OnFinish(const std::string& host, int64_t /*now_ms*/) {
  const auto it = hosts_.find(host);
  if (it == hosts_.end() || it->second.in_flight <= 0) return;
  --it->second.in_flight;
}

void HostPacer::SetCrawlDelay(const std::string& host, int64_t delay_ms) {
  const int64_t capped = std::clamp<int64_t>(
      delay_ms, 0, std::max<int64_t>(0, options_.max_crawl_delay_ms));
  hosts_[host].crawl_delay_ms = capped;
}

void HostPacer::PauseUntil(const std::string& host, int64_t now_ms,
                           int64_t until_ms) {
  const int64_t cap = AddSaturating(now_ms, options_.max_retry_after_ms);
  HostState& state = hosts_[host];
  state.paused_until_ms =
      std::max(state.paused_until_ms, std::min(until_ms, cap));
}

std::vector<std::string> HostPacer::BlockedHosts(int64_t now_ms) const {
  std::vector<std::string> blocked;
  for (const auto& [host, state] : hosts_) {
    if (!CanStart(host, now_ms)) blocked.push_back(host);
  }
  return blocked;
}

int HostPacer::in_flight(const std::string& host) const {
  const auto it = hosts_.find(host);
  return it == hosts_.end() ? 0 : it->second.in_flight;
}

size_t HostPacer::Prune(int64_t now_ms) {
  return std::erase_if(hosts_, [&](const auto& entry) {
    const HostState& s = entry.second;
    return s.in_flight == 0 && s.crawl_delay_ms == 0 &&
           s.paused_until_ms <= now_ms &&
           AddSaturating(s.last_start_ms, options_.min_delay_ms) <= now_ms;
  });
}

// ---- Retry-After, backoff ----

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), IsDigit)) {
    // delay-seconds = 1*DIGIT. Saturate absurd values instead of overflowing;
    // callers cap the pause anyway.
    constexpr int64_t kMaxSeconds = int64_t{1} << 40;
    int64_t seconds = 0;
    for (const char ch : value) {
      seconds = std::min(kMaxSeconds, seconds * 10 + (ch - '0'));
    }
    return AddSaturating(now_ms, seconds * kMsPerSecond);
  }
  const std::optional<int64_t> date = ParseHttpDate(value, now_ms);
  if (!date) return std::nullopt;
  return std::max(*date, now_ms);
}

int64_t BackoffDelayMs(const RetryOptions& options, int attempts,
                       std::mt19937_64& rng) {
  const int64_t cap = std::max<int64_t>(0, options.max_delay_ms);
  int64_t delay = std::clamp<int64_t>(options.base_delay_ms, 0, cap);
  for (int i = 1; i < attempts && delay < cap; ++i) {
    delay = delay > cap / 2 ? cap : delay * 2;
  }
  if (delay <= 0) return 0;
  std::uniform_int_distribution<int64_t> jitter(delay / 2, delay);
  return jitter(rng);
}

bool ShouldRetry(const RetryOptions& options, int attempts) {
  return attempts < options.max_attempts;
}

// ---- Scope ----

namespace {

// Lowercases and strips IPv6 brackets, so "[::1]" and "::1" compare equal.
std::string CanonicalHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return Lowercase(host);
}

bool IsHttpUrl(std::string_view url) {
  const std::string head = Lowercase(url.substr(0, 8));
  return head.starts_with("http://") || head.starts_with("https://");
}

std::vector<core::Regex> Compile(const std::vector<std::string>& patterns) {
  std::vector<core::Regex> out;
  out.reserve(patterns.size());
  for (const std::string& p : patterns) {
    core::Result<core::Regex> re = core::Regex::Compile(p);
    if (!re) {
      throw std::invalid_argument("\"" + p + "\": " + re.error().message);
    }
    out.push_back(std::move(re).value());
  }
  return out;
}

bool AnySearch(const std::vector<core::Regex>& regexes, std::string_view url) {
  return std::any_of(regexes.begin(), regexes.end(),
                     [url](const core::Regex& re) { return re.Search(url); });
}

}  // namespace

Scope::Scope(ScopeOptions options)
    : options_(std::move(options)),
      allow_(Compile(options_.allow_patterns)),
      deny_(Compile(options_.deny_patterns)) {
  for (std::string& host : options_.seed_hosts) host = CanonicalHost(host);
}

bool Scope::Follows(std::string_view url, int depth) const {
  if (depth > options_.max_depth || !IsHttpUrl(url)) return false;
  if (AnySearch(deny_, url)) return false;
  const std::string host = CanonicalHost(core::UrlHost(url));
  if (!host.empty() &&
      std::find(options_.seed_hosts.begin(), options_.seed_hosts.end(), host) !=
          options_.seed_hosts.end()) {
    return true;
  }
  return AnySearch(allow_, url);
}

bool Scope::FollowsLink(std::string_view from_url, std::string_view url,
                        int depth) const {
  if (!Follows(url, depth)) return false;
  return !IsPrivateHost(core::UrlHost(url)) ||
         IsPrivateHost(core::UrlHost(from_url));
}

// ---- IsPrivateHost ----

bool IsPrivateHost(std::string_view host) {
  std::string_view h = Trim(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  if (h.empty()) return false;
  const std::string lower = Lowercase(h);
  if (lower == "localhost" || lower.ends_with(".localhost")) return true;

  if (lower.find(':') != std::string::npos) {
    // IPv6, perhaps with a zone ("fe80::1%eth0", "%25eth0" in a URL).
    const std::string addr = lower.substr(0, lower.find('%'));
    in6_addr v6{};
    return inet_pton(AF_INET6, addr.c_str(), &v6) == 1 && IsPrivateV6(v6);
  }
  in_addr v4{};
  if (inet_pton(AF_INET, lower.c_str(), &v4) == 1) return IsPrivateV4(v4);
  // inet_aton also reads the shorthand forms ("127.1", "0x7f.1",
  // "2130706433") that resolvers and libcurl treat as addresses; only try it
  // on strings made of digits, dots and hex, so a name never gets here.
  const bool numeric_like = std::all_of(lower.begin(), lower.end(),
                                        [](char c) {
                                          return IsDigit(c) || c == '.' ||
                                                 c == 'x' ||
                                                 (c >= 'a' && c <= 'f');
                                        }) &&
                            IsDigit(lower.front());
  if (numeric_like && inet_aton(lower.c_str(), &v4) != 0) {
    return IsPrivateV4(v4);
  }
  return false;
}

bool IsPrivateAddress(std::string_view address) {
  std::string_view a = Trim(address);
  if (a.size() >= 2 && a.front() == '[' && a.back() == ']') {
    a = a.substr(1, a.size() - 2);
  }
  const std::string text(a.substr(0, a.find('%')));  // without a zone
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return IsNonPublicV4(v4);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IsNonPublicV6(v6);
  return true;
}

}  // namespace crawler
