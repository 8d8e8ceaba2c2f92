// podcrawl's database as a whole: the schema version, its migrations (PRAGMA
// user_version) and OpenDatabase, through which every store opens its own
// connection. The schema is documented at the top of storage/schema.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "core/settings.h"
#include "storage/sqlite.h"

namespace storage {

// The schema version this binary writes (PRAGMA user_version after migration).
// A database with a higher version comes from a newer podcrawl and is refused.
inline constexpr int64_t kSchemaVersion = 9;

// Options for OpenDatabase and the stores' Open.
struct StoreOptions {
  // Opens the file read-only (SQLITE_OPEN_READONLY) for readers such as
  // `export` and `stats`: no migration runs, and a database that is not at
  // kSchemaVersion is refused. Writes fail with kStorage.
  bool read_only = false;
  // How long a statement waits for another connection's lock.
  int busy_timeout_ms = 5000;
  // Keeps every new version of a page's bytes, zstd-compressed, in
  // page_archive (Store::SavePage), so `podcrawl reparse` can re-extract
  // them, within the retention (core::ArchiveSettings).
  core::ArchiveSettings archive{};
};

// Opens one connection to the database at `path`: busy timeout, WAL, foreign
// keys, and the migrations to kSchemaVersion (or, read only, the version
// check). Store::Open, OpenFrontierStore (storage/frontier_store.h) and
// ScheduleStore::Open all open through it. Fails with kStorage naming the
// path.
core::Result<Connection> OpenDatabase(const std::string& path,
                                      const StoreOptions& options = {});

// Applies the schema migrations of `db` up to `version` only, for tests that
// build a database as an older podcrawl left it.
core::Status MigrateToForTesting(Connection& db, int64_t version);

}  // namespace storage
