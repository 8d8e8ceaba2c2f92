// HttpClient: fetches one URL at a time with a reused libcurl easy handle
// (connections kept alive). Transport failures are core::Error values; the HTTP
// status is data in the FetchedPage. The multi-interface fetcher for crawls
// builds on the same option setup.
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

struct FetchOptions {
  std::string user_agent;  // defaults to PODCRAWL_USER_AGENT when empty
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 30'000;  // whole transfer
  int64_t max_body_bytes = int64_t{8}
                           << 20;  // decompressed bytes; more is kTooLarge
  int max_redirects = 10;
  int64_t low_speed_bytes_per_s =
      100;  // below this for low_speed_time_s -> kTimeout
  int64_t low_speed_time_s = 20;
};

// Per-request extras: conditional GET validators.
struct RequestExtras {
  std::optional<std::string> if_none_match;  // ETag of the stored copy
  std::optional<std::string>
      if_modified_since;  // Last-Modified of the stored copy
};

class HttpClient {
 public:
  // Throws std::runtime_error when curl_easy_init fails (out of memory).
  explicit HttpClient(FetchOptions options);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Fetches `url` (http or https only, also across redirects). Returns the page
  // with any status, or an error: kInvalidArgument / kUnsupported for a bad
  // URL, kNetwork, kTimeout, kTooLarge. Not thread-safe: use one HttpClient per
  // thread.
  core::Result<core::FetchedPage> Fetch(const std::string& url,
                                        const RequestExtras& extras = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Returns OK when `page` is an HTML page podcrawl should parse, else
// kHttpStatus (status >= 400, with http_status set) or kUnsupported (a
// Content-Type that is not HTML, or a body that is clearly binary).
core::Status CheckPage(const core::FetchedPage& page);

}  // namespace crawler
