// Seed URLs for `podcrawl crawl`: the ones given on the command line and in the
// config, normalised, and a seeds file (or standard input, "-") read once and
// batch by batch, so a file of millions of URLs never sits in memory and a
// pipe is read like a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/settings.h"
#include "crawler/crawler.h"

namespace app {

// The batch size the crawl reads a seeds file in.
inline constexpr size_t kSeedBatch = 10'000;

// The --seeds value that means standard input.
inline constexpr const char* kStdinSeeds = "-";

// Returns `urls` normalised (core::NormalizeUrl), in order. The first URL that
// is not http(s) is a kConfig error "seed: <reason>".
core::Result<std::vector<std::string>> NormalizeSeeds(
    const std::vector<std::string>& urls);

// Calls `add` with the seed URLs of the file at `path` ("-": standard input),
// normalised, in batches of at most `batch` (each batch full but the last),
// reading the input once from start to end: one URL a line; blank lines and
// lines starting with '#' (after leading blanks) are skipped, and blanks
// around a URL trimmed. A line that is not an http(s) URL is a kConfig error
// "PATH:LINE: <reason>" ("stdin:LINE: ..." for "-"), returned before `add`
// sees the batch holding it; so is an input that cannot be read. An error from
// `add` ends the reading and is returned as is.
core::Status ForEachSeedBatch(
    const std::string& path, size_t batch,
    const std::function<core::Status(const std::vector<std::string>&)>& add);

// The seeds of a seeds file or of standard input, read once, checked whole and
// kept normalised, one a line, in an unnamed temporary file (removed when the
// spool is destroyed, also by a crash) until they are queued. `crawl` reads
// --seeds this way before it opens the database, so a bad line leaves the
// database as it was, and a pipe, /dev/stdin or <(cmd) (which can be read only
// once) crawls what came through it. Movable, not copyable; not thread-safe.
class SeedSpool {
 public:
  // Reads every seed of `path` ("-": standard input) as ForEachSeedBatch does.
  // Returns its first error (kConfig), or kConfig when the temporary file
  // cannot be made or written (naming TMPDIR's folder).
  static core::Result<SeedSpool> Read(const std::string& path);

  // Returns how many seeds the input held (comments and blank lines aside;
  // duplicates counted each time).
  int64_t size() const { return size_; }

  // Calls `add` with the spooled seeds in input order, in batches of at most
  // `batch` (each full but the last). An error from `add` ends the reading and
  // is returned as is; a read error of the spool is kInternal.
  core::Status ForEachBatch(
      size_t batch,
      const std::function<core::Status(const std::vector<std::string>&)>& add)
      const;

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const noexcept;
  };
  SeedSpool(std::unique_ptr<std::FILE, FileCloser> file, int64_t size)
      : file_(std::move(file)), size_(size) {}

  std::unique_ptr<std::FILE, FileCloser> file_;
  int64_t size_ = 0;
};

// Queues the seeds of `spool` on `crawl`, kSeedBatch at a time (each batch in
// one frontier transaction). Returns the crawler's error (kStorage ...).
core::Status AddSpooledSeeds(const SeedSpool& spool, crawler::Crawler* crawl);

// What `podcrawl crawl` starts from: the seeds of the config and of the
// command line, the sitemaps, and a seeds file (--seeds), all checked before
// the database is opened.
struct CrawlInputs {
  std::vector<std::string> seeds;     // normalised, in order
  std::vector<std::string> sitemaps;  // normalised, in order
  std::optional<SeedSpool> spool;     // --seeds, when given

  // Returns true when nothing is to be queued: the crawl can only resume.
  bool empty() const {
    return seeds.empty() && sitemaps.empty() && (!spool || spool->size() == 0);
  }

  // Queues the seeds, the sitemaps and the spool's seeds on `crawl`. Returns
  // the crawler's error (kStorage ...).
  core::Status AddTo(crawler::Crawler* crawl) const;
};

// Returns the inputs of a crawl: `crawl.seeds` then `urls`, `crawl.sitemap`'s
// URLs, and the seeds of `seeds_file` ("-": standard input; empty: none), read
// whole into a SeedSpool. A seed or sitemap that is not an http(s) URL, or a
// bad seeds file, is the kConfig error of NormalizeSeeds or SeedSpool::Read.
core::Result<CrawlInputs> ReadCrawlInputs(const core::CrawlSettings& crawl,
                                          const std::vector<std::string>& urls,
                                          const std::string& seeds_file);

}  // namespace app
