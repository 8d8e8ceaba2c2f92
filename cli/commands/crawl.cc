// podcrawl crawl [URL...] [--seeds FILE] [--db PATH] ...: crawls from the seeds
// into the database, or resumes the crawl the database holds.
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

#include "app/options.h"
#include "app/page_pipeline.h"
#include "app/rounds.h"
#include "app/seeds.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "core/clock.h"
#include "crawler/crawler.h"
#include "storage/frontier_store.h"
#include "storage/store.h"

namespace cli {
namespace {

class CrawlCommand : public Command {
 public:
  std::string name() const override { return "crawl"; }
  std::string description() const override {
    return "crawl from seed URLs into the database; resumes an interrupted "
           "crawl";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("URL", urls_, "seed URLs (http or https)");
    app->add_option("--seeds", seeds_file_, "file of seed URLs, one a line");
    AddDbFlag(app);
    Number(app, "--max-pages", &max_pages_, "stop after this many pages");
    Number(app, "--concurrency", &concurrency_, "transfers in flight");
    Number(app, "--per-host", &per_host_, "transfers in flight per host");
    Number(app, "--delay", &delay_ms_, "ms between requests to one host");
    Number(app, "--max-depth", &max_depth_, "link depth from the seeds");
    Number(app, "--workers", &workers_,
           "parse/store threads (0: one per core)");
    app->add_flag("--ignore-robots", ignore_robots_,
                  "do not obey robots.txt (only for sites you run)");
    AddStatusIntervalFlag(app, &status_interval_ms_);
    AddFetchFlags(app, &fetch_flags_);
  }

  void ApplyOverrides(config::Config* config) const override {
    ApplyFetchFlags(fetch_flags_, &config->fetch);
    config::CrawlConfig& crawl = config->crawl;
    if (max_pages_) crawl.max_pages = *max_pages_;
    if (concurrency_) crawl.concurrency = *concurrency_;
    if (per_host_) crawl.per_host = *per_host_;
    if (delay_ms_) crawl.delay_ms = *delay_ms_;
    if (max_depth_) crawl.max_depth = *max_depth_;
    if (workers_) crawl.workers = *workers_;
    if (ignore_robots_) crawl.obey_robots = false;
  }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    std::vector<std::string> raw_seeds = config.crawl.seeds;
    raw_seeds.insert(raw_seeds.end(), urls_.begin(), urls_.end());
    auto seeds = app::NormalizeSeeds(raw_seeds);
    if (!seeds) return Fail(kExitUsage, seeds.error().message);
    if (!seeds_file_.empty()) {
      // Before anything is queued; read again below, batch by batch.
      auto checked = app::CheckSeedsFile(seeds_file_);
      if (!checked) return Fail(kExitUsage, checked.error().message);
    }

    auto store = app::OpenStore(config);
    if (!store) return Fail(kExitStorage, store.error().message);
    auto frontier = storage::OpenFrontierStore(config.db);
    if (!frontier) return Fail(kExitStorage, frontier.error().message);
    if (seeds->empty() && seeds_file_.empty()) {
      auto counts = (*frontier)->Counts(core::SystemClock().NowMs());
      if (!counts) return Fail(kExitStorage, counts.error().message);
      if (counts->queued + counts->in_flight == 0) {
        return Fail(kExitUsage,
                    "nothing to crawl: give seed URLs (or --seeds FILE); " +
                        config.db + " has no queued URL to resume");
      }
      spdlog::info("resuming the crawl in {}: {} URLs queued", config.db,
                   counts->queued + counts->in_flight);
    }

    app::StorePipeline pipeline(store->get(), app::ToParseOptions(config));
    crawler::Crawler crawl(app::ToCrawlOptions(config.fetch, config.crawl),
                           frontier->get(), &pipeline);
    if (auto added = crawl.AddSeeds(*seeds); !added)
      return Fail(kExitStorage, added.error().message);
    if (!seeds_file_.empty()) {
      bool queueing_failed = false;
      auto read = app::AddSeedsFile(seeds_file_, &crawl, &queueing_failed);
      if (!read)
        return Fail(queueing_failed ? kExitStorage : kExitUsage,
                    read.error().message);
    }

    StopSignals signals;
    const bool quiet = context.common->quiet;
    ProgressLine progress(ProgressStyleForStderr(quiet), status_interval_ms_);
    auto result = crawl.Run(signals.stop(), [&progress](const auto& stats) {
      progress.Update(stats);
    });
    progress.Clear();
    if (!result) return Fail(kExitStorage, result.error().message);
    const crawler::CrawlStats& stats = *result;
    if (!quiet) spdlog::info("{}", FormatSummary(stats));
    if (int code = SignalExit(signals); code != kExitOk) return code;
    // A host that did not answer, or nothing fetched at all: one line each.
    const std::vector<std::string> failures = app::CrawlFailures(stats);
    for (const std::string& line : failures) spdlog::error("{}", line);
    return failures.empty() ? kExitOk : kExitFetch;
  }

 private:
  // Adds a numeric option: a whole number in the range of T.
  template <typename T>
  static void Number(CLI::App* app, const std::string& name,
                     std::optional<T>* value, const std::string& help) {
    app->add_option(name, *value, help)->transform(WholeNumber<T>());
  }

  std::vector<std::string> urls_;
  std::string seeds_file_;
  std::optional<int64_t> max_pages_;
  std::optional<int> concurrency_;
  std::optional<int> per_host_;
  std::optional<int64_t> delay_ms_;
  std::optional<int> max_depth_;
  std::optional<int> workers_;
  bool ignore_robots_ = false;
  int64_t status_interval_ms_ = kStatusIntervalMs;
  FetchFlags fetch_flags_;
};

}  // namespace

std::unique_ptr<Command> NewCrawlCommand() {
  return std::make_unique<CrawlCommand>();
}

}  // namespace cli
