// What every subcommand shares: the common flags, the logger, loading and
// validating the config, and turning config sections into the options of the
// crawler and the parser.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/result.h"
#include "crawler/crawler.h"
#include "crawler/http_client.h"
#include "parser/page_parser.h"

namespace cli {

// Flags every subcommand takes.
struct CommonFlags {
  std::string config_path;
  std::optional<std::string> log_level;
  bool quiet = false;
};

// Adds --config, --log-level and -q/--quiet.
void AddCommonFlags(CLI::App* app, CommonFlags* flags);

// Returns a CLI11 transform for an integer option: the argument must be a
// base-10 whole number from `min` to `max` (else the option fails to parse,
// exit 2, "--max-pages: must be a whole number from ... to ..., got \"...\""),
// and CLI11 gets its plain decimal form. CLI11 alone reads C literals ("010" is
// eight, "0x10" sixteen) and lets an int64 overflow clamp silently.
CLI::Validator WholeNumber(int64_t min, int64_t max);

// WholeNumber over the range of T (int or int64_t): every numeric flag uses it.
template <typename T>
CLI::Validator WholeNumber() {
  return WholeNumber(std::numeric_limits<T>::min(),
                     std::numeric_limits<T>::max());
}

// Prints a command-line parse error as one line ("podcrawl: error: --flag:
// ..."), the way every other error is printed; set on the top-level app.
std::string OneLineFailure(const CLI::App* app, const CLI::Error& error);

// Sends every log line to stderr (stdout carries only records), as "podcrawl:
// level: message".
void InstallStderrLogger();

// Sets the log level from the config and --quiet.
void SetUpLogger(const config::Config& config, const CommonFlags& flags);

// Loads the config file (if any) and applies the common flags. Errors are
// kConfig.
core::Result<config::Config> LoadConfig(const CommonFlags& flags);

// Validates the config (config::Validate), then its site profiles with the
// parser's selector language. Errors are kConfig naming the key.
core::Status ValidateAll(const config::Config& config);

crawler::FetchOptions ToFetchOptions(const config::FetchConfig& c);
parser::ParseOptions ToParseOptions(const config::Config& c);
// The crawl options of `fetch` + `crawl` (a schedule's round passes its
// config::ScheduleCrawlConfig).
crawler::CrawlOptions ToCrawlOptions(const config::FetchConfig& fetch,
                                     const config::CrawlConfig& crawl);

// Logs `message` as an error and returns `code`.
int Fail(int code, const std::string& message);

}  // namespace cli
