// Sitemaps (sitemaps.org protocol 0.9): the files a site lists its pages in,
// as podcast directories do for their show and episode pages. A pure parser in
// the manner of robots.h: bytes in, URLs out, bounded in what it reads.
//
// A sitemap is an XML <urlset> of <url><loc>..</loc><lastmod>..</lastmod>
// entries, a <sitemapindex> of <sitemap><loc>..</loc></sitemap> entries naming
// further sitemaps, or a text file of one URL per line; any of them may be
// gzipped (a ".xml.gz" file is served as is, not with Content-Encoding). The
// elements are matched by local name, so a missing or different namespace
// does not lose the entries; other elements (image:, video:, news:
// extensions) are skipped. Robots.txt names sitemaps with "Sitemap:" lines
// (RobotsRules::sitemaps).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace crawler {

struct SitemapLimits {
  // Bytes of sitemap read, after gunzip (the protocol's cap is 50 MB); a
  // larger one is an error (a gzip bomb is one).
  int64_t max_bytes = int64_t{50} << 20;
  // Entries kept (the protocol's cap is 50,000); the rest are dropped and
  // counted in Sitemap::dropped.
  int64_t max_urls = 50'000;
};

struct SitemapEntry {
  std::string url;  // as written, entities decoded and whitespace trimmed
  // <lastmod> (W3C datetime: "2026", "2026-11", "2026-11-28",
  // "2026-11-28T10:00:00+01:00") in Unix milliseconds; nullopt when absent or
  // unreadable.
  std::optional<int64_t> lastmod_ms;
};

struct Sitemap {
  enum class Type { kUrlSet, kIndex, kText };
  Type type = Type::kUrlSet;
  std::vector<SitemapEntry> entries;  // in file order; empty <loc>s skipped
  int64_t dropped = 0;                // entries past max_urls
};

// Parses a sitemap body, gunzipping it first when it starts with the gzip
// magic bytes. Returns an error (kParse) for a body that is none of the three
// forms (an HTML page, XML with another root element, broken XML before any
// entry), and kTooLarge past limits.max_bytes.
core::Result<Sitemap> ParseSitemap(std::string_view body,
                                   const SitemapLimits& limits = {});

// Parses a W3C datetime (https://www.w3.org/TR/NOTE-datetime: "YYYY",
// "YYYY-MM", "YYYY-MM-DD", then optionally "Thh:mm[:ss[.s]]" with "Z" or
// "+hh:mm"); surrounding whitespace is ignored. Returns Unix milliseconds.
std::optional<int64_t> ParseW3cDatetimeMs(std::string_view text);

}  // namespace crawler
