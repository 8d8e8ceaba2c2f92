// Flag groups several subcommands share (the common flags every command takes,
// the fetch settings of `fetch` and `crawl`) and the checked whole-number
// transform every numeric flag uses.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "config/config.h"

namespace cli {

// Flags every subcommand takes.
struct CommonFlags {
  std::string config_path;
  std::optional<std::string> log_level;
  bool quiet = false;
  bool log_timestamps = false;      // also on a terminal (SetLogStyle)
  std::string log_format = "text";  // "text" or "json"
};

// Adds --config, --log-level, -q/--quiet, --log-timestamps and --log-format.
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

// Flags that override the config's fetch settings (`fetch`, `crawl`).
struct FetchFlags {
  std::optional<std::string> user_agent;
  std::optional<int64_t> timeout_ms;
  std::optional<int64_t> connect_timeout_ms;
  std::optional<int64_t> max_body_bytes;
  std::optional<int> max_redirects;
};

// Adds --user-agent, --timeout-ms, --connect-timeout-ms, --max-body-bytes and
// --max-redirects.
void AddFetchFlags(CLI::App* app, FetchFlags* flags);

// Writes the fetch flags that were given into `fetch`.
void ApplyFetchFlags(const FetchFlags& flags, config::FetchConfig* fetch);

}  // namespace cli
