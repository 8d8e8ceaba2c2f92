// Tests of crawler::RobotsRules against RFC 9309 ("Robots Exclusion
// Protocol") and Google's documented examples
// (developers.google.com/search/docs/crawling-indexing/robots/robots_txt).
// Each test names the section or source of the rule it pins.
#include "crawler/robots.h"

#include <gtest/gtest.h>

#include <string>

#include "core/url.h"

namespace crawler {
namespace {

constexpr char kAgent[] = "podcrawl";

RobotsRules ParseForUs(const std::string& body) {
  return RobotsRules::Parse(body, kAgent);
}

// RFC 9309 2.3.1.3 / 2.3.1.4: unavailable allows all, unreachable disallows
// all.
TEST(RobotsRulesTest, AllowAllAndDisallowAll) {
  const RobotsRules allow = RobotsRules::AllowAll();
  EXPECT_TRUE(allow.IsAllowed("/"));
  EXPECT_TRUE(allow.IsAllowed("/any/thing?x=1"));
  EXPECT_FALSE(allow.crawl_delay_ms().has_value());
  EXPECT_FALSE(allow.disallows_all());

  const RobotsRules deny = RobotsRules::DisallowAll();
  EXPECT_TRUE(deny.disallows_all());
  EXPECT_FALSE(deny.IsAllowed("/"));
  EXPECT_FALSE(deny.IsAllowed("/page"));
  // RFC 9309 2.2.2: /robots.txt is implicitly allowed.
  EXPECT_TRUE(deny.IsAllowed("/robots.txt"));
}

// RFC 9309 2.3.1: the access result follows the status of the final answer.
TEST(RobotsRulesTest, AccessForStatus) {
  EXPECT_EQ(RobotsAccessForStatus(200), RobotsAccess::kParse);
  EXPECT_EQ(RobotsAccessForStatus(204), RobotsAccess::kParse);
  EXPECT_EQ(RobotsAccessForStatus(299), RobotsAccess::kParse);
  for (int status : {300, 301, 304, 399, 400, 401, 403, 404, 410, 451, 499}) {
    EXPECT_EQ(RobotsAccessForStatus(status), RobotsAccess::kAllowAll) << status;
  }
  for (int status : {0, 100, 199, 429, 500, 502, 503, 599, 600, 999}) {
    EXPECT_EQ(RobotsAccessForStatus(status), RobotsAccess::kUnreachable)
        << status;
  }
}

TEST(RobotsRulesTest, FromResponseMapsStatusToAccess) {
  const std::string body = "User-agent: *\nDisallow: /private/\n";
  const RobotsRules ok = RobotsRules::FromResponse(200, body, kAgent);
  EXPECT_TRUE(ok.IsAllowed("/public"));
  EXPECT_FALSE(ok.IsAllowed("/private/x"));

  for (int status : {301, 400, 401, 403, 404, 410, 451}) {
    const RobotsRules r = RobotsRules::FromResponse(status, body, kAgent);
    EXPECT_TRUE(r.IsAllowed("/private/x")) << status;
  }
  for (int status : {0, 429, 500, 502, 503, 599, 100}) {
    const RobotsRules r = RobotsRules::FromResponse(status, body, kAgent);
    EXPECT_FALSE(r.IsAllowed("/public")) << status;
    EXPECT_TRUE(r.IsAllowed("/robots.txt")) << status;
  }
}

// RFC 9309 2.2.1: the product token is matched case-insensitively; the groups
// naming us take precedence over "*".
TEST(RobotsRulesTest, MatchesProductTokenCaseInsensitively) {
  const std::string body =
      "User-agent: *\n"
      "Disallow: /\n"
      "\n"
      "User-agent: PodCrawl\n"
      "Disallow: /secret\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_TRUE(r.IsAllowed("/page"));
  EXPECT_FALSE(r.IsAllowed("/secret/a"));

  const RobotsRules other = RobotsRules::Parse(body, "otherbot");
  EXPECT_FALSE(other.IsAllowed("/page"));
}

// RFC 9309 2.2.1: a full User-Agent may be passed; its product token counts.
// A user-agent line with a version ("podcrawl/1.0") names our token too.
TEST(RobotsRulesTest, UsesProductTokenOfFullUserAgent) {
  const std::string body =
      "User-agent: podcrawl/1.0\n"
      "Disallow: /a\n"
      "User-agent: *\n"
      "Disallow: /\n";
  const RobotsRules r =
      RobotsRules::Parse(body, "podcrawl/0.1 (+https://example.invalid/bot)");
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_TRUE(r.IsAllowed("/b"));
}

// RFC 9309 2.2.1: the token must match exactly, not as a prefix.
TEST(RobotsRulesTest, DoesNotMatchLongerToken) {
  const std::string body =
      "User-agent: podcrawler\n"
      "Disallow: /\n"
      "User-agent: *\n"
      "Disallow: /star\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_TRUE(r.IsAllowed("/page"));
  EXPECT_FALSE(r.IsAllowed("/star"));
}

// RFC 9309 2.1: a group may name several user agents, one per line.
TEST(RobotsRulesTest, GroupWithSeveralUserAgentLines) {
  const std::string body =
      "User-agent: foobot\n"
      "User-agent: podcrawl\n"
      "User-agent: barbot\n"
      "Disallow: /shared\n"
      "\n"
      "User-agent: *\n"
      "Disallow: /\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/shared/x"));
  EXPECT_TRUE(r.IsAllowed("/other"));
}

// RFC 9309 2.2.1: groups for the same agent are merged.
TEST(RobotsRulesTest, MergesGroupsForSameAgent) {
  const std::string body =
      "User-agent: podcrawl\n"
      "Disallow: /a\n"
      "\n"
      "User-agent: otherbot\n"
      "Disallow: /b\n"
      "\n"
      "User-agent: PODCRAWL\n"
      "Disallow: /c\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_TRUE(r.IsAllowed("/b"));
  EXPECT_FALSE(r.IsAllowed("/c"));
  EXPECT_EQ(r.rule_count(), 2U);
}

// RFC 9309 2.2.1: several "*" groups are merged as well, and used when no
// group names us.
TEST(RobotsRulesTest, MergesGlobalGroupsWhenNoneNamesUs) {
  const std::string body =
      "User-agent: *\n"
      "Disallow: /a\n"
      "User-agent: otherbot\n"
      "Disallow: /b\n"
      "User-agent: *\n"
      "Disallow: /c\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_TRUE(r.IsAllowed("/b"));
  EXPECT_FALSE(r.IsAllowed("/c"));
}

// RFC 9309 2.2.1: a group naming us without rules allows everything, even
// when "*" disallows.
TEST(RobotsRulesTest, EmptyGroupForUsAllowsAll) {
  const std::string body =
      "User-agent: *\n"
      "Disallow: /\n"
      "\n"
      "User-agent: podcrawl\n";
  EXPECT_TRUE(ParseForUs(body).IsAllowed("/page"));
}

// RFC 9309 2.2.1: with no group for us and no "*" group, all is allowed.
TEST(RobotsRulesTest, NoMatchingGroupAllowsAll) {
  const std::string body =
      "User-agent: otherbot\n"
      "Disallow: /\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_TRUE(r.IsAllowed("/"));
  EXPECT_TRUE(r.IsAllowed("/x"));
  EXPECT_TRUE(ParseForUs("").IsAllowed("/x"));
}

// RFC 9309 2.1: rules before any user-agent line belong to no group.
TEST(RobotsRulesTest, IgnoresRulesBeforeFirstUserAgent) {
  const std::string body =
      "Disallow: /\n"
      "User-agent: *\n"
      "Disallow: /b\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_TRUE(r.IsAllowed("/a"));
  EXPECT_FALSE(r.IsAllowed("/b"));
}

// RFC 9309 2.1: a user-agent line after rules starts a new group.
TEST(RobotsRulesTest, UserAgentAfterRulesStartsNewGroup) {
  const std::string body =
      "User-agent: podcrawl\n"
      "Disallow: /a\n"
      "User-agent: otherbot\n"
      "Disallow: /b\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_TRUE(r.IsAllowed("/b"));
}

// RFC 9309 2.2.4: other records (sitemap) are not part of a group and do not
// end one; keys are case-insensitive.
TEST(RobotsRulesTest, SitemapAndUnknownLinesAreIgnored) {
  const std::string body =
      "USER-AGENT: podcrawl\n"
      "Sitemap: https://example.com/sitemap.xml\n"
      "Host: example.com\n"
      "DISALLOW: /a\n"
      "sitemap: https://example.com/s2.xml\n"
      "disallow: /b\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_FALSE(r.IsAllowed("/b"));
  EXPECT_TRUE(r.IsAllowed("/c"));
  EXPECT_EQ(r.rule_count(), 2U);
}

// RFC 9309 2.2.2: longest match wins (Google: "/p" allowed vs "/" disallowed
// for /page).
TEST(RobotsRulesTest, LongestMatchWins) {
  const RobotsRules r = ParseForUs(
      "User-agent: *\n"
      "Allow: /p\n"
      "Disallow: /\n");
  EXPECT_TRUE(r.IsAllowed("/page"));
  EXPECT_FALSE(r.IsAllowed("/other"));
}

// RFC 9309 2.2.2: when an allow and a disallow rule match equally long, allow
// wins (Google: allow /folder, disallow /folder).
TEST(RobotsRulesTest, AllowWinsTie) {
  const RobotsRules r = ParseForUs(
      "User-agent: *\n"
      "Disallow: /folder\n"
      "Allow: /folder\n");
  EXPECT_TRUE(r.IsAllowed("/folder/page"));
  // Order in the file does not matter.
  const RobotsRules r2 = ParseForUs(
      "User-agent: *\n"
      "Allow: /folder\n"
      "Disallow: /folder\n");
  EXPECT_TRUE(r2.IsAllowed("/folder/page"));
}

// Google's precedence table: "/page" (5) vs "/*.htm" (6) for /page.htm: the
// longer disallow wins; "/page" vs "/*.ph" (both 5) for /page.php5: a tie,
// allow wins.
TEST(RobotsRulesTest, GooglePrecedenceExamplesWithWildcards) {
  const RobotsRules htm = ParseForUs(
      "User-agent: *\n"
      "Allow: /page\n"
      "Disallow: /*.htm\n");
  EXPECT_FALSE(htm.IsAllowed("/page.htm"));

  const RobotsRules php = ParseForUs(
      "User-agent: *\n"
      "Allow: /page\n"
      "Disallow: /*.ph\n");
  EXPECT_TRUE(php.IsAllowed("/page.php5"));
}

// Google's precedence table: "allow: /$" with "disallow: /" allows only the
// root.
TEST(RobotsRulesTest, AnchoredRootAllowsOnlyRoot) {
  const RobotsRules r = ParseForUs(
      "User-agent: *\n"
      "Allow: /$\n"
      "Disallow: /\n");
  EXPECT_TRUE(r.IsAllowed("/"));
  EXPECT_TRUE(r.IsAllowed(""));
  EXPECT_FALSE(r.IsAllowed("/page.htm"));
  EXPECT_FALSE(r.IsAllowed("/?q=1"));
}

// RFC 9309 2.2.2: an empty disallow means no rule.
TEST(RobotsRulesTest, EmptyDisallowAllowsAll) {
  const RobotsRules r = ParseForUs(
      "User-agent: *\n"
      "Disallow:\n");
  EXPECT_TRUE(r.IsAllowed("/"));
  EXPECT_TRUE(r.IsAllowed("/anything"));
  EXPECT_EQ(r.rule_count(), 0U);
}

// Google's path-matching examples: "/fish" is a case-sensitive prefix.
TEST(RobotsRulesTest, GoogleFishPrefixExamples) {
  for (const char* pattern : {"/fish", "/fish*"}) {
    const RobotsRules r =
        ParseForUs(std::string("User-agent: *\nDisallow: ") + pattern + "\n");
    SCOPED_TRACE(pattern);
    for (const char* path :
         {"/fish", "/fish.html", "/fish/salmon.html", "/fishheads",
          "/fishheads/yummy.html", "/fish.php?id=anything"}) {
      EXPECT_FALSE(r.IsAllowed(path)) << path;
    }
    for (const char* path :
         {"/Fish.asp", "/catfish", "/?id=fish", "/desert/fish"}) {
      EXPECT_TRUE(r.IsAllowed(path)) << path;
    }
  }
}

// Google's path-matching examples: "/fish/" needs the slash.
TEST(RobotsRulesTest, GoogleFishFolderExamples) {
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: /fish/\n");
  for (const char* path :
       {"/fish/", "/fish/?id=anything", "/fish/salmon.htm"}) {
    EXPECT_FALSE(r.IsAllowed(path)) << path;
  }
  for (const char* path :
       {"/fish", "/fish.html", "/animals/fish/", "/Fish/Salmon.asp"}) {
    EXPECT_TRUE(r.IsAllowed(path)) << path;
  }
}

// Google's path-matching examples and RFC 9309 2.2.3: "*" matches any run.
TEST(RobotsRulesTest, GoogleWildcardPhpExamples) {
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: /*.php\n");
  for (const char* path :
       {"/index.php", "/filename.php", "/folder/filename.php",
        "/folder/filename.php?parameters", "/folder/any.php.file.html",
        "/filename.php/"}) {
    EXPECT_FALSE(r.IsAllowed(path)) << path;
  }
  for (const char* path : {"/", "/windows.PHP"}) {
    EXPECT_TRUE(r.IsAllowed(path)) << path;
  }
}

// Google's path-matching examples and RFC 9309 2.2.3: "$" anchors the end.
TEST(RobotsRulesTest, GoogleEndAnchorExamples) {
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: /*.php$\n");
  for (const char* path : {"/filename.php", "/folder/filename.php"}) {
    EXPECT_FALSE(r.IsAllowed(path)) << path;
  }
  for (const char* path : {"/filename.php?parameters", "/filename.php/",
                           "/filename.php5", "/windows.PHP"}) {
    EXPECT_TRUE(r.IsAllowed(path)) << path;
  }
}

// Google's path-matching examples: "/fish*.php".
TEST(RobotsRulesTest, GoogleWildcardInMiddleExamples) {
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: /fish*.php\n");
  EXPECT_FALSE(r.IsAllowed("/fish.php"));
  EXPECT_FALSE(r.IsAllowed("/fishheads/catfish.php?parameters"));
  EXPECT_TRUE(r.IsAllowed("/Fish.PHP"));
}

// RFC 9309 2.2.3: "/" and "/*" match everything; "*" elsewhere, several
// wildcards, and a "$" that is not last is a literal.
TEST(RobotsRulesTest, WildcardEdgeCases) {
  EXPECT_FALSE(ParseForUs("User-agent: *\nDisallow: /*\n").IsAllowed("/"));
  EXPECT_FALSE(ParseForUs("User-agent: *\nDisallow: *\n").IsAllowed("/x"));
  const RobotsRules multi = ParseForUs("User-agent: *\nDisallow: /a*b*c$\n");
  EXPECT_FALSE(multi.IsAllowed("/abc"));
  EXPECT_FALSE(multi.IsAllowed("/a/x/b/y/c"));
  EXPECT_FALSE(multi.IsAllowed("/abcbc"));
  EXPECT_TRUE(multi.IsAllowed("/abcd"));
  EXPECT_TRUE(multi.IsAllowed("/acb"));
  const RobotsRules dollar = ParseForUs("User-agent: *\nDisallow: /a$b\n");
  EXPECT_FALSE(dollar.IsAllowed("/a$b/c"));
  EXPECT_TRUE(dollar.IsAllowed("/a"));
  const RobotsRules only_anchor = ParseForUs("User-agent: *\nDisallow: /*$\n");
  EXPECT_FALSE(only_anchor.IsAllowed("/anything"));
}

// RFC 9309 2.2.2: percent-encoded unreserved characters equal their decoded
// form ("%7E" vs "~"), hex case does not matter, and the RFC's table:
// "/foo/bar/%62%61%7A" matches "/foo/bar/baz"; raw UTF-8 in a pattern equals
// its percent-encoding.
TEST(RobotsRulesTest, NormalisesPercentEncoding) {
  const RobotsRules tilde = ParseForUs("User-agent: *\nDisallow: /%7Euser\n");
  EXPECT_FALSE(tilde.IsAllowed("/~user/page"));
  EXPECT_FALSE(tilde.IsAllowed("/%7euser/page"));

  const RobotsRules tilde2 = ParseForUs("User-agent: *\nDisallow: /~user\n");
  EXPECT_FALSE(tilde2.IsAllowed("/%7Euser"));

  const RobotsRules baz =
      ParseForUs("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n");
  EXPECT_FALSE(baz.IsAllowed("/foo/bar/baz"));

  const RobotsRules utf8 =
      ParseForUs("User-agent: *\nDisallow: /foo/bar/\xE3\x83\x84\n");
  EXPECT_FALSE(utf8.IsAllowed("/foo/bar/%E3%83%84"));
  EXPECT_FALSE(utf8.IsAllowed("/foo/bar/%e3%83%84"));
  EXPECT_TRUE(utf8.IsAllowed("/foo/bar/baz"));

  // A reserved character stays encoded: "%2F" is not "/".
  const RobotsRules slash = ParseForUs("User-agent: *\nDisallow: /a%2fb\n");
  EXPECT_FALSE(slash.IsAllowed("/a%2Fb"));
  EXPECT_TRUE(slash.IsAllowed("/a/b"));
  // The query is compared as written (RFC 9309 2.2.2 table).
  const RobotsRules query =
      ParseForUs("User-agent: *\nDisallow: /foo/bar?baz=quz\n");
  EXPECT_FALSE(query.IsAllowed("/foo/bar?baz=quz"));
  EXPECT_TRUE(query.IsAllowed("/foo/bar?baz=other"));
}

TEST(RobotsRulesTest, NormalizeRobotsPathRules) {
  EXPECT_EQ(NormalizeRobotsPath("/%7e%41%2f%3a"), "/~A%2F%3A");
  EXPECT_EQ(NormalizeRobotsPath("/a b"), "/a%20b");
  EXPECT_EQ(NormalizeRobotsPath("/\xC3\xA9"), "/%C3%A9");
  EXPECT_EQ(NormalizeRobotsPath("/100%"), "/100%");
  EXPECT_EQ(NormalizeRobotsPath("/%zz%4"), "/%zz%4");
  EXPECT_EQ(NormalizeRobotsPath("/*.php$"), "/*.php$");
}

// RFC 9309 2.2.2: "/robots.txt" is always allowed.
TEST(RobotsRulesTest, RobotsTxtAlwaysAllowed) {
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: /\n");
  EXPECT_TRUE(r.IsAllowed("/robots.txt"));
  EXPECT_FALSE(r.IsAllowed("/robots.txt.bak"));
  EXPECT_FALSE(r.IsAllowed("/"));
}

// RFC 9309 2.2: comments start with "#"; lines end in CRLF, CR or LF.
TEST(RobotsRulesTest, CommentsAndLineEndings) {
  const std::string body =
      "# a comment line\r\n"
      "User-agent: * # trailing comment\r\n"
      "Disallow: /a # not part of the path\r"
      "Disallow: /b\n"
      "\r\n"
      "Disallow: /c";  // no final line break
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_FALSE(r.IsAllowed("/b"));
  EXPECT_FALSE(r.IsAllowed("/c"));
  EXPECT_TRUE(r.IsAllowed("/d"));
  EXPECT_EQ(r.rule_count(), 3U);
}

// RFC 9309 2.2 / google/robotstxt: a UTF-8 byte order mark is skipped; lines
// without a colon are ignored; whitespace around keys and values is trimmed.
TEST(RobotsRulesTest, BomAndMalformedLines) {
  const std::string body =
      "\xEF\xBB\xBFUser-agent: *\n"
      "Disallow /nocolon\n"
      "garbage line\n"
      "   Disallow   :   /a   \n"
      "\x01\xFF\xFE binary junk\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/a"));
  EXPECT_TRUE(r.IsAllowed("/nocolon"));
  EXPECT_EQ(r.rule_count(), 1U);
}

// A pattern without a leading "/" gets one (decision documented in robots.h).
TEST(RobotsRulesTest, PatternWithoutSlash) {
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: private/\n");
  EXPECT_FALSE(r.IsAllowed("/private/x"));
  EXPECT_TRUE(r.IsAllowed("/public"));
}

// RFC 9309 2.5: only the first 500 KiB are parsed; rules after are ignored
// and the line cut by the limit is dropped.
TEST(RobotsRulesTest, ParsesOnlyFirst500KiB) {
  std::string body = "User-agent: *\nDisallow: /early\n";
  const std::string filler = "# padding padding padding padding padding\n";
  while (body.size() < 500 * 1024 - 15) body += filler;
  // The next line straddles the limit: only "Allow: /early/" (14 bytes) is
  // inside it, which would allow /early/page if it were kept.
  body.resize(500 * 1024 - 15, '#');
  body += "\nAllow: /early/but/cut/by/the/limit\n";
  body += "Disallow: /late\n";
  const RobotsRules r = ParseForUs(body);
  EXPECT_FALSE(r.IsAllowed("/early/page"));
  EXPECT_FALSE(r.IsAllowed("/early/but/cut/by/the/limit"));
  EXPECT_TRUE(r.IsAllowed("/late"));
  EXPECT_EQ(r.rule_count(), 1U);

  // A body just within the limit is parsed entirely.
  std::string small = "User-agent: *\n";
  while (small.size() < 500 * 1024 - 20) small += filler;
  small.resize(500 * 1024 - 16, '#');
  small += "\nDisallow: /z";
  ASSERT_LE(small.size(), 500U * 1024U);
  EXPECT_FALSE(ParseForUs(small).IsAllowed("/z"));
}

// Crawl-delay (non-standard, Bing/Yandex): seconds, decimals allowed; the
// matching group's value.
TEST(RobotsRulesTest, CrawlDelayOfMatchingGroup) {
  const std::string body =
      "User-agent: *\n"
      "Crawl-delay: 10\n"
      "\n"
      "User-agent: podcrawl\n"
      "Crawl-delay: 2.5\n"
      "Disallow: /x\n";
  EXPECT_EQ(ParseForUs(body).crawl_delay_ms(), 2500);
  EXPECT_EQ(RobotsRules::Parse(body, "otherbot").crawl_delay_ms(), 10'000);

  EXPECT_EQ(ParseForUs("User-agent: *\ncrawl-delay: 0.5\n").crawl_delay_ms(),
            500);
  EXPECT_EQ(ParseForUs("User-agent: *\nCrawl-delay: 0\n").crawl_delay_ms(), 0);
  EXPECT_FALSE(
      ParseForUs("User-agent: *\nDisallow: /\n").crawl_delay_ms().has_value());
  // An exponent is not decimal seconds; huge values are capped at a day.
  EXPECT_EQ(ParseForUs("User-agent: *\nCrawl-delay: 1e400\n").crawl_delay_ms(),
            std::nullopt);
  EXPECT_EQ(
      ParseForUs("User-agent: *\nCrawl-delay: 99999999999\n").crawl_delay_ms(),
      86'400'000);
}

TEST(RobotsRulesTest, CrawlDelayGarbageIgnored) {
  for (const char* value : {"-1", "abc", "5s", "", "inf", "nan", "+3"}) {
    const RobotsRules r =
        ParseForUs(std::string("User-agent: *\nCrawl-delay: ") + value + "\n");
    EXPECT_FALSE(r.crawl_delay_ms().has_value()) << value;
  }
}

// Merged groups: the largest Crawl-delay wins (the politer one).
TEST(RobotsRulesTest, CrawlDelayOfMergedGroupsIsLargest) {
  const std::string body =
      "User-agent: podcrawl\n"
      "Crawl-delay: 3\n"
      "User-agent: podcrawl\n"
      "Crawl-delay: 1\n";
  EXPECT_EQ(ParseForUs(body).crawl_delay_ms(), 3000);
}

// IsAllowedUrl matches the URL's path and query (core::UrlPathAndQuery).
TEST(RobotsRulesTest, RobotsPathOfUrl) {
  EXPECT_EQ(core::UrlPathAndQuery("http://example.com/a/b?x=1#frag"),
            "/a/b?x=1");
  EXPECT_EQ(core::UrlPathAndQuery("https://example.com"), "/");
  EXPECT_EQ(core::UrlPathAndQuery("https://example.com:8080?q"), "/?q");
  EXPECT_EQ(core::UrlPathAndQuery("http://[::1]:80/p"), "/p");
  EXPECT_EQ(core::UrlPathAndQuery("/already/a/path"), "/already/a/path");
  const RobotsRules r = ParseForUs("User-agent: *\nDisallow: /private/\n");
  EXPECT_FALSE(r.IsAllowedUrl("http://127.0.0.1:9/private/x?y"));
  EXPECT_TRUE(r.IsAllowedUrl("http://127.0.0.1:9/public#private/"));
}

// Many wildcards against a long path: the matcher backtracks only to the last
// '*', so this stays linear in the path times the pattern (no exponential
// blow-up).
TEST(RobotsRulesTest, ManyWildcardsOnLongPath) {
  const RobotsRules r = ParseForUs(
      "User-agent: *\n"
      "Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*b$\n");
  const std::string long_a = "/" + std::string(20'000, 'a');
  EXPECT_TRUE(r.IsAllowed(long_a));
  EXPECT_FALSE(r.IsAllowed(long_a + "b"));
}

// google/robotstxt: any bytes in, rules out; never crashes on junk.
TEST(RobotsRulesTest, SurvivesArbitraryBytes) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) {
    junk.push_back(static_cast<char>((i * 131 + 7) % 256));
    if (i % 97 == 0) junk += "\nUser-agent: *\nDisallow: /*$*\n";
  }
  const RobotsRules r = ParseForUs(junk);
  (void)r.IsAllowed("/x");
  EXPECT_TRUE(r.IsAllowed("/robots.txt"));
}

}  // namespace
}  // namespace crawler
