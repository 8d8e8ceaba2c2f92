// Issue 13 item 10, end to end through the podcrawl binary: a loopback
// directory site whose robots.txt names a sitemap index of two gzip sitemaps
// (served as application/gzip, not Content-Encoding) listing its show pages,
// none of them linked from anywhere. `crawl --robots-sitemaps` and `crawl
// --sitemap URL` reach them all; a second read of the sitemaps fetches again
// only the page whose <lastmod> is later than its last fetch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/db_query.h"
#include "tests/support/fixtures.h"
#include "tests/support/gzip.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_http_server.h"

namespace {

using ::testing::HasSubstr;
using testsupport::QueryInt;
using testsupport::RunPodcrawl;

constexpr int kShows = 6;  // three in each sitemap

class SitemapCliTest : public testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("crawl.db");
    server_.Serve("/robots.txt",
                  "User-agent: *\nDisallow: /private/\n\nSitemap: " +
                      server_.url("/sitemap_index.xml") + "\n",
                  "text/plain");
    server_.ServeHtml("/", "<html><body><h1>Pods</h1></body></html>");
    server_.Serve("/sitemap_index.xml",
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<sitemapindex "
                  "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                  "  <sitemap><loc>" +
                      server_.url("/sitemaps/shows-1.xml.gz") +
                      "</loc></sitemap>\n"
                      "  <sitemap><loc>" +
                      server_.url("/sitemaps/shows-2.xml.gz") +
                      "</loc></sitemap>\n"
                      "</sitemapindex>\n",
                  "application/xml");
    for (int i = 1; i <= kShows; ++i) {
      server_.ServeHtml(ShowPath(i),
                        "<html><head><title>Show " + std::to_string(i) +
                            "</title></head><body><h1>Show " +
                            std::to_string(i) + "</h1></body></html>");
    }
    ServeSitemaps("2024-01-01");
  }

  static std::string ShowPath(int i) { return "/show/" + std::to_string(i); }

  // Serves the two gzip sitemaps, every show dated `lastmod`, but for show 2
  // when `show2_lastmod` is given. Sitemap 2 also lists a page robots.txt
  // disallows and one on another host, which are not crawled.
  void ServeSitemaps(const std::string& lastmod,
                     const std::string& show2_lastmod = "") {
    for (int part = 1; part <= 2; ++part) {
      std::string xml =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
      for (int i = part * 3 - 2; i <= part * 3; ++i) {
        const std::string date =
            i == 2 && !show2_lastmod.empty() ? show2_lastmod : lastmod;
        xml += "  <url><loc>" + server_.url(ShowPath(i)) + "</loc><lastmod>" +
               date + "</lastmod></url>\n";
      }
      if (part == 2) {
        xml += "  <url><loc>" + server_.url("/private/draft") +
               "</loc></url>\n"
               "  <url><loc>https://elsewhere.invalid/show/9</loc></url>\n";
      }
      xml += "</urlset>\n";
      server_.Serve("/sitemaps/shows-" + std::to_string(part) + ".xml.gz",
                    testsupport::Gzip(xml), "application/gzip", 200, {},
                    /*compress=*/false);
    }
  }

  std::vector<std::string> Crawl(std::vector<std::string> args) const {
    args.insert(args.begin(), "crawl");
    args.insert(args.end(), {"--db", db_, "--delay", "0"});
    return args;
  }

  int64_t Pages() const {
    return QueryInt(db_,
                    "SELECT count(*) FROM pages WHERE url LIKE '%/show/%'");
  }

  void ExpectEveryShowFetchedOnce() {
    for (int i = 1; i <= kShows; ++i) {
      EXPECT_EQ(server_.requests(ShowPath(i)), 1) << ShowPath(i);
    }
    EXPECT_EQ(server_.requests("/private/draft"), 0);
    EXPECT_EQ(Pages(), kShows);
  }

  testsupport::TempDir dir_;
  testsupport::TestHttpServer server_;
  std::string db_;
};

// robots.txt -> sitemap index -> two gzip sitemaps -> the show pages.
TEST_F(SitemapCliTest, RobotsSitemapIndexOfTwoGzipSitemapsReachesEveryShow) {
  auto r = RunPodcrawl(Crawl({server_.url("/"), "--robots-sitemaps"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectEveryShowFetchedOnce();
  EXPECT_EQ(server_.requests("/sitemap_index.xml"), 1);
  EXPECT_EQ(server_.requests("/sitemaps/shows-1.xml.gz"), 1);
  EXPECT_EQ(server_.requests("/sitemaps/shows-2.xml.gz"), 1);
  EXPECT_THAT(r.err, HasSubstr("sitemaps"));
  EXPECT_THAT(r.err, HasSubstr("3 read, 10 URLs listed"));
  // Sitemaps are no pages: no record of them; the frontier knows them.
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM pages WHERE url LIKE '%.xml%'"),
            0);
  EXPECT_EQ(QueryInt(db_,
                     "SELECT count(*) FROM frontier WHERE sitemap = 1 "
                     "AND state = 'done'"),
            3);
  // Each sitemap read is in the fetch log, with its size.
  EXPECT_EQ(QueryInt(db_,
                     "SELECT count(*) FROM fetches WHERE url LIKE '%.xml%' "
                     "AND status = 200 AND bytes > 0 AND error_code IS NULL"),
            3);
  EXPECT_EQ(
      QueryInt(db_,
               "SELECT count(*) FROM frontier WHERE lastmod_ms IS NOT NULL"),
      kShows);
}

// Without --robots-sitemaps the Sitemap: line is not read.
TEST_F(SitemapCliTest, RobotsSitemapsAreReadOnlyWhenAskedFor) {
  auto r = RunPodcrawl(Crawl({server_.url("/")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.requests("/sitemap_index.xml"), 0);
  EXPECT_EQ(Pages(), 0);
}

// --sitemap alone is enough to crawl: no seed needed.
TEST_F(SitemapCliTest, SitemapFlagReachesEveryShow) {
  auto r = RunPodcrawl(Crawl({"--sitemap", server_.url("/sitemap_index.xml")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectEveryShowFetchedOnce();
  EXPECT_EQ(server_.requests("/"), 0);
}

// A second read of the sitemaps (crawl --recrawl reads them again) fetches the
// one show whose lastmod moved past its last fetch, and no other.
TEST_F(SitemapCliTest, LastmodSkipsShowsNotChangedSinceTheirLastFetch) {
  auto first = RunPodcrawl(
      Crawl({"--sitemap", server_.url("/sitemap_index.xml"), "--quiet"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ExpectEveryShowFetchedOnce();

  // Show 2 changed (dated after its fetch); the others did not.
  ServeSitemaps("2024-01-01", "2099-01-01T00:00:00Z");
  auto second = RunPodcrawl(Crawl({"--recrawl"}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(server_.requests("/sitemap_index.xml"), 2);
  EXPECT_EQ(server_.requests("/sitemaps/shows-1.xml.gz"), 2);
  EXPECT_EQ(server_.requests(ShowPath(2)), 2);
  for (int i : {1, 3, 4, 5, 6}) {
    EXPECT_EQ(server_.requests(ShowPath(i)), 1) << ShowPath(i);
  }
}

// What is no sitemap fails with a reason, and the crawl goes on.
TEST_F(SitemapCliTest, AnHtmlPageGivenAsSitemapFailsWithItsReason) {
  auto r = RunPodcrawl(
      Crawl({"--sitemap", server_.url("/"), server_.url("/show/1")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(QueryInt(db_, "SELECT count(*) FROM pages"), 1);
  EXPECT_EQ(QueryInt(db_,
                     "SELECT count(*) FROM frontier WHERE state = 'failed' "
                     "AND last_error LIKE 'parse%not a sitemap%'"),
            1);
}

}  // namespace
