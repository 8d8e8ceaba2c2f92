// podcrawl report [--db PATH] [--output FILE] [--since TIME] [--show URL|NAME]:
// writes one self-contained HTML page (app/report.h) about the database,
// reading it read-only. The page replaces FILE whole (written beside it, then
// renamed), so a browser never sees half a report.
#include "app/report.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "storage/report_data.h"

namespace cli {
namespace {

class ReportCommand : public Command {
 public:
  std::string name() const override { return "report"; }
  std::string description() const override {
    return "write an HTML report with charts: crawl health, the shows that "
           "moved most, each show's history and related shows";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("-o,--output", output_, "the HTML file to write")
        ->capture_default_str();
    app->add_option("--since", since_,
                    "the window: a duration back from now (24h, 7d) or a "
                    "time (ISO 8601, Unix seconds)")
        ->capture_default_str();
    app->add_option("--show", show_,
                    "only this show, by its URL or its name (any case)");
    AddDbFlag(app);
  }

  int Run(CommandContext& context) override {
    const int64_t now_ms = core::SystemClock().NowMs();
    storage::ReportQuery query;
    query.now_ms = now_ms;
    std::optional<int64_t> since = app::ParseSinceArgument(since_, now_ms);
    if (!since) {
      return Fail(kExitUsage, "--since: \"" + since_ +
                                  "\" is neither a duration (7d, 24h) nor a "
                                  "time (2026-11-28T15:00:00Z, Unix seconds)");
    }
    query.since_ms = *since;
    query.show = show_;
    std::optional<storage::Connection> db = OpenForReading(context.config.db);
    if (!db) return kExitStorage;
    auto data = storage::GatherReport(*db, query);
    if (!data) {
      const bool usage = data.error().code == core::ErrorCode::kInvalidArgument;
      return Fail(usage ? kExitUsage : kExitStorage,
                  (usage ? "--show: " : "") + data.error().message);
    }
    const std::string html = app::RenderReportHtml(*data);
    const std::string temp = output_ + ".part";
    {
      std::ofstream file(temp, std::ios::binary | std::ios::trunc);
      file << html;
      file.close();
      if (!file) {
        std::remove(temp.c_str());
        return Fail(kExitUsage,
                    "cannot write " + temp + ": " + std::strerror(errno));
      }
    }
    if (std::rename(temp.c_str(), output_.c_str()) != 0) {
      const std::string error = std::strerror(errno);
      std::remove(temp.c_str());
      return Fail(kExitUsage, "cannot write " + output_ + ": " + error);
    }
    spdlog::info("report written to {} ({} shows, {} KB)", output_,
                 data->shows.size(), (html.size() + 1023) / 1024);
    return kExitOk;
  }

 private:
  std::string output_ = "report.html";
  std::string since_ = "30d";
  std::string show_;
};

}  // namespace

std::unique_ptr<Command> NewReportCommand() {
  return std::make_unique<ReportCommand>();
}

}  // namespace cli
