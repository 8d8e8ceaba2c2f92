// Error values shared by every module.
//
// Failures that are expected per URL or per input (a refused connection, a 404,
// an oversize body, a bad config key) are returned as values (`core::Error`
// inside a `core::Result`), never thrown. The codes are few and grouped by what
// the caller does next, on abseil's canonical-code model.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace core {

enum class ErrorCode {
  kNetwork,     // DNS, connect, reset, TLS: retry later
  kTimeout,     // connect or transfer timeout, low-speed abort: retry later
  kHttpStatus,  // the server answered with a status >= 400
  kTooLarge,    // the body exceeded the configured cap
  kTooManyRedirects,  // a redirect loop, or more redirects than allowed: a
                      // property of the site, not retried
  kUnsupported,       // not HTML, or a scheme other than http/https
  kRobotsDisallowed,  // robots.txt forbids the URL
  kInvalidArgument,   // a malformed URL or argument
  kParse,      // input that cannot be read at all (the page parser itself never
               // fails)
  kIo,         // a local file could not be read or written
  kStorage,    // SQLite failed: nothing half-written
  kConfig,     // invalid configuration
  kCancelled,  // stopped by a signal
  kLocked,     // another podcrawl process holds the database's run lock
  kInternal,   // a bug
};

// Returns a short stable name for `code` ("network", "http_status", ...), used
// in logs and in the `fetches` table.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  int http_status = 0;  // set for kHttpStatus

  Error() = default;
  Error(ErrorCode c, std::string msg, int status = 0)
      : code(c), message(std::move(msg)), http_status(status) {}
};

// Returns true when trying the same request again later may succeed: network
// failures, timeouts, and HTTP 408, 425, 429 and 5xx.
bool IsRetryable(const Error& error);

}  // namespace core
