// Settings: every value a user sets (config file keys, some also flags), as
// the modules take them. Each is declared here once, with its default; the
// crawler and the parser take these structs as they are, and config::Config
// embeds them. config/config.cc names each key with its range in one line
// ("the keys of each section"), and the README's "Configuration" documents
// it: a new knob is a field here, a line there, and a README line.
//
// Field names are the config keys ("crawl.per_host" is CrawlSettings::
// politeness.per_host); durations are milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core {

// "fetch": one HTTP transfer, with libcurl's meaning: 0 disables a timeout or
// the low-speed check.
struct FetchSettings {
  // Sent as User-Agent; "podcrawl/VERSION (+URL)" when empty.
  std::string user_agent;
  int64_t connect_timeout_ms = 10'000;
  // The whole transfer, redirects included.
  int64_t timeout_ms = 30'000;
  // Decompressed body bytes; more is kTooLarge.
  int64_t max_body_bytes = int64_t{8} << 20;
  // Redirects to follow; more is kTooManyRedirects. Negative counts as 0.
  int max_redirects = 10;
  // Slower than this for low_speed_time_s seconds is kTimeout.
  int64_t low_speed_bytes_per_s = 100;
  int64_t low_speed_time_s = 20;
  // Request headers sent with every request, "Name: value" ("Accept-Language:
  // fr"); one named as podcrawl's own (Accept, User-Agent) replaces it.
  std::vector<std::string> headers;
  // The proxy, as libcurl's CURLOPT_PROXY reads it ("http://host:3128",
  // "socks5h://host:1080"); empty: libcurl's environment variables
  // (http_proxy, https_proxy, no_proxy), if any.
  std::string proxy;
};

// "parse": what the page parser reads.
struct ParseSettings {
  // Bytes beyond this are not parsed; the record's errors say the input was
  // cut.
  int64_t max_input_bytes = int64_t{8} << 20;
};

// "archive": the versions of each page's bytes kept, zstd-compressed, in the
// database's page_archive (for `podcrawl reparse`), and how long.
struct ArchiveSettings {
  bool enabled = true;  // "archive": false keeps only the hashes
  // Retention, applied to a page's versions each time a new one is archived
  // and to every page by `podcrawl prune`: the newest keep_versions stay (0:
  // all), and versions fetched more than max_age_ms before go (nullopt: no
  // age limit). The newest version of a page always stays.
  int64_t keep_versions = 3;
  std::optional<int64_t> max_age_ms = std::nullopt;
};

// Per-host manners (crawler::HostPacer).
struct PolitenessSettings {
  int per_host = 2;                        // transfers in flight per host
  int64_t delay_ms = 1000;                 // between request starts to a host
  int64_t max_crawl_delay_ms = 30'000;     // Crawl-delay is honoured up to this
  int64_t max_retry_after_ms = 3'600'000;  // Retry-After is honoured up to this
};

// Retries of transient failures (crawler::BackoffDelayMs).
struct RetrySettings {
  int max_attempts = 3;  // attempts in all, the first included
  // Delay after the first failure; doubles each time, up to max_delay_ms.
  // Neither has a config key.
  int64_t base_delay_ms = 2'000;
  int64_t max_delay_ms = 300'000;
};

// Which discovered links are followed besides those on the seeds' hosts
// (crawler::Scope).
struct ScopeSettings {
  std::vector<std::string> allow;  // regexes on the URL; a match is in scope
  std::vector<std::string> deny;   // regexes; a match is never followed
  int max_depth = 10;              // link depth from the seeds
  // Also follow links to the seeds' hosts' "www." twins and subdomains (a
  // seed on www.example.org: example.org, www.example.org, a.example.org),
  // as Scrapy's allowed_domains does. Off: only the seeds' exact hosts.
  bool include_subdomains = false;
};

// "crawl": one crawl (a `podcrawl crawl`, a schedule's round).
// Sitemaps (crawler/sitemap.h): where they come from, and how much of them is
// read. Their URLs are crawled as seeds are (depth 0), within the scope.
struct SitemapSettings {
  // Sitemap URLs (sitemap files or sitemap indexes) read each crawl, besides
  // those on the command line (`crawl --sitemap`).
  std::vector<std::string> urls;
  // Also read the sitemaps the "Sitemap:" lines of a crawled host's
  // robots.txt name (once; `crawl --recrawl` reads them again).
  bool from_robots = false;
  // Sitemap files read in one crawl at most (an index's sitemaps count).
  int64_t max_files = 1'000;
  // Bytes of one sitemap at most, unpacked (the protocol's cap is 50 MB).
  int64_t max_bytes = int64_t{50} << 20;
  // URLs taken from one sitemap at most (the protocol's cap is 50,000).
  int64_t max_urls = 50'000;
};

struct CrawlSettings {
  // Seed URLs, added to those on the command line. The crawler takes seeds
  // through Crawler::AddSeeds, not from here.
  std::vector<std::string> seeds;
  int64_t max_pages = 0;  // pages handled at most; 0 = no limit
  int concurrency = 16;   // transfers in flight
  int workers = 0;        // parse/store threads; 0 = one per core
  bool obey_robots = true;
  PolitenessSettings politeness;
  RetrySettings retry;
  ScopeSettings scope;
  SitemapSettings sitemap;
};

}  // namespace core
