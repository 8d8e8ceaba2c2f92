// Tests of the crawling manners in crawler/politeness.h: HostPacer,
// ParseRetryAfter (RFC 9110 10.2.3 and 5.6.7), BackoffDelayMs, Scope and
// IsPrivateHost. Pure logic: every time is a parameter, nothing sleeps and
// nothing touches the network.
#include "crawler/politeness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace crawler {
namespace {

// Epoch milliseconds of a few instants, computed with Python's calendar.timegm.
constexpr int64_t k1994Nov06 = 784'111'777'000;    // 1994-11-06T08:49:37Z
constexpr int64_t k1990Jan01 = 631'152'000'000;    // 1990-01-01T00:00:00Z
constexpr int64_t k2026Jan01 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t k2030Jan01 = 1'893'456'000'000;  // 2030-01-01T00:00:00Z
constexpr int64_t k2024Feb29Noon = 1'709'208'000'000;
constexpr int64_t k2000Mar01 = 951'868'800'000;

core::PolitenessSettings Options(int per_host, int64_t delay_ms) {
  core::PolitenessSettings options;
  options.per_host = per_host;
  options.delay_ms = delay_ms;
  options.max_crawl_delay_ms = 30'000;
  options.max_retry_after_ms = 3'600'000;
  return options;
}

// ---- HostPacer ----

TEST(HostPacerTest, UnknownHostCanStartNow) {
  const HostPacer pacer(Options(2, 1000));
  EXPECT_TRUE(pacer.CanStart("a.example", 5000));
  EXPECT_EQ(pacer.ReadyAt("a.example", 5000), 5000);
  EXPECT_EQ(pacer.in_flight("a.example"), 0);
  EXPECT_TRUE(pacer.BlockedHosts(5000).empty());
}

// Minimum delay between request starts to one host.
TEST(HostPacerTest, MinDelayBetweenStarts) {
  HostPacer pacer(Options(4, 1000));
  pacer.OnStart("a.example", 10'000);
  EXPECT_EQ(pacer.ReadyAt("a.example", 10'000), 11'000);
  EXPECT_FALSE(pacer.CanStart("a.example", 10'999));
  EXPECT_TRUE(pacer.CanStart("a.example", 11'000));
  // The delay counts from the start, not from the finish.
  pacer.OnFinish("a.example", 10'500);
  EXPECT_FALSE(pacer.CanStart("a.example", 10'600));
  EXPECT_EQ(pacer.ReadyAt("a.example", 12'000), 12'000);
  // Another host is not affected.
  EXPECT_TRUE(pacer.CanStart("b.example", 10'000));
}

// Per-host concurrency: no more than per_host in flight.
TEST(HostPacerTest, PerHostConcurrency) {
  HostPacer pacer(Options(2, 0));
  pacer.OnStart("a.example", 0);
  EXPECT_TRUE(pacer.CanStart("a.example", 0));
  pacer.OnStart("a.example", 0);
  EXPECT_EQ(pacer.in_flight("a.example"), 2);
  EXPECT_FALSE(pacer.CanStart("a.example", 0));
  EXPECT_FALSE(pacer.CanStart("a.example", 1'000'000));
  pacer.OnFinish("a.example", 10);
  EXPECT_EQ(pacer.in_flight("a.example"), 1);
  EXPECT_TRUE(pacer.CanStart("a.example", 10));
}

TEST(HostPacerTest, FinishNeverGoesNegative) {
  HostPacer pacer(Options(1, 0));
  pacer.OnFinish("never.example", 0);
  EXPECT_EQ(pacer.in_flight("never.example"), 0);
  pacer.OnStart("a.example", 0);
  pacer.OnFinish("a.example", 1);
  pacer.OnFinish("a.example", 2);
  EXPECT_EQ(pacer.in_flight("a.example"), 0);
  pacer.OnStart("a.example", 3);
  EXPECT_FALSE(pacer.CanStart("a.example", 3));  // one allowed, one in flight
}

// Crawl-delay replaces the min delay when larger, and is capped.
TEST(HostPacerTest, CrawlDelayReplacesMinDelayWhenLarger) {
  HostPacer pacer(Options(2, 1000));
  pacer.SetCrawlDelay("slow.example", 5000);
  pacer.SetCrawlDelay("fast.example", 200);  // smaller: min delay stays
  pacer.SetCrawlDelay("huge.example", 10'000'000);
  pacer.SetCrawlDelay("neg.example", -5);
  EXPECT_EQ(pacer.DelayMs("slow.example"), 5000);
  EXPECT_EQ(pacer.DelayMs("fast.example"), 1000);
  EXPECT_EQ(pacer.DelayMs("huge.example"), 30'000);
  EXPECT_EQ(pacer.DelayMs("neg.example"), 1000);
  EXPECT_EQ(pacer.DelayMs("unknown.example"), 1000);

  pacer.OnStart("slow.example", 0);
  pacer.OnFinish("slow.example", 100);
  EXPECT_FALSE(pacer.CanStart("slow.example", 4999));
  EXPECT_TRUE(pacer.CanStart("slow.example", 5000));

  pacer.OnStart("huge.example", 0);
  EXPECT_EQ(pacer.ReadyAt("huge.example", 0), 30'000);
}

// 429/503: the host is paused until Retry-After, capped.
TEST(HostPacerTest, PauseUntilBlocksHost) {
  HostPacer pacer(Options(2, 0));
  pacer.PauseUntil("a.example", 1000, 61'000);
  EXPECT_FALSE(pacer.CanStart("a.example", 60'999));
  EXPECT_EQ(pacer.ReadyAt("a.example", 2000), 61'000);
  EXPECT_TRUE(pacer.CanStart("a.example", 61'000));
  // A shorter pause does not cut a longer one short.
  pacer.PauseUntil("a.example", 2000, 3000);
  EXPECT_EQ(pacer.ReadyAt("a.example", 2000), 61'000);
  // A pause in the past changes nothing.
  pacer.PauseUntil("b.example", 5000, 100);
  EXPECT_TRUE(pacer.CanStart("b.example", 5000));
}

TEST(HostPacerTest, PauseIsCapped) {
  HostPacer pacer(Options(2, 0));
  pacer.PauseUntil("a.example", 1000, INT64_MAX);
  EXPECT_EQ(pacer.ReadyAt("a.example", 1000), 1000 + 3'600'000);
  EXPECT_TRUE(pacer.CanStart("a.example", 1000 + 3'600'000));
}

TEST(HostPacerTest, BlockedHostsListsHostsThatCannotStart) {
  HostPacer pacer(Options(1, 1000));
  pacer.OnStart("busy.example", 0);      // in flight (1 of 1)
  pacer.OnStart("recent.example", 500);  // min delay not elapsed
  pacer.OnFinish("recent.example", 600);
  pacer.PauseUntil("paused.example", 0, 10'000);
  pacer.OnStart("free.example", 0);
  pacer.OnFinish("free.example", 100);
  const std::vector<std::string> blocked = pacer.BlockedHosts(1200);
  EXPECT_EQ(blocked, (std::vector<std::string>{"busy.example", "paused.example",
                                               "recent.example"}));
  EXPECT_EQ(pacer.BlockedHosts(20'000),
            (std::vector<std::string>{"busy.example"}));
}

TEST(HostPacerTest, PruneForgetsOnlyIdleHosts) {
  HostPacer pacer(Options(2, 1000));
  pacer.OnStart("busy.example", 0);
  pacer.OnStart("done.example", 0);
  pacer.OnFinish("done.example", 10);
  pacer.SetCrawlDelay("delayed.example", 5000);
  pacer.PauseUntil("paused.example", 0, 50'000);
  pacer.OnStart("recent.example", 9'500);
  pacer.OnFinish("recent.example", 9'600);
  EXPECT_EQ(pacer.host_count(), 5U);
  EXPECT_EQ(pacer.Prune(10'000), 1U);  // done.example only
  EXPECT_EQ(pacer.host_count(), 4U);
  EXPECT_EQ(pacer.in_flight("busy.example"), 1);
  EXPECT_EQ(pacer.DelayMs("delayed.example"), 5000);
  EXPECT_FALSE(pacer.CanStart("paused.example", 10'000));
  EXPECT_EQ(pacer.Prune(60'000), 2U);  // paused and recent
  EXPECT_EQ(pacer.host_count(), 2U);
}

// ---- ParseRetryAfter (RFC 9110 10.2.3: delay-seconds / HTTP-date) ----

TEST(ParseRetryAfterTest, DelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", 1000), 121'000);
  EXPECT_EQ(ParseRetryAfter("0", 1000), 1000);
  EXPECT_EQ(ParseRetryAfter("  7 \t", 0), 7000);
  EXPECT_EQ(ParseRetryAfter("007", 0), 7000);
}

TEST(ParseRetryAfterTest, HugeDelaySecondsDoNotOverflow) {
  const std::optional<int64_t> t =
      ParseRetryAfter("99999999999999999999999999", 1000);
  ASSERT_TRUE(t.has_value());
  EXPECT_GT(*t, 1000);
}

TEST(ParseRetryAfterTest, GarbageIsNullopt) {
  for (const char* value : {"",
                            "   ",
                            "-5",
                            "+5",
                            "1.5",
                            "5 s",
                            "abc",
                            "12abc",
                            "Sun",
                            "Sun, 06 Nov 1994",
                            "Sun, 06 Nov 1994 08:49:37",
                            "Sun, 06 Nov 1994 08:49:37 PST",
                            "Sun, 06 Nov 1994 08:49:37 GMT x",
                            "Sun, 6 Nov 94 08:49:37 GMT",
                            "Foo, 06 Nov 1994 08:49:37 GMT",
                            "Sun, 06 Foo 1994 08:49:37 GMT",
                            "Sun, 31 Feb 2026 00:00:00 GMT",
                            "Sun, 29 Feb 2025 00:00:00 GMT",
                            "Sun, 06 Nov 1994 24:00:00 GMT",
                            "Sun, 06 Nov 1994 08:60:00 GMT",
                            "Sun, 00 Nov 1994 08:49:37 GMT",
                            "Sun, 06 Nov 1994 8:49:37 GMT",
                            "Sunday, 06-Nov-1994 08:49:37 GMT",
                            "Sun Nov  6 08:49:37",
                            "Sun Nov  6 08:49:37 94",
                            "2026-01-01T00:00:00Z"}) {
    EXPECT_EQ(ParseRetryAfter(value, 0), std::nullopt) << value;
  }
}

// RFC 9110 5.6.7: IMF-fixdate, the preferred format.
TEST(ParseRetryAfterTest, ImfFixdate) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", k1990Jan01),
            k1994Nov06);
  EXPECT_EQ(ParseRetryAfter("Thu, 29 Feb 2024 12:00:00 GMT", 0),
            k2024Feb29Noon);
  EXPECT_EQ(ParseRetryAfter("Wed, 01 Mar 2000 00:00:00 GMT", 0), k2000Mar01);
  // Names are matched case-insensitively; surrounding whitespace is allowed.
  EXPECT_EQ(ParseRetryAfter(" sun, 06 NOV 1994 08:49:37 gmt ", k1990Jan01),
            k1994Nov06);
}

// A date already past means "retry now".
TEST(ParseRetryAfterTest, PastDateIsNow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", k2026Jan01),
            k2026Jan01);
}

// RFC 9110 5.6.7: obsolete RFC 850 format, two-digit year.
TEST(ParseRetryAfterTest, Rfc850Date) {
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", k1990Jan01),
            k1994Nov06);
  // From 2026, "30" is 2030 (not more than 50 years ahead) ...
  EXPECT_EQ(ParseRetryAfter("Tuesday, 01-Jan-30 00:00:00 GMT", k2026Jan01),
            k2030Jan01);
  // ... and "94" is 1994, not 2094 (more than 50 years ahead): in the past.
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", k2026Jan01),
            k2026Jan01);
}

// RFC 9110 5.6.7: obsolete asctime format, day padded with a space.
TEST(ParseRetryAfterTest, AsctimeDate) {
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", k1990Jan01),
            k1994Nov06);
  EXPECT_EQ(ParseRetryAfter("Sun Nov 06 08:49:37 1994", k1990Jan01),
            k1994Nov06);
  EXPECT_EQ(ParseRetryAfter("Tue Jan  1 00:00:00 2030", k2026Jan01),
            k2030Jan01);
}

// ---- BackoffDelayMs ----

TEST(BackoffDelayTest, ExponentialWithJitterBounds) {
  core::RetrySettings options;
  options.base_delay_ms = 2000;
  options.max_delay_ms = 300'000;
  std::mt19937_64 rng(42);
  struct Case {
    int attempts;
    int64_t low;
    int64_t high;
  };
  for (const Case& c :
       {Case{1, 1000, 2000}, Case{2, 2000, 4000}, Case{3, 4000, 8000},
        Case{4, 8000, 16'000}, Case{8, 128'000, 256'000},
        Case{9, 150'000, 300'000}, Case{60, 150'000, 300'000},
        Case{INT_MAX, 150'000, 300'000}}) {
    std::set<int64_t> seen;
    for (int i = 0; i < 200; ++i) {
      const int64_t d = BackoffDelayMs(options, c.attempts, rng);
      EXPECT_GE(d, c.low) << c.attempts;
      EXPECT_LE(d, c.high) << c.attempts;
      seen.insert(d);
    }
    EXPECT_GT(seen.size(), 10U) << "no jitter at attempts " << c.attempts;
  }
}

TEST(BackoffDelayTest, DeterministicForSeed) {
  const core::RetrySettings options;
  std::mt19937_64 a(7);
  std::mt19937_64 b(7);
  for (int attempts = 1; attempts < 10; ++attempts) {
    EXPECT_EQ(BackoffDelayMs(options, attempts, a),
              BackoffDelayMs(options, attempts, b));
  }
}

TEST(BackoffDelayTest, EdgeCases) {
  std::mt19937_64 rng(1);
  core::RetrySettings options;
  options.base_delay_ms = 1000;
  options.max_delay_ms = 10'000;
  // attempts < 1 counts as 1.
  for (int attempts : {0, -3}) {
    const int64_t d = BackoffDelayMs(options, attempts, rng);
    EXPECT_GE(d, 500);
    EXPECT_LE(d, 1000);
  }
  options.base_delay_ms = 0;
  EXPECT_EQ(BackoffDelayMs(options, 5, rng), 0);
  // A base above the cap is capped.
  options.base_delay_ms = 50'000;
  const int64_t d = BackoffDelayMs(options, 1, rng);
  EXPECT_GE(d, 5000);
  EXPECT_LE(d, 10'000);
}

TEST(BackoffDelayTest, ShouldRetryIsBounded) {
  core::RetrySettings options;
  options.max_attempts = 3;
  EXPECT_TRUE(ShouldRetry(options, 1));
  EXPECT_TRUE(ShouldRetry(options, 2));
  EXPECT_FALSE(ShouldRetry(options, 3));
  EXPECT_FALSE(ShouldRetry(options, 4));
  options.max_attempts = 1;
  EXPECT_FALSE(ShouldRetry(options, 1));
}

// ---- Scope ----

ScopeOptions SeedScope() {
  ScopeOptions options;
  options.seed_hosts = {"Podcasts.Example.com", "127.0.0.1"};
  options.max_depth = 3;
  return options;
}

// Default scope: exact host match with the seeds (case-insensitive, any port).
TEST(ScopeTest, FollowsSeedHostsOnly) {
  const Scope scope(SeedScope());
  EXPECT_TRUE(scope.Follows("https://podcasts.example.com/show/1", 1));
  EXPECT_TRUE(scope.Follows("http://podcasts.example.com:8080/", 1));
  EXPECT_TRUE(scope.Follows("http://127.0.0.1:4321/ep/2", 0));
  EXPECT_FALSE(scope.Follows("https://example.com/", 1));
  EXPECT_FALSE(scope.Follows("https://www.podcasts.example.com/", 1));
  EXPECT_FALSE(scope.Follows("https://podcasts.example.com.evil.test/", 1));
  EXPECT_FALSE(scope.Follows("https://other.test/podcasts.example.com", 1));
}

// include_subdomains: the seed's www. twin and every subdomain of the domain
// without www. (Scrapy's allowed_domains); lookalikes and IP "subdomains" not.
TEST(ScopeTest, IncludeSubdomainsAddsTheWwwTwinAndSubdomains) {
  ScopeOptions options;
  options.seed_hosts = {"WWW.Example.com", "127.0.0.1", "[::1]"};
  options.include_subdomains = true;
  const Scope scope(options);
  EXPECT_TRUE(scope.Follows("https://www.example.com/a", 1));
  EXPECT_TRUE(scope.Follows("https://example.com/a", 1));
  EXPECT_TRUE(scope.Follows("https://podcasts.example.com/a", 1));
  EXPECT_TRUE(scope.Follows("https://a.b.example.com./a", 1));
  EXPECT_FALSE(scope.Follows("https://badexample.com/", 1));
  EXPECT_FALSE(scope.Follows("https://example.com.evil.test/", 1));
  EXPECT_FALSE(scope.Follows("https://example.org/", 1));
  EXPECT_TRUE(scope.Follows("http://127.0.0.1:8080/", 1));
  EXPECT_FALSE(scope.Follows("http://1.127.0.0.1/", 1));
  EXPECT_TRUE(scope.Follows("http://[::1]:8080/", 1));
  EXPECT_FALSE(scope.Follows("https://www.example.com/a", 11));  // depth

  options.include_subdomains = false;  // the default: exact hosts
  const Scope exact(options);
  EXPECT_TRUE(exact.Follows("https://www.example.com/a", 1));
  EXPECT_FALSE(exact.Follows("https://example.com/a", 1));
  EXPECT_FALSE(exact.Follows("https://podcasts.example.com/a", 1));
}

TEST(ScopeTest, DepthLimit) {
  const Scope scope(SeedScope());
  EXPECT_TRUE(scope.Follows("https://podcasts.example.com/a", 3));
  EXPECT_FALSE(scope.Follows("https://podcasts.example.com/a", 4));
}

TEST(ScopeTest, OnlyHttpAndHttps) {
  const Scope scope(SeedScope());
  EXPECT_FALSE(scope.Follows("ftp://podcasts.example.com/a", 1));
  EXPECT_FALSE(scope.Follows("mailto:x@podcasts.example.com", 1));
  EXPECT_FALSE(scope.Follows("", 1));
  EXPECT_TRUE(scope.Follows("HTTPS://podcasts.example.com/a", 1));
}

TEST(ScopeTest, AllowPatternsWidenDenyPatternsWin) {
  ScopeOptions options = SeedScope();
  options.allow = {R"(^https://cdn\.example\.net/shows/)", "/episode/[0-9]+$"};
  options.deny = {R"(\.mp3$)", "/admin/"};
  const Scope scope(options);
  EXPECT_TRUE(scope.Follows("https://cdn.example.net/shows/x", 1));
  EXPECT_TRUE(scope.Follows("https://any.test/episode/42", 1));
  EXPECT_FALSE(scope.Follows("https://any.test/episode/42/x", 1));
  EXPECT_FALSE(scope.Follows("https://cdn.example.net/other", 1));
  // Deny beats both the seed host and an allow pattern.
  EXPECT_FALSE(scope.Follows("https://podcasts.example.com/admin/x", 1));
  EXPECT_FALSE(scope.Follows("https://cdn.example.net/shows/a.mp3", 1));
  // Depth applies to allow patterns too.
  EXPECT_FALSE(scope.Follows("https://any.test/episode/42", 4));
}

TEST(ScopeTest, InvalidPatternThrows) {
  ScopeOptions options;
  options.allow = {"("};
  EXPECT_THROW(Scope{options}, std::invalid_argument);
}

TEST(ScopeTest, Ipv6SeedHost) {
  ScopeOptions options;
  options.seed_hosts = {"[::1]"};
  const Scope scope(options);
  EXPECT_TRUE(scope.Follows("http://[::1]:8080/a", 0));
  ScopeOptions bare;
  bare.seed_hosts = {"::1"};
  EXPECT_TRUE(Scope(bare).Follows("http://[::1]/a", 0));
}

// Issue 4 item 5: links on a public page to private addresses are not
// followed; a crawl of a loopback site follows its own links.
TEST(ScopeTest, FollowsLinkRefusesPublicToPrivate) {
  ScopeOptions options;
  options.seed_hosts = {"podcasts.example.com", "127.0.0.1"};
  options.allow = {"."};  // everything, to isolate the private rule
  const Scope scope(options);
  EXPECT_FALSE(scope.FollowsLink("https://podcasts.example.com/",
                                 "http://127.0.0.1/admin", 1));
  EXPECT_FALSE(scope.FollowsLink("https://podcasts.example.com/",
                                 "http://192.168.1.1/", 1));
  EXPECT_FALSE(scope.FollowsLink("https://podcasts.example.com/",
                                 "http://[::1]:8080/", 1));
  EXPECT_FALSE(scope.FollowsLink("https://podcasts.example.com/",
                                 "http://localhost/", 1));
  EXPECT_TRUE(scope.FollowsLink("https://podcasts.example.com/",
                                "https://podcasts.example.com/x", 1));
  EXPECT_TRUE(scope.FollowsLink("http://127.0.0.1:5000/",
                                "http://127.0.0.1:5000/page2", 1));
  EXPECT_TRUE(
      scope.FollowsLink("http://127.0.0.1:5000/", "https://other.example/", 1));
  // Still subject to Follows.
  EXPECT_FALSE(scope.FollowsLink("http://127.0.0.1:5000/",
                                 "http://127.0.0.1:5000/deep", 11));
}

// Issue 10: a ~20 KB link against a deny pattern crashed the crawl (std::regex
// recursed per character) or took seconds; on RE2 it is answered at once.
TEST(ScopeTest, HugeUrlAgainstBacktrackingPatternsIsQuick) {
  ScopeOptions options;
  options.seed_hosts = {"pods.test"};  // no 'c' or 'y' in the host
  options.deny = {"(a|b)*c", ".*(x+)+y"};
  options.allow = {"^(a|aa)+$"};
  const Scope scope(options);
  const auto start = std::chrono::steady_clock::now();
  const std::string as = "https://pods.test/" + std::string(20'000, 'a');
  const std::string xs = "https://pods.test/" + std::string(20'000, 'x');
  EXPECT_TRUE(scope.Follows(as, 1));
  EXPECT_FALSE(scope.Follows(as + "c", 1));  // denied
  EXPECT_TRUE(scope.Follows(xs, 1));
  EXPECT_FALSE(scope.Follows(xs + "y", 1));  // denied
  // Another host: only the allow pattern could take it in, and it does not.
  EXPECT_FALSE(
      scope.Follows("https://other.test/" + std::string(20'000, 'a'), 1));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

// ---- IsPrivateHost ----

TEST(IsPrivateHostTest, Ipv4Ranges) {
  for (const char* host :
       {"127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255",
        "172.16.0.0", "172.31.255.255", "192.168.0.1", "192.168.255.255",
        "169.254.169.254", "0.0.0.0", "0.1.2.3", "100.64.0.1",
        "100.127.255.255"}) {
    EXPECT_TRUE(IsPrivateHost(host)) << host;
  }
  for (const char* host :
       {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "192.169.0.1",
        "192.167.255.255", "169.253.255.255", "169.255.0.0", "100.63.255.255",
        "100.128.0.0", "11.0.0.1", "126.255.255.255", "128.0.0.1",
        "255.255.255.255"}) {
    EXPECT_FALSE(IsPrivateHost(host)) << host;
  }
}

// Shorthand IPv4 forms that resolvers treat as addresses.
TEST(IsPrivateHostTest, Ipv4ShorthandForms) {
  EXPECT_TRUE(IsPrivateHost("127.1"));
  EXPECT_TRUE(IsPrivateHost("2130706433"));  // 127.0.0.1 as one number
  EXPECT_TRUE(IsPrivateHost("0x7f000001"));
  EXPECT_TRUE(IsPrivateHost("0177.0.0.1"));  // octal 127
  EXPECT_TRUE(IsPrivateHost("10.1"));
  EXPECT_FALSE(IsPrivateHost("134744072"));  // 8.8.8.8
  EXPECT_FALSE(IsPrivateHost("1.2.3.4.5"));
}

TEST(IsPrivateHostTest, Ipv6Ranges) {
  for (const char* host :
       {"::1",
        "[::1]",
        "::",
        "[::]",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "[fe80::1%25eth0]",
        "fe80::1%eth0",
        "febf:ffff::1",
        "fec0::1",
        "0:0:0:0:0:0:0:1",
        "::ffff:127.0.0.1",
        "[::ffff:10.1.2.3]",
        "::ffff:7f00:1",
        "::ffff:192.168.0.10",
        "::ffff:169.254.1.1",
        "::127.0.0.1",
        "FE80::ABCD",
        "::2" /* IPv4-compatible 0.0.0.2, in 0/8: refused, harmlessly */}) {
    EXPECT_TRUE(IsPrivateHost(host)) << host;
  }
  for (const char* host : {"2001:db8::1", "2606:4700::1111", "[2a00:1450::1]",
                           "ff02::1", "::ffff:8.8.8.8", "fbff::1", "fe00::1",
                           "::ffff:0:1:1", "not:an:address::x"}) {
    EXPECT_FALSE(IsPrivateHost(host)) << host;
  }
}

TEST(IsPrivateHostTest, LocalhostNames) {
  for (const char* host : {"localhost", "LOCALHOST", "localhost.",
                           "foo.localhost", "a.b.Localhost", "[localhost]"}) {
    EXPECT_TRUE(IsPrivateHost(host)) << host;
  }
  for (const char* host :
       {"notlocalhost", "localhost.example.com", "example.com", "",
        "10.0.0.1.example.com", "deadbeef", "cafe", "127.0.0.1.nip.test"}) {
    EXPECT_FALSE(IsPrivateHost(host)) << host;
  }
}

}  // namespace
}  // namespace crawler
