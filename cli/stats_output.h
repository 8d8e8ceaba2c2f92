// How `podcrawl stats` prints for a person or a script: the database's counts
// (text or one JSON object) and, for --failures, the URLs that failed for good
// (a table or JSON Lines). Times are ISO 8601 UTC.
#pragma once

#include <ostream>
#include <string>

#include "core/result.h"
#include "storage/analysis.h"
#include "storage/sqlite.h"

namespace cli {

// Writes `stats` of the database `db` as one JSON object (db, the counts,
// first_fetch, last_fetch, fetches_by_outcome, fetches_by_status, frontier,
// frontier_due_now, frontier_next_due).
void PrintStatsJson(const std::string& db, const storage::DatabaseStats& stats,
                    std::ostream& out);

// Writes `stats` of the database `db` as aligned "name  value" lines.
void PrintStatsText(const std::string& db, const storage::DatabaseStats& stats,
                    std::ostream& out);

// --failures: one line per failed URL, as JSON Lines or a table (URL,
// REFERRER, SCHEDULE when any failure is a schedule's, REASON), streamed for
// JSON. Returns the storage error.
core::Status PrintFailures(storage::Connection& db, bool json,
                           std::ostream& out);

}  // namespace cli
