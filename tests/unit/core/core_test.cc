#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "core/record.h"
#include "core/result.h"
#include "core/url.h"

namespace core {
namespace {

TEST(ResultTest, HoldsValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 7);
  Result<int> bad = Error(ErrorCode::kTimeout, "slow");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(bad.error().message, "slow");
  Status fine;
  EXPECT_TRUE(fine);
  Status failed = Error(ErrorCode::kStorage, "disk full");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "disk full");
}

// Retry policy (DESIGN.md "Crawling manners"): transient failures and
// 408/429/5xx only.
TEST(ErrorTest, RetryableCodes) {
  EXPECT_TRUE(IsRetryable(Error(ErrorCode::kNetwork, "")));
  EXPECT_TRUE(IsRetryable(Error(ErrorCode::kTimeout, "")));
  EXPECT_TRUE(IsRetryable(Error(ErrorCode::kHttpStatus, "", 503)));
  EXPECT_TRUE(IsRetryable(Error(ErrorCode::kHttpStatus, "", 429)));
  EXPECT_TRUE(IsRetryable(Error(ErrorCode::kHttpStatus, "", 408)));
  EXPECT_FALSE(IsRetryable(Error(ErrorCode::kHttpStatus, "", 404)));
  EXPECT_FALSE(IsRetryable(Error(ErrorCode::kTooLarge, "")));
  EXPECT_FALSE(IsRetryable(Error(ErrorCode::kUnsupported, "")));
  EXPECT_EQ(ErrorCodeName(ErrorCode::kHttpStatus), "http_status");
}

// A redirect loop (or a chain past the limit) is its own kind: the site's
// doing, so not retried, and named "too_many_redirects" in crawl statistics
// and the fetches table.
TEST(ErrorTest, TooManyRedirectsIsItsOwnKind) {
  const Error loop(ErrorCode::kTooManyRedirects,
                   "cannot fetch u: too many redirects (more than 3): x");
  EXPECT_FALSE(IsRetryable(loop));
  EXPECT_EQ(ErrorCodeName(ErrorCode::kTooManyRedirects), "too_many_redirects");
}

// SaturatingAdd: times plus durations stay within int64.
TEST(SaturatingAddTest, ClampsAtTheLimits) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(SaturatingAdd(1, 2), 3);
  EXPECT_EQ(SaturatingAdd(-5, 2), -3);
  EXPECT_EQ(SaturatingAdd(kMax - 5, 5), kMax);
  EXPECT_EQ(SaturatingAdd(kMax - 5, 6), kMax);
  EXPECT_EQ(SaturatingAdd(kMax, kMax), kMax);
  EXPECT_EQ(SaturatingAdd(kMin + 5, -5), kMin);
  EXPECT_EQ(SaturatingAdd(kMin + 5, -6), kMin);
  EXPECT_EQ(SaturatingAdd(kMin, kMin), kMin);
  EXPECT_EQ(SaturatingAdd(kMax, kMin), -1);
  static_assert(SaturatingAdd(kMax, 1) == kMax);
}

TEST(SystemClockTest, ReadsTheWallClock) {
  const SystemClock clock;
  const int64_t now = clock.NowMs();
  EXPECT_GT(now, int64_t{1'700'000'000'000});  // after November 2023
  EXPECT_GE(clock.NowMs(), now);
}

TEST(UrlTest, NormalizeLowercasesSchemeAndHostDropsDefaultPortAndFragment) {
  auto u = NormalizeUrl("HTTP://Example.COM:80/Path/Ep?x=1#frag");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(*u, "http://example.com/Path/Ep?x=1");
  EXPECT_EQ(*NormalizeUrl("https://a.org:443"), "https://a.org/");
  EXPECT_EQ(*NormalizeUrl("https://a.org:8443/x"), "https://a.org:8443/x");
}

TEST(UrlTest, NormalizeRejectsOtherSchemesAndGarbage) {
  auto ftp = NormalizeUrl("ftp://a.org/x");
  ASSERT_FALSE(ftp);
  EXPECT_EQ(ftp.error().code, ErrorCode::kUnsupported);
  EXPECT_FALSE(NormalizeUrl("file:///etc/passwd"));
  auto junk = NormalizeUrl("not a url");
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(NormalizeUrl(""));
}

// RFC 3986 section 5.4: reference resolution examples.
TEST(UrlTest, ResolvesRelativeReferences) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(ResolveUrl(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveUrl(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveUrl(base, "/g"), "http://a/g");
  EXPECT_EQ(ResolveUrl(base, "//g"), "http://g/");
  EXPECT_EQ(ResolveUrl(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(ResolveUrl(base, "../g"), "http://a/b/g");
  EXPECT_EQ(ResolveUrl(base, "g#s"), "http://a/b/c/g");
  // 5.4.1: an empty reference and a fragment alone are the base document
  // (fragment dropped).
  EXPECT_EQ(ResolveUrl(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(ResolveUrl(base, "#s"), "http://a/b/c/d;p?q");
  EXPECT_EQ(ResolveUrl(base, "  /spaced  "), "http://a/spaced");
  EXPECT_EQ(ResolveUrl("https://x.org/a/", "HTTPS://Y.ORG:443/b"),
            "https://y.org/b");
  EXPECT_EQ(ResolveUrl(base, "mailto:someone@example.com"), std::nullopt);
  EXPECT_EQ(ResolveUrl(base, "javascript:void(0)"), std::nullopt);
  EXPECT_EQ(ResolveUrl("not a base", "/g"), std::nullopt);
}

// Absolute and root-relative references in plain ASCII are resolved as the
// one URL string they make (through NormalizeUrl's memo); they must give what
// the full resolution gives: dot segments removed, host lowercased, default
// port and fragment dropped, the base's port and user kept, and references
// with spaces or non-ASCII bytes (which need encoding) resolved as before.
TEST(UrlTest, PlainAbsoluteAndRootRelativeReferencesResolveAsBefore) {
  const std::string base = "http://Pods.example:8080/a/b?q#f";
  EXPECT_EQ(ResolveUrl(base, "/x/../y/./z?k=v#frag"),
            "http://pods.example:8080/y/z?k=v");
  EXPECT_EQ(ResolveUrl(base, "https://Other.EXAMPLE:443/p#s"),
            "https://other.example/p");
  EXPECT_EQ(ResolveUrl(base, "http://h.example"), "http://h.example/");
  EXPECT_EQ(ResolveUrl("https://u@h.example/a", "/p"), "https://u@h.example/p");
  EXPECT_EQ(ResolveUrl("https://h.example?q", "/p"), "https://h.example/p");
  EXPECT_EQ(ResolveUrl(base, "/p q"), "http://pods.example:8080/p%20q");
  EXPECT_EQ(ResolveUrl(base, "/caf\xC3\xA9"),
            "http://pods.example:8080/caf%c3%a9");
  // The same reference twice (the memo) gives the same answer, and so does
  // one the memo holds from another base.
  EXPECT_EQ(ResolveUrl(base, "/x/../y/./z?k=v#frag"),
            "http://pods.example:8080/y/z?k=v");
  EXPECT_EQ(ResolveUrl("http://pods.example:8080/other", "/y/z?k=v"),
            "http://pods.example:8080/y/z?k=v");
  EXPECT_EQ(ResolveUrl("not a base", "http://h.example/"), std::nullopt);
  EXPECT_EQ(ResolveUrl("ftp://h.example/", "/g"), std::nullopt);
}

TEST(UrlTest, HostIsLowercased) {
  EXPECT_EQ(UrlHost("https://Pods.Example.ORG/x"), "pods.example.org");
  EXPECT_EQ(UrlHost("nonsense"), "");
}

// The request target robots.txt rules match (RFC 9309 2.2.2): path and query,
// never the fragment, "/" at least.
TEST(UrlTest, PathAndQuery) {
  EXPECT_EQ(UrlPathAndQuery("http://example.com/a/b?x=1#frag"), "/a/b?x=1");
  EXPECT_EQ(UrlPathAndQuery("https://h.example/"), "/");
  EXPECT_EQ(UrlPathAndQuery("https://h.example"), "/");
  EXPECT_EQ(UrlPathAndQuery("https://h.example?q"), "/?q");
  EXPECT_EQ(UrlPathAndQuery("https://h.example#top"), "/");
  EXPECT_EQ(UrlPathAndQuery("https://h.example:8080/p?#x"), "/p?");
  EXPECT_EQ(UrlPathAndQuery("https://user@h.example/p/"), "/p/");
  // Not "://": a path already.
  EXPECT_EQ(UrlPathAndQuery("/a?b#c"), "/a?b");
  EXPECT_EQ(UrlPathAndQuery("a/b"), "/a/b");
  EXPECT_EQ(UrlPathAndQuery(""), "/");
}

TEST(UrlTest, PathWithoutQuery) {
  EXPECT_EQ(UrlPath("https://h.example/podcasts/show/ep?utm=1#t"),
            "/podcasts/show/ep");
  EXPECT_EQ(UrlPath("https://h.example/podcasts/show/"), "/podcasts/show/");
  EXPECT_EQ(UrlPath("https://h.example?q=1"), "/");
  EXPECT_EQ(UrlPath("https://h.example#x"), "/");
  EXPECT_EQ(UrlPath("https://h.example"), "/");
}

// DESIGN.md "The record": missing is null, never 0 or "".
TEST(RecordTest, MissingFieldsAreNull) {
  Record r;
  r.url = "https://x.org/e";
  nlohmann::json j = ToJson(r);
  EXPECT_EQ(j["url"], "https://x.org/e");
  EXPECT_EQ(j["kind"], "unknown");
  for (const char* key :
       {"canonical_url", "show_name", "episode_title", "description", "rating",
        "feed_url", "audio_url", "published", "duration_s", "language",
        "podcast_guid", "apple_id", "spotify_id"}) {
    EXPECT_TRUE(j[key].is_null()) << key;
  }
  EXPECT_EQ(j["related_shows"], nlohmann::json::array());
}

TEST(RecordTest, RoundTripsThroughJson) {
  Record r;
  r.url = "https://x.org/e";
  r.canonical_url = "https://x.org/e1";
  r.kind = PageKind::kEpisode;
  r.show_name = "Show";
  r.episode_title = "Ep";
  r.description = "Line one\nLine two";
  r.rating = Rating{4.5, std::nullopt};
  r.related_shows.push_back({"Other", std::string("https://x.org/o"), 1200});
  r.related_shows.push_back({"No URL", std::nullopt, std::nullopt});
  r.duration_s = 61;
  r.podcast_guid = "ca2c40c0-728d-50f5-be4a-365874dd386d";
  r.apple_id = "1622876113";
  r.sources["show_name"] = "json-ld";
  r.errors.push_back("input cut");
  nlohmann::json j = ToJson(r);
  EXPECT_TRUE(j["rating"]["count"].is_null());
  EXPECT_TRUE(j["related_shows"][1]["url"].is_null());
  EXPECT_EQ(RecordFromJson(j), r);
  EXPECT_EQ(r.key_url(), "https://x.org/e1");
}

}  // namespace
}  // namespace core
