// A server that resets connections (RST after reading the request): the
// fetchers report a retryable network error and keep working (issue 4:
// "connection reset").
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "crawler/http_client.h"
#include "crawler/multi_fetcher.h"
#include "tests/support/fault_server.h"

namespace crawler {
namespace {

// A FaultServer whose /page reads the request and closes with SO_LINGER 0,
// which sends a TCP RST instead of a response.
class ResettingServer {
 public:
  ResettingServer() { server_.Handle("/page", testsupport::faults::Reset()); }
  std::string url() const { return server_.url("/page"); }
  int resets() const { return server_.requests("/page"); }

 private:
  testsupport::FaultServer server_;
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
    fetcher.Start(server.url(), {},
                  [&](const core::Result<core::FetchedPage>& r) {
                    ++callbacks;
                    if (!r && r.error().code == core::ErrorCode::kNetwork)
                      ++network_errors;
                  });
  }
  for (int i = 0; i < 200 && fetcher.in_flight() > 0; ++i) fetcher.Poll(50);
  fetcher.Poll(0);
  EXPECT_EQ(callbacks, 4);
  EXPECT_EQ(network_errors, 4);
}

}  // namespace
}  // namespace crawler
