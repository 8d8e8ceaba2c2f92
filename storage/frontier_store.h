// The crawl frontier in podcrawl's SQLite database: core::FrontierStore
// (core/frontier.h) on the table `frontier`, documented with the rest of the
// schema at the top of storage/store.cc.
//
// Its own connection to the same database file as storage::Store (WAL, busy
// timeout, the same migrations, so either may open the file first). Every
// write is one short transaction (one statement, or BEGIN IMMEDIATE around
// several: Add's batch, Complete's mark and links), with statements prepared
// once and reused; Claim's select and update run in one BEGIN IMMEDIATE
// transaction, so two processes or threads never claim the same URL. Every
// query walks an index: claiming stays fast and memory flat with millions of
// rows, and no call reads more than a bounded window of rows. Claim returns at
// most 65,536 URLs per call.
//
// URLs are stored under StorageKey (store.h), so a URL that is not normalised
// yet still lands under its normalised key. A URL's host is core::UrlHost(url)
// (lowercased, without port); Claim's `skip_hosts` are compared with it.
//
// Where core/frontier.h leaves a choice:
// - A store sees only its partition (FrontierPartition below): every method
//   reads and writes the rows of its schedule, and the links Complete adds go
//   into the same partition.
// - Complete, Retry and Fail of a URL the partition does not know fail with
//   kInvalidArgument (and Complete then adds none of its links); they apply to
//   a known URL in any state.
// - Complete keeps a stored validator the response did not carry (a 304 often
//   omits them), and the stored kind when the visit's is kUnknown; it resets
//   attempts and clears the last error.
// - Add and Requeue store no referrer (seeds); Complete stores the completed
//   URL as the referrer of the links it adds. A URL known already keeps the
//   referrer it was first queued with.
// - RequeueDone requeues only the partition's 'done' rows (failed ones stay
//   failed), as Requeue does: validators, kind and depth kept.
// - Requeue leaves a URL in flight alone (its fetch is under way; if the
//   process that claimed it died, RequeueInFlight returns it). A requeued URL
//   keeps its validators, for a conditional GET, and the smaller depth; a done
//   or failed one is due at `now_ms` whatever its recrawl time was.
// - RequeueInFlight keeps each URL's place in the claim order (next_fetch_ms
//   becomes min(next_fetch_ms, now)).
// - Claim stamps last_fetch_ms with `now_ms`; Complete and Fail stamp it again.
// - Counts reads the partition's per-state counts kept by triggers (table
//   frontier_counts), so it costs the same for any frontier size; only `due`
//   counts index entries, those of the partition's queued URLs not due yet.
// - NextDueMs looks at queued URLs only: with a recrawl policy, a done or
//   failed URL's next due time is ScheduleStore::NextPageDueMs's business.
//
// Thread-safety: every method may be called from several threads; calls are
// serialised on the store's one connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/frontier.h"
#include "core/result.h"
#include "core/schedule.h"
#include "storage/store.h"

namespace storage {

// Which part of the frontier table a store works on. Each schedule has its own
// frontier (rows with frontier.schedule = its name): a URL is known once per
// schedule, a round claims only its schedule's URLs, and its scope and
// depth apply to them. One-off `crawl` runs use the schedule '' .
struct FrontierPartition {
  std::string schedule;  // '' for one-off crawls
  // Complete stores the page's kind (when the visit knows it) in any
  // partition. When `recrawl` is set, it also stores the page's adaptive
  // recrawl interval (core::NextRecrawlIntervalMs from the stored interval,
  // the visit's kind or else the stored kind, and visit.changed), and the row,
  // now 'done', keeps its next due time in next_fetch_ms: now + interval. Fail
  // sets next_fetch_ms = now + failed_ms. Seeds (depth 0) are due when their
  // schedule is, not by interval: their done or failed rows get next_fetch_ms
  // = kNeverDueMs. Without a policy (one-off crawls) Complete and Fail leave
  // next_fetch_ms alone, as before.
  std::optional<core::RecrawlPolicy> recrawl;
};

// next_fetch_ms of a done or failed row that no interval brings back (a
// schedule's seeds: their schedule requeues them).
inline constexpr int64_t kNeverDueMs = INT64_MAX;

// Opens (creating if needed) the database at `path` and migrates it, as
// Store::Open does, and returns a frontier store on the partition's rows.
// `options.read_only` opens it for Counts() and NextDueMs() only; writes then
// fail with kStorage. Fails with kStorage naming the path, or with
// kInvalidArgument when the partition's recrawl policy is not valid
// (core::ValidateRecrawlPolicy).
core::Result<std::unique_ptr<core::FrontierStore>> OpenFrontierStore(
    const std::string& path, const StoreOptions& options = {},
    FrontierPartition partition = {});

// Returns a frontier store on the partition's rows that shares `store`'s
// connection (`store` must outlive it): a crawl's batches
// (core::FrontierStore::BeginBatch) then hold the pages' records and their
// frontier state in one transaction. Fails like the function above on an
// invalid recrawl policy.
core::Result<std::unique_ptr<core::FrontierStore>> OpenFrontierStore(
    Store* store, FrontierPartition partition = {});

// A URL that failed for good, as `podcrawl stats --failures` lists it.
struct FrontierFailure {
  std::string schedule;  // its partition: '' for one-off crawls
  std::string url;
  // frontier.last_error: the failure reason, then its message ("http_404",
  // "network: Could not connect to server").
  std::string reason;
  // The page whose links queued it; nullopt for a seed (or a row queued
  // before the referrer was kept).
  std::optional<std::string> referrer;
  int64_t attempts = 0;
  std::optional<int64_t> last_fetch_ms;
};

// Calls `on_failure` for each failed URL of every partition of `db`, by
// schedule then URL, stepping one statement (memory stays flat). `db` may be
// read-only. Returns the first storage error.
core::Status ForEachFailure(
    Connection& db,
    const std::function<void(const FrontierFailure&)>& on_failure);

// Returns the SQL of the statements the frontier store prepares, for tests that
// check with EXPLAIN QUERY PLAN that each one walks an index.
std::vector<std::string_view> FrontierStatementsForTesting();

}  // namespace storage
