// Tests of crawler::RobotsCache and RobotsAccessForFetch: what the crawl loop
// decides from a robots.txt fetch (RFC 9309 2.3.1) and how long it keeps the
// answer (2.4). Pure bookkeeping: times are passed in, nothing is fetched.
#include "crawler/robots_cache.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/error.h"
#include "core/fetch.h"

namespace crawler {
namespace {

using core::ErrorCode;
using State = RobotsCache::State;

constexpr const char* kUrl = "https://h.example/robots.txt";
constexpr int64_t kCacheMs = int64_t{24} * 3'600'000;
constexpr int64_t kRetryMs = 600'000;

RobotsCache Cache() {
  return RobotsCache(RobotsCacheOptions{"podcrawl", kCacheMs, kRetryMs});
}

core::Result<core::FetchedPage> Answer(
    long status) {  // NOLINT(google-runtime-int)
  core::FetchedPage page;
  page.status = status;
  page.body = "User-agent: *\nDisallow: /private/\n";
  return page;
}

core::Result<core::FetchedPage> Failure(ErrorCode code, std::string message) {
  return core::Error(code, std::move(message));
}

// RFC 9309 2.3.1: an answer is decided by its status (RobotsAccessForStatus).
TEST(RobotsAccessForFetchTest, AnswersByStatus) {
  EXPECT_EQ(RobotsAccessForFetch(Answer(200)), RobotsAccess::kParse);
  EXPECT_EQ(RobotsAccessForFetch(Answer(404)), RobotsAccess::kAllowAll);
  EXPECT_EQ(RobotsAccessForFetch(Answer(301)), RobotsAccess::kAllowAll);
  EXPECT_EQ(RobotsAccessForFetch(Answer(429)), RobotsAccess::kUnreachable);
  EXPECT_EQ(RobotsAccessForFetch(Answer(503)), RobotsAccess::kUnreachable);
}

// RFC 9309 2.3.1.2: past the redirect limit the file MAY be taken as
// unavailable; 2.3.1.4: other failures to reach it are "unreachable".
TEST(RobotsAccessForFetchTest, FailuresByKind) {
  EXPECT_EQ(RobotsAccessForFetch(
                Failure(ErrorCode::kTooManyRedirects,
                        "cannot fetch u: too many redirects (more than 5): x")),
            RobotsAccess::kAllowAll);
  EXPECT_EQ(RobotsAccessForFetch(
                Failure(ErrorCode::kUnsupported,
                        "cannot fetch u: refused to connect to a non-public "
                        "address (10.0.0.1)")),
            RobotsAccess::kAllowAll);
  EXPECT_EQ(RobotsAccessForFetch(Failure(ErrorCode::kNetwork, "refused")),
            RobotsAccess::kUnreachable);
  EXPECT_EQ(RobotsAccessForFetch(Failure(ErrorCode::kTimeout, "slow")),
            RobotsAccess::kUnreachable);
  // The text alone is no redirect loop.
  EXPECT_EQ(RobotsAccessForFetch(
                Failure(ErrorCode::kNetwork, "x: too many redirects")),
            RobotsAccess::kUnreachable);
  // A cancelled fetch taught nothing.
  EXPECT_EQ(RobotsAccessForFetch(Failure(ErrorCode::kCancelled, "stopped")),
            std::nullopt);
}

TEST(RobotsCacheTest, UnknownThenFetchingThenReady) {
  RobotsCache cache = Cache();
  EXPECT_EQ(cache.Find(kUrl, 0).state, State::kMissing);
  cache.MarkFetching(kUrl);
  // A fetch under way never expires.
  EXPECT_EQ(cache.Find(kUrl, 0).state, State::kFetching);
  EXPECT_EQ(cache.Find(kUrl, int64_t{1} << 50).state, State::kFetching);

  const RobotsRules& rules = cache.Record(
      kUrl, RobotsAccess::kParse,
      "User-agent: podcrawl\nDisallow: /no/\nCrawl-delay: 2\n", 1'000);
  EXPECT_EQ(rules.crawl_delay_ms(), 2'000);
  const RobotsCache::Lookup ready = cache.Find(kUrl, 1'000);
  ASSERT_EQ(ready.state, State::kReady);
  ASSERT_NE(ready.rules, nullptr);
  EXPECT_FALSE(ready.rules->IsAllowed("/no/x"));
  EXPECT_TRUE(ready.rules->IsAllowed("/yes"));
  EXPECT_EQ(ready.until_ms, 1'000 + kCacheMs);
  // RFC 9309 2.4: kept for the cache period, then fetched again.
  EXPECT_EQ(cache.Find(kUrl, 1'000 + kCacheMs - 1).state, State::kReady);
  EXPECT_EQ(cache.Find(kUrl, 1'000 + kCacheMs).state, State::kMissing);
}

// Other robots.txt URLs (scheme, host and port) are separate entries.
TEST(RobotsCacheTest, KeyedByRobotsUrl) {
  RobotsCache cache = Cache();
  cache.Record(kUrl, RobotsAccess::kUnreachable, "", 0);
  cache.Record("http://h.example/robots.txt", RobotsAccess::kAllowAll, "", 0);
  EXPECT_EQ(cache.Find(kUrl, 0).state, State::kUnreachable);
  const RobotsCache::Lookup other =
      cache.Find("http://h.example/robots.txt", 0);
  ASSERT_EQ(other.state, State::kReady);
  EXPECT_TRUE(other.rules->IsAllowed("/private/x"));
  EXPECT_EQ(cache.Find("https://h.example:8443/robots.txt", 0).state,
            State::kMissing);
  EXPECT_EQ(cache.size(), 2U);
}

// RFC 9309 2.3.1.4: unreachable disallows everything, for a while; a host's
// Retry-After makes the while longer, never shorter.
TEST(RobotsCacheTest, UnreachableWaitsAndHonoursRetryAfter) {
  RobotsCache cache = Cache();
  const RobotsRules& rules =
      cache.Record(kUrl, RobotsAccess::kUnreachable, "ignored", 5'000);
  EXPECT_TRUE(rules.disallows_all());
  RobotsCache::Lookup wait = cache.Find(kUrl, 5'000);
  EXPECT_EQ(wait.state, State::kUnreachable);
  EXPECT_EQ(wait.rules, nullptr);
  EXPECT_EQ(wait.until_ms, 5'000 + kRetryMs);
  EXPECT_EQ(cache.Find(kUrl, 5'000 + kRetryMs).state, State::kMissing);

  cache.Record(kUrl, RobotsAccess::kUnreachable, "", 5'000,
               /*not_before_ms=*/5'000 + 3 * kRetryMs);
  EXPECT_EQ(cache.Find(kUrl, 5'000).until_ms, 5'000 + 3 * kRetryMs);
  cache.Record(kUrl, RobotsAccess::kUnreachable, "", 5'000,
               /*not_before_ms=*/5'001);
  EXPECT_EQ(cache.Find(kUrl, 5'000).until_ms, 5'000 + kRetryMs);
}

TEST(RobotsCacheTest, AllowAllAndForget) {
  RobotsCache cache = Cache();
  cache.Record(kUrl, RobotsAccess::kAllowAll, "User-agent: *\nDisallow: /\n",
               0);
  const RobotsCache::Lookup lookup = cache.Find(kUrl, 0);
  ASSERT_EQ(lookup.state, State::kReady);
  EXPECT_TRUE(lookup.rules->IsAllowed("/anything"));  // the body is not read
  cache.Forget(kUrl);
  EXPECT_EQ(cache.Find(kUrl, 0).state, State::kMissing);
  EXPECT_EQ(cache.size(), 0U);
}

TEST(RobotsCacheTest, PruneForgetsExpiredAnswersOnly) {
  RobotsCache cache = Cache();
  cache.Record("https://a.example/robots.txt", RobotsAccess::kAllowAll, "", 0);
  cache.Record("https://b.example/robots.txt", RobotsAccess::kUnreachable, "",
               0);
  cache.MarkFetching("https://c.example/robots.txt");
  EXPECT_EQ(cache.Prune(kRetryMs - 1), 0U);
  EXPECT_EQ(cache.Prune(kRetryMs), 1U);          // b's wait is over
  EXPECT_EQ(cache.Prune(kCacheMs), 1U);          // a's answer expired
  EXPECT_EQ(cache.Prune(int64_t{1} << 50), 0U);  // c is still being fetched
  EXPECT_EQ(cache.size(), 1U);
  EXPECT_EQ(cache.Find("https://c.example/robots.txt", 0).state,
            State::kFetching);
}

}  // namespace
}  // namespace crawler
