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
#include <memory>
#include <optional>
#include <string>

#include "core/fetch.h"
#include "core/result.h"

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

// Settings of one HttpClient, with libcurl's meaning: 0 disables a timeout or
// the low-speed check.
struct FetchOptions {
  // Sent as User-Agent; PODCRAWL_USER_AGENT ("podcrawl/VERSION (+URL)") when
  // empty.
  std::string user_agent;
  int64_t connect_timeout_ms = 10'000;
  // The whole transfer, redirects included.
  int64_t timeout_ms = 30'000;
  // Decompressed body bytes; more is kTooLarge.
  int64_t max_body_bytes = int64_t{8} << 20;
  // Redirects to follow; more is kNetwork. Negative counts as 0.
  int max_redirects = 10;
  // Slower than this for low_speed_time_s seconds is kTimeout.
  int64_t low_speed_bytes_per_s = 100;
  int64_t low_speed_time_s = 20;
};

// Per-request extras: conditional GET validators (RFC 9110 section 13), sent as
// If-None-Match / If-Modified-Since. Values holding CR or LF are refused
// (kInvalidArgument).
struct RequestExtras {
  // The ETag of the stored copy.
  std::optional<std::string> if_none_match;
  // The Last-Modified of the stored copy.
  std::optional<std::string> if_modified_since;
};

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
  // connect, reset, TLS, too many redirects or a corrupt compressed body;
  // kTimeout for the connect, total or low-speed limits; kTooLarge for a
  // Content-Length or decoded body over max_body_bytes.
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

}  // namespace crawler
