#include "crawler/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/ascii.h"
#include "core/url.h"
#include "crawler/curl_handle.h"

namespace crawler {

CurlGlobal::CurlGlobal() {
  // Not thread-safe before libcurl 7.84 and it initialises OpenSSL: call it
  // before any thread (https://curl.se/libcurl/c/curl_global_init.html).
  // Reference-counted by libcurl.
  const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    throw std::runtime_error(std::string("curl_global_init failed: ") +
                             curl_easy_strerror(rc));
  }
}

CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

struct HttpClient::Impl {
  explicit Impl(FetchOptions options)
      : easy(internal::NewEasyHandle()), transfer(std::move(options)) {}

  internal::CurlEasyPtr easy;
  internal::Transfer transfer;
};

HttpClient::HttpClient(FetchOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

core::Result<core::FetchedPage> HttpClient::Fetch(const std::string& url,
                                                  const RequestExtras& extras) {
  core::Result<std::string> normalized = core::NormalizeUrl(url);
  if (!normalized) return normalized.error();
  if (core::Status prepared =
          impl_->transfer.Prepare(impl_->easy.get(), *normalized, extras);
      !prepared) {
    return prepared.error();
  }
  CURLcode code = curl_easy_perform(impl_->easy.get());
  if (impl_->transfer.RetryOnFreshConnection(impl_->easy.get(), code)) {
    code = curl_easy_perform(impl_->easy.get());
  }
  core::Result<core::FetchedPage> page =
      impl_->transfer.Finish(impl_->easy.get(), code);
  if (page) page->url = url;  // as asked, before normalisation
  return page;
}

bool IsPrivateAddressRefusal(const core::Error& error) {
  return error.code == core::ErrorCode::kUnsupported &&
         error.message.find(internal::kPrivateAddressRefusal) !=
             std::string::npos;
}

namespace {

// Returns the media type of a Content-Type value ("text/html; charset=utf-8" ->
// "text/html"), lowercased and trimmed.
std::string MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  std::string out;
  for (char c : content_type) {
    if (c != ' ' && c != '\t') out.push_back(core::AsciiLower(c));
  }
  return out;
}

struct Signature {
  std::string_view name;
  size_t offset;
  std::string_view magic;
};

// File signatures of the binary formats a podcast site serves where a page was
// expected (images, documents, archives, audio). An HTML page cannot start with
// these bytes.
// https://mimesniff.spec.whatwg.org/#matching-an-image-type-pattern and the
// formats' specs.
constexpr std::array<Signature, 14> kSignatures = {{
    {"image/png", 0, std::string_view("\x89PNG\r\n\x1a\n", 8)},
    {"image/jpeg", 0, "\xFF\xD8\xFF"},
    {"image/gif", 0, "GIF87a"},
    {"image/gif", 0, "GIF89a"},
    {"image/webp", 8, "WEBP"},
    {"image/x-icon", 0, std::string_view("\x00\x00\x01\x00", 4)},
    {"application/pdf", 0, "%PDF-"},
    {"application/zip", 0, "PK\x03\x04"},
    {"application/gzip", 0, "\x1F\x8B"},
    {"application/x-bzip2", 0, "BZh"},
    {"application/x-7z-compressed", 0, "7z\xBC\xAF\x27\x1C"},
    {"audio/mpeg", 0, "ID3"},
    {"audio/ogg", 0, "OggS"},
    {"video/mp4", 4, "ftyp"},
}};

// Returns the sniffed type of a binary body, or "" when it may be text.
std::string_view SniffBinary(std::string_view body, bool check_nul) {
  for (const Signature& sig : kSignatures) {
    if (body.size() >= sig.offset + sig.magic.size() &&
        body.substr(sig.offset, sig.magic.size()) == sig.magic) {
      return sig.name;
    }
  }
  if (!check_nul) return "";
  // UTF-16 text holds NULs; a byte order mark says it is text (WHATWG encoding
  // sniffing).
  if (body.substr(0, 2) == "\xFF\xFE" || body.substr(0, 2) == "\xFE\xFF")
    return "";
  const std::string_view head = body.substr(0, 1024);
  if (head.find('\0') != std::string_view::npos) return "binary data";
  return "";
}

}  // namespace

core::Status CheckStatus(const core::FetchedPage& page) {
  if (page.status < 400) return {};
  const std::string& url = page.final_url.empty() ? page.url : page.final_url;
  std::string message = "HTTP " + std::to_string(page.status);
  const std::string_view reason = internal::HttpReasonPhrase(page.status);
  if (!reason.empty()) message += " " + std::string(reason);
  message += " for " + url;
  return core::Error(core::ErrorCode::kHttpStatus, std::move(message),
                     static_cast<int>(page.status));
}

core::Status CheckPage(const core::FetchedPage& page) {
  if (core::Status status = CheckStatus(page); !status) return status;
  // Not Modified: the stored copy is current; there is no body to check.
  if (page.status == 304) return {};
  const std::string& url = page.final_url.empty() ? page.url : page.final_url;

  const std::string media_type = MediaType(page.content_type);
  if (!media_type.empty() && media_type != "text/html" &&
      media_type != "application/xhtml+xml") {
    return core::Error(
        core::ErrorCode::kUnsupported,
        "not an HTML page (Content-Type " + media_type + "): " + url);
  }
  // Sniff even a declared text/html: a misconfigured server may label an image
  // as HTML. The NUL heuristic applies only without a declared type (a declared
  // page may be UTF-16).
  const std::string_view sniffed = SniffBinary(page.body, media_type.empty());
  if (!sniffed.empty()) {
    return core::Error(core::ErrorCode::kUnsupported,
                       "not an HTML page (body looks like " +
                           std::string(sniffed) +
                           (media_type.empty() ? ", no Content-Type"
                                               : ", served as " + media_type) +
                           "): " + url);
  }
  return {};
}

}  // namespace crawler
