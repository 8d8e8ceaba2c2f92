// The common flags every subcommand takes and the checked whole-number
// transform every numeric flag uses (setting flags: Command::AddSettingFlag).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

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

}  // namespace cli
