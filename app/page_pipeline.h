// StorePipeline: what podcrawl does with a fetched page, as the crawler's
// core::PageHandler: parse -> store (record and fetch log) -> return the page's
// links. `fetch` uses the same path for its single page, so one fetched page is
// stored the same way whichever command fetched it. ReparseArchive runs the
// same parse over the archived pages (`podcrawl reparse`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/page_handler.h"
#include "parser/page_parser.h"
#include "storage/store.h"

namespace app {

class StorePipeline : public core::PageHandler {
 public:
  // `store` may be null (fetch without --db: parse only). It must outlive the
  // pipeline, and so must `clock`, which stamps fetches (null: the system
  // clock). The pipeline's construction time is the start of its round: the
  // pages it stores are one round for the store's listener counts
  // (storage::PageVersion::round_started_ms).
  StorePipeline(storage::Store* store, parser::ParseOptions options,
                const core::Clock* clock = nullptr);

  // Parses `page`, stores its record and a fetch-log row, and returns the
  // parsed page. `changed`, when given, is set to whether the record differs
  // from the page's last stored one (true without a store). Storage failures
  // are kStorage errors. Thread-safe (the Store serialises its writes).
  core::Result<parser::ParsedPage> Handle(const core::FetchedPage& page,
                                          int64_t fetched_at_ms,
                                          bool* changed = nullptr);

  // core::PageHandler: Handle() at the current time, its writes (the record,
  // the fetch-log row) left to HandledPage::commit; the page's links and
  // kind.
  core::Result<core::HandledPage> OnPage(
      const core::FetchedPage& page) override;
  // core::PageHandler: logs the failed fetch.
  core::Status OnFailure(const std::string& url, const core::Error& error,
                         const core::FetchedPage* page) override;
  // Logs the fetch of a 304 or a sitemap (the `fetches` row), in the batch.
  core::Status OnUnparsed(const core::FetchedPage& page) override;

  // Appends one fetch-log row for `url` (page and/or error may be null).
  core::Status LogFetch(const std::string& url, int64_t fetched_at_ms,
                        const core::FetchedPage* page,
                        const core::Error* error);

 private:
  // A page's writes, prepared on a worker (OnPage) for HandledPage::commit.
  struct Write {
    storage::PreparedPage page;
    storage::FetchLogEntry fetch;
  };

  int64_t NowMs() const;
  // Returns the parsed page, confined to its site; logs its record's errors.
  parser::ParsedPage Parse(const core::FetchedPage& page) const;
  // Returns the version of `page` to store.
  storage::PageVersion VersionOf(const core::FetchedPage& page) const;
  storage::FetchLogEntry FetchLogEntryOf(const std::string& url,
                                         int64_t fetched_at_ms,
                                         const core::FetchedPage* page,
                                         const core::Error* error) const;

  storage::Store* store_;
  parser::ParseOptions options_;
  const core::Clock* clock_;
  int64_t round_started_ms_ = 0;
};

// What ReparseArchive did.
struct ReparseCounts {
  int64_t pages = 0;    // archived pages parsed (the latest version of each)
  int64_t changed = 0;  // of those, pages whose record changed
};

// Parses the latest archived version of every page again with `options` and
// saves the records that changed, each observed at its archived fetch time (no
// network). Errors are kStorage.
core::Result<ReparseCounts> ReparseArchive(storage::Store* store,
                                           parser::ParseOptions options);

}  // namespace app
