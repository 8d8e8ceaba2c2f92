// The analysis subcommands (issue 5): `podcrawl export`, `podcrawl stats` and
// `podcrawl reparse`. run.cc registers them on its CLI11 app and runs the one
// that was parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace cli {

class AnalysisCommands {
 public:
  // Adds the three subcommands to `app`, which must outlive this object.
  explicit AnalysisCommands(CLI::App* app);

  // Runs the subcommand that was parsed and returns its exit code, or nullopt
  // when none of the three was on the command line. Output goes to `out`
  // (export without --output, stats).
  std::optional<int> Run(std::ostream& out);

 private:
  struct Common {
    std::string config_path;
    std::optional<std::string> db;
    std::optional<std::string> log_level;
    bool quiet = false;
  };

  int RunExport(std::ostream& out);
  int RunStats(std::ostream& out);
  int RunReparse();

  CLI::App* export_ = nullptr;
  CLI::App* stats_ = nullptr;
  CLI::App* reparse_ = nullptr;
  Common export_common_;
  Common stats_common_;
  Common reparse_common_;
  std::string format_ = "jsonl";
  std::string what_ = "episodes";
  std::optional<std::string> since_;
  std::optional<std::string> output_;
  bool stats_json_ = false;
};

// Parses a --since value: Unix seconds ("1732800000") or ISO 8601
// ("2026-11-28", "2026-11-28T15:00:00Z", "2026-11-28 15:00:00+01:00", fractions
// of a second allowed; no offset means UTC). Returns Unix milliseconds, or
// nullopt.
std::optional<int64_t> ParseTimeArgument(const std::string& text);

// Formats Unix milliseconds as ISO 8601 UTC ("2026-11-28T15:00:00Z").
std::string FormatTimeMs(int64_t ms);

}  // namespace cli
