// A response whose Content-Length is shorter than its body leaves the rest of
// the body in the keep-alive connection; the next request on that connection
// read it as its answer ("Received HTTP/0.9 when not allowed") and its page
// failed for good (issue 10). The fetchers now discard such a connection and
// send the request again on a fresh one.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crawler/http_client.h"
#include "crawler/multi_fetcher.h"

namespace crawler {
namespace {

constexpr std::string_view kLiarPath = "/liar";
constexpr std::string_view kSlowLiarPath = "/slow-liar";

// A keep-alive HTTP/1.1 server on 127.0.0.1 (port 0) written on raw sockets, so
// it can send what cpp-httplib never would: a response declaring
// Content-Length: 5 followed by a 50-byte body, at /liar in one write, at
// /slow-liar with the 45 extra bytes 100 ms later (after the client took the
// response as complete and sent its next request on the connection). Every
// other path gets an honest small HTML page. Each connection serves requests
// until the client closes it.
class LyingServer {
 public:
  LyingServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd_ < 0 ||
        bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(fd_, 16) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~LyingServer() {
    stopping_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    if (acceptor_.joinable()) acceptor_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::thread& t : connections_) t.join();
  }
  LyingServer(const LyingServer&) = delete;
  LyingServer& operator=(const LyingServer&) = delete;

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests(const std::string& path) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = requests_.find(path);
    return it == requests_.end() ? 0 : it->second;
  }
  int connections() const { return accepted_.load(); }

 private:
  void Accept() {
    while (!stopping_) {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      ++accepted_;
      std::lock_guard<std::mutex> lock(mutex_);
      connections_.emplace_back([this, client] { Serve(client); });
    }
  }

  void Serve(int client) {
    std::string buffer;
    std::array<char, 4096> chunk{};
    while (!stopping_) {
      const size_t end = buffer.find("\r\n\r\n");
      if (end == std::string::npos) {
        pollfd pfd{client, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0) continue;
        const ssize_t n = read(client, chunk.data(), chunk.size());
        if (n <= 0) break;
        buffer.append(chunk.data(), static_cast<size_t>(n));
        continue;
      }
      const std::string head = buffer.substr(0, end);
      buffer.erase(0, end + 4);
      const size_t sp1 = head.find(' ');
      const size_t sp2 = head.find(' ', sp1 + 1);
      const std::string path = head.substr(sp1 + 1, sp2 - sp1 - 1);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++requests_[path];
      }
      std::string response;
      if (path == kLiarPath || path == kSlowLiarPath) {
        response =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            "Content-Length: 5\r\n\r\n" +
            std::string(path == kLiarPath ? 50 : 5, 'x');
        if (path == kSlowLiarPath) {
          if (!Send(client, response)) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          response = std::string(45, 'x');
        }
      } else {
        const std::string body =
            "<html><body>honest " + path + "</body></html>";
        response =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body;
      }
      if (!Send(client, response)) break;
    }
    close(client);
  }

  static bool Send(int client, const std::string& bytes) {
    return write(client, bytes.data(), bytes.size()) ==
           static_cast<ssize_t>(bytes.size());
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;  // guards connections_ and requests_
  std::vector<std::thread> connections_;
  std::map<std::string, int> requests_;
};

class CurlEnvironment : public testing::Environment {
 public:
  void SetUp() override { global_ = std::make_unique<CurlGlobal>(); }
  void TearDown() override { global_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> global_;
};
[[maybe_unused]] testing::Environment* const kCurlEnvironment =
    testing::AddGlobalTestEnvironment(new CurlEnvironment);

FetchOptions QuickOptions() {
  FetchOptions options;
  options.connect_timeout_ms = 2000;
  options.timeout_ms = 5000;
  return options;
}

std::string Honest(const std::string& path) {
  return "<html><body>honest " + path + "</body></html>";
}

// gtest's assertion macros count as branches; the test is one straight run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(LyingContentLengthTest, HttpClientFetchesTheNextPageOnAFreshConnection) {
  for (const std::string_view lying_path : {kLiarPath, kSlowLiarPath}) {
    const std::string liar_path(lying_path);
    SCOPED_TRACE(liar_path);
    LyingServer server;
    HttpClient client(QuickOptions());
    auto liar = client.Fetch(server.url(liar_path));
    ASSERT_TRUE(liar) << liar.error().message;
    EXPECT_EQ(liar->body, "xxxxx");  // what Content-Length promised
    for (const std::string path : {"/next", "/after"}) {
      auto page = client.Fetch(server.url(path));
      ASSERT_TRUE(page) << page.error().message;
      EXPECT_EQ(page->status, 200);
      EXPECT_EQ(page->body, Honest(path));
    }
    EXPECT_EQ(server.requests("/after"), 1);
    EXPECT_LE(server.connections(), 2);  // the liar's and one fresh one
  }
}

// Fetches `path` with `fetcher` and returns the result (nullopt when the
// callback did not run within 10 s).
std::optional<core::Result<core::FetchedPage>> FetchWith(
    MultiFetcher& fetcher, const std::string& url) {
  std::optional<core::Result<core::FetchedPage>> out;
  fetcher.Start(url, {}, [&out](core::Result<core::FetchedPage> r) {
    out.emplace(std::move(r));
  });
  for (int i = 0; i < 200 && !out; ++i) fetcher.Poll(50);
  return out;
}

// NOLINTNEXTLINE(readability-function-cognitive-complexity)
TEST(LyingContentLengthTest, MultiFetcherFetchesTheNextPageOnAFreshConnection) {
  for (const std::string_view lying_path : {kLiarPath, kSlowLiarPath}) {
    const std::string liar_path(lying_path);
    SCOPED_TRACE(liar_path);
    LyingServer server;
    MultiFetcher fetcher(QuickOptions());
    auto liar = FetchWith(fetcher, server.url(liar_path));
    ASSERT_TRUE(liar.has_value());
    ASSERT_TRUE(*liar) << liar->error().message;
    for (const std::string path : {"/next", "/after"}) {
      auto page = FetchWith(fetcher, server.url(path));
      ASSERT_TRUE(page.has_value());
      ASSERT_TRUE(*page) << page->error().message;
      EXPECT_EQ((*page)->status, 200);
      EXPECT_EQ((*page)->body, Honest(path));
    }
    EXPECT_EQ(server.requests("/after"), 1);
    EXPECT_LE(server.connections(), 2);  // the liar's and one fresh one
  }
}

}  // namespace
}  // namespace crawler
