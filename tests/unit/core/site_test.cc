// core/site.h (issue 10): a page may name a canonical URL or a show URL only
// of its own site (same registrable domain, or a host it was redirected
// through); anything else is refused, so a page of one host cannot overwrite
// another site's records.
#include "core/site.h"

#include <gtest/gtest.h>

#include <string>

namespace core {
namespace {

TEST(SiteTest, RegistrableDomainFollowsThePublicSuffixList) {
  EXPECT_EQ(RegistrableDomain("www.example.com"), "example.com");
  EXPECT_EQ(RegistrableDomain("a.b.example.com"), "example.com");
  EXPECT_EQ(RegistrableDomain("Example.COM."), "example.com");
  EXPECT_EQ(RegistrableDomain("news.bbc.co.uk"), "bbc.co.uk");
  EXPECT_EQ(RegistrableDomain("a.co.uk"), "a.co.uk");
  // A public suffix, a single label, an IP address: the host itself.
  EXPECT_EQ(RegistrableDomain("co.uk"), "co.uk");
  EXPECT_EQ(RegistrableDomain("localhost"), "localhost");
  EXPECT_EQ(RegistrableDomain("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(RegistrableDomain("[::1]"), "::1");
  // Private suffixes of the list split sites too (two users' pages).
  EXPECT_EQ(RegistrableDomain("alice.github.io"), "alice.github.io");
}

TEST(SiteTest, SameSiteComparesRegistrableDomains) {
  EXPECT_TRUE(SameSite("https://example.com/a", "https://www.example.com/b"));
  EXPECT_TRUE(
      SameSite("https://podcasts.example.com/s", "http://cdn.example.com/"));
  EXPECT_TRUE(SameSite("https://news.bbc.co.uk/x", "https://www.bbc.co.uk/"));
  EXPECT_FALSE(SameSite("https://a.co.uk/x", "https://b.co.uk/x"));
  EXPECT_FALSE(SameSite("https://alice.github.io/", "https://bob.github.io/"));
  EXPECT_FALSE(SameSite("https://a.example/x", "https://b.example/x"));
  EXPECT_FALSE(SameSite("http://127.0.0.1:8080/", "http://127.0.0.2:8080/"));
  EXPECT_TRUE(SameSite("http://127.0.0.1:8080/", "http://127.0.0.1:9090/"));
  EXPECT_FALSE(SameSite("http://127.0.0.1/", "http://localhost/"));
  EXPECT_FALSE(SameSite("not a url", "not a url"));
}

TEST(SiteTest, ForeignSiteReasonAcceptsTheRedirectedFromSite) {
  EXPECT_FALSE(ForeignSiteReason("https://www.a.example/show",
                                 "https://a.example/show?ref=1", ""));
  EXPECT_EQ(ForeignSiteReason("https://b.example/x", "https://a.example/y", ""),
            "another site than a.example");
  // Asked for b.example, redirected to a.example: b.example's URLs count.
  EXPECT_FALSE(ForeignSiteReason("https://b.example/x", "https://a.example/y",
                                 "https://www.b.example/x"));
  EXPECT_TRUE(ForeignSiteReason("https://c.example/x", "https://a.example/y",
                                "https://b.example/x"));
}

Record ShowPage(const std::string& url, const std::string& canonical) {
  Record r;
  r.url = url;
  r.kind = PageKind::kShow;
  r.canonical_url = canonical;
  r.sources["canonical_url"] = "link";
  r.show_name = "Hijacked";
  return r;
}

TEST(SiteTest, ConfineToSiteClearsAForeignCanonical) {
  Record r = ShowPage("https://a.example/x", "https://b.example/x");
  ConfineToSite(&r, "https://a.example/x");
  EXPECT_FALSE(r.canonical_url);
  EXPECT_FALSE(r.sources.contains("canonical_url"));
  EXPECT_EQ(r.key_url(), "https://a.example/x");
  ASSERT_EQ(r.errors.size(), 1U);
  EXPECT_EQ(r.errors[0],
            "canonical https://b.example/x refused: another site than "
            "a.example");

  Record same = ShowPage("https://www.a.example/x", "https://a.example/x");
  ConfineToSite(&same, "");
  EXPECT_EQ(same.canonical_url, "https://a.example/x");
  EXPECT_TRUE(same.errors.empty());

  Record redirected = ShowPage("https://a.example/x", "https://b.example/x");
  ConfineToSite(&redirected, "https://b.example/old");
  EXPECT_EQ(redirected.key_url(), "https://b.example/x");
  EXPECT_TRUE(redirected.errors.empty());
}

TEST(SiteTest, ConfineToSiteClearsAForeignShowUrl) {
  Record r;
  r.url = "https://a.co.uk/episode/1";
  r.kind = PageKind::kEpisode;
  r.show_url = "https://b.co.uk/show";
  r.sources["show_url"] = "json-ld";
  ConfineToSite(&r, "");
  EXPECT_FALSE(r.show_url);
  EXPECT_FALSE(r.sources.contains("show_url"));
  ASSERT_EQ(r.errors.size(), 1U);
  EXPECT_EQ(r.errors[0],
            "show_url https://b.co.uk/show refused: another site than "
            "a.co.uk");

  Record own = r;
  own.errors.clear();
  own.show_url = "https://www.a.co.uk/show";
  ConfineToSite(&own, "");
  EXPECT_EQ(own.show_url, "https://www.a.co.uk/show");
  EXPECT_TRUE(own.errors.empty());
}

TEST(SiteTest, ConfineToSiteLeavesARecordWithoutAPageUrl) {
  Record r = ShowPage("page.html", "https://b.example/x");
  ConfineToSite(&r, "");
  EXPECT_EQ(r.canonical_url, "https://b.example/x");
  EXPECT_TRUE(r.errors.empty());
}

}  // namespace
}  // namespace core
