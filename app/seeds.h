// Seed URLs for `podcrawl crawl`: the ones given on the command line and in the
// config, normalised, and a seeds file read batch by batch so a file of
// millions of URLs never sits in memory.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "crawler/crawler.h"

namespace app {

// The batch size the crawl reads a seeds file in.
inline constexpr size_t kSeedBatch = 10'000;

// Returns `urls` normalised (core::NormalizeUrl), in order. The first URL that
// is not http(s) is a kConfig error "seed: <reason>".
core::Result<std::vector<std::string>> NormalizeSeeds(
    const std::vector<std::string>& urls);

// Calls `add` with the seed URLs of the file at `path`, normalised, in batches
// of at most `batch` (each batch full but the last): one URL a line; blank
// lines and lines starting with '#' (after leading blanks) are skipped, and
// blanks around a URL trimmed. A line that is not an http(s) URL is a kConfig
// error "PATH:LINE: <reason>", returned before `add` sees the batch holding
// it; so is a file that cannot be read. An error from `add` ends the reading
// and is returned as is.
core::Status ForEachSeedBatch(
    const std::string& path, size_t batch,
    const std::function<core::Status(const std::vector<std::string>&)>& add);

// Reads the whole seeds file at `path` without queueing anything: its first
// error, as ForEachSeedBatch would return it. `crawl` checks the file this way
// before it queues a URL, so a bad line leaves the database as it was.
core::Status CheckSeedsFile(const std::string& path);

// Queues the seeds of the file at `path` on `crawl`, kSeedBatch at a time.
// Returns the file's error (kConfig), or the crawler's, with
// `*queueing_failed` set.
core::Status AddSeedsFile(const std::string& path, crawler::Crawler* crawl,
                          bool* queueing_failed);

}  // namespace app
