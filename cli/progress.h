// The crawl's terminal output: one live progress line on stderr (pages done and
// queued, pages/s, errors, ETA) when stderr is a terminal, and a summary at the
// end.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "crawler/crawler.h"

namespace cli {

class ProgressLine {
 public:
  // `enabled`: draw at all (off with --quiet or when stderr is not a terminal).
  explicit ProgressLine(bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws the line from `stats`.
  void Update(const crawler::CrawlStats& stats);
  // Clears the line (before other output).
  void Clear();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::deque<std::pair<double, int64_t>>
      window_;  // (elapsed_s, pages) for the recent rate
};

// Returns the line shown for `stats` given the recent rate in pages/s (pure,
// for tests).
std::string FormatProgress(const crawler::CrawlStats& stats,
                           double pages_per_s);

// Returns the multi-line end-of-crawl summary; it ends with a WaitingNotes
// line for each host the crawl left URLs queued for.
std::string FormatSummary(const crawler::CrawlStats& stats);

// Returns "N URLs wait for HOST until T" (T in UTC, ISO 8601) for each host of
// stats.waiting: what a crawl left queued for a later run.
std::vector<std::string> WaitingNotes(const crawler::CrawlStats& stats);

}  // namespace cli
