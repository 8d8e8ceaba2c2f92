// Internal to crawler/: RAII owners for libcurl handles and the per-transfer
// state that configures an easy handle and turns its outcome into a
// core::FetchedPage or a core::Error. HttpClient (curl_easy_perform) uses it
// today; the multi-interface fetcher of the crawl loop drives the same Transfer
// through curl_multi, so both get the same options, caps and error mapping.
//
// This header includes <curl/curl.h>; it must not be included from any public
// header (STYLE.md: C library headers stay out of our public API).
#pragma once

#include <curl/curl.h>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/fetch.h"
#include "core/result.h"
#include "crawler/http_client.h"

namespace crawler::internal {

// The text of the error a connection refused by
// FetchOptions::refuse_private_addresses carries (IsPrivateAddressRefusal).
inline constexpr std::string_view kPrivateAddressRefusal =
    "refused to connect to a non-public address";

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
// Owns one easy handle. Moving it keeps the handle's connection cache.
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept {
    curl_slist_free_all(list);
  }
};
// Owns a list of request headers; it must outlive the transfer that uses it.
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// Returns a new easy handle. Throws std::runtime_error when curl_easy_init
// fails (out of memory), which ends the program (STYLE.md: an RAII wrapper that
// cannot be built throws).
CurlEasyPtr NewEasyHandle();

// Returns the podcrawl error code for a libcurl result code, grouped by what
// the caller does next: resolve / connect / send / receive / TLS / too many
// redirects -> kNetwork (retry later), CURLE_OPERATION_TIMEDOUT -> kTimeout,
// CURLE_FILESIZE_EXCEEDED -> kTooLarge, CURLE_UNSUPPORTED_PROTOCOL ->
// kUnsupported, CURLE_URL_MALFORMAT -> kInvalidArgument,
// CURLE_ABORTED_BY_CALLBACK -> kCancelled, misuse of libcurl or out of memory
// -> kInternal. CURLE_WRITE_ERROR maps to kInternal here: only the Transfer
// knows whether its own write callback aborted because of the body cap
// (kTooLarge).
core::ErrorCode MapCurlCode(CURLcode code);

// Returns the error for a failed transfer of `url`: MapCurlCode's code and a
// message naming the URL and carrying libcurl's text (`detail` when non-empty,
// else curl_easy_strerror).
core::Error CurlError(CURLcode code, std::string_view url,
                      std::string_view detail);

// Returns the reason phrase of a standard HTTP status code ("Not Found"), or ""
// when unknown.
// NOLINTNEXTLINE(google-runtime-int): libcurl's type for the response code.
std::string_view HttpReasonPhrase(long status);

// The state of one transfer on one easy handle: the error buffer, request
// headers, the response headers of the final response and the decoded body.
// Prepare() points the handle's callbacks at this object, so it must not move
// or die while the handle is in use (keep it in a stable place: a pimpl, or a
// node owned by the multi loop). Not thread-safe; one per in-flight handle.
class Transfer {
 public:
  explicit Transfer(FetchOptions options);
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Resets `easy` (keeping its connection and DNS caches) and configures it to
  // GET `url`, which must already be a normalised http/https URL. Returns
  // kInternal naming the option when libcurl refuses one, or kInvalidArgument
  // when a validator in `extras` holds CR or LF.
  core::Status Prepare(CURL* easy, const std::string& url,
                       const RequestExtras& extras);

  // Call when the transfer on `easy` finished with `code`, before Finish().
  // Returns true when it failed because the reused keep-alive connection it
  // ran on held garbage (the rest of an earlier response with a too short
  // Content-Length: "Received HTTP/0.9", or a weird server reply) and it has
  // not been sent again yet: then `easy` is set up to send the same request
  // once more on a fresh connection (the poisoned one was closed by libcurl
  // with the error), and the caller performs it again instead of finishing.
  bool RetryOnFreshConnection(CURL* easy, CURLcode code);

  // Returns the page fetched by the transfer that finished with `code` on
  // `easy`, or the error. Leaves this object ready for the next Prepare().
  // Response headers past kMaxResponseHeaderBytes, or one header line past
  // libcurl's own limit (100 KiB, reported by libcurl as out of memory), are
  // kTooLarge.
  core::Result<core::FetchedPage> Finish(CURL* easy, CURLcode code);

 private:
  // The response headers (of one response of a redirect chain) accepted at
  // most; Chrome refuses more than 256 KiB, libcurl 8 more than 300 KiB.
  static constexpr size_t kMaxResponseHeaderBytes = size_t{256} * 1024;

  static size_t OnWrite(char* data, size_t size, size_t count, void* user);
  static size_t OnHeader(char* data, size_t size, size_t count, void* user);
  static curl_socket_t OnOpenSocket(void* user, curlsocktype purpose,
                                    curl_sockaddr* address);
  static int OnPrereq(void* user, char* primary_ip, char* local_ip,
                      int primary_port, int local_port);
  void HandleHeaderLine(std::string_view line);
  // Returns whether this transfer may connect to `address`:`port` under
  // FetchOptions::refuse_private_addresses; records a refusal for Finish().
  bool MayConnect(const std::string& address, int port);
  // Clears what one attempt of the transfer collected (body, headers, flags).
  void ResetAttempt();

  FetchOptions options_;
  std::string user_agent_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
  CurlSlistPtr request_headers_;
  core::FetchedPage page_;
  CurlSlistPtr resolve_;  // options_.resolve_for_testing, built once
  bool too_large_ = false;
  bool write_failed_ =
      false;  // the write callback could not store data (out of memory)
  // The headers of the current response: their bytes so far, whether its
  // status line came and whether the blank line ending them did.
  size_t header_bytes_ = 0;
  bool saw_status_line_ = false;
  bool headers_done_ = false;
  bool headers_too_large_ = false;  // header_bytes_ passed the cap
  CURL* easy_ = nullptr;            // the handle of the transfer in progress
  bool allow_private_ = false;      // RequestExtras::allow_private_addresses
  // Every connection so far went to a non-public address and the request
  // allowed that (RequestExtras::allow_private_addresses).
  bool private_context_ = false;
  std::string refused_address_;  // set when MayConnect refused a connection
  std::string refused_url_;      // the URL (redirect hop) it was for
  bool retried_fresh_ = false;   // RetryOnFreshConnection used its one retry
};

}  // namespace crawler::internal
