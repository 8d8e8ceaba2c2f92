// Sitemap parsing (crawler/sitemap.h): the three forms, gzip, namespaces,
// lastmod, the bounds, and what is no sitemap.
#include "crawler/sitemap.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/civil_time.h"
#include "crawler/robots.h"
#include "tests/support/gzip.h"

namespace crawler {
namespace {

constexpr const char* kNs = "http://www.sitemaps.org/schemas/sitemap/0.9";

std::string UrlSet(const std::string& entries) {
  return std::string(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"") +
         kNs + "\">\n" + entries + "</urlset>\n";
}

std::vector<std::string> Urls(const Sitemap& sitemap) {
  std::vector<std::string> urls;
  for (const SitemapEntry& e : sitemap.entries) urls.push_back(e.url);
  return urls;
}

TEST(SitemapTest, UrlSetGivesLocsAndLastmods) {
  auto sitemap = ParseSitemap(
      UrlSet("<url><loc>https://pods.example/show/1</loc>"
             "<lastmod>2026-11-28T10:00:00+01:00</lastmod>"
             "<changefreq>daily</changefreq></url>\n"
             "<url>\n  <loc>\n  https://pods.example/show/2?a=1&amp;b=2\n  "
             "</loc>\n</url>"));
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(sitemap->type, Sitemap::Type::kUrlSet);
  ASSERT_EQ(sitemap->entries.size(), 2U);
  EXPECT_EQ(sitemap->entries[0].url, "https://pods.example/show/1");
  EXPECT_EQ(sitemap->entries[0].lastmod_ms,
            core::ParseIso8601Ms("2026-11-28T09:00:00Z"));
  // Entities decoded, whitespace around the URL trimmed.
  EXPECT_EQ(sitemap->entries[1].url, "https://pods.example/show/2?a=1&b=2");
  EXPECT_FALSE(sitemap->entries[1].lastmod_ms.has_value());
  EXPECT_EQ(sitemap->dropped, 0);
}

TEST(SitemapTest, IndexGivesSitemaps) {
  auto sitemap = ParseSitemap(
      std::string("<sitemapindex xmlns=\"") + kNs +
      "\"><sitemap><loc>https://pods.example/s1.xml.gz</loc>"
      "<lastmod>2026-11</lastmod></sitemap>"
      "<sitemap><loc>https://pods.example/s2.xml.gz</loc></sitemap>"
      "</sitemapindex>");
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(sitemap->type, Sitemap::Type::kIndex);
  EXPECT_EQ(Urls(*sitemap),
            (std::vector<std::string>{"https://pods.example/s1.xml.gz",
                                      "https://pods.example/s2.xml.gz"}));
  EXPECT_EQ(sitemap->entries[0].lastmod_ms, core::ParseIso8601Ms("2026-11-01"));
}

// Image and video extensions hold <image:loc> inside <url>: not pages.
TEST(SitemapTest, ExtensionElementsAreNotEntries) {
  auto sitemap = ParseSitemap(
      std::string("<urlset xmlns=\"") + kNs +
      "\" xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">"
      "<url><loc>https://pods.example/ep/1</loc><image:image>"
      "<image:loc>https://cdn.example/cover.jpg</image:loc></image:image>"
      "</url></urlset>");
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(Urls(*sitemap),
            (std::vector<std::string>{"https://pods.example/ep/1"}));
}

// A sitemap without the namespace, or with an old one, still lists its URLs:
// the elements are read within the root's namespace, whatever it is.
TEST(SitemapTest, AnyRootNamespaceIsRead) {
  for (const std::string& open :
       {std::string("<urlset>"),
        std::string(
            "<urlset xmlns=\"http://www.google.com/schemas/sitemap/0.84\">"),
        std::string("<s:urlset xmlns:s=\"") + kNs + "\">"}) {
    const bool prefixed = open.rfind("<s:", 0) == 0;
    const std::string url =
        prefixed ? "<s:url><s:loc>https://pods.example/a</s:loc></s:url>"
                 : "<url><loc>https://pods.example/a</loc></url>";
    const std::string close = prefixed ? "</s:urlset>" : "</urlset>";
    auto sitemap = ParseSitemap(open + url + close);
    ASSERT_TRUE(sitemap.has_value()) << open << ": " << sitemap.error().message;
    EXPECT_EQ(Urls(*sitemap),
              (std::vector<std::string>{"https://pods.example/a"}))
        << open;
  }
}

TEST(SitemapTest, GzippedSitemapIsUnpacked) {
  const std::string xml =
      UrlSet("<url><loc>https://pods.example/show/1</loc></url>");
  auto sitemap = ParseSitemap(testsupport::Gzip(xml));
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(Urls(*sitemap),
            (std::vector<std::string>{"https://pods.example/show/1"}));
}

TEST(SitemapTest, TextSitemapIsOneUrlALine) {
  auto sitemap = ParseSitemap(
      "\xEF\xBB\xBFhttps://pods.example/a\r\n\r\n  http://pods.example/b  \n"
      "# not a url\nftp://pods.example/c\n");
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(sitemap->type, Sitemap::Type::kText);
  EXPECT_EQ(Urls(*sitemap),
            (std::vector<std::string>{"https://pods.example/a",
                                      "http://pods.example/b"}));
}

TEST(SitemapTest, EntriesPastMaxUrlsAreDroppedAndCounted) {
  std::string entries;
  for (int i = 0; i < 5; ++i) {
    entries +=
        "<url><loc>https://pods.example/" + std::to_string(i) + "</loc></url>";
  }
  SitemapLimits limits;
  limits.max_urls = 3;
  auto sitemap = ParseSitemap(UrlSet(entries), limits);
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(sitemap->entries.size(), 3U);
  EXPECT_EQ(sitemap->dropped, 2);
}

// A gzip bomb stops at max_bytes unpacked; so does a plain body past it.
TEST(SitemapTest, LargerThanMaxBytesIsTooLarge) {
  SitemapLimits limits;
  limits.max_bytes = 64 * 1024;
  const std::string big = UrlSet(std::string(1 << 20, ' '));
  auto packed = ParseSitemap(testsupport::Gzip(big), limits);
  ASSERT_FALSE(packed.has_value());
  EXPECT_EQ(packed.error().code, core::ErrorCode::kTooLarge);
  auto plain = ParseSitemap(big, limits);
  ASSERT_FALSE(plain.has_value());
  EXPECT_EQ(plain.error().code, core::ErrorCode::kTooLarge);
}

TEST(SitemapTest, WhatIsNoSitemapIsAParseError) {
  for (const std::string& body :
       {std::string(
            "<!DOCTYPE html><html><body><p>Not found</p></body></html>"),
        std::string("<rss version=\"2.0\"><channel></channel></rss>"),
        std::string("<urlset><url><loc>https://pods.example/a"),  // cut short
        std::string("   "), std::string("just some words\n"),
        std::string("\x1f\x8b\x08\x00garbage", 12)}) {
    auto sitemap = ParseSitemap(body);
    ASSERT_FALSE(sitemap.has_value()) << body;
    EXPECT_EQ(sitemap.error().code, core::ErrorCode::kParse) << body;
  }
  auto html = ParseSitemap("<html><body></body></html>");
  ASSERT_FALSE(html.has_value());
  EXPECT_NE(html.error().message.find("root element <html>"), std::string::npos)
      << html.error().message;
}

// Broken XML after some entries keeps them: a sitemap is a list.
TEST(SitemapTest, BrokenXmlAfterEntriesKeepsThem) {
  auto sitemap = ParseSitemap(
      "<urlset><url><loc>https://pods.example/a</loc></url><url><loc>x</l");
  ASSERT_TRUE(sitemap.has_value()) << sitemap.error().message;
  EXPECT_EQ(Urls(*sitemap),
            (std::vector<std::string>{"https://pods.example/a"}));
}

TEST(SitemapTest, W3cDatetimeForms) {
  EXPECT_EQ(ParseW3cDatetimeMs("2026"), core::ParseIso8601Ms("2026-01-01"));
  EXPECT_EQ(ParseW3cDatetimeMs("2026-11"), core::ParseIso8601Ms("2026-11-01"));
  EXPECT_EQ(ParseW3cDatetimeMs(" 2026-11-28 "),
            core::ParseIso8601Ms("2026-11-28"));
  EXPECT_EQ(ParseW3cDatetimeMs("2026-11-28T10:00Z"),
            core::ParseIso8601Ms("2026-11-28T10:00:00Z"));
  EXPECT_EQ(ParseW3cDatetimeMs("2026-11-28T10:00:00.5-05:00"),
            core::ParseIso8601Ms("2026-11-28T15:00:00.5Z"));
  EXPECT_FALSE(ParseW3cDatetimeMs("yesterday").has_value());
  EXPECT_FALSE(ParseW3cDatetimeMs("2026-13").has_value());
  EXPECT_FALSE(ParseW3cDatetimeMs("").has_value());
}

// robots.txt "Sitemap:" lines (RFC 9309 2.2.4) are read whatever the group.
TEST(SitemapTest, RobotsSitemapLines) {
  const RobotsRules rules = RobotsRules::Parse(
      "Sitemap: https://pods.example/sitemap_index.xml\n"
      "User-agent: *\nDisallow: /private\n"
      "sitemap:https://pods.example/shows.xml.gz # the shows\n"
      "User-agent: other\nSITEMAP: https://pods.example/sitemap_index.xml\n"
      "Disallow: /\n",
      "podcrawl");
  EXPECT_EQ(rules.sitemaps(),
            (std::vector<std::string>{"https://pods.example/sitemap_index.xml",
                                      "https://pods.example/shows.xml.gz"}));
  EXPECT_FALSE(rules.IsAllowed("/private/x"));
  EXPECT_TRUE(rules.IsAllowed("/shows"));
}

}  // namespace
}  // namespace crawler
