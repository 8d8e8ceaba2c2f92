// FetchedPage: what the fetcher hands to a page handler. The HTTP status is
// data here, not an error: a 404 is a FetchedPage with status 404, and only the
// caller's policy decides what it means (cpr's Response{status_code, error}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace core {

struct FetchedPage {
  std::string url;        // the URL that was asked for
  std::string final_url;  // after redirects
  // NOLINTNEXTLINE(google-runtime-int): libcurl's type for the response code
  long status = 0;
  std::string content_type;  // the Content-Type header, as sent
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> retry_after;  // the Retry-After header, as sent
  std::string body;                        // decoded (decompressed) bytes
  int64_t wire_bytes = 0;                  // bytes received on the wire
  int redirects = 0;
  double seconds = 0;  // total transfer time
};

}  // namespace core
