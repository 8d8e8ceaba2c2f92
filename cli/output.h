// Everything podcrawl prints for a person or a script, in one place: records
// as JSON (stdout), `parse --explain`, the crawl's live progress line and
// summary (stderr), aligned tables, and times (ISO 8601 UTC, app/time_text.h).
// Logs go through spdlog instead (cli/command.h).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <deque>
#include <functional>
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

// How a crawl's progress is shown on stderr.
enum class ProgressStyle {
  kOff,   // --quiet
  kLine,  // on a terminal: one live line, redrawn in place
  kLog,   // elsewhere (cron, systemd, nohup): a status log line now and then,
          // like Scrapy's LogStats
};

// Returns kOff when `quiet`, else kLine when stderr is a terminal, else kLog.
ProgressStyle ProgressStyleForStderr(bool quiet);

// How often a kLog progress logs its status line by default.
inline constexpr int64_t kStatusIntervalMs = 60'000;

// Adds --status-interval DURATION ("60s", "5m"; core::ParseDurationMs): how
// often the status line is logged when stderr is no terminal. Stores ms.
void AddStatusIntervalFlag(CLI::App* app, int64_t* interval_ms);

// The crawl's progress on stderr: on a terminal a live line (pages done and
// queued, what is fetching and waiting, pages/s, errors, ETA) redrawn in
// place; elsewhere a status log line every `interval_ms` of the crawl's
// elapsed time (pages, rate over the interval, errors, queue). As a round
// observer it starts afresh for each scheduled round.
class ProgressLine : public app::RoundObserver {
 public:
  // Where kLog's status lines go; null: spdlog::info.
  using LogFunction = std::function<void(const std::string&)>;

  explicit ProgressLine(ProgressStyle style,
                        int64_t interval_ms = kStatusIntervalMs,
                        LogFunction log = nullptr);
  ~ProgressLine() override;
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws the line from `stats`, or logs the status line when the
  // interval has passed since the last one (stats.elapsed_s is the clock).
  void Update(const crawler::CrawlStats& stats);
  // Clears the line (before other output).
  void Clear();

  // app::RoundObserver: Update(); Clear() and forget the rate.
  void OnProgress(const crawler::CrawlStats& stats) override { Update(stats); }
  void OnCrawlEnd() override;

 private:
  ProgressStyle style_;
  double interval_s_;
  LogFunction log_;
  bool drawn_ = false;
  std::deque<std::pair<double, int64_t>>
      window_;  // (elapsed_s, pages) for the recent rate
  std::pair<double, int64_t> last_log_{0, 0};  // (elapsed_s, pages)
};

// Returns the line shown for `stats` given the recent rate in pages/s:
// "12 pages | 40 queued | 2 fetching, 25 waiting | 3.1 pages/s | 0 errors |
// ETA 0:21" (", 3 parsing" after "waiting" while the workers hold pages).
std::string FormatProgress(const crawler::CrawlStats& stats,
                           double pages_per_s);

// Returns the status line logged outside a terminal: "status: 120 pages (2.0
// pages/s), 3 errors, 340 queued, 2 fetching, 25 waiting".
std::string FormatStatus(const crawler::CrawlStats& stats, double pages_per_s);

// Returns the multi-line end-of-crawl summary, its values in one column after
// the longest label; it ends with a WaitingNotes line for each host the crawl
// left URLs queued for (app::CrawlFailures tells the hosts that were down),
// and a line for the `already_done` URLs the run did not fetch again.
std::string FormatSummary(const crawler::CrawlStats& stats,
                          int64_t already_done = 0);

}  // namespace cli
