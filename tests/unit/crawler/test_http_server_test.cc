// Tests of the loopback TestHttpServer shared by the crawler and integration
// tests. They use cpp-httplib's own client, so a bug in crawler::HttpClient
// cannot hide one in the server.
#include "tests/support/test_http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace testsupport {
namespace {

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

httplib::Client ClientFor(const TestHttpServer& server) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  return client;
}

TEST(TestHttpServerTest, ServesRoutesAddedWhileRunningAndCountsRequests) {
  TestHttpServer server;
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.url("/x"),
            "http://127.0.0.1:" + std::to_string(server.port()) + "/x");
  httplib::Client client = ClientFor(server);

  auto before = client.Get("/late");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 404);

  server.ServeHtml("/late", "<p>late</p>");
  auto after = client.Get("/late?page=2");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->body, "<p>late</p>");
  EXPECT_EQ(after->get_header_value("Content-Type"),
            "text/html; charset=utf-8");

  EXPECT_EQ(server.requests("/late"),
            2);  // counted by path, query ignored, 404 included
  EXPECT_EQ(server.requests("/never"), 0);
  EXPECT_EQ(server.total_requests(), 2);
}

TEST(TestHttpServerTest, HelpersSetStatusHeadersAndLocation) {
  TestHttpServer server;
  server.Redirect("/old", "/new", 301);
  server.Status("/gone", 410, "bye");
  server.Serve("/feed", "<rss/>", "application/rss+xml", 200,
               {{"ETag", "\"e1\""}});
  httplib::Client client = ClientFor(server);

  auto moved = client.Get("/old");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 301);
  EXPECT_EQ(moved->get_header_value("Location"), "/new");

  auto gone = client.Get("/gone");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 410);
  EXPECT_EQ(gone->body, "bye");

  auto feed = client.Get("/feed", {{"X-Probe", "1"}});
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->get_header_value("ETag"), "\"e1\"");
  EXPECT_EQ(feed->get_header_value("Content-Type"), "application/rss+xml");
  EXPECT_EQ(server.last_header("/feed", "x-probe"), "1");
  EXPECT_EQ(server.last_header("/feed", "X-Absent"), std::nullopt);
  EXPECT_EQ(server.last_header("/nowhere", "X-Probe"), std::nullopt);
}

TEST(TestHttpServerTest, ServesDirectoryWithContentTypes) {
  TempDir dir;
  WriteFile(dir.path() / "index.html", "<p>home</p>");
  WriteFile(dir.path() / "shows" / "index.html", "<p>shows</p>");
  WriteFile(dir.path() / "shows" / "one.html", "<p>one</p>");
  WriteFile(dir.path() / "robots.txt", "User-agent: *\nDisallow: /private/\n");
  WriteFile(dir.path() / "cover.png", "\x89PNG");
  TestHttpServer server;
  server.ServeDirectory(dir.path());
  server.ServeHtml("/shows/one.html", "<p>route wins</p>");
  httplib::Client client = ClientFor(server);

  auto home = client.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_EQ(home->body, "<p>home</p>");
  EXPECT_EQ(home->get_header_value("Content-Type"), "text/html; charset=utf-8");

  auto shows = client.Get("/shows/");
  ASSERT_TRUE(shows);
  EXPECT_EQ(shows->body, "<p>shows</p>");

  auto routed = client.Get("/shows/one.html");
  ASSERT_TRUE(routed);
  EXPECT_EQ(routed->body, "<p>route wins</p>");

  auto robots = client.Get("/robots.txt");
  ASSERT_TRUE(robots);
  EXPECT_EQ(robots->body, "User-agent: *\nDisallow: /private/\n");
  EXPECT_EQ(robots->get_header_value("Content-Type"),
            "text/plain; charset=utf-8");

  auto png = client.Get("/cover.png");
  ASSERT_TRUE(png);
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");

  auto missing = client.Get("/shows/two.html");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto escape = client.Get("/shows/../../etc/passwd");
  ASSERT_TRUE(escape);
  EXPECT_NE(escape->status, 200);
}

TEST(TestHttpServerTest, ContentTypeForKnownAndUnknownExtensions) {
  EXPECT_EQ(TestHttpServer::ContentTypeFor("a/b.HTM"),
            "text/html; charset=utf-8");
  EXPECT_EQ(TestHttpServer::ContentTypeFor("feed.xml"), "application/xml");
  EXPECT_EQ(TestHttpServer::ContentTypeFor("data.json"), "application/json");
  EXPECT_EQ(TestHttpServer::ContentTypeFor("episode.mp3"), "audio/mpeg");
  EXPECT_EQ(TestHttpServer::ContentTypeFor("blob"), "application/octet-stream");
}

TEST(TestHttpServerTest, DestructorDoesNotWaitForSleepingHandler) {
  const auto start = std::chrono::steady_clock::now();
  {
    TestHttpServer server;
    server.Delay("/slow", std::chrono::seconds(30), "<p>late</p>");
    httplib::Client client = ClientFor(server);
    client.set_read_timeout(std::chrono::milliseconds(100));
    EXPECT_FALSE(client.Get("/slow"));
    EXPECT_EQ(server.requests("/slow"), 1);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(TestHttpServerTest, ClosedPortRefusesConnections) {
  const int port = ClosedPort();
  EXPECT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(2));
  auto result = client.Get("/");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), httplib::Error::Connection);
}

}  // namespace
}  // namespace testsupport
