// Config: podcrawl's settings, read from a JSON file (comments allowed) given
// by --config, then overridden by command-line flags (cli/), then validated.
//
// Every key is documented in the README ("Configuration"). Unknown keys and
// values of the wrong type are errors that name the key ("fetch.timeout_ms:
// expected an integer, got string"), so a typo never silently falls back to a
// default.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/schedule.h"
#include "core/settings.h"
#include "core/site_profile.h"

namespace config {

// One schedule (`podcrawl run --due`, `podcrawl daemon`): its seeds are
// crawled every `every` or at the `cron` times, with its own frontier. Any key
// of the crawl section but "seeds" may be set on a schedule too, for its
// rounds.
struct ScheduleConfig {
  std::string name;                // letters, digits, '-', '_', '.'; unique
  std::vector<std::string> seeds;  // normalised http(s) URLs, at least one
  core::ScheduleTiming timing;     // exactly one of every / cron
  // The settings of its rounds: the config file's crawl section with this
  // schedule's keys over it, and its seeds. (Command-line flags that change
  // the crawl section after the file was read do not reach it.)
  core::CrawlSettings crawl;
  // The config's recrawl policy with this schedule's "recrawl" keys over it.
  core::RecrawlPolicy recrawl;
};

struct Config {
  std::string db = "podcasts.db";
  // The JSON key "archive" is either a bool (enabled) or an object
  // {"enabled", "keep_versions", "max_age"} (README "Archive retention").
  core::ArchiveSettings archive;
  std::string log_level = "info";  // trace, debug, info, warn, error, off
  core::FetchSettings fetch;
  core::ParseSettings parse;
  core::CrawlSettings crawl;
  std::vector<core::SiteProfile> profiles;
  // How often pages found by schedules are fetched again.
  core::RecrawlPolicy recrawl;
  std::vector<ScheduleConfig> schedules;
};

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
