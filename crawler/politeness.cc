#include "crawler/politeness.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/ascii.h"
#include "core/civil_time.h"
#include "core/clock.h"
#include "core/site.h"
#include "core/url.h"

namespace crawler {
namespace {

constexpr int64_t kMsPerSecond = 1000;

using core::Trim;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

using core::SaturatingAdd;

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

HostPacer::HostPacer(core::PolitenessSettings options) : options_(options) {}

int64_t HostPacer::DelayMs(const std::string& host) const {
  const auto it = hosts_.find(host);
  const int64_t crawl_delay =
      it == hosts_.end() ? 0 : it->second.crawl_delay_ms;
  return std::max(options_.delay_ms, crawl_delay);
}

int64_t HostPacer::ReadyAt(const std::string& host, int64_t now_ms) const {
  const auto it = hosts_.find(host);
  if (it == hosts_.end()) return now_ms;
  const HostState& state = it->second;
  const int64_t delay = std::max(options_.delay_ms, state.crawl_delay_ms);
  return std::max({now_ms, SaturatingAdd(state.last_start_ms, delay),
                   state.paused_until_ms});
}

bool HostPacer::CanStart(const std::string& host, int64_t now_ms) const {
  return in_flight(host) < options_.per_host && ReadyAt(host, now_ms) <= now_ms;
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
  const int64_t cap = SaturatingAdd(now_ms, options_.max_retry_after_ms);
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
           SaturatingAdd(s.last_start_ms, options_.delay_ms) <= now_ms;
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
    return SaturatingAdd(now_ms, seconds * kMsPerSecond);
  }
  const std::optional<int64_t> date = core::ParseHttpDateMs(value, now_ms);
  if (!date) return std::nullopt;
  return std::max(*date, now_ms);
}

int64_t BackoffDelayMs(const core::RetrySettings& options, int attempts,
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

bool ShouldRetry(const core::RetrySettings& options, int attempts) {
  return attempts < options.max_attempts;
}

// ---- Scope ----

namespace {

bool IsHttpUrl(std::string_view url) {
  const std::string head = core::AsciiLower(url.substr(0, 8));
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

// Returns true for an IPv4 or IPv6 address literal (no subdomains).
bool IsIpLiteral(const std::string& host) {
  if (host.find(':') != std::string::npos || host.starts_with('[')) {
    return true;
  }
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1;
}

bool AnySearch(const std::vector<core::Regex>& regexes, std::string_view url) {
  return std::any_of(regexes.begin(), regexes.end(),
                     [url](const core::Regex& re) { return re.Search(url); });
}

}  // namespace

Scope::Scope(ScopeOptions options)
    : options_(std::move(options)),
      allow_(Compile(options_.allow)),
      deny_(Compile(options_.deny)) {
  for (std::string& host : options_.seed_hosts) {
    host = core::CanonicalHost(host);
    if (options_.include_subdomains && !IsIpLiteral(host)) {
      seed_domains_.push_back(host.starts_with("www.") ? host.substr(4) : host);
    }
  }
}

bool Scope::Follows(std::string_view url, int depth) const {
  if (depth > options_.max_depth || !IsHttpUrl(url)) return false;
  if (AnySearch(deny_, url)) return false;
  const std::string host = core::CanonicalHost(core::UrlHost(url));
  if (!host.empty() &&
      std::find(options_.seed_hosts.begin(), options_.seed_hosts.end(), host) !=
          options_.seed_hosts.end()) {
    return true;
  }
  for (const std::string& domain : seed_domains_) {
    if (host == domain ||
        (host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.')) {
      return true;
    }
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
  const std::string lower = core::AsciiLower(h);
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
