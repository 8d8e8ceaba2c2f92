// Read-side of the database for `podcrawl report`: the crawl's health, the
// shows that moved most in a window, each show's rating and listener history
// and its related-show neighbourhood, and what changed since the last round,
// as plain values (app/report.h renders them). Runs on a connection opened
// read-only by the caller, over the views of schema step 8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/analysis.h"
#include "storage/sqlite.h"

namespace storage {

// One observation of a series: its time (Unix ms) and value.
struct ReportPoint {
  int64_t ms = 0;
  double value = 0;
};

// A related-show edge of a show's neighbourhood.
struct ReportEdge {
  std::string from_url;
  std::string from_name;
  std::string to_url;
  std::string to_name;
  int64_t position = 0;
  std::optional<int64_t> listeners;
};

// A show and its history.
struct ReportShow {
  int64_t id = 0;
  std::string url;
  std::string name;  // the URL when the show has no name
  std::string host;
  std::optional<double> rating_value;
  std::optional<int64_t> rating_count;
  std::optional<int64_t> listeners;
  std::vector<ReportPoint> rating_values;  // rating_snapshots.value
  std::vector<ReportPoint> rating_counts;  // rating_snapshots.count
  std::vector<ReportPoint> listener_counts;
  std::vector<ReportEdge> related;    // edges out, in page order
  std::vector<ReportEdge> listed_by;  // edges in
  // Other shows of its show_identity group: (host, url).
  std::vector<std::pair<std::string, std::string>> same_show;
};

// A show whose listeners or ratings moved in the window.
struct ReportMover {
  int64_t show_id = 0;
  std::string name;
  std::string metric;  // "listeners" or "ratings" (rating count)
  double before = 0;
  double after = 0;
  double change = 0;
};

// A schedule round (schedule_runs).
struct ReportRound {
  std::string schedule;
  int64_t started_ms = 0;
  std::optional<int64_t> ended_ms;
  std::string outcome;
  int64_t pages = 0;
  int64_t changed = 0;
  int64_t not_modified = 0;
  int64_t failed = 0;
  std::optional<std::string> message;
};

// Something that changed since the last round started.
struct ReportChange {
  int64_t ms = 0;
  std::string show;
  std::string
      what;  // "rating 4.7 (341 ratings, +12)", "Night Ferry moved 2 -> 1"
};

struct ReportData {
  int64_t generated_ms = 0;
  int64_t since_ms = 0;
  DatabaseStats stats;
  // Failed fetches in the window by reason (fetches.error_code, or
  // "http_NNN"), most frequent first.
  std::vector<std::pair<std::string, int64_t>> failures;
  int64_t fetches_in_window = 0;
  std::vector<ReportRound> rounds;  // the last rounds of each schedule
  std::vector<ReportMover> movers;  // largest moves first
  // When the last round started (the latest schedule round, else the start of
  // the latest burst of fetches); nullopt on an empty database.
  std::optional<int64_t> last_round_ms;
  std::vector<ReportChange> changes;  // since last_round_ms, oldest first
  std::vector<ReportShow> shows;      // the shows the report draws
};

struct ReportQuery {
  int64_t now_ms = 0;
  int64_t since_ms = 0;  // the window's start
  // Only this show (matched on its URL, or on its name without case), with
  // its own moves and changes; empty: the shows with a history or a related
  // list, most listened first.
  std::string show;
  size_t max_shows = 30;
  size_t max_movers = 10;
  size_t rounds_per_schedule = 5;
};

// Gathers the report's data. Fails with kStorage on a SQLite error, and with
// kInvalidArgument when `query.show` names no show.
core::Result<ReportData> GatherReport(Connection& db, const ReportQuery& query);

}  // namespace storage
