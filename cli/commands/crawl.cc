// podcrawl crawl [URL...] [--seeds FILE|-] [--recrawl] [--db PATH] ...: crawls
// from the seeds into the database, or resumes the crawl the database holds;
// --recrawl fetches its done pages again (conditional GET).
#include <spdlog/spdlog.h>

#include <cstdint>
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
    app->add_option("--seeds", seeds_file_,
                    "file of seed URLs, one a line; - reads standard input");
    app->add_flag("--recrawl", recrawl_,
                  "queue the crawl's done URLs again (fetched with a "
                  "conditional GET)");
    AddDbFlag(app);
    AddCrawlFlags(app);
    app->add_flag("--ignore-robots", ignore_robots_,
                  "do not obey robots.txt (only for sites you run)");
    AddListFlag(
        app, "--sitemap", "crawl.sitemaps",
        +[](config::Config& c) -> std::vector<std::string>& {
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
    // --seeds is read once, whole, before the database is opened: a bad line
    // changes nothing, and a pipe is read like a file.
    auto inputs = app::ReadCrawlInputs(config.crawl, urls_, seeds_file_);
    if (!inputs) return Fail(kExitUsage, inputs.error().message);

    auto store = app::OpenStore(config);
    if (!store) return Fail(kExitStorage, store.error().message);
    // On the store's connection: a page's record and its frontier state
    // commit together.
    auto frontier = storage::OpenFrontierStore(store->get());
    if (!frontier) return Fail(kExitStorage, frontier.error().message);

    app::StorePipeline pipeline(store->get(), app::ToParseOptions(config));
    crawler::Crawler crawl(app::ToCrawlOptions(config.fetch, config.crawl),
                           frontier->get(), &pipeline);
    if (auto added = inputs->AddTo(&crawl); !added)
      return Fail(kExitStorage, added.error().message);
    if (inputs->spool) {
      spdlog::debug("{} seeds from {}", inputs->spool->size(), SeedsName());
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
    if (inputs->empty()) {
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
    if (!quiet) spdlog::info("{}", FormatSummary(stats, already_done));
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
