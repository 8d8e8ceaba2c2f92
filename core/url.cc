#include "core/url.h"

#include <curl/curl.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <unordered_map>

#include "core/ascii.h"

namespace core {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

std::optional<std::string> GetPart(CURLU* u, CURLUPart part,
                                   unsigned int flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr)
    return std::nullopt;
  CurlString holder(out);
  return std::string(out);
}

bool IsHttpScheme(const std::string& scheme) {
  return scheme == "http" || scheme == "https";
}

// Lowercases the host, drops the default port and the fragment, in place.
// Returns false when the URL has no http/https scheme or no host.
bool Canonicalize(CURLU* u) {
  auto scheme = GetPart(u, CURLUPART_SCHEME);
  if (!scheme || !IsHttpScheme(*scheme)) return false;
  auto host = GetPart(u, CURLUPART_HOST);
  if (!host || host->empty()) return false;
  const std::string lower = AsciiLower(*host);
  if (lower != *host &&
      curl_url_set(u, CURLUPART_HOST, lower.c_str(), 0) != CURLUE_OK) {
    return false;
  }
  auto port = GetPart(u, CURLUPART_PORT);
  if (port && ((*scheme == "http" && *port == "80") ||
               (*scheme == "https" && *port == "443"))) {
    curl_url_set(u, CURLUPART_PORT, nullptr, 0);
  }
  curl_url_set(u, CURLUPART_FRAGMENT, nullptr, 0);
  return true;
}

std::optional<std::string> Full(CURLU* u) { return GetPart(u, CURLUPART_URL); }

// A thread's memo of a pure function of one URL string: a crawl meets the same
// URLs again and again (every page's header, footer and related links, the
// frontier key and the host of each), and libcurl's parse costs far more than
// a lookup. Bounded: emptied when it holds kMaxEntries.
class UrlMemo {
 public:
  static constexpr size_t kMaxEntries = 8192;

  const std::string* Find(std::string_view url) const {
    auto it = map_.find(url);
    return it == map_.end() ? nullptr : &it->second;
  }
  const std::string& Insert(std::string_view url, std::string value) {
    if (map_.size() >= kMaxEntries) map_.clear();
    return map_.insert_or_assign(std::string(url), std::move(value))
        .first->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> map_;
};

Result<std::string> ParseAndNormalize(std::string_view url) {
  CurlUrlPtr u(curl_url());
  if (!u) return Error(ErrorCode::kInternal, "out of memory");
  const std::string s(url);
  if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) {
    return Error(ErrorCode::kInvalidArgument, "not a valid absolute URL: " + s);
  }
  auto scheme = GetPart(u.get(), CURLUPART_SCHEME);
  if (!scheme || !IsHttpScheme(*scheme)) {
    return Error(ErrorCode::kUnsupported,
                 "unsupported URL scheme (only http and https): " + s);
  }
  if (!Canonicalize(u.get())) {
    return Error(ErrorCode::kInvalidArgument, "URL has no host: " + s);
  }
  auto full = Full(u.get());
  if (!full) return Error(ErrorCode::kInvalidArgument, "not a valid URL: " + s);
  return *full;
}

std::string ParseHost(std::string_view url) {
  CurlUrlPtr u(curl_url());
  if (!u) return "";
  const std::string s(url);
  if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK)
    return "";
  auto host = GetPart(u.get(), CURLUPART_HOST);
  if (!host) return "";
  return AsciiLower(*host);
}

}  // namespace

namespace {

// Printable ASCII without space: what libcurl's CURLU_URLENCODE leaves as it
// is, so such a reference resolves as the same URL string parsed whole.
bool IsPlainUrlText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 &&
           static_cast<unsigned char>(c) < 0x7F;
  });
}

// Returns the scheme://authority of an http(s) URL, or "" for another.
std::string_view Origin(std::string_view url) {
  size_t start = 0;
  if (url.starts_with("http://")) {
    start = 7;
  } else if (url.starts_with("https://")) {
    start = 8;
  } else {
    return {};
  }
  return url.substr(0, url.find_first_of("/?#", start));
}

// Returns what ResolveUrl would, from NormalizeUrl's memo, when the answer is
// that of one URL string (an absolute http(s) reference, or a root-relative
// one on the base's origin) in plain text; nullopt when ResolveUrl must parse.
std::optional<std::string> ResolveFast(std::string_view base,
                                       std::string_view ref) {
  // The base must be one too: ResolveUrl refuses every reference on a base it
  // cannot parse.
  const std::string_view origin = Origin(base);
  if (origin.size() <= 8 || !IsPlainUrlText(origin) || !IsPlainUrlText(ref))
    return std::nullopt;
  std::string whole;
  if (ref.starts_with("http://") || ref.starts_with("https://")) {
    whole = ref;
  } else if (ref.front() == '/' && !ref.starts_with("//")) {
    whole.reserve(origin.size() + ref.size());
    whole.append(origin).append(ref);
  } else {
    return std::nullopt;
  }
  Result<std::string> normalized = NormalizeUrl(whole);
  if (!normalized) return std::nullopt;
  return std::move(normalized).value();
}

}  // namespace

std::optional<std::string> ResolveUrl(std::string_view base,
                                      std::string_view ref) {
  {
    std::string_view trimmed = ref;
    while (!trimmed.empty() &&
           static_cast<unsigned char>(trimmed.front()) <= ' ')
      trimmed.remove_prefix(1);
    while (!trimmed.empty() &&
           static_cast<unsigned char>(trimmed.back()) <= ' ')
      trimmed.remove_suffix(1);
    if (!trimmed.empty()) {
      if (auto fast = ResolveFast(base, trimmed)) return fast;
    }
  }
  CurlUrlPtr u(curl_url());
  if (!u) return std::nullopt;
  const std::string base_str(base);
  if (curl_url_set(u.get(), CURLUPART_URL, base_str.c_str(), 0) != CURLUE_OK)
    return std::nullopt;
  // Trim the whitespace HTML allows around an href; libcurl rejects it.
  while (!ref.empty() && static_cast<unsigned char>(ref.front()) <= ' ')
    ref.remove_prefix(1);
  while (!ref.empty() && static_cast<unsigned char>(ref.back()) <= ' ')
    ref.remove_suffix(1);
  // RFC 3986 5.4.1: an empty reference or a fragment alone is the base document
  // itself (libcurl 7.88 resolves them to the base's directory). The fragment
  // is dropped by Canonicalize anyway.
  if (ref.empty() || ref.front() == '#') {
    if (!Canonicalize(u.get())) return std::nullopt;
    return Full(u.get());
  }
  const std::string ref_str(ref);
  if (curl_url_set(u.get(), CURLUPART_URL, ref_str.c_str(),
                   CURLU_URLENCODE | CURLU_ALLOW_SPACE) != CURLUE_OK) {
    return std::nullopt;
  }
  if (!Canonicalize(u.get())) return std::nullopt;
  return Full(u.get());
}

Result<std::string> NormalizeUrl(std::string_view url) {
  thread_local UrlMemo memo;
  if (const std::string* known = memo.Find(url)) return *known;
  Result<std::string> normalized = ParseAndNormalize(url);
  if (normalized) memo.Insert(url, *normalized);  // errors are not kept
  return normalized;
}

std::string UrlHost(std::string_view url) {
  thread_local UrlMemo memo;
  if (const std::string* known = memo.Find(url)) return *known;
  return memo.Insert(url, ParseHost(url));
}

std::string UrlPathAndQuery(std::string_view url) {
  std::string_view rest = url;
  if (const size_t scheme_end = url.find("://");
      scheme_end != std::string_view::npos) {
    rest = url.substr(scheme_end + 3);
    const size_t path_start = rest.find_first_of("/?#");
    rest = path_start == std::string_view::npos ? std::string_view()
                                                : rest.substr(path_start);
  }
  rest = rest.substr(0, rest.find('#'));
  // Copied into place, not "/" + std::string: GCC 12 warns (-Wrestrict, a
  // false positive, PR 105651) on that and on appending.
  const size_t slash = rest.empty() || rest.front() != '/' ? 1 : 0;
  std::string path(rest.size() + slash, '/');
  rest.copy(path.data() + slash, rest.size());
  return path;
}

std::string UrlPath(std::string_view url) {
  std::string path = UrlPathAndQuery(url);  // starts with '/'
  return path.substr(0, path.find('?'));
}

}  // namespace core
