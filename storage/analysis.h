// Read-side of the database for `podcrawl export` and `podcrawl stats`: rows
// of the analysis views streamed as JSON Lines, CSV or JSON, and a summary of
// what the database holds. Both run on a Database opened read-only by the
// caller (OpenDatabase with StoreOptions::read_only), so they never take the
// write lock of a crawl running beside them.
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

enum class ExportFormat {
  kJsonl,  // one JSON object a line (JSON Lines)
  kCsv,    // RFC 4180
  kJson,   // one JSON array of the objects
};
enum class ExportWhat {
  kEpisodes,
  kShows,
  kRelated,
  kRatings,
  kPages,           // pages with their record's provenance (schema 6)
  kRelatedHistory,  // changes of related lists (related_history)
  kListeners,       // listener snapshots (listener_history, schema 8)
  kFetches,         // the fetch log
};

// Parses "jsonl" / "csv" / "json" and "episodes" / "shows" / "related" /
// "ratings" / "pages" / "related-history" / "listeners" / "fetches"; nullopt
// for anything else.
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

// What of the rows an export writes.
struct ExportLayout {
  // The fields to write, in this order (ExportColumns' names; "rating" for
  // the rating object of episodes and shows, which CSV writes as
  // rating_value and rating_count); empty: all of them.
  std::vector<std::string> fields;
  // CSV's header row; false when appending to a file that has one.
  bool header = true;
};

// Checks `fields` against the fields of `what`: kInvalidArgument naming the
// first unknown one and listing the known ones.
core::Status CheckExportFields(ExportWhat what,
                               const std::vector<std::string>& fields);

// Returns the column names of an export, in output order (the CSV header).
// JSON Lines objects use the same names, except that rating_value and
// rating_count of episodes and shows become the record's "rating" object
// ({"value", "count"}, or null when both are missing), and the sources and
// errors of pages are the JSON object and array themselves (in CSV, their JSON
// text).
std::vector<std::string> ExportColumns(ExportWhat what);

// Writes the rows of `options.what` to `out`, one statement stepped row by row
// (memory stays flat whatever the size of the database). CSV follows RFC 4180:
// a header row (unless layout.header is false), CRLF line ends, fields with a
// comma, quote, CR or LF quoted, quotes doubled, NULL as an empty field (so
// NULL and "" read the same). JSON writes
// "[", the objects separated by ",\n", then "]". Returns the number of rows
// written. Fails with kStorage on a SQLite error, kInvalidArgument on an
// unknown field and kIo when `out` fails.
core::Result<int64_t> ExportRows(Connection& db, const ExportOptions& options,
                                 std::ostream& out,
                                 const ExportLayout& layout = {});

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
