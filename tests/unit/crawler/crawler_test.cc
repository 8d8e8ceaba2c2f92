// Tests of crawler::Crawler (the crawl loop) against the loopback
// TestHttpServer (127.0.0.1, port 0), with an in-memory FrontierStore that
// keeps the documented semantics of core/frontier.h and a PageHandler that
// extracts links with a regex. Every link the tests serve is relative, so
// nothing here leaves 127.0.0.0/8. Also the pure helpers of crawl_internal.h.
#include "crawler/crawler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/frontier.h"
#include "core/page_handler.h"
#include "core/url.h"
#include "crawler/crawl_internal.h"
#include "tests/support/test_http_server.h"

namespace crawler {
namespace {

using core::ErrorCode;
using core::FrontierState;
using testsupport::TestHttpServer;

class CrawlerCurlEnvironment : public testing::Environment {
 public:
  void SetUp() override { global_ = std::make_unique<CurlGlobal>(); }
  void TearDown() override { global_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> global_;
};
[[maybe_unused]] testing::Environment* const kCrawlerCurlEnvironment =
    testing::AddGlobalTestEnvironment(new CrawlerCurlEnvironment);

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- An in-memory FrontierStore, faithful to core/frontier.h ----

class MemoryFrontier : public core::FrontierStore {
 public:
  struct Row {
    std::string url;
    int depth = 0;
    FrontierState state = FrontierState::kQueued;
    int attempts = 0;
    int64_t next_fetch_ms = 0;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::string last_error;
    int64_t order = 0;  // insertion order, the last tie-breaker of Claim
    bool sitemap = false;
    std::optional<int64_t> lastmod_ms;
    int64_t last_fetch_ms = 0;
  };

  core::Result<int64_t> Add(const std::vector<core::NewUrl>& urls,
                            int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return AddLocked(urls, now_ms);
  }

  core::Status Requeue(const std::vector<core::NewUrl>& urls,
                       int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const core::NewUrl& u : urls) {
      auto it = rows_.find(u.url);
      if (it == rows_.end()) {
        AddLocked({u}, now_ms);
        continue;
      }
      if (it->second.state == FrontierState::kInFlight) continue;
      it->second.sitemap = it->second.sitemap || u.sitemap;
      it->second.state = FrontierState::kQueued;
      it->second.next_fetch_ms = now_ms;
      it->second.attempts = 0;
    }
    return {};
  }

  core::Result<std::vector<core::FrontierEntry>> Claim(
      size_t limit, int64_t now_ms,
      const std::vector<std::string>& skip_hosts) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++claims_;
    std::vector<Row*> due;
    for (auto& [url, row] : rows_) {
      if (row.state != FrontierState::kQueued || row.next_fetch_ms > now_ms) {
        continue;
      }
      if (std::find(skip_hosts.begin(), skip_hosts.end(), core::UrlHost(url)) !=
          skip_hosts.end()) {
        continue;
      }
      due.push_back(&row);
    }
    std::sort(due.begin(), due.end(), [](const Row* a, const Row* b) {
      return std::tie(a->next_fetch_ms, a->depth, a->order) <
             std::tie(b->next_fetch_ms, b->depth, b->order);
    });
    if (due.size() > limit) due.resize(limit);
    std::vector<core::FrontierEntry> out;
    for (Row* row : due) {
      row->state = FrontierState::kInFlight;
      row->last_fetch_ms = now_ms;
      out.push_back(core::FrontierEntry{row->url, row->depth, row->attempts,
                                        row->next_fetch_ms, row->etag,
                                        row->last_modified, row->sitemap});
    }
    return out;
  }

  core::Status Complete(const std::string& url, int64_t now_ms,
                        const core::PageVisit& visit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fail_completes_) {
      return core::Error(ErrorCode::kStorage, "disk full (test)");
    }
    Row* row = ClaimedLocked(url, "Complete");
    if (row == nullptr) return {};
    row->state = FrontierState::kDone;
    row->etag = visit.etag;
    row->last_modified = visit.last_modified;
    ++completes_[url];
    visits_[url] = {visit.kind, visit.changed};
    AddLocked(visit.links, now_ms);
    return {};
  }

  core::Status Retry(const std::string& url, int64_t next_fetch_ms,
                     bool count_attempt, const std::string& error) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Row* row = ClaimedLocked(url, "Retry");
    if (row == nullptr) return {};
    row->state = FrontierState::kQueued;
    row->next_fetch_ms = next_fetch_ms;
    if (count_attempt) {
      ++row->attempts;
      row->last_error = error;
    }
    return {};
  }

  core::Status Fail(const std::string& url, int64_t /*now_ms*/,
                    const std::string& error) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Row* row = ClaimedLocked(url, "Fail");
    if (row == nullptr) return {};
    row->state = FrontierState::kFailed;
    row->last_error = error;
    return {};
  }

  core::Result<int64_t> RequeueDone(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t n = 0;
    for (auto& [url, row] : rows_) {
      if (row.state == FrontierState::kDone &&
          (!row.lastmod_ms || row.last_fetch_ms < *row.lastmod_ms)) {
        row.state = FrontierState::kQueued;
        row.next_fetch_ms = now_ms;
        row.attempts = 0;
        ++n;
      }
    }
    return n;
  }

  core::Result<int64_t> RequeueInFlight(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t n = 0;
    for (auto& [url, row] : rows_) {
      if (row.state == FrontierState::kInFlight) {
        row.state = FrontierState::kQueued;
        row.next_fetch_ms = now_ms;
        ++n;
      }
    }
    return n;
  }

  core::Result<core::FrontierCounts> Counts(int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mutex_);
    core::FrontierCounts c;
    for (const auto& [url, row] : rows_) {
      switch (row.state) {
        case FrontierState::kQueued:
          ++c.queued;
          if (row.next_fetch_ms <= now_ms) ++c.due;
          break;
        case FrontierState::kInFlight:
          ++c.in_flight;
          break;
        case FrontierState::kDone:
          ++c.done;
          break;
        case FrontierState::kFailed:
          ++c.failed;
          break;
      }
    }
    return c;
  }

  core::Result<std::optional<int64_t>> NextDueMs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<int64_t> next;
    for (const auto& [url, row] : rows_) {
      if (row.state == FrontierState::kQueued &&
          (!next || row.next_fetch_ms < *next)) {
        next = row.next_fetch_ms;
      }
    }
    return next;
  }

  // -- for the tests --
  std::optional<Row> Get(const std::string& url) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = rows_.find(url);
    if (it == rows_.end()) return std::nullopt;
    return it->second;
  }
  void Put(Row row) {
    std::lock_guard<std::mutex> lock(mutex_);
    row.order = next_order_++;
    rows_[row.url] = std::move(row);
  }
  // Calls on URLs that were not claimed: the crawler broke the protocol.
  std::vector<std::string> violations() {
    std::lock_guard<std::mutex> lock(mutex_);
    return violations_;
  }
  std::map<std::string, int> completes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return completes_;
  }
  // The kind and `changed` of each URL's last Complete.
  std::map<std::string, std::pair<core::PageKind, bool>> visits() {
    std::lock_guard<std::mutex> lock(mutex_);
    return visits_;
  }
  void set_fail_completes(bool fail) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_completes_ = fail;
  }

 private:
  int64_t AddLocked(const std::vector<core::NewUrl>& urls, int64_t now_ms) {
    int64_t added = 0;
    for (const core::NewUrl& u : urls) {
      if (auto it = rows_.find(u.url); it != rows_.end()) {
        Row& known = it->second;
        if (u.lastmod_ms) {
          // A sitemap dates it after its last fetch: queued again.
          if ((known.state == FrontierState::kDone ||
               known.state == FrontierState::kFailed) &&
              known.last_fetch_ms < *u.lastmod_ms) {
            known.state = FrontierState::kQueued;
            known.attempts = 0;
            known.next_fetch_ms = now_ms;
          }
          known.lastmod_ms =
              std::max(known.lastmod_ms.value_or(*u.lastmod_ms), *u.lastmod_ms);
        }
        continue;
      }
      Row row;
      row.url = u.url;
      row.depth = u.depth;
      row.sitemap = u.sitemap;
      row.lastmod_ms = u.lastmod_ms;
      row.next_fetch_ms = now_ms;
      row.order = next_order_++;
      rows_.emplace(u.url, std::move(row));
      ++added;
    }
    return added;
  }

  Row* ClaimedLocked(const std::string& url, const char* what) {
    auto it = rows_.find(url);
    if (it == rows_.end() || it->second.state != FrontierState::kInFlight) {
      violations_.push_back(std::string(what) + " of unclaimed " + url);
      return nullptr;
    }
    return &it->second;
  }

  std::mutex mutex_;
  std::map<std::string, Row> rows_;
  int64_t next_order_ = 0;
  int64_t claims_ = 0;
  std::vector<std::string> violations_;
  std::map<std::string, int> completes_;
  std::map<std::string, std::pair<core::PageKind, bool>> visits_;
  bool fail_completes_ = false;
};

// ---- A PageHandler that follows href="..." ----

class LinkHandler : public core::PageHandler {
 public:
  core::Result<core::HandledPage> OnPage(
      const core::FetchedPage& page) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++pages_[page.url];
      if (fail_on_ && page.url.find(*fail_on_) != std::string::npos) {
        return core::Error(ErrorCode::kStorage, "cannot store (test)");
      }
    }
    static const std::regex kHref("href=\"([^\"]*)\"");
    std::vector<std::string> links;
    const std::string& base =
        page.final_url.empty() ? page.url : page.final_url;
    for (auto it =
             std::sregex_iterator(page.body.begin(), page.body.end(), kHref);
         it != std::sregex_iterator(); ++it) {
      if (auto url = core::ResolveUrl(base, (*it)[1].str())) {
        links.push_back(*url);
      }
    }
    core::HandledPage handled;
    handled.links = std::move(links);
    // What a real handler learns from parsing and storing, made up from the
    // page's text: "<show>" marks a show page, "unchanged" an old version.
    if (page.body.find("<show>") != std::string::npos)
      handled.kind = core::PageKind::kShow;
    handled.changed = page.body.find("unchanged") == std::string::npos;
    return handled;
  }

  core::Status OnFailure(const std::string& url, const core::Error& error,
                         const core::FetchedPage* page) override {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.emplace_back(
        url, error.code, page != nullptr ? static_cast<int>(page->status) : 0);
    return {};
  }

  std::map<std::string, int> pages() {
    std::lock_guard<std::mutex> lock(mutex_);
    return pages_;
  }
  std::vector<std::tuple<std::string, ErrorCode, int>> failures() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failures_;
  }
  void set_fail_on(std::string part) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_on_ = std::move(part);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> pages_;
  std::vector<std::tuple<std::string, ErrorCode, int>> failures_;
  std::optional<std::string> fail_on_;
};

// Options for fast tests: no delay, short timeouts, quick retries.
CrawlOptions FastOptions() {
  CrawlOptions o;
  o.fetch.connect_timeout_ms = 2'000;
  o.fetch.timeout_ms = 5'000;
  o.politeness.per_host = 2;
  o.politeness.delay_ms = 0;
  o.retry.max_attempts = 3;
  o.retry.base_delay_ms = 20;
  o.retry.max_delay_ms = 200;
  // TestHttpServer serves about 6 connections at once.
  o.concurrency = 4;
  o.workers = 2;
  return o;
}

core::Result<CrawlStats> RunCrawl(Crawler& crawler) {
  std::atomic<bool> stop{false};
  return crawler.Run(stop);
}

// Counts the requests in progress at once on a server, per host (one here).
class ConcurrencyProbe {
 public:
  void Enter() {
    const int now = ++current_;
    int seen = peak_.load();
    while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
    }
  }
  void Leave() { --current_; }
  int peak() const { return peak_.load(); }

 private:
  std::atomic<int> current_{0};
  std::atomic<int> peak_{0};
};

// A generated site: /site/p0.html .. p{n-1}.html, each linking to three others
// (so most pages are found several times), to a folder robots.txt forbids,
// and (page 0) to a missing page.
void ServeSite(TestHttpServer& server, int n, ConcurrencyProbe* probe) {
  for (int i = 0; i < n; ++i) {
    std::string body = "<html><body><h1>page " + std::to_string(i) + "</h1>";
    for (int next : {(i + 1) % n, (i + 7) % n, (i * 3) % n}) {
      body += "<a href=\"/site/p" + std::to_string(next) + ".html\">x</a>";
    }
    if (i % 10 == 0) body += "<a href=\"/private/secret.html\">no</a>";
    if (i == 0) body += "<a href=\"/missing.html\">gone</a>";
    body += "<a href=\"/site/p" + std::to_string(i) + ".html#top\">me</a>";
    body += "</body></html>";
    server.Get("/site/p" + std::to_string(i) + ".html",
               [probe, body](const httplib::Request&, httplib::Response& res) {
                 if (probe != nullptr) probe->Enter();
                 std::this_thread::sleep_for(std::chrono::milliseconds(5));
                 res.set_content(body, "text/html; charset=utf-8");
                 if (probe != nullptr) probe->Leave();
               });
  }
  server.ServeHtml("/private/secret.html", "<p>secret</p>");
  server.Status("/missing.html", 404, "not here");
  server.Serve("/robots.txt",
               "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\n"
               "Disallow: /\n",
               "text/plain");
}

// DESIGN.md "Crawling manners" and issue 4: every page once, robots.txt asked
// once per host, the forbidden folder never requested, per-host concurrency
// honoured, failures recorded per URL with their reason.
// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(CrawlerTest, CrawlsASiteOncePolitely) {
  TestHttpServer server;
  ConcurrencyProbe probe;
  constexpr int kPages = 50;
  ServeSite(server, kPages, &probe);
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/site/p0.html")}));
  std::vector<CrawlStats> progress;
  std::atomic<bool> stop{false};
  auto stats = crawler.Run(
      stop, [&progress](const CrawlStats& s) { progress.push_back(s); });
  ASSERT_TRUE(stats.has_value()) << stats.error().message;

  EXPECT_EQ(stats->pages_stored, kPages);
  const auto pages = handler.pages();
  EXPECT_EQ(pages.size(), static_cast<size_t>(kPages));
  for (int i = 0; i < kPages; ++i) {
    const std::string path = "/site/p" + std::to_string(i) + ".html";
    EXPECT_EQ(server.requests(path), 1) << path;
    EXPECT_EQ(pages.count(server.url(path)), 1U) << path;
    if (pages.contains(server.url(path))) {
      EXPECT_EQ(pages.at(server.url(path)), 1) << path;
    }
  }
  EXPECT_EQ(server.requests("/robots.txt"), 1);
  EXPECT_EQ(server.requests("/private/secret.html"), 0);
  EXPECT_EQ(server.requests("/missing.html"), 1);
  EXPECT_LE(probe.peak(), 2);

  const auto secret = frontier.Get(server.url("/private/secret.html"));
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->state, FrontierState::kFailed);
  EXPECT_EQ(secret->last_error, "robots_disallowed");
  const auto missing = frontier.Get(server.url("/missing.html"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->state, FrontierState::kFailed);
  EXPECT_EQ(missing->last_error.rfind("http_404", 0), 0U)
      << missing->last_error;
  // Links are stored normalised: a fragment is dropped, so a link to the page
  // itself is known already.
  EXPECT_FALSE(frontier.Get(server.url("/site/p0.html#top")).has_value());

  // Issue 13 item 3: a URL robots.txt excludes is a skip, not a failure.
  EXPECT_EQ(stats->robots_disallowed, 1);
  EXPECT_EQ(stats->failed, 1);
  EXPECT_EQ(stats->failures_by_reason,
            (std::map<std::string, int64_t>{{"http_404", 1}}));
  EXPECT_EQ(stats->retried, 0);
  EXPECT_EQ(stats->queued, 0);
  EXPECT_EQ(stats->fetching, 0);
  EXPECT_EQ(stats->waiting_to_start, 0);
  EXPECT_EQ(stats->parsing, 0);
  EXPECT_TRUE(stats->down.empty());  // one 404 of a host that answered
  EXPECT_GT(stats->bytes, 0);
  EXPECT_GT(stats->fetch_p95_ms, 0);
  EXPECT_GE(stats->fetch_p95_ms, stats->fetch_p50_ms);
  ASSERT_FALSE(progress.empty());  // at least the final snapshot
  EXPECT_EQ(progress.back().pages_stored, kPages);

  const auto failures = handler.failures();
  EXPECT_EQ(failures.size(), 2U);
  for (const auto& [url, code, status] : failures) {
    EXPECT_TRUE(url == server.url("/missing.html") ||
                url == server.url("/private/secret.html"))
        << url << " " << status;
  }
  const auto counts = frontier.Counts(WallMs());
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->done, kPages);
  EXPECT_EQ(counts->failed, 2);
  EXPECT_EQ(counts->in_flight, 0);
  EXPECT_EQ(counts->queued, 0);
  for (const auto& [url, n] : frontier.completes()) EXPECT_EQ(n, 1) << url;
  EXPECT_TRUE(frontier.violations().empty());
}

// Transient failures are retried with backoff (issue 4, item 6).
// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(CrawlerTest, RetriesAServerErrorThenStoresThePage) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);  // RFC 9309 2.3.1.3: allow all
  std::atomic<int> calls{0};
  server.Get("/flaky",
             [&calls](const httplib::Request&, httplib::Response& res) {
               if (calls++ == 0) {
                 res.status = 500;
                 res.set_content("oops", "text/html");
                 return;
               }
               res.set_content("<p>fine</p>", "text/html");
             });
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/flaky")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(server.requests("/flaky"), 2);
  EXPECT_EQ(stats->pages_stored, 1);
  EXPECT_EQ(stats->retried, 1);
  EXPECT_EQ(stats->failed, 0);
  EXPECT_EQ(handler.pages().at(server.url("/flaky")), 1);
  ASSERT_EQ(handler.failures().size(), 1U);
  EXPECT_EQ(std::get<2>(handler.failures()[0]), 500);
  const auto row = frontier.Get(server.url("/flaky"));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, FrontierState::kDone);
  EXPECT_EQ(row->attempts, 1);
  EXPECT_EQ(row->last_error.rfind("http_500", 0), 0U);
}

TEST(CrawlerTest, GivesUpAfterMaxAttempts) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.Status("/down", 503);
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.retry.max_attempts = 3;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/down")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(server.requests("/down"), 3);
  EXPECT_EQ(stats->retried, 2);
  EXPECT_EQ(stats->failed, 1);
  EXPECT_EQ(stats->failures_by_reason.at("http_503"), 1);
  EXPECT_EQ(frontier.Get(server.url("/down"))->state, FrontierState::kFailed);
  EXPECT_EQ(handler.failures().size(), 3U);  // every failed fetch is noted
}

// RFC 9110 10.2.3 / RFC 6585 4: 429 with Retry-After pauses the host.
TEST(CrawlerTest, TooManyRequestsPausesForRetryAfter) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> times;
  server.Get("/busy", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    times.push_back(std::chrono::steady_clock::now());
    if (times.size() == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content("slow down", "text/html");
      return;
    }
    res.set_content("<p>ok</p>", "text/html");
  });
  server.ServeHtml("/other", "<p>other</p>");
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.politeness.per_host = 1;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/busy")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  ASSERT_EQ(times.size(), 2U);
  EXPECT_GE(times[1] - times[0], std::chrono::milliseconds(950));
  EXPECT_EQ(stats->pages_stored, 1);
  EXPECT_EQ(stats->retried, 1);
  EXPECT_EQ(frontier.Get(server.url("/busy"))->state, FrontierState::kDone);
}

// A pause longer than the run's max_wait_ms is not waited for: the run ends
// and the URL stays queued, due when the pause ends (a schedule's round).
TEST(CrawlerTest, PauseLongerThanMaxWaitIsLeftForTheNextRun) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.Get("/busy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "30");
    res.set_content("down for maintenance", "text/html");
  });
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.max_wait_ms = 1000;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/busy")}));
  const auto started = std::chrono::steady_clock::now();
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::seconds(10));
  EXPECT_EQ(server.requests("/busy"), 1);
  EXPECT_EQ(stats->retried, 1);
  const auto row = frontier.Get(server.url("/busy"));
  EXPECT_EQ(row->state, FrontierState::kQueued);
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXPECT_GT(row->next_fetch_ms, now_ms + 20'000);  // when the pause ends
}

// The crawl reads the time from CrawlOptions::clock only: a seed queued at
// the clock's "now", a hundred days ahead of the system's, is due for Run.
TEST(CrawlerTest, ReadsTimeFromTheOptionsClock) {
  class AheadClock final : public core::Clock {
   public:
    int64_t NowMs() const override {
      return core::SystemClock().NowMs() + int64_t{100} * 86'400'000;
    }
  };
  const AheadClock clock;
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.ServeHtml("/page", "<p>page</p>");
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.clock = &clock;
  Crawler crawler(options, &frontier, &handler);
  const int64_t before = clock.NowMs();
  ASSERT_TRUE(crawler.AddSeeds({server.url("/page")}));
  const auto queued = frontier.Get(server.url("/page"));
  ASSERT_TRUE(queued.has_value());
  EXPECT_GE(queued->next_fetch_ms, before);
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->pages_stored, 1);
  EXPECT_EQ(handler.pages().size(), 1U);
}

TEST(CrawlerTest, RedirectLoopFailsWithoutRetries) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.Redirect("/loop1", "/loop2");
  server.Redirect("/loop2", "/loop1");
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.fetch.max_redirects = 3;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/loop1")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->failed, 1);
  EXPECT_EQ(stats->retried, 0);
  EXPECT_EQ(stats->failures_by_reason.at("too_many_redirects"), 1);
  // The first request and three redirects, once.
  EXPECT_EQ(server.requests("/loop1") + server.requests("/loop2"), 4);
  const auto row = frontier.Get(server.url("/loop1"));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, FrontierState::kFailed);
  EXPECT_EQ(row->last_error.rfind("too_many_redirects", 0), 0U);
  EXPECT_TRUE(handler.pages().empty());
}

TEST(CrawlerTest, StopsTakingUrlsAtMaxPages) {
  TestHttpServer server;
  ServeSite(server, 50, nullptr);
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.max_pages = 10;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/site/p0.html")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->pages_stored, 10);
  EXPECT_EQ(handler.pages().size(), 10U);
  const auto counts = frontier.Counts(WallMs());
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->done, 10);
  EXPECT_EQ(counts->in_flight, 0);  // claimed but not started: back in queue
  EXPECT_GT(counts->queued, 0);
  EXPECT_EQ(stats->queued, counts->queued);
  EXPECT_TRUE(frontier.violations().empty());
}

// Issue 4, item 8: a stop takes no new URL and returns in-flight ones to the
// queue without counting an attempt.
// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(CrawlerTest, StopReturnsInFlightUrlsToTheQueue) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  for (int i = 0; i < 3; ++i) {
    server.Delay("/slow" + std::to_string(i), std::chrono::seconds(4),
                 "<p>late</p>");
  }
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.politeness.per_host = 4;
  Crawler crawler(options, &frontier, &handler);
  std::vector<std::string> seeds;
  seeds.reserve(3);
  for (int i = 0; i < 3; ++i) {
    seeds.push_back(server.url("/slow" + std::to_string(i)));
  }
  ASSERT_TRUE(crawler.AddSeeds(seeds));
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (server.total_requests() < 4 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop.store(true);
  });
  const auto start = std::chrono::steady_clock::now();
  auto stats = crawler.Run(stop);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  stopper.join();
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(server.total_requests(), 4);  // robots.txt and the three pages
  EXPECT_LT(elapsed, std::chrono::milliseconds(3'000));
  EXPECT_EQ(stats->pages_stored, 0);
  EXPECT_EQ(stats->failed, 0);
  EXPECT_TRUE(handler.pages().empty());
  for (const std::string& url : seeds) {
    const auto row = frontier.Get(url);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->state, FrontierState::kQueued) << url;
    EXPECT_EQ(row->attempts, 0) << url;
  }
  EXPECT_TRUE(frontier.violations().empty());
}

// RFC 9110 13.1.2 / 15.4.5: a stored page is fetched with If-None-Match; the
// 304 is counted and not handed to the handler.
// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(CrawlerTest, NotModifiedIsNotHandledAgain) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.Get("/show", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;
      res.set_header("ETag", "\"v1\"");
      return;
    }
    res.set_header("ETag", "\"v1\"");
    res.set_content("<p>show</p>", "text/html");
  });
  MemoryFrontier frontier;
  MemoryFrontier::Row done;
  done.url = server.url("/show");
  done.state = FrontierState::kDone;
  done.etag = "\"v1\"";
  done.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  frontier.Put(done);
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/show")}));  // queued again
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(server.requests("/show"), 1);
  EXPECT_EQ(server.last_header("/show", "If-None-Match"), "\"v1\"");
  EXPECT_EQ(server.last_header("/show", "If-Modified-Since"),
            "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(stats->not_modified, 1);
  EXPECT_EQ(stats->pages_stored, 0);
  EXPECT_EQ(stats->changed, 0);
  EXPECT_TRUE(handler.pages().empty());
  // The frontier hears that the page did not change (a recrawl policy waits
  // longer) and no kind (it keeps the stored one).
  EXPECT_EQ(frontier.visits().at(server.url("/show")),
            std::make_pair(core::PageKind::kUnknown, false));
  const auto row = frontier.Get(server.url("/show"));
  EXPECT_EQ(row->state, FrontierState::kDone);
  EXPECT_EQ(row->etag, "\"v1\"");
  EXPECT_EQ(row->last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
}

// What the handler learns of a page (its kind, whether it changed) reaches the
// frontier with the page's completion, and the stats count the changed pages.
TEST(CrawlerTest, HandledKindAndChangeReachTheFrontier) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.ServeHtml("/a", "<show> <a href=\"/b\">b</a>");
  server.ServeHtml("/b", "unchanged");
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/a")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->pages_stored, 2);
  EXPECT_EQ(stats->changed, 1);
  const auto visits = frontier.visits();
  EXPECT_EQ(visits.at(server.url("/a")),
            std::make_pair(core::PageKind::kShow, true));
  EXPECT_EQ(visits.at(server.url("/b")),
            std::make_pair(core::PageKind::kUnknown, false));
}

// RFC 9309 2.3.1.4: a robots.txt answering 5xx disallows the host for a
// while; its URLs go back to the queue for after that, never fetched now.
TEST(CrawlerTest, UnreachableRobotsDefersTheHost) {
  TestHttpServer server;
  server.Status("/robots.txt", 503);
  server.ServeHtml("/page", "<p>page</p>");
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.robots_unreachable_retry_ms = 60'000;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/page")}));
  const int64_t before = WallMs();
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(server.requests("/robots.txt"), 1);
  EXPECT_EQ(server.requests("/page"), 0);
  const auto row = frontier.Get(server.url("/page"));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, FrontierState::kQueued);
  EXPECT_EQ(row->attempts, 0);
  EXPECT_GE(row->next_fetch_ms, before + 60'000);
  EXPECT_EQ(stats->queued, 1);
  // Issue 13 item 1: the host is down for this run, and the robots.txt
  // attempt is noted like a page's.
  ASSERT_EQ(stats->down.size(), 1U);
  EXPECT_EQ(stats->down.at("127.0.0.1").robots_unreachable, "HTTP 503");
  EXPECT_EQ(stats->waiting.at("127.0.0.1").urls, 1);
  ASSERT_EQ(handler.failures().size(), 1U);
  EXPECT_EQ(std::get<0>(handler.failures()[0]), server.url("/robots.txt"));
  EXPECT_EQ(std::get<2>(handler.failures()[0]), 503);
}

// Issue 13 item 1: a robots.txt nobody answers (a closed port) makes the host
// down, with a short reason; its URL waits, never fetched, and the attempt
// is noted.
TEST(CrawlerTest, RobotsOfAClosedPortMakeTheHostDown) {
  const std::string host_url =
      "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort());
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({host_url + "/"}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->pages_stored, 0);
  EXPECT_EQ(stats->failed, 0);
  ASSERT_EQ(stats->down.size(), 1U);
  EXPECT_EQ(stats->down.at("127.0.0.1").robots_unreachable,
            "connection refused");
  EXPECT_EQ(stats->down.at("127.0.0.1").failed_attempts, 0);
  EXPECT_EQ(stats->waiting.at("127.0.0.1").urls, 1);
  ASSERT_EQ(handler.failures().size(), 1U);
  EXPECT_EQ(std::get<0>(handler.failures()[0]), host_url + "/robots.txt");
  EXPECT_EQ(std::get<1>(handler.failures()[0]), ErrorCode::kNetwork);
  EXPECT_EQ(frontier.Get(host_url + "/")->state, FrontierState::kQueued);
}

// RFC 9110 10.2.3: a robots.txt answering 429 (or 503 with Retry-After) asks
// for a pause; the host waits but is not down (issue 10's paused host).
TEST(CrawlerTest, RobotsAskingForAPauseIsNoDownHost) {
  TestHttpServer server;
  server.Get("/robots.txt",
             [](const httplib::Request&, httplib::Response& res) {
               res.status = 429;
               res.set_header("Retry-After", "3600");
               res.set_content("slow down", "text/plain");
             });
  server.ServeHtml("/page", "<p>page</p>");
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/page")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(server.requests("/page"), 0);
  EXPECT_TRUE(stats->down.empty());
  EXPECT_EQ(stats->waiting.at("127.0.0.1").urls, 1);
  ASSERT_EQ(handler.failures().size(), 1U);  // the attempt is still noted
  EXPECT_EQ(std::get<2>(handler.failures()[0]), 429);
}

// Issue 13 item 1: a host whose every page request ends without an answer
// (here a 500 each time) is down; one that answers a 404 is not.
TEST(CrawlerTest, HostWithoutAnyAnswerIsDownAndA404IsAnAnswer) {
  // Two hosts on one server: 127.0.0.1 and localhost (libcurl resolves it
  // itself).
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.Status("/a", 500);
  server.Status("/gone", 404);
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.retry.max_attempts = 2;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds(
      {server.url("/a"),
       "http://localhost:" + std::to_string(server.port()) + "/gone"}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->failed, 2);
  ASSERT_EQ(stats->down.size(), 1U) << stats->down.begin()->first;
  const CrawlStats::HostDown& down = stats->down.at("127.0.0.1");
  EXPECT_EQ(down.robots_unreachable, "");
  EXPECT_EQ(down.failed_attempts, 2);
  EXPECT_EQ(down.reason, "HTTP 500");
}

// Crawl-delay (the common robots.txt extension) spaces request starts.
TEST(CrawlerTest, HonoursCrawlDelay) {
  TestHttpServer server;
  server.Serve("/robots.txt", "User-agent: podcrawl\nCrawl-delay: 1\n",
               "text/plain");
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> times;
  auto timed = [&](const std::string& body) {
    return [&, body](const httplib::Request&, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        times.push_back(std::chrono::steady_clock::now());
      }
      res.set_content(body, "text/html");
    };
  };
  server.Get("/a", timed("<a href=\"/b\">b</a>"));
  server.Get("/b", timed("<p>b</p>"));
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.politeness.max_crawl_delay_ms = 5'000;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/a")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->pages_stored, 2);
  ASSERT_EQ(times.size(), 2U);
  EXPECT_GE(times[1] - times[0], std::chrono::milliseconds(950));
}

TEST(CrawlerTest, HandlerErrorStopsTheCrawl) {
  TestHttpServer server;
  ServeSite(server, 50, nullptr);
  MemoryFrontier frontier;
  LinkHandler handler;
  handler.set_fail_on("/site/p3.html");
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/site/p0.html")}));
  auto stats = RunCrawl(crawler);
  ASSERT_FALSE(stats.has_value());
  EXPECT_EQ(stats.error().code, ErrorCode::kStorage);
  EXPECT_LT(handler.pages().size(), 50U);
  EXPECT_TRUE(frontier.violations().empty());
}

TEST(CrawlerTest, FrontierErrorStopsTheCrawl) {
  TestHttpServer server;
  ServeSite(server, 10, nullptr);
  MemoryFrontier frontier;
  frontier.set_fail_completes(true);
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/site/p0.html")}));
  auto stats = RunCrawl(crawler);
  ASSERT_FALSE(stats.has_value());
  EXPECT_EQ(stats.error().code, ErrorCode::kStorage);
  EXPECT_EQ(handler.pages().size(), 1U);
}

// core/frontier.h: URLs a dead process left in flight are fetched again.
TEST(CrawlerTest, ResumesUrlsLeftInFlight) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.ServeHtml("/left", "<a href=\"/next\">n</a>");
  server.ServeHtml("/next", "<p>next</p>");
  MemoryFrontier frontier;
  MemoryFrontier::Row left;
  left.url = server.url("/left");
  left.state = FrontierState::kInFlight;
  frontier.Put(left);
  LinkHandler handler;
  // No seeds: the scope falls back to the host of each page.
  Crawler crawler(FastOptions(), &frontier, &handler);
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->pages_stored, 2);
  EXPECT_EQ(frontier.Get(server.url("/left"))->state, FrontierState::kDone);
  EXPECT_EQ(frontier.Get(server.url("/next"))->state, FrontierState::kDone);
}

TEST(CrawlerTest, NonHtmlAndOversizeAreFailures) {
  TestHttpServer server;
  server.Status("/robots.txt", 404);
  server.Serve("/feed.json", "{}", "application/json");
  server.Serve("/big", std::string(4096, 'x'), "text/html", 200, {},
               /*compress=*/false);
  MemoryFrontier frontier;
  LinkHandler handler;
  CrawlOptions options = FastOptions();
  options.fetch.max_body_bytes = 1024;
  Crawler crawler(options, &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({server.url("/feed.json"), server.url("/big")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->failed, 2);
  EXPECT_EQ(stats->retried, 0);
  EXPECT_EQ(stats->failures_by_reason.at("unsupported"), 1);
  EXPECT_EQ(stats->failures_by_reason.at("too_large"), 1);
  EXPECT_EQ(server.requests("/big"), 1);
  EXPECT_TRUE(handler.pages().empty());
}

TEST(CrawlerTest, RejectsAnInvalidSeed) {
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(FastOptions(), &frontier, &handler);
  const core::Status added = crawler.AddSeeds({"ftp://127.0.0.1/x"});
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, ErrorCode::kUnsupported);
}

// ---- Private addresses (issue 10) ----

// Two loopback servers: `pub` plays a public site (public.test, the only
// address:port counted public), `priv` a private one (private.test). Names
// reach them through CURLOPT_RESOLVE: nothing leaves 127.0.0.0/8.
struct PublicAndPrivate {
  TestHttpServer pub;
  TestHttpServer priv;

  std::string pub_url(const std::string& path) const {
    return "http://public.test:" + std::to_string(pub.port()) + path;
  }
  std::string priv_url(const std::string& path) const {
    return "http://private.test:" + std::to_string(priv.port()) + path;
  }
  CrawlOptions Options() const {
    CrawlOptions o = FastOptions();
    o.fetch.resolve_for_testing = {
        "public.test:" + std::to_string(pub.port()) + ":127.0.0.1",
        "private.test:" + std::to_string(priv.port()) + ":127.0.0.1"};
    const int public_port = pub.port();
    o.fetch.is_private_address_for_testing =
        [public_port](std::string_view address, int port) {
          return !(address == "127.0.0.1" && port == public_port);
        };
    o.scope.allow = {"private\\.test"};  // in scope: only the
                                         // address rule stops it
    return o;
  }
};

// A public page's link to a name that resolves to a private address, and its
// redirects to private addresses, fail for good ("private_address"), and the
// private server never sees a request; the public site is crawled as usual.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(CrawlerTest, PublicPagesCannotLeadToPrivateAddresses) {
  PublicAndPrivate sites;
  sites.pub.Status("/robots.txt", 404);
  sites.priv.Status("/robots.txt", 404);
  sites.priv.ServeHtml("/secret", "<p>secret</p>");
  sites.pub.ServeHtml("/", "<a href=\"" + sites.priv_url("/secret") +
                               "\">name</a><a href=\"/go\">redirect</a>"
                               "<a href=\"/go-literal\">literal</a>"
                               "<a href=\"/fine\">fine</a>");
  sites.pub.Redirect("/go", sites.priv_url("/secret"));
  sites.pub.Redirect("/go-literal", sites.priv.url("/secret"));
  sites.pub.ServeHtml("/fine", "<p>fine</p>");
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(sites.Options(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({sites.pub_url("/")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(sites.priv.total_requests(), 0);
  EXPECT_EQ(stats->pages_stored, 2);  // "/" and "/fine"
  EXPECT_EQ(stats->failures_by_reason["private_address"], 3);
  EXPECT_EQ(stats->retried, 0);
  for (const std::string& url :
       {sites.priv_url("/secret"), sites.pub_url("/go"),
        sites.pub_url("/go-literal")}) {
    const auto row = frontier.Get(url);
    ASSERT_TRUE(row.has_value()) << url;
    EXPECT_EQ(row->state, FrontierState::kFailed) << url;
    EXPECT_EQ(row->attempts, 0) << url;
    EXPECT_NE(row->last_error.find("private_address"), std::string::npos)
        << row->last_error;
  }
  EXPECT_EQ(frontier.Get(sites.pub_url("/fine"))->state, FrontierState::kDone);
}

// Seeds keep their exemption: a seed on a private address is crawled, with
// the links on its host, and its redirect to another private address.
TEST(CrawlerTest, SeedsMayBePrivate) {
  PublicAndPrivate sites;
  sites.priv.Status("/robots.txt", 404);
  sites.priv.ServeHtml("/", "<a href=\"/page\">page</a>");
  sites.priv.Redirect("/page", sites.priv.url("/final"));
  sites.priv.ServeHtml("/final", "<p>final</p>");
  MemoryFrontier frontier;
  LinkHandler handler;
  Crawler crawler(sites.Options(), &frontier, &handler);
  ASSERT_TRUE(crawler.AddSeeds({sites.priv_url("/")}));
  auto stats = RunCrawl(crawler);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->failed, 0);
  EXPECT_EQ(stats->pages_stored, 2);
  EXPECT_EQ(sites.priv.requests("/final"), 1);
  EXPECT_EQ(frontier.Get(sites.priv_url("/page"))->state, FrontierState::kDone);
}

// ---- A paused host (issue 10) ----

// A host answering 429 with Retry-After: 3600 does not hold up the run: the
// other host's pages are crawled, the run ends within seconds, and every URL
// of the paused host stays queued, due when the pause ends, which the stats
// report per host. Both when robots.txt answers 429 too and when it does not.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(CrawlerTest, PausedHostIsLeftQueuedWhileTheRestFinishes) {
  for (const bool robots_busy : {false, true}) {
    SCOPED_TRACE(robots_busy ? "robots.txt 429" : "robots.txt 404");
    TestHttpServer open;
    TestHttpServer busy;
    const std::string open_host = "open.test:" + std::to_string(open.port());
    const std::string busy_host = "busy.test:" + std::to_string(busy.port());
    open.Status("/robots.txt", 404);
    open.ServeHtml("/", R"(<a href="/p1">1</a><a href="/p2">2</a>)");
    open.ServeHtml("/p1", "<p>one</p>");
    open.ServeHtml("/p2", "<p>two</p>");
    auto too_many = [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "3600");
      res.set_content("slow down", "text/html");
    };
    if (robots_busy) {
      busy.Get("/robots.txt", too_many);
    } else {
      busy.Status("/robots.txt", 404);
    }
    const std::vector<std::string> busy_paths = {"/a", "/b", "/c", "/d"};
    for (const std::string& path : busy_paths) busy.Get(path, too_many);

    CrawlOptions options = FastOptions();
    options.fetch.resolve_for_testing = {open_host + ":127.0.0.1",
                                         busy_host + ":127.0.0.1"};
    MemoryFrontier frontier;
    LinkHandler handler;
    Crawler crawler(options, &frontier, &handler);
    std::vector<std::string> seeds = {"http://" + open_host + "/"};
    for (const std::string& path : busy_paths) {
      seeds.push_back("http://" + busy_host + path);
    }
    ASSERT_TRUE(crawler.AddSeeds(seeds));
    // A watchdog bounds the test if the run waits for the pause.
    std::atomic<bool> stop{false};
    std::atomic<bool> done{false};
    std::thread watchdog([&] {
      for (int i = 0; i < 200 && !done; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      stop = true;
    });
    const auto started = std::chrono::steady_clock::now();
    auto stats = crawler.Run(stop);
    done = true;
    watchdog.join();
    ASSERT_TRUE(stats.has_value()) << stats.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - started,
              std::chrono::seconds(5));
    EXPECT_EQ(stats->pages_stored, 3);
    EXPECT_EQ(stats->failed, 0);
    const int64_t hour_from_now = WallMs() + 3'600'000;
    for (const std::string& path : busy_paths) {
      const auto row = frontier.Get("http://" + busy_host + path);
      ASSERT_TRUE(row.has_value()) << path;
      EXPECT_EQ(row->state, FrontierState::kQueued) << path;
      EXPECT_GT(row->next_fetch_ms, hour_from_now - 60'000) << path;
      EXPECT_LE(row->next_fetch_ms, hour_from_now) << path;
      EXPECT_LE(busy.requests(path), 1) << path;
    }
    ASSERT_EQ(stats->waiting.size(), 1U);
    const auto wait = stats->waiting.find("busy.test");
    ASSERT_NE(wait, stats->waiting.end());
    EXPECT_EQ(wait->second.urls, 4);
    EXPECT_GT(wait->second.until_ms, hour_from_now - 60'000);
    EXPECT_LE(wait->second.until_ms, hour_from_now);
  }
}

// ---- crawl_internal.h ----

ScopeOptions ExampleScope() {
  ScopeOptions o;
  o.seed_hosts = {"example.com"};
  o.deny = {"/logout"};
  o.max_depth = 3;
  return o;
}

TEST(FilterLinksTest, KeepsInScopeLinksNormalisedAndOnce) {
  const Scope scope(ExampleScope());
  internal::LinkPolicy policy;
  policy.scope = &scope;
  const auto links = internal::FilterLinks(
      policy, "https://example.com/a",
      {"https://EXAMPLE.com:443/b#x", "https://example.com/b",
       "https://other.org/c", "https://example.com/logout", "mailto:x@y.z",
       "not a url"},
      2);
  ASSERT_EQ(links.size(), 1U);
  EXPECT_EQ(links[0].url, "https://example.com/b");
  EXPECT_EQ(links[0].depth, 2);
  EXPECT_TRUE(internal::FilterLinks(policy, "https://example.com/a",
                                    {"https://example.com/b"}, 4)
                  .empty());
}

// Issue 4, item 5: links on public pages to private addresses are dropped.
TEST(FilterLinksTest, DropsPrivateLinksFromPublicPages) {
  ScopeOptions options = ExampleScope();
  options.allow = {"^http"};  // everything, to isolate the rule
  const Scope scope(options);
  internal::LinkPolicy policy;
  policy.scope = &scope;
  const std::vector<std::string> links = {
      "http://127.0.0.1/admin", "http://192.168.1.1/", "http://[::1]/x",
      "http://localhost:8080/", "https://example.com/ok"};
  auto from_public =
      internal::FilterLinks(policy, "https://example.com/", links, 1);
  ASSERT_EQ(from_public.size(), 1U);
  EXPECT_EQ(from_public[0].url, "https://example.com/ok");
  // A private page's links may stay private.
  EXPECT_EQ(internal::FilterLinks(policy, "http://10.0.0.5/", links, 1).size(),
            5U);
  policy.follow_private_links = true;
  EXPECT_EQ(
      internal::FilterLinks(policy, "https://example.com/", links, 1).size(),
      5U);
}

TEST(FilterLinksTest, SameHostFallbackWithoutSeedHosts) {
  ScopeOptions none;
  none.deny = {"/logout"};
  const Scope scope(none);
  ScopeOptions any = none;
  any.allow = {"^"};
  const Scope host_scope(any);
  internal::LinkPolicy policy;
  policy.scope = &scope;
  policy.host_scope = &host_scope;
  const std::vector<std::string> links = {"https://example.com/b",
                                          "https://other.org/",
                                          "https://example.com/logout"};
  EXPECT_TRUE(
      internal::FilterLinks(policy, "https://example.com/", links, 1).empty());
  policy.follow_same_host = true;
  const auto same =
      internal::FilterLinks(policy, "https://example.com/", links, 1);
  ASSERT_EQ(same.size(), 1U);
  EXPECT_EQ(same[0].url, "https://example.com/b");
}

TEST(FilterLinksTest, HostsWhereSeedsLedCountAsSeedHosts) {
  ScopeOptions options = ExampleScope();
  const Scope scope(options);
  options.seed_hosts.clear();
  options.allow = {"^"};
  const Scope host_scope(options);
  internal::HostSet redirected;
  internal::LinkPolicy policy;
  policy.scope = &scope;
  policy.host_scope = &host_scope;
  policy.extra_seed_hosts = &redirected;
  const std::vector<std::string> links = {"https://www.example.com/a",
                                          "https://www.example.com/logout",
                                          "https://other.org/"};
  EXPECT_TRUE(
      internal::FilterLinks(policy, "https://www.example.com/", links, 1)
          .empty());
  redirected.Insert("www.example.com");
  const auto followed =
      internal::FilterLinks(policy, "https://www.example.com/", links, 1);
  ASSERT_EQ(followed.size(), 1U);
  EXPECT_EQ(followed[0].url, "https://www.example.com/a");
  EXPECT_TRUE(
      internal::FilterLinks(policy, "https://www.example.com/", links, 4)
          .empty());  // deeper than max_depth
}

// RFC 9309 2.3: robots.txt lives at the root of each scheme, host and port.
TEST(CrawlInternalTest, RobotsUrl) {
  EXPECT_EQ(internal::RobotsUrl("https://h.example:8080/a/b?x=1"),
            "https://h.example:8080/robots.txt");
  EXPECT_EQ(internal::RobotsUrl("http://h.example/"),
            "http://h.example/robots.txt");
}

TEST(CrawlInternalTest, FailureReasons) {
  EXPECT_EQ(internal::FailureReason(
                core::Error(ErrorCode::kHttpStatus, "HTTP 404", 404)),
            "http_404");
  EXPECT_EQ(internal::FailureReason(core::Error(ErrorCode::kTimeout, "slow")),
            "timeout");
  const core::Error loop(ErrorCode::kTooManyRedirects,
                         "cannot fetch u: too many redirects (more than 3): x");
  EXPECT_EQ(internal::FailureReason(loop), "too_many_redirects");
  // The kind decides, not the text.
  EXPECT_EQ(internal::FailureReason(core::Error(
                ErrorCode::kNetwork, "proxy said: too many redirects")),
            "network");
}

// Issue 13 item 1: the one-line reason of a host that did not answer.
TEST(CrawlInternalTest, ShortReasons) {
  EXPECT_EQ(internal::ShortReason(core::Error(
                ErrorCode::kHttpStatus, "HTTP 500 Internal Server Error", 500)),
            "HTTP 500");
  EXPECT_EQ(internal::ShortReason(
                core::Error(ErrorCode::kTimeout,
                            "cannot fetch http://h/: Operation timed "
                            "out after 3000 milliseconds")),
            "timed out");
  // libcurl 7.88's texts.
  EXPECT_EQ(internal::ShortReason(core::Error(
                ErrorCode::kNetwork,
                "cannot fetch http://127.0.0.1:1/robots.txt: Failed to connect "
                "to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server")),
            "cannot connect");
  // With the socket's errno, as curl_handle.cc adds it.
  EXPECT_EQ(internal::ShortReason(core::Error(
                ErrorCode::kNetwork,
                "cannot fetch http://127.0.0.1:1/robots.txt: Failed to connect "
                "to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server "
                "(Connection refused)")),
            "connection refused");
  EXPECT_EQ(internal::ShortReason(core::Error(
                ErrorCode::kNetwork,
                "cannot fetch http://x.invalid/: Could not resolve host: "
                "x.invalid")),
            "host name not resolved");
  EXPECT_EQ(internal::ShortReason(core::Error(
                ErrorCode::kNetwork,
                "cannot fetch http://h/robots.txt: Recv failure: Connection "
                "reset by peer")),
            "Recv failure: Connection reset by peer");
}

// RFC 9110 10.2.3 and RFC 6585 4: which robots.txt answers ask for a pause.
TEST(CrawlInternalTest, PauseAnswers) {
  EXPECT_TRUE(internal::IsPauseAnswer(429, false));
  EXPECT_TRUE(internal::IsPauseAnswer(429, true));
  EXPECT_TRUE(internal::IsPauseAnswer(503, true));
  EXPECT_FALSE(internal::IsPauseAnswer(503, false));
  EXPECT_FALSE(internal::IsPauseAnswer(500, true));
  EXPECT_FALSE(internal::IsPauseAnswer(0, false));
}

TEST(LatencyHistogramTest, PercentilesWithinBucketWidth) {
  internal::LatencyHistogram h;
  EXPECT_EQ(h.Percentile(0.5), 0);
  for (int ms = 1; ms <= 100; ++ms) h.Add(ms);
  EXPECT_EQ(h.count(), 100);
  EXPECT_NEAR(h.Percentile(0.50), 50, 50 * 0.06);
  EXPECT_NEAR(h.Percentile(0.95), 95, 95 * 0.06);
  h.Add(0.2);
  EXPECT_LE(h.Percentile(0.0), 1.0);
}

}  // namespace
}  // namespace crawler
