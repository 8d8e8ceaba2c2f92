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
    using config::Config;
    AddSettingFlag(
        app, "--max-pages", "crawl.max_pages",
        +[](Config& c) -> int64_t& { return c.crawl.max_pages; },
        "stop after this many pages (0: no limit)");
    AddSettingFlag(
        app, "--concurrency", "crawl.concurrency",
        +[](Config& c) -> int& { return c.crawl.concurrency; },
        "transfers in flight");
    AddSettingFlag(
        app, "--per-host", "crawl.per_host",
        +[](Config& c) -> int& { return c.crawl.politeness.per_host; },
        "transfers in flight per host");
    AddDurationFlag(
        app, "--delay", "crawl.delay_ms",
        +[](Config& c) -> int64_t& { return c.crawl.politeness.delay_ms; },
        "time between request starts to one host (1s, 500ms, 0 ...)");
    AddSettingFlag(
        app, "--max-depth", "crawl.max_depth",
        +[](Config& c) -> int& { return c.crawl.scope.max_depth; },
        "link depth from the seeds");
    AddSettingFlag(
        app, "--workers", "crawl.workers",
        +[](Config& c) -> int& { return c.crawl.workers; },
        "parse/store threads (0: one per core)");
    app->add_flag("--ignore-robots", ignore_robots_,
                  "do not obey robots.txt (only for sites you run)");
    AddStatusIntervalFlag(app, &status_interval_ms_);
    AddFetchFlags(app);
  }

  void ApplyOverrides(config::Config* config) const override {
    if (ignore_robots_) config->crawl.obey_robots = false;
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
  std::vector<std::string> urls_;
  std::string seeds_file_;
  bool ignore_robots_ = false;
  int64_t status_interval_ms_ = kStatusIntervalMs;
};

}  // namespace

std::unique_ptr<Command> NewCrawlCommand() {
  return std::make_unique<CrawlCommand>();
}

}  // namespace cli
