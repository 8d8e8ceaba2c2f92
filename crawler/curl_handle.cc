#include "crawler/curl_handle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/version.h"
#include "crawler/politeness.h"

namespace crawler::internal {
namespace {

// Accept what the parser reads; anything else is still fetched and then refused
// by CheckPage.
constexpr const char* kAcceptHeader =
    "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

// A header line's optional whitespace (RFC 9110 5.6.3) and its line ending.
std::string_view Trim(std::string_view s) {
  return core::Trim(s, core::kSpaceTabCrLf);
}

bool HasLineBreak(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

}  // namespace

CurlEasyPtr NewEasyHandle() {
  CurlEasyPtr handle(curl_easy_init());
  if (!handle)
    throw std::runtime_error("curl_easy_init failed (out of memory)");
  return handle;
}

core::ErrorCode MapCurlCode(CURLcode code) {
  using core::ErrorCode;
  switch (code) {
    case CURLE_OK:
      return ErrorCode::kInternal;  // not an error; a caller bug to ask
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kTimeout;
    case CURLE_FILESIZE_EXCEEDED:
      return ErrorCode::kTooLarge;
    case CURLE_TOO_MANY_REDIRECTS:
      return ErrorCode::kTooManyRedirects;
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ErrorCode::kUnsupported;
    case CURLE_URL_MALFORMAT:
      return ErrorCode::kInvalidArgument;
    case CURLE_ABORTED_BY_CALLBACK:
      return ErrorCode::kCancelled;
    case CURLE_WRITE_ERROR:  // our own write callback refused data: see
                             // Transfer::Finish
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
    case CURLE_READ_ERROR:
      return ErrorCode::kInternal;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_INTERFACE_FAILED:
    case CURLE_UNRECOVERABLE_POLL:
    default:
      // The remaining codes belong to other protocols or to transport trouble
      // not listed above; "retry later" is the safe reading for an HTTP fetch.
      return ErrorCode::kNetwork;
  }
}

core::Error CurlError(CURLcode code, std::string_view url,
                      std::string_view detail) {
  std::string text = detail.empty() ? std::string(curl_easy_strerror(code))
                                    : std::string(detail);
  std::string message = "cannot fetch " + std::string(url) + ": " + text;
  return {MapCurlCode(code), std::move(message)};
}

std::string_view HttpReasonPhrase(long status) {  // NOLINT(google-runtime-int)
  // RFC 9110 section 15 (and RFC 6585 for 428/429/431, RFC 7725 for 451).
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

Transfer::Transfer(FetchOptions options)
    : options_(std::move(options)),
      // options_ is declared (so initialised) before user_agent_.
      user_agent_(options_.user_agent.empty() ? std::string(PODCRAWL_USER_AGENT)
                                              : options_.user_agent) {}

core::Status Transfer::Prepare(CURL* easy, const std::string& url,
                               const RequestExtras& extras) {
  // First, so the handle never points at the header list freed below.
  // curl_easy_reset keeps the connection cache, DNS cache and cookies of the
  // handle (https://curl.se/libcurl/c/curl_easy_reset.html), so reuse still
  // keeps connections alive.
  curl_easy_reset(easy);
  easy_ = easy;
  page_.url = url;
  ResetAttempt();
  allow_private_ = extras.allow_private_addresses;
  private_context_ = allow_private_;
  retried_fresh_ = false;

  // Request headers. libcurl does not copy the list: it must live until the
  // transfer ends, so it is a member
  // (https://curl.se/libcurl/c/CURLOPT_HTTPHEADER.html).
  request_headers_.reset();
  // The user's headers (fetch.headers) after podcrawl's Accept, which one of
  // them may replace; libcurl lets a custom header replace its own
  // (User-Agent).
  std::vector<std::string> lines;
  if (std::none_of(options_.headers.begin(), options_.headers.end(),
                   [](const std::string& line) {
                     return core::AsciiLower(line).starts_with("accept:");
                   })) {
    lines.emplace_back(kAcceptHeader);
  }
  lines.insert(lines.end(), options_.headers.begin(), options_.headers.end());
  if (extras.if_none_match) {
    if (HasLineBreak(*extras.if_none_match)) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "ETag holds a line break: " + url);
    }
    lines.push_back("If-None-Match: " + *extras.if_none_match);
  }
  if (extras.if_modified_since) {
    if (HasLineBreak(*extras.if_modified_since)) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "Last-Modified holds a line break: " + url);
    }
    lines.push_back("If-Modified-Since: " + *extras.if_modified_since);
  }
  for (const std::string& line : lines) {
    // curl_slist_append returns the head: a new one for an empty list, else the
    // same head.
    curl_slist* head = curl_slist_append(request_headers_.get(), line.c_str());
    if (head == nullptr)
      return core::Error(core::ErrorCode::kInternal, "out of memory");
    if (!request_headers_) request_headers_.reset(head);
  }

  CURLcode failure = CURLE_OK;
  const char* failed_option = nullptr;
  auto check = [&](CURLcode rc, const char* name) {
    if (rc != CURLE_OK && failure == CURLE_OK) {
      failure = rc;
      failed_option = name;
    }
  };
  // NOLINTBEGIN(google-runtime-int): libcurl takes long for these options.
  check(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_.data()),
        "CURLOPT_ERRORBUFFER");
  check(curl_easy_setopt(easy, CURLOPT_URL, url.c_str()), "CURLOPT_URL");
  // No SIGALRM for DNS timeouts: we are multi-threaded
  // (https://curl.se/libcurl/c/CURLOPT_NOSIGNAL.html).
  check(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), "CURLOPT_NOSIGNAL");
  check(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"),
        "CURLOPT_PROTOCOLS_STR");
  check(curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
        "CURLOPT_REDIR_PROTOCOLS_STR");
  check(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L),
        "CURLOPT_FOLLOWLOCATION");
  // Without CURLOPT_MAXREDIRS libcurl follows redirects forever (its default is
  // -1).
  check(
      curl_easy_setopt(easy, CURLOPT_MAXREDIRS,
                       static_cast<long>(std::max(options_.max_redirects, 0))),
      "CURLOPT_MAXREDIRS");
  check(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options_.connect_timeout_ms)),
        "CURLOPT_CONNECTTIMEOUT_MS");
  check(curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(options_.timeout_ms)),
        "CURLOPT_TIMEOUT_MS");
  check(curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT,
                         static_cast<long>(options_.low_speed_bytes_per_s)),
        "CURLOPT_LOW_SPEED_LIMIT");
  check(curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                         static_cast<long>(options_.low_speed_time_s)),
        "CURLOPT_LOW_SPEED_TIME");
  // An honest Content-Length over the cap fails before the body is read. It
  // does not bound what a compressed body inflates to, nor a body without
  // Content-Length: OnWrite does that.
  check(curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(options_.max_body_bytes)),
        "CURLOPT_MAXFILESIZE_LARGE");
  // "" = every encoding this libcurl was built with (gzip, deflate, br, zstd on
  // Debian 12).
  check(curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""),
        "CURLOPT_ACCEPT_ENCODING");
  check(curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent_.c_str()),
        "CURLOPT_USERAGENT");
  check(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, request_headers_.get()),
        "CURLOPT_HTTPHEADER");
  check(curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L), "CURLOPT_HTTPGET");
  check(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::OnWrite),
        "CURLOPT_WRITEFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_WRITEDATA, this), "CURLOPT_WRITEDATA");
  check(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader),
        "CURLOPT_HEADERFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_HEADERDATA, this), "CURLOPT_HEADERDATA");
  if (!options_.proxy.empty()) {
    check(curl_easy_setopt(easy, CURLOPT_PROXY, options_.proxy.c_str()),
          "CURLOPT_PROXY");
  }
  // Through a proxy the connection goes to the proxy, and the proxy resolves
  // and connects to the site: the address check would judge the proxy's
  // address, so it is left out (the link filter on literal private hosts
  // still applies).
  if (options_.refuse_private_addresses && options_.proxy.empty()) {
    // The address is judged twice: before a new connection is opened (so
    // nothing is sent to a refused address, not even a SYN), and before each
    // request, which also covers a reused connection and every redirect hop.
    check(curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION,
                           &Transfer::OnOpenSocket),
          "CURLOPT_OPENSOCKETFUNCTION");
    check(curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this),
          "CURLOPT_OPENSOCKETDATA");
    check(curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &Transfer::OnPrereq),
          "CURLOPT_PREREQFUNCTION");
    check(curl_easy_setopt(easy, CURLOPT_PREREQDATA, this),
          "CURLOPT_PREREQDATA");
  }
  if (!options_.resolve_for_testing.empty()) {
    if (!resolve_) {
      for (const std::string& entry : options_.resolve_for_testing) {
        curl_slist* head = curl_slist_append(resolve_.get(), entry.c_str());
        if (head == nullptr) {
          return core::Error(core::ErrorCode::kInternal, "out of memory");
        }
        if (!resolve_) resolve_.reset(head);
      }
    }
    check(curl_easy_setopt(easy, CURLOPT_RESOLVE, resolve_.get()),
          "CURLOPT_RESOLVE");
  }
  // NOLINTEND(google-runtime-int)
  if (failure != CURLE_OK) {
    return core::Error(core::ErrorCode::kInternal,
                       std::string("libcurl refused ") + failed_option + ": " +
                           curl_easy_strerror(failure));
  }
  return {};
}

void Transfer::ResetAttempt() {
  std::string url = std::move(page_.url);
  page_ = core::FetchedPage{};
  page_.url = std::move(url);
  too_large_ = false;
  write_failed_ = false;
  header_bytes_ = 0;
  saw_status_line_ = false;
  headers_done_ = false;
  headers_too_large_ = false;
  error_buffer_[0] = '\0';
  refused_address_.clear();
  refused_url_.clear();
}

bool Transfer::MayConnect(const std::string& address, int port) {
  const bool non_public =
      options_.is_private_address_for_testing
          ? options_.is_private_address_for_testing(address, port)
          : IsPrivateAddress(address);
  if (!non_public) {
    // A public hop ends the private context: whatever it redirects to is
    // what a public page leads to.
    private_context_ = false;
    return true;
  }
  if (private_context_) return true;
  if (refused_address_.empty()) {
    refused_address_ = address;
    char* hop = nullptr;
    if (easy_ != nullptr &&
        curl_easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &hop) == CURLE_OK &&
        hop != nullptr) {
      refused_url_ = hop;
    }
  }
  return false;
}

curl_socket_t Transfer::OnOpenSocket(void* user, curlsocktype /*purpose*/,
                                     curl_sockaddr* address) {
  auto* self = static_cast<Transfer*>(user);
  std::array<char, INET6_ADDRSTRLEN> text{};
  int port = 0;
  if (address->family == AF_INET && address->addrlen >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, &address->addr, sizeof in);
    inet_ntop(AF_INET, &in.sin_addr, text.data(), text.size());
    port = ntohs(in.sin_port);
  } else if (address->family == AF_INET6 &&
             address->addrlen >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address->addr, sizeof in6);
    inet_ntop(AF_INET6, &in6.sin6_addr, text.data(), text.size());
    port = ntohs(in6.sin6_port);
  }
  // Another family (none for http) leaves `text` empty: not public.
  try {
    if (!self->MayConnect(text.data(), port)) return CURL_SOCKET_BAD;
  } catch (const std::exception&) {
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC,
                address->protocol);
}

// libcurl's curl_prereq_callback type fixes the (non-const) parameters.
// NOLINTNEXTLINE(readability-non-const-parameter)
int Transfer::OnPrereq(void* user, char* primary_ip, char* /*local_ip*/,
                       int primary_port, int /*local_port*/) {
  auto* self = static_cast<Transfer*>(user);
  try {
    return self->MayConnect(primary_ip != nullptr ? primary_ip : "",
                            primary_port)
               ? CURL_PREREQFUNC_OK
               : CURL_PREREQFUNC_ABORT;
  } catch (const std::exception&) {
    return CURL_PREREQFUNC_ABORT;
  }
}

bool Transfer::RetryOnFreshConnection(CURL* easy, CURLcode code) {
  if (retried_fresh_ || too_large_ || write_failed_ ||
      !refused_address_.empty()) {
    return false;
  }
  const bool garbage =
      code == CURLE_WEIRD_SERVER_REPLY ||
      (code == CURLE_UNSUPPORTED_PROTOCOL &&
       std::string_view(error_buffer_.data()).find("HTTP/0.9") !=
           std::string_view::npos);
  if (!garbage) return false;
  // Only when the request went out on a reused connection: on a fresh one
  // the garbage is the server's own answer, and asking again changes nothing.
  long connects = 0;  // NOLINT(google-runtime-int): libcurl's type
  if (curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects) != CURLE_OK ||
      connects != 0) {
    return false;
  }
  if (curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L) != CURLE_OK) {
    return false;
  }
  retried_fresh_ = true;
  ResetAttempt();
  private_context_ = allow_private_;
  return true;
}

size_t Transfer::OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* self = static_cast<Transfer*>(user);
  const size_t n = size * count;
  // libcurl hands us decoded bytes, so this counts what a gzip or br body
  // inflates to.
  const auto cap =
      static_cast<size_t>(std::max<int64_t>(self->options_.max_body_bytes, 0));
  if (self->page_.body.size() + n > cap) {
    self->too_large_ = true;
    return 0;  // != n: libcurl aborts the transfer with CURLE_WRITE_ERROR
  }
  try {
    self->page_.body.append(data, n);
  } catch (const std::bad_alloc&) {
    self->write_failed_ = true;
    return 0;
  }
  return n;
}

size_t Transfer::OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* self = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") self->header_bytes_ = 0;
  self->header_bytes_ += n;
  if (self->header_bytes_ > kMaxResponseHeaderBytes) {
    self->headers_too_large_ = true;
    return 0;  // != n: libcurl aborts the transfer with CURLE_WRITE_ERROR
  }
  try {
    self->HandleHeaderLine(line);
  } catch (const std::bad_alloc&) {
    self->write_failed_ = true;
    return 0;
  }
  return n;
}

void Transfer::HandleHeaderLine(std::string_view line) {
  // Each response of a redirect chain (and any 1xx) starts with a status line;
  // only the headers of the final response describe the body we keep.
  if (line.substr(0, 5) == "HTTP/") {
    saw_status_line_ = true;
    headers_done_ = false;
    page_.content_type.clear();
    page_.etag.reset();
    page_.last_modified.reset();
    page_.retry_after.reset();
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    if (Trim(line).empty()) headers_done_ = true;  // the blank line ending them
    return;
  }
  const std::string_view name = Trim(line.substr(0, colon));
  const std::string value(Trim(line.substr(colon + 1)));
  if (core::AsciiEqualsIgnoreCase(name, "content-type")) {
    page_.content_type = value;
  } else if (core::AsciiEqualsIgnoreCase(name, "etag")) {
    page_.etag = value;
  } else if (core::AsciiEqualsIgnoreCase(name, "last-modified")) {
    page_.last_modified = value;
  } else if (core::AsciiEqualsIgnoreCase(name, "retry-after")) {
    page_.retry_after = value;
  }
}

core::Result<core::FetchedPage> Transfer::Finish(CURL* easy, CURLcode code) {
  char* effective = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    page_.final_url = effective;
  } else {
    page_.final_url = page_.url;
  }
  long redirects = 0;  // NOLINT(google-runtime-int): libcurl's type
  if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &redirects) ==
      CURLE_OK) {
    page_.redirects = static_cast<int>(redirects);
  }
  const std::string& url = page_.url;

  if (too_large_) {
    return core::Error(core::ErrorCode::kTooLarge,
                       "cannot fetch " + url + ": body exceeds " +
                           std::to_string(options_.max_body_bytes) +
                           " bytes (after decoding)");
  }
  if (write_failed_) {
    return core::Error(core::ErrorCode::kInternal,
                       "cannot fetch " + url + ": out of memory");
  }
  if (code != CURLE_OK && !refused_address_.empty()) {
    // (A refusal followed by a success is a host name with several
    // addresses, one of them public: the transfer used that one.)
    std::string message = "cannot fetch " + url + ": " +
                          std::string(kPrivateAddressRefusal) + " (" +
                          refused_address_;
    if (!refused_url_.empty() && refused_url_ != url) {
      message += " for " + refused_url_;
    }
    message +=
        "): a public page or redirect may not lead into a private network";
    return core::Error(core::ErrorCode::kUnsupported, std::move(message));
  }
  if (headers_too_large_) {
    return core::Error(core::ErrorCode::kTooLarge,
                       "cannot fetch " + url + ": response headers exceed " +
                           std::to_string(kMaxResponseHeaderBytes) + " bytes");
  }
  if (code == CURLE_OUT_OF_MEMORY && saw_status_line_ && !headers_done_) {
    // libcurl 7.88 buffers a header line up to CURL_MAX_HTTP_HEADER (100 KiB)
    // and reports a longer one as out of memory, with no text: that is the
    // server's doing, not ours.
    return core::Error(core::ErrorCode::kTooLarge,
                       "cannot fetch " + url +
                           ": a response header line exceeds libcurl's limit "
                           "(100 KiB)");
  }
  if (code != CURLE_OK) {
    const std::string_view detail = error_buffer_.data();
    if (code == CURLE_FILESIZE_EXCEEDED) {
      return core::Error(core::ErrorCode::kTooLarge,
                         "cannot fetch " + url + ": Content-Length exceeds " +
                             std::to_string(options_.max_body_bytes) +
                             " bytes");
    }
    if (code == CURLE_TOO_MANY_REDIRECTS) {
      return core::Error(core::ErrorCode::kTooManyRedirects,
                         "cannot fetch " + url +
                             ": too many redirects (more than " +
                             std::to_string(options_.max_redirects) +
                             "): " + std::string(detail));
    }
    core::Error error = CurlError(code, url, detail);
    if (code == CURLE_COULDNT_CONNECT) {
      // libcurl 7.88 says only "Couldn't connect to server"; the socket's
      // errno tells a refusal from an unreachable network (CURLINFO_OS_ERRNO,
      // https://curl.se/libcurl/c/CURLINFO_OS_ERRNO.html).
      long os_errno = 0;  // NOLINT(google-runtime-int): libcurl's type
      if (curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK &&
          os_errno != 0) {
        error.message +=
            " (" + std::string(std::strerror(static_cast<int>(os_errno))) + ")";
      }
    }
    if (page_.redirects > 0 && page_.final_url != url) {
      error.message += " (redirected to " + page_.final_url + ")";
    }
    return error;
  }

  long status = 0;  // NOLINT(google-runtime-int): libcurl's type
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  page_.status = status;
  curl_off_t body_bytes = 0;
  curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
  long header_bytes = 0;  // NOLINT(google-runtime-int): libcurl's type
  curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
  page_.wire_bytes =
      static_cast<int64_t>(body_bytes) + static_cast<int64_t>(header_bytes);
  curl_off_t micros = 0;
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &micros);
  page_.seconds = static_cast<double>(micros) / 1e6;

  core::FetchedPage out = std::move(page_);
  page_ = core::FetchedPage{};
  return out;
}

}  // namespace crawler::internal
