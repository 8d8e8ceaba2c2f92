// podcrawl fetch URL [--db PATH]: fetches one page, prints its record, and
// stores it (record and fetch log) with --db, through the crawl's pipeline.
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "app/options.h"
#include "app/page_pipeline.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "core/url.h"
#include "crawler/http_client.h"
#include "storage/store.h"

namespace cli {
namespace {

class FetchCommand : public Command {
 public:
  std::string name() const override { return "fetch"; }
  std::string description() const override {
    return "fetch one page; print its record; store it with --db";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("URL", url_, "http or https URL")->required();
    AddDbFlag(app, "SQLite database to store the record in");
    AddFetchFlags(app);
  }

  void AddOutputFlags(CLI::App* app) override {
    AddJsonStyleFlags(app, &style_);
  }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    auto normalized = core::NormalizeUrl(url_);
    if (!normalized) return Fail(kExitUsage, normalized.error().message);

    // The database is opened before the fetch, so a bad --db costs no
    // request.
    std::unique_ptr<storage::Store> store;
    if (db_flag()) {
      auto opened = app::OpenStore(config);
      if (!opened) return Fail(kExitStorage, opened.error().message);
      store = std::move(opened).value();
    }

    app::StorePipeline pipeline(store.get(), app::ToParseOptions(config));
    crawler::HttpClient client(app::ToFetchOptions(config.fetch));
    const int64_t started_ms = core::SystemClock().NowMs();
    spdlog::debug("fetching {}", *normalized);
    auto fetched = client.Fetch(*normalized);
    if (!fetched) {
      LogFailure(&pipeline, *normalized, fetched.error(), nullptr);
      return Fail(kExitFetch, fetched.error().message);
    }
    const core::FetchedPage& page = *fetched;
    if (auto ok = crawler::CheckPage(page); !ok) {
      LogFailure(&pipeline, *normalized, ok.error(), &page);
      return Fail(kExitFetch, ok.error().message);
    }
    auto parsed = pipeline.Handle(page, started_ms);
    if (!parsed) return Fail(kExitStorage, parsed.error().message);
    if (store) {
      spdlog::info("stored {} ({}) in {}", parsed->record.key_url(),
                   core::PageKindName(parsed->record.kind), config.db);
    }
    PrintRecord(parsed->record, style_, *context.out);
    return kExitOk;
  }

 private:
  // Logs the failed fetch in the database (with --db); a storage error there
  // is only a warning: the fetch's error is what the command reports.
  static void LogFailure(app::StorePipeline* pipeline, const std::string& url,
                         const core::Error& error,
                         const core::FetchedPage* page) {
    if (auto logged = pipeline->OnFailure(url, error, page); !logged)
      spdlog::warn("{}", logged.error().message);
  }

  std::string url_;
  JsonStyle style_ = JsonStyle::kAuto;
};

}  // namespace

std::unique_ptr<Command> NewFetchCommand() {
  return std::make_unique<FetchCommand>();
}

}  // namespace cli
