// Store: podcrawl's SQLite database (DESIGN.md "Storage"). Deduplicated shows and episodes keyed by
// canonical URL, related shows, and a log of every fetch. WAL mode, busy timeout, migrations by
// PRAGMA user_version, prepared statements only, one transaction per page.
//
// Storage has no clock: callers pass observation times (Unix milliseconds).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/record.h"
#include "core/result.h"

namespace storage {

struct FetchLogEntry {
  std::string url;
  std::optional<std::string> final_url;
  int64_t fetched_at_ms = 0;
  long status = 0;  // NOLINT(google-runtime-int): 0 when no response arrived
  int64_t bytes = 0;
  int64_t duration_ms = 0;
  std::optional<std::string> content_type;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> error_code;  // core::ErrorCodeName, when the fetch failed
  std::optional<std::string> error_message;
};

class Store {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for tests) and migrates it to
  // the current schema. Fails with kStorage naming the path and SQLite's message.
  static core::Result<std::unique_ptr<Store>> Open(const std::string& path);

  virtual ~Store() = default;

  // Stores one page's record in one transaction: upserts the show (and the episode, for an episode
  // page) keyed by canonical URL, replaces the show's related shows, and writes nothing else on
  // failure. Idempotent: saving the same record twice leaves the same rows.
  virtual core::Status SaveRecord(const core::Record& record, int64_t observed_at_ms) = 0;

  // Appends one row to the fetch log.
  virtual core::Status LogFetch(const FetchLogEntry& entry) = 0;
};

}  // namespace storage
