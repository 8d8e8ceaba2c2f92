// podcrawl export [--format jsonl|csv|json] [--what ...] [--fields A,B]
// [--since TIME] [-o FILE [--force|--append]] [--db PATH]: writes rows of the
// database's views, reading it read-only. The format follows FILE's extension
// unless --format says otherwise; an existing FILE is refused unless --force
// (overwrite) or --append (app/export_target.h).
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/export_target.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "core/clock.h"
#include "storage/analysis.h"

namespace cli {
namespace {

class ExportCommand : public Command {
 public:
  std::string name() const override { return "export"; }
  std::string description() const override {
    return "write episodes, shows, related shows, ratings, listeners or "
           "fetches as JSON Lines, CSV or JSON";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("--format", format_,
                    "jsonl, csv or json (one array); default: from the output "
                    "file's extension (.jsonl, .csv, .json), else jsonl")
        ->check(CLI::IsMember({"jsonl", "csv", "json"}));
    app->add_option("--what", what_,
                    "episodes (default), shows, related, ratings, pages (with "
                    "their record's sources and errors), related-history, "
                    "listeners or fetches")
        ->check(
            CLI::IsMember({"episodes", "shows", "related", "ratings", "pages",
                           "related-history", "listeners", "fetches"}));
    app->add_option("--fields", fields_,
                    "only these fields, in this order (comma-separated)")
        ->delimiter(',');
    app->add_option("--since", since_,
                    "only rows since TIME: a duration back from now (24h, "
                    "7d), ISO 8601 or Unix seconds");
    app->add_option("-o,--output", output_, "write to FILE instead of stdout");
    auto* force = app->add_flag("--force", force_, "overwrite FILE");
    app->add_flag("--append", append_, "add the rows to FILE")->excludes(force);
    AddDbFlag(app);
  }

  int Run(CommandContext& context) override {
    storage::ExportOptions options;
    // CLI11 has checked the names already.
    options.format = app::ChooseExportFormat(format_, output_)
                         .value_or(storage::ExportFormat::kJsonl);
    options.what = storage::ExportWhatFromName(what_).value_or(
        storage::ExportWhat::kEpisodes);
    if (auto checked = storage::CheckExportFields(options.what, fields_);
        !checked) {
      return Fail(kExitUsage, "--fields: " + checked.error().message);
    }
    if (since_) {
      options.since_ms =
          app::ParseSinceArgument(*since_, core::SystemClock().NowMs());
      if (!options.since_ms) {
        return Fail(kExitUsage,
                    "--since: \"" + *since_ +
                        "\" is neither a duration (24h, 7d), ISO 8601 "
                        "(2026-11-28T15:00:00Z) nor Unix seconds");
      }
    }
    if ((force_ || append_) && !output_)
      return Fail(kExitUsage, "--force and --append need -o FILE");
    std::optional<storage::Connection> db = OpenForReading(context.config.db);
    if (!db) return kExitStorage;

    std::ofstream file;
    std::ostream* sink = context.out;
    storage::ExportLayout layout{fields_, true};
    if (output_) {
      const auto existing = force_    ? app::ExistingFile::kOverwrite
                            : append_ ? app::ExistingFile::kAppend
                                      : app::ExistingFile::kRefuse;
      auto appending =
          app::OpenExportFile(*output_, options.format, existing, &file);
      if (!appending) return Fail(kExitUsage, appending.error().message);
      layout.header = !*appending;
      sink = &file;
    }
    auto rows = storage::ExportRows(*db, options, *sink, layout);
    if (!rows) {
      std::string message = rows.error().message;
      if (output_) message = *output_ + ": " + message;
      return Fail(kExitStorage, message);
    }
    if (output_) {
      file.close();
      if (!file)
        return Fail(kExitStorage,
                    "cannot write " + *output_ + ": " + std::strerror(errno));
    }
    spdlog::info("exported {} {} rows", *rows, what_);
    return kExitOk;
  }

 private:
  std::optional<std::string> format_;
  std::string what_ = "episodes";
  std::vector<std::string> fields_;
  std::optional<std::string> since_;
  std::optional<std::string> output_;
  bool force_ = false;
  bool append_ = false;
};

}  // namespace

std::unique_ptr<Command> NewExportCommand() {
  return std::make_unique<ExportCommand>();
}

}  // namespace cli
