// URL helpers on libcurl's URL API (curl_url), shared by the parser (resolving
// relative links), the crawler (normalising frontier keys) and the CLI
// (validating arguments).
//
// Normalisation: scheme and host lowercased, default port dropped, fragment
// dropped, an empty path made "/". Only absolute http and https URLs are
// accepted where a URL to fetch is expected.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace core {

// Returns `ref` resolved against the absolute URL `base` (RFC 3986),
// normalised, or nullopt when either cannot be parsed or the result is not
// http/https. Thread-safe.
std::optional<std::string> ResolveUrl(std::string_view base,
                                      std::string_view ref);

// Returns the normalised form of an absolute http/https URL, or
// kInvalidArgument / kUnsupported (another scheme) with a message naming the
// URL. Thread-safe.
Result<std::string> NormalizeUrl(std::string_view url);

// Returns the lowercased host of an absolute URL, or "" when it has none.
std::string UrlHost(std::string_view url);

// Returns the path and query of a URL, without the fragment ("http://h:8/a?b#c"
// -> "/a?b"; "https://h?q" -> "/?q"), "/" when it has no path: the request
// target robots.txt rules are matched against (RFC 9309 2.2.2). A string
// without "://" is taken as a path already ("a/b#c" -> "/a/b"). Plain string
// work: no parsing or normalisation beyond that. Thread-safe.
std::string UrlPathAndQuery(std::string_view url);

// Returns the path of a URL, without query and fragment ("http://h/a/b?x#y"
// -> "/a/b"), "/" when it has none; as UrlPathAndQuery otherwise.
std::string UrlPath(std::string_view url);

}  // namespace core
