// HttpClient: fetches one URL at a time with a reused libcurl easy handle
// (connections kept alive). Transport failures are core::Error values; the HTTP
// status is data in the FetchedPage (cpr's Response{status_code, error}).
// CheckPage is the policy that turns a FetchedPage into "parse it" or an error.
// The multi-interface fetcher for crawls builds on the same option setup
// (crawler/curl_handle.h: internal::Transfer).
//
// Manners and limits (DESIGN.md, "Crawling manners"): http and https only, also
// across redirects; redirects followed up to FetchOptions::max_redirects;
// connect, total and low-speed timeouts; the body capped on its decoded
// (decompressed) size; gzip, deflate, br and zstd accepted; a User-Agent naming
// podcrawl and its contact URL; conditional GET through RequestExtras.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fetch.h"
#include "core/result.h"
#include "core/settings.h"

namespace crawler {

// Calls curl_global_init once for the process lifetime of this object; create
// it at the top of main(), before any thread starts. Non-copyable.
class CurlGlobal {
 public:
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// Settings of one HttpClient: the user's fetch settings (core::FetchSettings:
// timeouts, size cap, redirects, User-Agent) and what only a program sets.
struct FetchOptions : core::FetchSettings {
  // Refuses to connect to a non-public address (IsPrivateAddress: loopback,
  // private networks, link-local, CGNAT, unique-local, multicast, ...),
  // judged on the address each connection actually goes to, redirect hops
  // included, so a host name resolving there or a redirect leading there is
  // refused like a literal address. A request with
  // RequestExtras::allow_private_addresses may connect there. The refusal is
  // an error per URL (kUnsupported, see IsPrivateAddressRefusal). Off by
  // default: `podcrawl fetch URL` fetches what the user names; crawls turn it
  // on (CrawlOptions::follow_private_links off).
  bool refuse_private_addresses = false;

  // Testing only; no config key or command-line flag sets these.
  // CURLOPT_RESOLVE entries ("HOST:PORT:ADDRESS"), so a test can give a host
  // name to a loopback server without DNS.
  std::vector<std::string> resolve_for_testing;
  // Replaces IsPrivateAddress(address) for refuse_private_addresses, so a
  // loopback test server can play a public site; `port` is the peer's port.
  std::function<bool(std::string_view address, int port)>
      is_private_address_for_testing;
};

// Per-request extras: conditional GET validators (RFC 9110 section 13), sent as
// If-None-Match / If-Modified-Since. Values holding CR or LF are refused
// (kInvalidArgument).
struct RequestExtras {
  // The ETag of the stored copy.
  std::optional<std::string> if_none_match;
  // The Last-Modified of the stored copy.
  std::optional<std::string> if_modified_since;
  // With FetchOptions::refuse_private_addresses: this request may connect to
  // non-public addresses (its URL is a seed, on a seed's host, or a literal
  // private host found on a private page), and so may its redirects as long
  // as every hop stays on non-public addresses: once a hop connects to a
  // public address, a later hop to a non-public one is refused.
  bool allow_private_addresses = false;
};

// Returns true for the error of a connection refused by
// FetchOptions::refuse_private_addresses ("refused to connect to a non-public
// address"): kUnsupported, never retried.
bool IsPrivateAddressRefusal(const core::Error& error);

class HttpClient {
 public:
  // Throws std::runtime_error when curl_easy_init fails (out of memory).
  // Movable; a moved-from client may only be destroyed or assigned to.
  explicit HttpClient(FetchOptions options);
  ~HttpClient();
  HttpClient(HttpClient&& other) noexcept;
  HttpClient& operator=(HttpClient&& other) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Fetches `url` (http or https only, also across redirects) with a GET.
  // Returns the page with any status (a 404 or a 304 is a page), its `url` as
  // given and `final_url` after redirects. Or returns an error whose message
  // names the URL and keeps libcurl's text: kInvalidArgument / kUnsupported
  // for a bad URL or a redirect to another scheme; kNetwork for resolve,
  // connect, reset, TLS or a corrupt compressed body; kTooManyRedirects
  // past max_redirects (message "... too many redirects (more than N) ...");
  // kTimeout for the connect, total or low-speed limits; kTooLarge for a
  // Content-Length or decoded body over max_body_bytes; kUnsupported for a
  // non-public address refused (IsPrivateAddressRefusal). A reused keep-alive
  // connection that answers with garbage (the rest of an earlier response
  // whose Content-Length was too short: "Received HTTP/0.9") is dropped and
  // the request sent once more on a fresh connection.
  // Not thread-safe: use one HttpClient per thread. Needs a live CurlGlobal.
  core::Result<core::FetchedPage> Fetch(const std::string& url,
                                        const RequestExtras& extras = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Returns OK when `page` is an HTML page podcrawl should parse, or a 304 Not
// Modified (no body: the stored copy is current). Else returns kHttpStatus for
// a status >= 400 ("HTTP 404 Not Found for URL", http_status set), or
// kUnsupported naming the type when the Content-Type is neither text/html nor
// application/xhtml+xml, when the body starts with a binary file signature
// (PNG, JPEG, GIF, PDF, ZIP, gzip, ...), or, with no Content-Type, when it
// holds NUL bytes in its first KiB. Pure and thread-safe.
core::Status CheckPage(const core::FetchedPage& page);
// Returns CheckPage's kHttpStatus error for a status >= 400, else OK: what is
// checked of a response whose body is no page (a sitemap).
core::Status CheckStatus(const core::FetchedPage& page);

}  // namespace crawler
