// Config: podcrawl's settings, read from a JSON file (comments allowed) given
// by --config, then overridden by command-line flags (cli/), then validated.
//
// Every key is documented in the README ("Configuration"). Unknown keys and
// values of the wrong type are errors that name the key ("fetch.timeout_ms:
// expected an integer, got string"), so a typo never silently falls back to a
// default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/schedule.h"
#include "core/site_profile.h"

namespace config {

struct FetchConfig {
  std::string user_agent;  // empty: "podcrawl/VERSION (+URL)"
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 30'000;
  int64_t max_body_bytes = int64_t{8} << 20;
  int max_redirects = 10;
  int64_t low_speed_bytes_per_s = 100;
  int64_t low_speed_time_s = 20;
};

struct ParserConfig {
  int64_t max_input_bytes = int64_t{8} << 20;
};

struct CrawlConfig {
  std::vector<std::string>
      seeds;                // seed URLs, added to those on the command line
  int64_t max_pages = 0;    // 0 = no limit
  int concurrency = 16;     // transfers in flight
  int per_host = 2;         // transfers in flight per host
  int64_t delay_ms = 1000;  // between request starts to one host
  int max_depth = 10;       // link depth from the seeds
  std::vector<std::string>
      allow;  // regexes on URLs also in scope (besides the seeds' hosts)
  std::vector<std::string> deny;  // regexes on URLs never followed
  bool obey_robots = true;
  int64_t max_crawl_delay_ms = 30'000;
  int64_t max_retry_after_ms = 3'600'000;
  int max_attempts = 3;  // attempts per URL for transient failures
  int workers = 0;       // parse/store threads; 0 = one per core
};

// One schedule (`podcrawl run --due`, `podcrawl daemon`): its seeds are
// crawled every `every` or at the `cron` times, with its own frontier. The
// optional settings override the crawl section's for its rounds.
struct ScheduleConfig {
  std::string name;                // letters, digits, '-', '_', '.'; unique
  std::vector<std::string> seeds;  // normalised http(s) URLs, at least one
  core::ScheduleTiming timing;     // exactly one of every / cron
  std::optional<int> max_depth;
  std::optional<int> per_host;
  std::optional<int> concurrency;
  std::optional<int64_t> delay_ms;
  std::optional<int64_t> max_pages;  // per round
  std::optional<std::vector<std::string>> allow;
  std::optional<std::vector<std::string>> deny;
  // The config's recrawl policy with this schedule's "recrawl" keys over it.
  core::RecrawlPolicy recrawl;
};

struct Config {
  std::string db = "podcasts.db";
  // Keep each new version of a fetched page, zstd-compressed, in the
  // database's page_archive (for `podcrawl reparse`). The JSON key "archive"
  // is either this bool or an object {"enabled", "keep_versions", "max_age"}.
  bool archive = true;
  // Archive retention (README "Archive retention"): the newest versions of a
  // page kept (0: all), and the age past which older versions go (nullopt:
  // no age limit; the newest version of a page always stays). Applied to a
  // page each time a new version of it is archived, and to every page by
  // `podcrawl prune`.
  int64_t archive_keep_versions = 3;
  std::optional<int64_t> archive_max_age_ms = std::nullopt;
  std::string log_level = "info";  // trace, debug, info, warn, error, off
  FetchConfig fetch;
  ParserConfig parse;
  CrawlConfig crawl;
  std::vector<core::SiteProfile> profiles;
  // How often pages found by schedules are fetched again.
  core::RecrawlPolicy recrawl;
  std::vector<ScheduleConfig> schedules;
};

// Returns `crawl` with the schedule's overrides applied (seeds: the
// schedule's).
CrawlConfig ScheduleCrawlConfig(const CrawlConfig& crawl,
                                const ScheduleConfig& schedule);

// Parses a config document. `origin` names it in error messages (the file
// path). Returns kConfig for malformed JSON (with the position), unknown keys
// and wrong types; starts from the defaults above, so keys left out keep them.
core::Result<Config> ParseConfig(std::string_view json_text,
                                 std::string_view origin);

// Reads and parses the config file at `path`. A missing or unreadable file is
// kConfig too.
core::Result<Config> LoadConfigFile(const std::string& path);

// Checks value ranges and profile regexes after CLI overrides are applied.
// Returns kConfig naming the key.
core::Status Validate(const Config& config);

}  // namespace config
