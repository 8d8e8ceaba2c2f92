// A server that resets connections (RST after reading the request): the
// fetchers report a retryable network error and keep working (issue 4:
// "connection reset").
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <thread>

#include "core/error.h"
#include "crawler/http_client.h"
#include "crawler/multi_fetcher.h"

namespace crawler {
namespace {

// Accepts connections on 127.0.0.1 (port 0), reads the request and closes with
// SO_LINGER 0, which sends a TCP RST instead of a response.
class ResettingServer {
 public:
  ResettingServer() {
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
    thread_ = std::thread([this] { Serve(); });
  }
  ~ResettingServer() {
    stopping_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  ResettingServer(const ResettingServer&) = delete;
  ResettingServer& operator=(const ResettingServer&) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/page";
  }
  int resets() const { return resets_.load(); }

 private:
  void Serve() {
    while (!stopping_) {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buf[4096];
      (void)!read(client, buf, sizeof buf);
      linger lin{1, 0};
      setsockopt(client, SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
      close(client);
      ++resets_;
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> resets_{0};
  std::thread thread_;
};

FetchOptions QuickOptions() {
  FetchOptions options;
  options.connect_timeout_ms = 2000;
  options.timeout_ms = 5000;
  return options;
}

TEST(ConnectionResetTest, HttpClientReportsARetryableNetworkError) {
  ResettingServer server;
  HttpClient client(QuickOptions());
  auto page = client.Fetch(server.url());
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, core::ErrorCode::kNetwork)
      << page.error().message;
  EXPECT_TRUE(core::IsRetryable(page.error()));
  EXPECT_NE(page.error().message.find(server.url()), std::string::npos)
      << page.error().message;
  // The client stays usable after the reset.
  EXPECT_FALSE(client.Fetch(server.url()));
  EXPECT_GE(server.resets(), 2);
}

TEST(ConnectionResetTest, MultiFetcherReportsEachResetOnce) {
  ResettingServer server;
  MultiFetcher fetcher(QuickOptions());
  int callbacks = 0;
  int network_errors = 0;
  for (int i = 0; i < 4; ++i) {
    fetcher.Start(server.url(), {}, [&](core::Result<core::FetchedPage> r) {
      ++callbacks;
      if (!r && r.error().code == core::ErrorCode::kNetwork) ++network_errors;
    });
  }
  for (int i = 0; i < 200 && fetcher.in_flight() > 0; ++i) fetcher.Poll(50);
  fetcher.Poll(0);
  EXPECT_EQ(callbacks, 4);
  EXPECT_EQ(network_errors, 4);
}

}  // namespace
}  // namespace crawler
