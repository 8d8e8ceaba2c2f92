// Read-side of the database for `podcrawl export` and `podcrawl stats`: rows
// of the analysis views streamed as JSON Lines or CSV, and a summary of what
// the database holds. Both run on a Database opened read-only by the caller
// (OpenDatabase with StoreOptions::read_only), so they never take the write
// lock of a crawl running beside them.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "storage/sqlite.h"

namespace storage {

enum class ExportFormat { kJsonl, kCsv };
enum class ExportWhat {
  kEpisodes,
  kShows,
  kRelated,
  kRatings,
  kPages,           // pages with their record's provenance (schema 6)
  kRelatedHistory,  // changes of related lists (related_history)
};

// Parses "jsonl" / "csv" and "episodes" / "shows" / "related" / "ratings" /
// "pages" / "related-history"; nullopt for anything else.
std::optional<ExportFormat> ExportFormatFromName(std::string_view name);
std::optional<ExportWhat> ExportWhatFromName(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kJsonl;
  ExportWhat what = ExportWhat::kEpisodes;
  // Only rows seen (episodes, shows), observed (related edges, related
  // history), recorded (rating snapshots) or changed (pages) at or after this
  // time, Unix milliseconds.
  std::optional<int64_t> since_ms;
};

// Returns the column names of an export, in output order (the CSV header).
// JSON Lines objects use the same names, except that rating_value and
// rating_count of episodes and shows become the record's "rating" object
// ({"value", "count"}, or null when both are missing), and the sources and
// errors of pages are the JSON object and array themselves (in CSV, their JSON
// text).
std::vector<std::string> ExportColumns(ExportWhat what);

// Writes the rows of `options.what` to `out`, one statement stepped row by row
// (memory stays flat whatever the size of the database). CSV follows RFC 4180:
// a header row, CRLF line ends, fields with a comma, quote, CR or LF quoted,
// quotes doubled, NULL as an empty field. Returns the number of rows written.
// Fails with kStorage on a SQLite error and kIo when `out` fails.
core::Result<int64_t> ExportRows(Connection& db, const ExportOptions& options,
                                 std::ostream& out);

// Returns `field` quoted for CSV when it needs quoting (RFC 4180).
std::string CsvField(std::string_view field);

// What `podcrawl stats` reports.
struct DatabaseStats {
  int64_t shows = 0;
  int64_t shows_with_page = 0;  // shows whose own pages were stored
  int64_t episodes = 0;
  int64_t related_edges = 0;
  int64_t rating_snapshots = 0;
  int64_t listener_snapshots = 0;
  int64_t fetches = 0;
  int64_t pages = 0;              // distinct pages with a stored version
  int64_t archived_versions = 0;  // rows of page_archive
  int64_t archived_bytes = 0;     // compressed bytes in page_archive
  std::optional<int64_t> first_fetch_ms;
  std::optional<int64_t> last_fetch_ms;
  // Fetches by outcome: "ok", "not_modified", or the error code name
  // ("http_status", "network", ...), most frequent first.
  std::vector<std::pair<std::string, int64_t>> fetches_by_outcome;
  // Fetches by HTTP status (0: no response), in status order.
  std::vector<std::pair<int64_t, int64_t>> fetches_by_status;
  // Frontier rows by state ("queued", "in_flight", "done", "failed").
  std::vector<std::pair<std::string, int64_t>> frontier_by_state;
  int64_t frontier_due = 0;                     // queued URLs due at `now_ms`
  std::optional<int64_t> frontier_next_due_ms;  // earliest queued next fetch
};

// Gathers DatabaseStats; `now_ms` decides what is due.
core::Result<DatabaseStats> GatherStats(Connection& db, int64_t now_ms);

}  // namespace storage
