// podcrawl crawl [URL...] [--seeds FILE|-] [--recrawl] [--db PATH] ...: crawls
// from the seeds into the database, or resumes the crawl the database holds;
// --recrawl fetches its done pages again (conditional GET).
#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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
    app->add_option("--seeds", seeds_file_,
                    "file of seed URLs, one a line; - reads standard input");
    app->add_flag("--recrawl", recrawl_,
                  "queue the crawl's done URLs again (fetched with a "
                  "conditional GET)");
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
    AddListFlag(
        app, "--sitemap", "crawl.sitemaps",
        +[](Config& c) -> std::vector<std::string>& {
          return c.crawl.sitemap.urls;
        },
        "sitemap or sitemap index URL whose pages to crawl (repeatable; "
        "XML, text or gzip)");
    app->add_flag("--robots-sitemaps", robots_sitemaps_,
                  "also read the sitemaps robots.txt names (Sitemap: lines; "
                  "crawl.sitemaps_from_robots)");
    AddStatusIntervalFlag(app, &status_interval_ms_);
    AddFetchFlags(app);
  }

  void ApplyOverrides(config::Config* config) const override {
    if (ignore_robots_) config->crawl.obey_robots = false;
    if (robots_sitemaps_) config->crawl.sitemap.from_robots = true;
  }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    std::vector<std::string> raw_seeds = config.crawl.seeds;
    raw_seeds.insert(raw_seeds.end(), urls_.begin(), urls_.end());
    auto seeds = app::NormalizeSeeds(raw_seeds);
    if (!seeds) return Fail(kExitUsage, seeds.error().message);
    auto sitemaps = app::NormalizeSeeds(config.crawl.sitemap.urls);
    if (!sitemaps) return Fail(kExitUsage, sitemaps.error().message);
    // --seeds is read once, whole, before the database is opened: a bad line
    // changes nothing, and a pipe is read like a file.
    std::optional<app::SeedSpool> spool;
    if (!seeds_file_.empty()) {
      auto read = app::SeedSpool::Read(seeds_file_);
      if (!read) return Fail(kExitUsage, read.error().message);
      spool.emplace(std::move(read).value());
    }

    auto store = app::OpenStore(config);
    if (!store) return Fail(kExitStorage, store.error().message);
    auto frontier = storage::OpenFrontierStore(config.db);
    if (!frontier) return Fail(kExitStorage, frontier.error().message);

    app::StorePipeline pipeline(store->get(), app::ToParseOptions(config));
    crawler::Crawler crawl(app::ToCrawlOptions(config.fetch, config.crawl),
                           frontier->get(), &pipeline);
    if (auto added = crawl.AddSeeds(*seeds); !added)
      return Fail(kExitStorage, added.error().message);
    if (auto added = crawl.AddSitemaps(*sitemaps); !added)
      return Fail(kExitStorage, added.error().message);
    if (spool) {
      if (auto added = app::AddSpooledSeeds(*spool, &crawl); !added)
        return Fail(kExitStorage, added.error().message);
      spdlog::debug("{} seeds from {}", spool->size(), SeedsName());
    }
    const int64_t now = core::SystemClock().NowMs();
    if (recrawl_) {
      auto requeued = (*frontier)->RequeueDone(now);
      if (!requeued) return Fail(kExitStorage, requeued.error().message);
      spdlog::info(
          "--recrawl: {} done URLs queued again (asked for with "
          "If-None-Match / If-Modified-Since where their last answer had "
          "validators)",
          *requeued);
    }
    auto counts = (*frontier)->Counts(now);
    if (!counts) return Fail(kExitStorage, counts.error().message);
    if (seeds->empty() && sitemaps->empty() && (!spool || spool->size() == 0)) {
      if (counts->queued + counts->in_flight == 0) {
        return Fail(kExitUsage, NothingToCrawl(config.db, counts->done));
      }
      spdlog::info("resuming the crawl in {}: {} URLs queued", config.db,
                   counts->queued + counts->in_flight);
    }
    // Done before this run and not queued again: the run will not fetch them.
    const int64_t already_done = counts->done;

    StopSignals signals;
    const bool quiet = context.common->quiet;
    ProgressLine progress(ProgressStyleForStderr(quiet), status_interval_ms_);
    auto result = crawl.Run(signals.stop(), [&progress](const auto& stats) {
      progress.Update(stats);
    });
    progress.Clear();
    if (!result) return Fail(kExitStorage, result.error().message);
    const crawler::CrawlStats& stats = *result;
    if (!quiet) {
      std::string summary = FormatSummary(stats);
      if (already_done > 0) {
        summary += "\n  " + std::to_string(already_done) +
                   " URLs were done already and not fetched again "
                   "(podcrawl crawl --recrawl fetches them again)";
      }
      spdlog::info("{}", summary);
    }
    if (int code = SignalExit(signals); code != kExitOk) return code;
    // A host that did not answer, or nothing fetched at all: one line each.
    const std::vector<std::string> failures = app::CrawlFailures(stats);
    for (const std::string& line : failures) spdlog::error("{}", line);
    return failures.empty() ? kExitOk : kExitFetch;
  }

 private:
  // Returns how --seeds is named in messages.
  std::string SeedsName() const {
    return seeds_file_ == app::kStdinSeeds ? "stdin" : seeds_file_;
  }

  // Returns the "nothing to crawl" message: no seed given (or an empty
  // --seeds input), nothing queued in `db`, which holds `done` done URLs.
  std::string NothingToCrawl(const std::string& db, int64_t done) const {
    std::string text = "nothing to crawl: ";
    text += seeds_file_.empty()
                ? "give seed URLs (or --seeds FILE, - for standard input)"
                : SeedsName() + " holds no seed URL";
    text += "; " + db + " has no queued URL to resume";
    if (done > 0 && !recrawl_) {
      text +=
          " (" + std::to_string(done) + " done: --recrawl fetches them again)";
    }
    return text;
  }

  std::vector<std::string> urls_;
  std::string seeds_file_;
  bool ignore_robots_ = false;
  bool robots_sitemaps_ = false;
  int64_t status_interval_ms_ = kStatusIntervalMs;
  bool recrawl_ = false;
};

}  // namespace

std::unique_ptr<Command> NewCrawlCommand() {
  return std::make_unique<CrawlCommand>();
}

}  // namespace cli
