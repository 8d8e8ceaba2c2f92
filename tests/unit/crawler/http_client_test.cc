// Tests of crawler::HttpClient and crawler::CheckPage against the loopback
// TestHttpServer (127.0.0.1, port 0). Nothing here resolves a hostname or
// leaves 127.0.0.0/8: the mapping of resolver failures is tested on MapCurlCode
// directly.
#include "crawler/http_client.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/version.h"
#include "crawler/curl_handle.h"
#include "tests/support/fault_server.h"
#include "tests/support/gzip.h"
#include "tests/support/test_http_server.h"

namespace crawler {
namespace {

using core::ErrorCode;
using testsupport::Gzip;
using testsupport::TestHttpServer;

// curl_global_init once, before any test starts a thread (STYLE.md, libcurl).
class CurlEnvironment : public testing::Environment {
 public:
  void SetUp() override { global_ = std::make_unique<CurlGlobal>(); }
  void TearDown() override { global_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> global_;
};
[[maybe_unused]] testing::Environment* const kCurlEnvironment =
    testing::AddGlobalTestEnvironment(new CurlEnvironment);

// Options with short timeouts, so a failing test does not hang; tests that need
// tighter ones set them.
FetchOptions TestOptions() {
  FetchOptions options;
  options.connect_timeout_ms = 2'000;
  options.timeout_ms = 5'000;
  return options;
}

// Returns `data` in the zlib format (RFC 1950) that HTTP's "deflate" coding
// means (RFC 9110 section 8.4.1.2): the raw deflate stream of Gzip()'s output
// (a 10-byte header without optional fields, and an 8-byte trailer) between a
// zlib header and the Adler-32 of `data`.
std::string Deflate(const std::string& data) {
  const std::string gzip = Gzip(data);
  EXPECT_GT(gzip.size(), 18u);
  EXPECT_EQ(gzip[3], '\0') << "gzip header flags set";
  uint32_t a = 1;
  uint32_t b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  const uint32_t adler = (b << 16) | a;
  std::string out = "\x78\x9C";
  out += gzip.substr(10, gzip.size() - 18);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((adler >> shift) & 0xFF));
  }
  return out;
}

const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 29);

TEST(HttpClientTest, FetchesHtmlPage) {
  TestHttpServer server;
  server.ServeHtml("/episode", "<html><title>Episode 1</title></html>");
  HttpClient client(TestOptions());

  auto page = client.Fetch(server.url("/episode"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "<html><title>Episode 1</title></html>");
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page->url, server.url("/episode"));
  EXPECT_EQ(page->final_url, server.url("/episode"));
  EXPECT_EQ(page->redirects, 0);
  EXPECT_GT(page->wire_bytes, 0);
  EXPECT_GE(page->seconds, 0.0);
  EXPECT_TRUE(CheckPage(*page));
  EXPECT_EQ(server.requests("/episode"), 1);
}

TEST(HttpClientTest, KeepsUrlAsAskedAndFetchesNormalisedForm) {
  TestHttpServer server;
  server.ServeHtml("/", "<p>root</p>");
  HttpClient client(TestOptions());
  const std::string asked =
      "HTTP://127.0.0.1:" + std::to_string(server.port()) + "#top";

  auto page = client.Fetch(asked);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->url, asked);
  EXPECT_EQ(page->final_url, server.url("/"));
  EXPECT_EQ(page->body, "<p>root</p>");
}

TEST(HttpClientTest, FollowsRedirectChain) {
  TestHttpServer server;
  server.Redirect("/old", "/moved", 301);
  server.Redirect("/moved", server.url("/final"), 302);
  server.ServeHtml("/final", "<p>here</p>");
  HttpClient client(TestOptions());

  auto page = client.Fetch(server.url("/old"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->url, server.url("/old"));
  EXPECT_EQ(page->final_url, server.url("/final"));
  EXPECT_EQ(page->redirects, 2);
  EXPECT_EQ(page->body, "<p>here</p>");
}

// DESIGN.md, crawling manners: redirects are followed up to a limit (libcurl's
// default is none).
TEST(HttpClientTest, RedirectLoopIsTooManyRedirects) {
  TestHttpServer server;
  server.Redirect("/loop", "/loop", 302);
  FetchOptions options = TestOptions();
  options.max_redirects = 5;
  HttpClient client(options);

  auto page = client.Fetch(server.url("/loop"));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kTooManyRedirects);
  EXPECT_NE(page.error().message.find("too many redirects (more than 5)"),
            std::string::npos)
      << page.error().message;
  EXPECT_NE(page.error().message.find(server.url("/loop")), std::string::npos);
  EXPECT_EQ(server.requests("/loop"), 6);  // the first request and 5 redirects
}

TEST(HttpClientTest, StopsAfterMaxRedirects) {
  TestHttpServer server;
  server.Redirect("/r0", "/r1");
  server.Redirect("/r1", "/r2");
  server.Redirect("/r2", "/r3");
  server.ServeHtml("/r3", "<p>end</p>");

  FetchOptions options = TestOptions();
  options.max_redirects = 2;
  HttpClient strict(options);
  auto refused = strict.Fetch(server.url("/r0"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooManyRedirects);
  EXPECT_EQ(server.requests("/r3"), 0);

  options.max_redirects = 3;
  HttpClient enough(options);
  auto page = enough.Fetch(server.url("/r0"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->redirects, 3);
  EXPECT_EQ(page->body, "<p>end</p>");
}

// DESIGN.md: http and https only, also on redirects.
TEST(HttpClientTest, RefusesRedirectToOtherSchemes) {
  TestHttpServer server;
  server.Redirect("/to-file", "file:///etc/passwd");
  server.Redirect(
      "/to-ftp",
      "ftp://127.0.0.1:" + std::to_string(testsupport::ClosedPort()) + "/");
  HttpClient client(TestOptions());

  for (const char* path : {"/to-file", "/to-ftp"}) {
    auto page = client.Fetch(server.url(path));
    ASSERT_FALSE(page) << path << " was followed";
    EXPECT_EQ(page.error().code, ErrorCode::kUnsupported)
        << page.error().message;
    EXPECT_NE(page.error().message.find(server.url(path)), std::string::npos)
        << page.error().message;
  }
}

TEST(HttpClientTest, RejectsBadUrlsBeforeFetching) {
  HttpClient client(TestOptions());

  auto ftp = client.Fetch("ftp://127.0.0.1/file");
  ASSERT_FALSE(ftp);
  EXPECT_EQ(ftp.error().code, ErrorCode::kUnsupported);

  auto file = client.Fetch("file:///etc/passwd");
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kUnsupported);

  auto garbage = client.Fetch("not a url");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);
}

// STYLE.md: the HTTP status is data at the client level; CheckPage makes it an
// error.
TEST(HttpClientTest, ErrorStatusIsDataAndCheckPageRejectsIt) {
  TestHttpServer server;
  server.Status("/missing", 404, "<h1>Not here</h1>");
  server.Status("/broken", 500, "<h1>Oops</h1>");
  HttpClient client(TestOptions());

  auto missing = client.Fetch(server.url("/missing"));
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "<h1>Not here</h1>");
  auto missing_check = CheckPage(*missing);
  ASSERT_FALSE(missing_check);
  EXPECT_EQ(missing_check.error().code, ErrorCode::kHttpStatus);
  EXPECT_EQ(missing_check.error().http_status, 404);
  EXPECT_EQ(missing_check.error().message,
            "HTTP 404 Not Found for " + server.url("/missing"));
  EXPECT_FALSE(core::IsRetryable(missing_check.error()));

  auto broken = client.Fetch(server.url("/broken"));
  ASSERT_TRUE(broken) << broken.error().message;
  EXPECT_EQ(broken->status, 500);
  auto broken_check = CheckPage(*broken);
  ASSERT_FALSE(broken_check);
  EXPECT_EQ(broken_check.error().code, ErrorCode::kHttpStatus);
  EXPECT_EQ(broken_check.error().http_status, 500);
  EXPECT_EQ(broken_check.error().message,
            "HTTP 500 Internal Server Error for " + server.url("/broken"));
  EXPECT_TRUE(core::IsRetryable(broken_check.error()));
}

TEST(HttpClientTest, ImageIsUnsupported) {
  TestHttpServer server;
  server.Serve("/cover.png", kPng, "image/png");
  server.Serve("/mislabelled", kPng, "text/html", 200, {}, /*compress=*/false);
  HttpClient client(TestOptions());

  auto image = client.Fetch(server.url("/cover.png"));
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->body, kPng);
  auto image_check = CheckPage(*image);
  ASSERT_FALSE(image_check);
  EXPECT_EQ(image_check.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(image_check.error().message.find("image/png"), std::string::npos)
      << image_check.error().message;

  auto mislabelled = client.Fetch(server.url("/mislabelled"));
  ASSERT_TRUE(mislabelled) << mislabelled.error().message;
  auto mislabelled_check = CheckPage(*mislabelled);
  ASSERT_FALSE(mislabelled_check);
  EXPECT_EQ(mislabelled_check.error().code, ErrorCode::kUnsupported);
}

TEST(HttpClientTest, EmptyContentTypeIsSniffed) {
  TestHttpServer server;
  server.Serve("/png", kPng, "", 200, {}, /*compress=*/false);
  server.Serve("/html", "<!doctype html><p>hi</p>", "", 200, {},
               /*compress=*/false);
  HttpClient client(TestOptions());

  auto png = client.Fetch(server.url("/png"));
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(png->content_type, "");
  auto png_check = CheckPage(*png);
  ASSERT_FALSE(png_check);
  EXPECT_EQ(png_check.error().code, ErrorCode::kUnsupported);

  auto html = client.Fetch(server.url("/html"));
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(CheckPage(*html));
}

// DESIGN.md: size caps before and after decompression.
TEST(HttpClientTest, BodyOverCapWithContentLengthIsTooLarge) {
  TestHttpServer server;
  server.Serve("/big", std::string(4096, 'x'), "text/html", 200, {},
               /*compress=*/false);
  server.Serve("/fits", std::string(1024, 'x'), "text/html", 200, {},
               /*compress=*/false);
  FetchOptions options = TestOptions();
  options.max_body_bytes = 1024;
  HttpClient client(options);

  auto big = client.Fetch(server.url("/big"));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(big.error().message.find(server.url("/big")), std::string::npos);

  auto fits = client.Fetch(server.url("/fits"));
  ASSERT_TRUE(fits) << fits.error().message;
  EXPECT_EQ(fits->body.size(), 1024u);
}

TEST(HttpClientTest, BodyOverCapWithoutContentLengthIsTooLarge) {
  TestHttpServer server;
  // A chunked response: no Content-Length for CURLOPT_MAXFILESIZE to see in
  // advance.
  server.Get("/stream", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider(
        "application/octet-stream", [](size_t offset, httplib::DataSink& sink) {
          if (offset >= size_t{64} * 1024) {
            sink.done();
            return true;
          }
          const std::string chunk(4096, 'y');
          return sink.write(chunk.data(), chunk.size());
        });
  });
  FetchOptions options = TestOptions();
  options.max_body_bytes = 10'000;
  HttpClient client(options);

  auto page = client.Fetch(server.url("/stream"));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kTooLarge) << page.error().message;
  EXPECT_EQ(server.last_header("/stream", "Content-Length"), std::nullopt);
}

// Issue 4: CURLOPT_MAXFILESIZE alone does not stop a gzip bomb; the cap counts
// decoded bytes.
TEST(HttpClientTest, GzipBombIsTooLarge) {
  TestHttpServer server;
  const std::string bomb =
      Gzip(std::string(4 << 20, 'a'));  // 4 MiB inflated, a few KiB on the wire
  ASSERT_LT(bomb.size(), 64u * 1024);
  server.Serve("/bomb", bomb, "text/html", 200, {{"Content-Encoding", "gzip"}},
               /*compress=*/false);
  FetchOptions options = TestOptions();
  options.max_body_bytes = int64_t{256} * 1024;
  HttpClient client(options);

  auto page = client.Fetch(server.url("/bomb"));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kTooLarge) << page.error().message;
}

// Issue 10: a megabyte of response headers, in one line (past libcurl's
// 100 KiB per line) or in many, is kTooLarge naming the URL, not libcurl's
// "out of memory"; headers under the 256 KiB cap are fine.
TEST(HttpClientTest, HugeResponseHeadersAreTooLarge) {
  using testsupport::RawResponse;
  testsupport::FaultServer server;
  const std::string page = "<p>headers</p>";
  server.Handle("/line", testsupport::faults::Reply(RawResponse(
                             200, page,
                             {{"Content-Type", "text/html"},
                              {"X-Padding", std::string(1 << 20, 'a')}})));
  auto padded = [&page](int lines) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "text/html"}};
    for (int i = 0; i < lines; ++i)
      headers.emplace_back("X-Padding-" + std::to_string(i),
                           std::string(1000, 'a'));
    return testsupport::faults::Reply(RawResponse(200, page, headers));
  };
  server.Handle("/many", padded(1024));
  server.Handle("/fits", padded(200));
  HttpClient client(TestOptions());

  for (const char* path : {"/line", "/many"}) {
    auto fetched = client.Fetch(server.url(path));
    ASSERT_FALSE(fetched) << path;
    EXPECT_EQ(fetched.error().code, ErrorCode::kTooLarge)
        << fetched.error().message;
    EXPECT_NE(fetched.error().message.find(server.url(path)), std::string::npos)
        << fetched.error().message;
  }
  auto fits = client.Fetch(server.url("/fits"));
  ASSERT_TRUE(fits) << fits.error().message;
  EXPECT_EQ(fits->body, page);
}

TEST(HttpClientTest, DecodesGzipAndDeflate) {
  TestHttpServer server;
  std::string html = "<html><body>";
  for (int i = 0; i < 200; ++i)
    html += "<p>Episode " + std::to_string(i) + "</p>";
  html += "</body></html>";
  server.Serve("/gzip", Gzip(html), "text/html", 200,
               {{"Content-Encoding", "gzip"}},
               /*compress=*/false);
  server.Serve("/deflate", Deflate(html), "text/html", 200,
               {{"Content-Encoding", "deflate"}},
               /*compress=*/false);
  HttpClient client(TestOptions());

  for (const char* path : {"/gzip", "/deflate"}) {
    auto page = client.Fetch(server.url(path));
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->body, html) << path;
    EXPECT_LT(page->wire_bytes, static_cast<int64_t>(html.size())) << path;
    EXPECT_TRUE(CheckPage(*page));
  }
  const auto accept = server.last_header("/gzip", "Accept-Encoding");
  ASSERT_TRUE(accept.has_value());
  EXPECT_NE(accept->find("gzip"), std::string::npos);
  EXPECT_NE(accept->find("deflate"), std::string::npos);
}

TEST(HttpClientTest, CorruptCompressedBodyIsNetworkError) {
  TestHttpServer server;
  server.Serve("/corrupt", "this is not gzip at all, not even close",
               "text/html", 200, {{"Content-Encoding", "gzip"}},
               /*compress=*/false);
  HttpClient client(TestOptions());

  auto page = client.Fetch(server.url("/corrupt"));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kNetwork) << page.error().message;
}

TEST(HttpClientTest, SlowResponseTimesOut) {
  TestHttpServer server;
  server.Delay("/slow", std::chrono::milliseconds(3'000), "<p>late</p>");
  FetchOptions options = TestOptions();
  options.timeout_ms = 200;
  HttpClient client(options);

  const auto start = std::chrono::steady_clock::now();
  auto page = client.Fetch(server.url("/slow"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kTimeout) << page.error().message;
  EXPECT_NE(page.error().message.find(server.url("/slow")), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::milliseconds(2'000));
}

// Issue 4: a low-speed limit drops a server that trickles bytes (libcurl's
// minimum window is 1 s).
TEST(HttpClientTest, TrickleBelowLowSpeedLimitTimesOut) {
  TestHttpServer server;
  server.Trickle("/trickle", 100'000, 10,
                 std::chrono::milliseconds(50));  // ~200 bytes/s
  FetchOptions options = TestOptions();
  options.low_speed_bytes_per_s = 10'000;
  options.low_speed_time_s = 1;
  HttpClient client(options);

  auto page = client.Fetch(server.url("/trickle"));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kTimeout) << page.error().message;
}

TEST(HttpClientTest, ConnectionRefusedIsNetworkError) {
  const std::string url =
      "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort()) + "/";
  HttpClient client(TestOptions());

  auto page = client.Fetch(url);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kNetwork);
  EXPECT_NE(page.error().message.find(url), std::string::npos)
      << page.error().message;
  EXPECT_TRUE(core::IsRetryable(page.error()));
}

// DESIGN.md: conditional GET (ETag / If-Modified-Since) on recrawls; a 304 is
// not an error.
TEST(HttpClientTest, CapturesValidatorsAndSendsConditionalGet) {
  TestHttpServer server;
  const std::string etag = "\"v1-abc\"";
  const std::string last_modified = "Tue, 03 Nov 2026 10:00:00 GMT";
  server.Get("/show", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.set_header("ETag", etag);
    res.set_header("Last-Modified", last_modified);
    res.set_content("<p>show</p>", "text/html");
  });
  HttpClient client(TestOptions());

  auto first = client.Fetch(server.url("/show"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->etag, etag);
  EXPECT_EQ(first->last_modified, last_modified);
  EXPECT_EQ(server.last_header("/show", "If-None-Match"), std::nullopt);

  RequestExtras extras;
  extras.if_none_match = first->etag;
  extras.if_modified_since = first->last_modified;
  auto second = client.Fetch(server.url("/show"), extras);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->status, 304);
  EXPECT_TRUE(second->body.empty());
  EXPECT_TRUE(CheckPage(*second));
  EXPECT_EQ(server.last_header("/show", "If-None-Match"), etag);
  EXPECT_EQ(server.last_header("/show", "If-Modified-Since"), last_modified);
}

TEST(HttpClientTest, RejectsValidatorWithLineBreak) {
  TestHttpServer server;
  server.ServeHtml("/", "<p>x</p>");
  HttpClient client(TestOptions());
  RequestExtras extras;
  extras.if_none_match = "\"a\"\r\nX-Injected: 1";

  auto page = client.Fetch(server.url("/"), extras);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.requests("/"), 0);
}

// Headers describe the final response of a redirect chain, not the redirects
// before it.
TEST(HttpClientTest, HeadersComeFromFinalResponse) {
  TestHttpServer server;
  server.Get("/start", [](const httplib::Request&, httplib::Response& res) {
    res.status = 301;
    res.set_header("Location", "/end");
    res.set_header("ETag", "\"redirect\"");
    res.set_header("Retry-After", "60");
    res.set_content("moved", "text/plain");
  });
  server.ServeHtml("/end", "<p>end</p>");
  HttpClient client(TestOptions());

  auto page = client.Fetch(server.url("/start"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->etag, std::nullopt);
  EXPECT_EQ(page->retry_after, std::nullopt);
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
}

// DESIGN.md: backoff on 429/503 honouring Retry-After.
TEST(HttpClientTest, CapturesRetryAfter) {
  TestHttpServer server;
  server.Serve("/busy", "slow down", "text/html", 429,
               {{"Retry-After", "120"}});
  HttpClient client(TestOptions());

  auto page = client.Fetch(server.url("/busy"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->status, 429);
  EXPECT_EQ(page->retry_after, "120");
  auto check = CheckPage(*page);
  ASSERT_FALSE(check);
  EXPECT_TRUE(core::IsRetryable(check.error()));
}

// DESIGN.md: an honest User-Agent with a contact URL.
TEST(HttpClientTest, SendsUserAgent) {
  TestHttpServer server;
  server.ServeHtml("/", "<p>x</p>");

  HttpClient default_agent(TestOptions());
  ASSERT_TRUE(default_agent.Fetch(server.url("/")));
  EXPECT_EQ(server.last_header("/", "User-Agent"), PODCRAWL_USER_AGENT);
  EXPECT_EQ(std::string(PODCRAWL_USER_AGENT)
                .rfind("podcrawl/" PODCRAWL_VERSION " (+", 0),
            0u);

  FetchOptions options = TestOptions();
  options.user_agent = "podcrawl-test/1.0 (+mailto:test@example.org)";
  HttpClient custom_agent(options);
  ASSERT_TRUE(custom_agent.Fetch(server.url("/")));
  EXPECT_EQ(server.last_header("/", "User-Agent"), options.user_agent);
}

// STYLE.md: one easy handle per worker, reused so the connection is kept alive.
TEST(HttpClientTest, ReusesOneConnectionAcrossRequests) {
  TestHttpServer server;
  server.ServeHtml("/a", "<p>a</p>");
  server.ServeHtml("/b", "<p>b</p>");
  server.Status("/c", 404, "gone");
  {
    HttpClient client(TestOptions());
    for (const char* path : {"/a", "/b", "/c", "/a"}) {
      auto page = client.Fetch(server.url(path));
      ASSERT_TRUE(page) << page.error().message;
    }
    auto a = client.Fetch(server.url("/a"));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->body, "<p>a</p>");
    EXPECT_EQ(a->status, 200);
  }
  EXPECT_EQ(server.total_requests(), 5);
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClientTest, ErrorDoesNotPoisonNextRequest) {
  TestHttpServer server;
  server.ServeHtml("/ok", "<p>ok</p>");
  server.Serve("/big", std::string(4096, 'x'), "text/html", 200, {},
               /*compress=*/false);
  FetchOptions options = TestOptions();
  options.max_body_bytes = 1024;
  HttpClient client(options);

  ASSERT_FALSE(client.Fetch(server.url("/big")));
  auto refused = client.Fetch(
      "http://127.0.0.1:" + std::to_string(testsupport::ClosedPort()) + "/");
  ASSERT_FALSE(refused);
  auto page = client.Fetch(server.url("/ok"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->body, "<p>ok</p>");
  EXPECT_EQ(page->redirects, 0);
  EXPECT_EQ(page->etag, std::nullopt);
}

TEST(HttpClientTest, MovedClientKeepsWorking) {
  TestHttpServer server;
  server.ServeHtml("/", "<p>x</p>");
  HttpClient first(TestOptions());
  ASSERT_TRUE(first.Fetch(server.url("/")));

  HttpClient second(std::move(first));
  auto page = second.Fetch(server.url("/"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->body, "<p>x</p>");
}

// The resolver is never exercised against real DNS in tests; its mapping is
// tested here.
TEST(MapCurlCodeTest, GroupsCodesByWhatTheCallerDoesNext) {
  using internal::MapCurlCode;
  EXPECT_EQ(MapCurlCode(CURLE_COULDNT_RESOLVE_HOST), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_COULDNT_CONNECT), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_RECV_ERROR), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_SEND_ERROR), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_GOT_NOTHING), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_SSL_CONNECT_ERROR), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_PEER_FAILED_VERIFICATION), ErrorCode::kNetwork);
  EXPECT_EQ(MapCurlCode(CURLE_TOO_MANY_REDIRECTS),
            ErrorCode::kTooManyRedirects);
  EXPECT_EQ(MapCurlCode(CURLE_OPERATION_TIMEDOUT), ErrorCode::kTimeout);
  EXPECT_EQ(MapCurlCode(CURLE_FILESIZE_EXCEEDED), ErrorCode::kTooLarge);
  EXPECT_EQ(MapCurlCode(CURLE_UNSUPPORTED_PROTOCOL), ErrorCode::kUnsupported);
  EXPECT_EQ(MapCurlCode(CURLE_URL_MALFORMAT), ErrorCode::kInvalidArgument);
  EXPECT_EQ(MapCurlCode(CURLE_ABORTED_BY_CALLBACK), ErrorCode::kCancelled);
  EXPECT_EQ(MapCurlCode(CURLE_OUT_OF_MEMORY), ErrorCode::kInternal);
  EXPECT_EQ(MapCurlCode(CURLE_BAD_FUNCTION_ARGUMENT), ErrorCode::kInternal);
}

TEST(MapCurlCodeTest, ErrorKeepsUrlAndLibcurlText) {
  const core::Error with_detail = internal::CurlError(
      CURLE_COULDNT_RESOLVE_HOST, "http://podcasts.invalid/",
      "Could not resolve host: podcasts.invalid");
  EXPECT_EQ(with_detail.code, ErrorCode::kNetwork);
  EXPECT_EQ(with_detail.message,
            "cannot fetch http://podcasts.invalid/: Could not resolve host: "
            "podcasts.invalid");

  const core::Error without_detail =
      internal::CurlError(CURLE_OPERATION_TIMEDOUT, "http://127.0.0.1/", "");
  EXPECT_EQ(without_detail.code, ErrorCode::kTimeout);
  EXPECT_NE(
      without_detail.message.find(curl_easy_strerror(CURLE_OPERATION_TIMEDOUT)),
      std::string::npos);
}

core::FetchedPage Page(decltype(core::FetchedPage::status) status,
                       std::string content_type, std::string body) {
  core::FetchedPage page;
  page.url = "http://127.0.0.1/page";
  page.final_url = page.url;
  page.status = status;
  page.content_type = std::move(content_type);
  page.body = std::move(body);
  return page;
}

TEST(CheckPageTest, AcceptsHtmlTypes) {
  EXPECT_TRUE(CheckPage(Page(200, "text/html", "<p>x</p>")));
  EXPECT_TRUE(
      CheckPage(Page(200, "TEXT/HTML ; charset=ISO-8859-1", "<p>x</p>")));
  EXPECT_TRUE(CheckPage(Page(200, "application/xhtml+xml", "<html/>")));
  EXPECT_TRUE(CheckPage(Page(200, "", "<!doctype html><p>x</p>")));
  EXPECT_TRUE(CheckPage(Page(200, "text/html", "")));
}

TEST(CheckPageTest, RejectsOtherTypesNamingThem) {
  auto json = CheckPage(Page(200, "application/json; charset=utf-8", "{}"));
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(json.error().message.find("application/json"), std::string::npos);
  EXPECT_NE(json.error().message.find("http://127.0.0.1/page"),
            std::string::npos);

  auto audio = CheckPage(Page(200, "audio/mpeg", "ID3"));
  ASSERT_FALSE(audio);
  EXPECT_EQ(audio.error().code, ErrorCode::kUnsupported);
}

// Without a Content-Type the body is sniffed (WHATWG MIME sniffing's binary
// signatures).
TEST(CheckPageTest, SniffsBinaryBodiesWithoutContentType) {
  const std::vector<std::string> binaries = {
      kPng,
      std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10),
      std::string("GIF89a\x01\x00", 8),
      "%PDF-1.7\n",
      std::string("PK\x03\x04\x14\0", 6),
      std::string("\x1F\x8B\x08\0", 4),
      std::string("<html>\0\0\0binary", 15),
  };
  for (const std::string& body : binaries) {
    auto check = CheckPage(Page(200, "", body));
    ASSERT_FALSE(check) << "accepted " << testing::PrintToString(body);
    EXPECT_EQ(check.error().code, ErrorCode::kUnsupported);
  }
  // UTF-16 text with a byte order mark holds NULs but is text.
  EXPECT_TRUE(
      CheckPage(Page(200, "", std::string("\xFF\xFE<\0h\0t\0m\0l\0>\0", 14))));
}

TEST(CheckPageTest, StatusRules) {
  EXPECT_TRUE(CheckPage(Page(304, "", "")));
  auto gone = CheckPage(Page(410, "text/html", "<p>gone</p>"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().http_status, 410);
  EXPECT_EQ(gone.error().message, "HTTP 410 Gone for http://127.0.0.1/page");
  auto odd = CheckPage(Page(599, "text/html", ""));
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message, "HTTP 599 for http://127.0.0.1/page");
}

}  // namespace
}  // namespace crawler

namespace crawler {
namespace {

// fetch.headers go with every request; one named Accept replaces podcrawl's
// own, and is sent once.
TEST(HttpClientTest, SendsTheUsersHeaders) {
  TestHttpServer server;
  server.ServeHtml("/fr", "<p>bonjour</p>");
  FetchOptions options = TestOptions();
  options.headers = {"Accept-Language: fr-FR", "Accept: text/html"};
  HttpClient client(options);
  ASSERT_TRUE(client.Fetch(server.url("/fr")));
  EXPECT_EQ(server.last_header("/fr", "Accept-Language"), "fr-FR");
  EXPECT_EQ(server.last_header("/fr", "accept"), "text/html");

  HttpClient plain(TestOptions());
  ASSERT_TRUE(plain.Fetch(server.url("/fr")));
  EXPECT_FALSE(server.last_header("/fr", "Accept-Language").has_value());
  EXPECT_NE(server.last_header("/fr", "Accept"), "text/html");
}

// fetch.proxy: the request goes to the proxy, with the absolute URL as its
// target (RFC 9112 3.2.2), so a site name need not resolve here.
TEST(HttpClientTest, FetchesThroughTheProxy) {
  testsupport::FaultServer proxy;
  proxy.Handle("http://podcasts.invalid/show",
               testsupport::faults::Reply(
                   testsupport::RawResponse(200, "<p>via proxy</p>")));
  FetchOptions options = TestOptions();
  options.proxy = proxy.url("/").substr(0, proxy.url("/").size() - 1);
  options.refuse_private_addresses = true;  // the proxy's address is not judged
  HttpClient client(options);
  auto page = client.Fetch("http://podcasts.invalid/show");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->body, "<p>via proxy</p>");
  EXPECT_EQ(proxy.requests("http://podcasts.invalid/show"), 1);
}

}  // namespace
}  // namespace crawler
