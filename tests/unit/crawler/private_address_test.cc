// FetchOptions::refuse_private_addresses (issue 10, SSRF beyond literal
// addresses): the address a connection actually goes to is judged, so a host
// name resolving to a private address and a redirect leading to one are
// refused like a literal. Nothing here leaves 127.0.0.0/8: host names are
// given to the loopback servers with resolve_for_testing (CURLOPT_RESOLVE, no
// DNS), and is_private_address_for_testing lets one loopback server play a
// public site while the other keeps playing a private one.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/error.h"
#include "crawler/http_client.h"
#include "crawler/multi_fetcher.h"
#include "crawler/politeness.h"
#include "tests/support/test_http_server.h"

namespace crawler {
namespace {

using testsupport::TestHttpServer;

class CurlEnvironment : public testing::Environment {
 public:
  void SetUp() override { global_ = std::make_unique<CurlGlobal>(); }
  void TearDown() override { global_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> global_;
};
[[maybe_unused]] testing::Environment* const kCurlEnvironment =
    testing::AddGlobalTestEnvironment(new CurlEnvironment);

// Two loopback servers: `pub` plays a public site (public.test), `priv` a
// private one (private.test, and 127.0.0.1 on its port).
class PrivateAddressTest : public testing::Test {
 protected:
  void SetUp() override {
    pub_.ServeHtml("/ok", "<p>public</p>");
    pub_.Redirect("/to-private-name", priv_url("/secret"));
    pub_.Redirect("/to-private-literal", priv_.url("/secret"));
    pub_.Redirect("/to-public", pub_url("/ok"));
    priv_.ServeHtml("/secret", "<p>secret</p>");
    priv_.Redirect("/to-literal", priv_.url("/secret"));
    priv_.Redirect("/to-public-then-back", pub_url("/to-private-literal"));
  }

  std::string pub_url(const std::string& path) const {
    return "http://public.test:" + std::to_string(pub_.port()) + path;
  }
  std::string priv_url(const std::string& path) const {
    return "http://private.test:" + std::to_string(priv_.port()) + path;
  }

  // Refusing options where only `pub_`'s port on 127.0.0.1 counts as public.
  FetchOptions Options() const {
    FetchOptions options;
    options.connect_timeout_ms = 2'000;
    options.timeout_ms = 5'000;
    options.refuse_private_addresses = true;
    options.resolve_for_testing = {
        "public.test:" + std::to_string(pub_.port()) + ":127.0.0.1",
        "private.test:" + std::to_string(priv_.port()) + ":127.0.0.1"};
    const int public_port = pub_.port();
    options.is_private_address_for_testing =
        [public_port](std::string_view address, int port) {
          return !(address == "127.0.0.1" && port == public_port);
        };
    return options;
  }

  static void ExpectRefused(const core::Result<core::FetchedPage>& page,
                            const std::string& url) {
    ASSERT_FALSE(page) << url << " was fetched";
    EXPECT_TRUE(IsPrivateAddressRefusal(page.error())) << page.error().message;
    EXPECT_EQ(page.error().code, core::ErrorCode::kUnsupported);
    EXPECT_FALSE(core::IsRetryable(page.error()));
    EXPECT_NE(page.error().message.find(url), std::string::npos)
        << page.error().message;
    EXPECT_NE(page.error().message.find("127.0.0.1"), std::string::npos)
        << page.error().message;
  }

  TestHttpServer pub_;
  TestHttpServer priv_;
};

TEST_F(PrivateAddressTest, NameResolvingToAPrivateAddressIsRefused) {
  HttpClient client(Options());
  const std::string url = priv_url("/secret");
  ExpectRefused(client.Fetch(url), url);
  EXPECT_EQ(priv_.total_requests(), 0);
  // A public name is fetched as usual, with the same client.
  auto page = client.Fetch(pub_url("/ok"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->status, 200);
}

TEST_F(PrivateAddressTest, RedirectFromAPublicPageToAPrivateAddressIsRefused) {
  HttpClient client(Options());
  for (const std::string path : {"/to-private-name", "/to-private-literal"}) {
    const std::string url = pub_url(path);
    auto page = client.Fetch(url);
    ExpectRefused(page, url);
    EXPECT_NE(page.error().message.find("/secret"), std::string::npos)
        << page.error().message;  // names the hop
  }
  EXPECT_EQ(priv_.total_requests(), 0);
  EXPECT_EQ(pub_.requests("/to-private-name"), 1);
  // A public page may still redirect to a public one.
  auto page = client.Fetch(pub_url("/to-public"));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->body, "<p>public</p>");
}

TEST_F(PrivateAddressTest, AllowedRequestsStayAllowedWhilePrivate) {
  HttpClient client(Options());
  RequestExtras allowed;
  allowed.allow_private_addresses = true;
  // A seed on a private address, and its redirect to another private one.
  auto page = client.Fetch(priv_url("/secret"), allowed);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->body, "<p>secret</p>");
  page = client.Fetch(priv_url("/to-literal"), allowed);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->body, "<p>secret</p>");
  EXPECT_EQ(priv_.requests("/secret"), 2);
  // Once a hop went to a public address, what it leads to is a public
  // page's redirect: refused.
  const std::string url = priv_url("/to-public-then-back");
  ExpectRefused(client.Fetch(url, allowed), url);
  EXPECT_EQ(pub_.requests("/to-private-literal"), 1);
  EXPECT_EQ(priv_.requests("/secret"), 2);
  // An allowed public seed does not make its redirects to private addresses
  // allowed either.
  ExpectRefused(client.Fetch(pub_url("/to-private-name"), allowed),
                pub_url("/to-private-name"));
  EXPECT_EQ(priv_.requests("/secret"), 2);
}

// A keep-alive connection opened by an allowed request is judged again when
// a request that is not allowed would reuse it.
TEST_F(PrivateAddressTest, ReusedConnectionIsJudgedToo) {
  HttpClient client(Options());
  RequestExtras allowed;
  allowed.allow_private_addresses = true;
  ASSERT_TRUE(client.Fetch(priv_url("/secret"), allowed));
  const std::string url = priv_url("/secret");
  ExpectRefused(client.Fetch(url), url);
  EXPECT_EQ(priv_.requests("/secret"), 1);
  ASSERT_TRUE(client.Fetch(priv_url("/secret"), allowed));
  EXPECT_EQ(priv_.requests("/secret"), 2);
}

TEST_F(PrivateAddressTest, MultiFetcherRefusesToo) {
  MultiFetcher fetcher(Options());
  std::optional<core::Result<core::FetchedPage>> name;
  std::optional<core::Result<core::FetchedPage>> redirect;
  std::optional<core::Result<core::FetchedPage>> allowed;
  fetcher.Start(
      priv_url("/secret"), {},
      [&](core::Result<core::FetchedPage> r) { name.emplace(std::move(r)); });
  fetcher.Start(pub_url("/to-private-name"), {},
                [&](core::Result<core::FetchedPage> r) {
                  redirect.emplace(std::move(r));
                });
  RequestExtras extras;
  extras.allow_private_addresses = true;
  fetcher.Start(priv_url("/secret"), extras,
                [&](core::Result<core::FetchedPage> r) {
                  allowed.emplace(std::move(r));
                });
  for (int i = 0; i < 200 && fetcher.in_flight() > 0; ++i) fetcher.Poll(50);
  ASSERT_TRUE(name && redirect && allowed);
  ExpectRefused(*name, priv_url("/secret"));
  ExpectRefused(*redirect, pub_url("/to-private-name"));
  ASSERT_TRUE(*allowed) << allowed->error().message;
  EXPECT_EQ(priv_.requests("/secret"), 1);  // the allowed one only
}

// Without the testing hook, the real rule: loopback is not public.
TEST(PrivateAddressRuleTest, LoopbackIsRefusedByDefault) {
  TestHttpServer server;
  server.ServeHtml("/", "<p>local</p>");
  FetchOptions options;
  options.refuse_private_addresses = true;
  HttpClient client(options);
  auto page = client.Fetch(server.url("/"));
  ASSERT_FALSE(page);
  EXPECT_TRUE(IsPrivateAddressRefusal(page.error())) << page.error().message;
  EXPECT_EQ(server.total_requests(), 0);
  RequestExtras allowed;
  allowed.allow_private_addresses = true;
  page = client.Fetch(server.url("/"), allowed);
  ASSERT_TRUE(page) << page.error().message;
  // Off (the default): fetched.
  HttpClient plain{FetchOptions{}};
  EXPECT_TRUE(plain.Fetch(server.url("/")));
}

TEST(IsPrivateAddressTest, NonPublicRanges) {
  for (const char* address : {"127.0.0.1",
                              "127.0.0.2",
                              "10.1.2.3",
                              "172.16.0.1",
                              "192.168.1.1",
                              "169.254.169.254",
                              "100.64.0.1",
                              "0.0.0.0",
                              "224.0.0.1",
                              "239.255.255.250",
                              "240.0.0.1",
                              "255.255.255.255",
                              "192.0.0.8",
                              "198.18.0.1",
                              "::1",
                              "::",
                              "fc00::1",
                              "fd00::1",
                              "fe80::1",
                              "fe80::1%eth0",
                              "[::1]",
                              "ff02::1",
                              "::ffff:127.0.0.1",
                              "::ffff:10.0.0.1",
                              "::ffff:224.0.0.1",
                              "64:ff9b::a00:1",
                              "64:ff9b::7f00:1",
                              "2002:7f00:1::1",
                              "2002:c0a8:101::1",
                              "",
                              "nope",
                              "localhost"}) {
    EXPECT_TRUE(IsPrivateAddress(address)) << address;
  }
  for (const char* address :
       {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.128.0.1", "172.32.0.1",
        "2606:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8", "64:ff9b::808:808",
        "2002:808:808::1", "[2606:4700::1111]"}) {
    EXPECT_FALSE(IsPrivateAddress(address)) << address;
  }
}

}  // namespace
}  // namespace crawler
