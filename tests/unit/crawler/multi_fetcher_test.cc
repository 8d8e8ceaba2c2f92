// Tests of crawler::MultiFetcher (libcurl multi interface) against the loopback
// TestHttpServer (127.0.0.1, port 0). Nothing here leaves 127.0.0.0/8.
#include "crawler/multi_fetcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "tests/support/test_http_server.h"

namespace crawler {
namespace {

using core::ErrorCode;
using testsupport::TestHttpServer;

// curl_global_init once, before any test starts a thread (STYLE.md, libcurl).
// libcurl counts the calls, so this may sit beside other test files' guards.
class MultiCurlEnvironment : public testing::Environment {
 public:
  void SetUp() override { global_ = std::make_unique<CurlGlobal>(); }
  void TearDown() override { global_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> global_;
};
[[maybe_unused]] testing::Environment* const kMultiCurlEnvironment =
    testing::AddGlobalTestEnvironment(new MultiCurlEnvironment);

FetchOptions TestOptions() {
  FetchOptions options;
  options.connect_timeout_ms = 2'000;
  options.timeout_ms = 5'000;
  return options;
}

// Polls until nothing is in flight or `limit` passes; returns whether all
// finished.
bool RunAll(MultiFetcher& fetcher,
            std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (fetcher.in_flight() > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    fetcher.Poll(50);
  }
  return true;
}

// Results by URL, filled by the callbacks.
struct Results {
  std::map<std::string, int> calls;
  std::map<std::string, core::Result<core::FetchedPage>> last;

  MultiFetcher::Callback For(const std::string& url) {
    return [this, url](core::Result<core::FetchedPage> result) {
      ++calls[url];
      last.insert_or_assign(url, std::move(result));
    };
  }
};

// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(MultiFetcherTest, FetchesManyPagesConcurrently) {
  TestHttpServer server;
  // TestHttpServer (Debian's cpp-httplib) was measured to serve 6
  // connections at once: one pool thread each, held for the keep-alive time.
  constexpr int kPages = 6;
  for (int i = 0; i < kPages; ++i) {
    server.Delay("/p" + std::to_string(i), std::chrono::milliseconds(500),
                 "<html><body>page " + std::to_string(i) + "</body></html>");
  }
  MultiFetcher fetcher(TestOptions());
  Results results;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kPages; ++i) {
    const std::string url = server.url("/p" + std::to_string(i));
    fetcher.Start(url, {}, results.For(url));
  }
  EXPECT_EQ(fetcher.in_flight(), kPages);
  ASSERT_TRUE(RunAll(fetcher));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // One after the other they would take 3 s; in parallel about 0.5 s.
  EXPECT_LT(elapsed, std::chrono::milliseconds(1'500));
  ASSERT_EQ(results.calls.size(), static_cast<size_t>(kPages));
  for (int i = 0; i < kPages; ++i) {
    const std::string url = server.url("/p" + std::to_string(i));
    EXPECT_EQ(results.calls[url], 1) << url;
    const auto& result = results.last.at(url);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->url, url);
    EXPECT_NE(result->body.find("page " + std::to_string(i) + "<"),
              std::string::npos);
  }
}

TEST(MultiFetcherTest, ReusesConnectionsAcrossRounds) {
  TestHttpServer server;
  for (int i = 0; i < 20; ++i) {
    server.ServeHtml("/r" + std::to_string(i), "<p>" + std::to_string(i));
  }
  MultiFetcher fetcher(TestOptions());
  Results results;
  // Five rounds of four parallel requests: pooled handles and the multi's
  // connection cache keep the same four connections.
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 4; ++i) {
      const std::string url = server.url("/r" + std::to_string(round * 4 + i));
      fetcher.Start(url, {}, results.For(url));
    }
    ASSERT_TRUE(RunAll(fetcher));
  }
  EXPECT_EQ(results.calls.size(), 20U);
  EXPECT_EQ(server.total_requests(), 20);
  EXPECT_LE(server.connections(), 4);
}

// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(MultiFetcherTest, StatusIsDataAndTransportErrorsAreValues) {
  TestHttpServer server;
  server.Status("/missing", 404, "gone");
  server.Serve("/big", std::string(4096, 'x'), "text/html", 200, {},
               /*compress=*/false);
  FetchOptions options = TestOptions();
  options.max_body_bytes = 1024;
  MultiFetcher fetcher(options);
  Results results;
  const std::string missing = server.url("/missing");
  const std::string big = server.url("/big");
  const std::string refused =
      "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort()) + "/";
  const std::string bad = "not a url";
  const std::string ftp = "ftp://127.0.0.1/file";
  for (const std::string& url : {missing, big, refused, bad, ftp}) {
    fetcher.Start(url, {}, results.For(url));
  }
  ASSERT_TRUE(RunAll(fetcher));
  ASSERT_TRUE(results.last.at(missing).has_value());
  EXPECT_EQ(results.last.at(missing)->status, 404);
  ASSERT_FALSE(results.last.at(big).has_value());
  EXPECT_EQ(results.last.at(big).error().code, ErrorCode::kTooLarge);
  ASSERT_FALSE(results.last.at(refused).has_value());
  EXPECT_EQ(results.last.at(refused).error().code, ErrorCode::kNetwork);
  ASSERT_FALSE(results.last.at(bad).has_value());
  EXPECT_EQ(results.last.at(bad).error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(results.last.at(ftp).has_value());
  EXPECT_EQ(results.last.at(ftp).error().code, ErrorCode::kUnsupported);
  for (const auto& [url, calls] : results.calls) EXPECT_EQ(calls, 1) << url;
}

TEST(MultiFetcherTest, ProfilesCarryTheirOwnOptions) {
  TestHttpServer server;
  server.Redirect("/a", "/b");
  server.Redirect("/b", "/c");
  server.Redirect("/c", "/d");
  server.ServeHtml("/d", "<p>end");
  MultiFetcher fetcher(TestOptions());
  FetchOptions strict = TestOptions();
  strict.max_redirects = 1;
  const int strict_profile = fetcher.AddProfile(strict);
  EXPECT_EQ(strict_profile, 1);
  core::Result<core::FetchedPage> lenient_result =
      core::Error(ErrorCode::kInternal, "not run");
  core::Result<core::FetchedPage> strict_result =
      core::Error(ErrorCode::kInternal, "not run");
  core::Result<core::FetchedPage> unknown_result =
      core::Error(ErrorCode::kInternal, "not run");
  fetcher.Start(server.url("/a"), {}, [&](core::Result<core::FetchedPage> r) {
    lenient_result = std::move(r);
  });
  fetcher.Start(
      server.url("/a"), {},
      [&](core::Result<core::FetchedPage> r) { strict_result = std::move(r); },
      strict_profile);
  fetcher.Start(
      server.url("/a"), {},
      [&](core::Result<core::FetchedPage> r) { unknown_result = std::move(r); },
      7);
  ASSERT_TRUE(RunAll(fetcher));
  ASSERT_TRUE(lenient_result.has_value()) << lenient_result.error().message;
  EXPECT_EQ(lenient_result->final_url, server.url("/d"));
  EXPECT_EQ(lenient_result->redirects, 3);
  ASSERT_FALSE(strict_result.has_value());
  EXPECT_EQ(strict_result.error().code, ErrorCode::kTooManyRedirects);
  EXPECT_NE(strict_result.error().message.find("too many redirects"),
            std::string::npos);
  ASSERT_FALSE(unknown_result.has_value());
  EXPECT_EQ(unknown_result.error().code, ErrorCode::kInvalidArgument);
}

// RFC 9110 section 13.1: validators of the stored copy go out as
// If-None-Match / If-Modified-Since, and a 304 is a page, not an error.
TEST(MultiFetcherTest, SendsConditionalGetValidators) {
  TestHttpServer server;
  server.Serve("/cond", "", "text/html", 304, {{"ETag", "\"v1\""}});
  MultiFetcher fetcher(TestOptions());
  RequestExtras extras;
  extras.if_none_match = "\"v1\"";
  extras.if_modified_since = "Wed, 21 Oct 2015 07:28:00 GMT";
  Results results;
  const std::string url = server.url("/cond");
  fetcher.Start(url, extras, results.For(url));
  ASSERT_TRUE(RunAll(fetcher));
  ASSERT_TRUE(results.last.at(url).has_value());
  EXPECT_EQ(results.last.at(url)->status, 304);
  EXPECT_EQ(server.last_header("/cond", "If-None-Match"), "\"v1\"");
  EXPECT_EQ(server.last_header("/cond", "If-Modified-Since"),
            "Wed, 21 Oct 2015 07:28:00 GMT");
}

// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(MultiFetcherTest, CancelAllRunsCallbacksWithCancelled) {
  TestHttpServer server;
  server.Delay("/slow", std::chrono::seconds(5), "<p>late");
  server.ServeHtml("/fast", "<p>fast");
  MultiFetcher fetcher(TestOptions());
  Results results;
  std::vector<std::string> urls;
  for (int i = 0; i < 3; ++i) {
    urls.push_back(server.url("/slow") + "?n=" + std::to_string(i));
    fetcher.Start(urls.back(), {}, results.For(urls.back()));
  }
  // Let the requests reach the server.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server.requests("/slow") < 3 &&
         std::chrono::steady_clock::now() < deadline) {
    fetcher.Poll(20);
  }
  EXPECT_EQ(server.requests("/slow"), 3);
  const auto start = std::chrono::steady_clock::now();
  fetcher.CancelAll();
  EXPECT_LT(std::chrono::steady_clock::now() - start,
            std::chrono::milliseconds(500));
  EXPECT_EQ(fetcher.in_flight(), 0);
  for (const std::string& url : urls) {
    EXPECT_EQ(results.calls[url], 1);
    ASSERT_FALSE(results.last.at(url).has_value());
    EXPECT_EQ(results.last.at(url).error().code, ErrorCode::kCancelled);
  }
  // The pooled handles work again after a cancel.
  const std::string fast = server.url("/fast");
  fetcher.Start(fast, {}, results.For(fast));
  ASSERT_TRUE(RunAll(fetcher));
  ASSERT_TRUE(results.last.at(fast).has_value());
  EXPECT_EQ(results.last.at(fast)->body, "<p>fast");
  // Polling after a cancel runs no callback twice.
  fetcher.Poll(0);
  for (const std::string& url : urls) EXPECT_EQ(results.calls[url], 1);
}

// Issue 4, item 2: a server that trickles bytes is dropped by the low-speed
// limit, while the other transfers go on.
TEST(MultiFetcherTest, DropsATrickleAndKeepsTheRest) {
  TestHttpServer server;
  server.Trickle("/trickle", 100'000, 10, std::chrono::milliseconds(100));
  server.ServeHtml("/quick", "<p>quick</p>");
  FetchOptions options = TestOptions();
  options.low_speed_bytes_per_s = 1'000;
  options.low_speed_time_s = 1;
  MultiFetcher fetcher(options);
  Results results;
  const std::string trickle = server.url("/trickle");
  const std::string quick = server.url("/quick");
  fetcher.Start(trickle, {}, results.For(trickle));
  fetcher.Start(quick, {}, results.For(quick));
  ASSERT_TRUE(RunAll(fetcher, std::chrono::seconds(5)));
  ASSERT_TRUE(results.last.at(quick).has_value());
  EXPECT_EQ(results.last.at(quick)->body, "<p>quick</p>");
  ASSERT_FALSE(results.last.at(trickle).has_value());
  EXPECT_EQ(results.last.at(trickle).error().code, ErrorCode::kTimeout);
}

TEST(MultiFetcherTest, WakeupEndsAWaitingPoll) {
  MultiFetcher fetcher(TestOptions());
  std::thread waker([&fetcher] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fetcher.Wakeup();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(fetcher.Poll(10'000), 0);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  waker.join();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(MultiFetcherTest, CallbacksMayStartMoreTransfers) {
  TestHttpServer server;
  for (int i = 0; i < 5; ++i) {
    server.ServeHtml("/chain" + std::to_string(i), "<p>" + std::to_string(i));
  }
  MultiFetcher fetcher(TestOptions());
  std::vector<int> order;
  std::function<void(int)> start_at = [&](int i) {
    fetcher.Start(server.url("/chain" + std::to_string(i)), {},
                  [&, i](const core::Result<core::FetchedPage>& result) {
                    ASSERT_TRUE(result.has_value());
                    order.push_back(i);
                    if (i + 1 < 5) start_at(i + 1);
                  });
  };
  start_at(0);
  ASSERT_TRUE(RunAll(fetcher));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

// CURLMOPT_MAX_HOST_CONNECTIONS: transfers over the limit wait in libcurl.
TEST(MultiFetcherTest, HonoursTheHostConnectionLimit) {
  TestHttpServer server;
  std::atomic<int> current{0};
  std::atomic<int> peak{0};
  server.Get("/count", [&](const httplib::Request&, httplib::Response& res) {
    const int now = ++current;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    --current;
    res.set_content("<p>ok", "text/html");
  });
  MultiFetcherLimits limits;
  limits.max_host_connections = 2;
  MultiFetcher fetcher(TestOptions(), limits);
  Results results;
  for (int i = 0; i < 8; ++i) {
    const std::string url = server.url("/count") + "?i=" + std::to_string(i);
    fetcher.Start(url, {}, results.For(url));
  }
  ASSERT_TRUE(RunAll(fetcher));
  EXPECT_EQ(results.calls.size(), 8U);
  for (const auto& [url, result] : results.last) {
    EXPECT_TRUE(result.has_value()) << url;
  }
  EXPECT_LE(peak.load(), 2);
  EXPECT_GE(peak.load(), 1);
}

}  // namespace
}  // namespace crawler
