// Everything podcrawl prints for a person or a script, in one place: records
// as JSON (stdout), `parse --explain`, the crawl's live progress line and
// summary (stderr), aligned tables, and times (ISO 8601 UTC, app/time_text.h).
// Logs go through spdlog instead (cli/command.h).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "app/rounds.h"
#include "app/time_text.h"
#include "core/record.h"
#include "crawler/crawler.h"
#include "parser/page_parser.h"

namespace cli {

using app::FormatTimeMs;
using app::ParseTimeArgument;

// How a record is printed: indented on a terminal, one line when piped, or as
// --pretty / --compact say.
enum class JsonStyle { kAuto, kPretty, kCompact };

// Adds --pretty and --compact.
void AddJsonStyleFlags(CLI::App* app, JsonStyle* style);

// Writes `record` as JSON and a newline to `out`, and flushes it.
void PrintRecord(const core::Record& record, JsonStyle style,
                 std::ostream& out);

// Writes `explanation` as text, one block per field: the reason, then one line
// per candidate ("*" marks the winner).
void PrintExplanation(const std::vector<parser::FieldExplanation>& explanation,
                      std::ostream& out);

// Returns FormatTimeMs(*ms) as a JSON string, or JSON null.
nlohmann::json TimeOrNull(std::optional<int64_t> ms);

// A column of PrintTable: its header, and its width (0: as wide as its widest
// cell or header). The last column is never padded.
struct TableColumn {
  std::string header;
  size_t width = 0;
};

// Writes a table with aligned columns, two spaces apart: a header line, then
// one line per row (each row has one cell per column).
void PrintTable(const std::vector<TableColumn>& columns,
                const std::vector<std::vector<std::string>>& rows,
                std::ostream& out);

// The crawl's live progress line on stderr (pages done and queued, pages/s,
// errors, ETA), redrawn in place. As a round observer it starts afresh for
// each scheduled round.
class ProgressLine : public app::RoundObserver {
 public:
  // `enabled`: draw at all (off with --quiet or when stderr is not a terminal).
  explicit ProgressLine(bool enabled);
  ~ProgressLine() override;
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws the line from `stats`.
  void Update(const crawler::CrawlStats& stats);
  // Clears the line (before other output).
  void Clear();

  // app::RoundObserver: Update(); Clear() and forget the rate.
  void OnProgress(const crawler::CrawlStats& stats) override { Update(stats); }
  void OnCrawlEnd() override;

 private:
  bool enabled_;
  bool drawn_ = false;
  std::deque<std::pair<double, int64_t>>
      window_;  // (elapsed_s, pages) for the recent rate
};

// Returns the line shown for `stats` given the recent rate in pages/s.
std::string FormatProgress(const crawler::CrawlStats& stats,
                           double pages_per_s);

// Returns the multi-line end-of-crawl summary; it ends with a WaitingNotes
// line for each host the crawl left URLs queued for.
std::string FormatSummary(const crawler::CrawlStats& stats);

}  // namespace cli
