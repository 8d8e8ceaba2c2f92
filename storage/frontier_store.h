// The crawl frontier in podcrawl's SQLite database: core::FrontierStore
// (core/frontier.h) on the table `frontier`, documented with the rest of the
// schema at the top of storage/store.cc.
//
// Its own connection to the same database file as storage::Store (WAL, busy
// timeout, the same migrations, so either may open the file first). Every call
// is one short write transaction (BEGIN IMMEDIATE), with statements prepared
// once and reused; Claim's select and update run in one transaction, so two
// processes or threads never claim the same URL. Every query walks an index:
// claiming stays fast and memory flat with millions of rows, and no call loads
// more than the rows it returns.
//
// URLs are stored under StorageKey (store.h), so a URL that is not normalised
// yet still lands under its normalised key. A URL's host is core::UrlHost(url)
// (lowercased, without port); Claim's `skip_hosts` are compared with it.
//
// Thread-safety: every method may be called from several threads; calls are
// serialised on the store's one connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/frontier.h"
#include "core/result.h"
#include "storage/store.h"

namespace storage {

// Opens (creating if needed) the database at `path` and migrates it, as
// Store::Open does, and returns a frontier store on it. `options.read_only`
// opens it for Counts() and NextDueMs() only; writes then fail with kStorage.
// Fails with kStorage naming the path.
core::Result<std::unique_ptr<core::FrontierStore>> OpenFrontierStore(
    const std::string& path, const StoreOptions& options = {});

// Returns the SQL of the statements the frontier store prepares, for tests that
// check with EXPLAIN QUERY PLAN that each one walks an index.
std::vector<std::string_view> FrontierStatementsForTesting();

}  // namespace storage
