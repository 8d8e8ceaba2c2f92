// podcrawl export [--format jsonl|csv] [--what ...] [--since TIME] [--output
// FILE] [--db PATH]: writes the database's episodes, shows, related shows or
// ratings, reading it read-only.
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>

#include "cli/commands/commands.h"
#include "cli/output.h"
#include "storage/analysis.h"

namespace cli {
namespace {

class ExportCommand : public Command {
 public:
  std::string name() const override { return "export"; }
  std::string description() const override {
    return "write episodes, shows, related shows or ratings as JSON Lines "
           "or CSV";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("--format", format_, "jsonl (default) or csv")
        ->check(CLI::IsMember({"jsonl", "csv"}));
    app->add_option("--what", what_,
                    "episodes (default), shows, related, ratings, pages (with "
                    "their record's sources and errors) or related-history")
        ->check(CLI::IsMember({"episodes", "shows", "related", "ratings",
                               "pages", "related-history"}));
    app->add_option("--since", since_,
                    "only rows seen since TIME (ISO 8601 or Unix seconds)");
    app->add_option("--output", output_, "write to FILE instead of stdout");
    AddDbFlag(app);
  }

  int Run(CommandContext& context) override {
    storage::ExportOptions options;
    // CLI11 has checked both names already.
    options.format = storage::ExportFormatFromName(format_).value_or(
        storage::ExportFormat::kJsonl);
    options.what = storage::ExportWhatFromName(what_).value_or(
        storage::ExportWhat::kEpisodes);
    if (since_) {
      options.since_ms = ParseTimeArgument(*since_);
      if (!options.since_ms) {
        return Fail(kExitUsage,
                    "--since: \"" + *since_ +
                        "\" is neither ISO 8601 (2026-11-28T15:00:00Z) "
                        "nor Unix seconds");
      }
    }
    std::optional<storage::Connection> db = OpenForReading(context.config.db);
    if (!db) return kExitStorage;

    std::ofstream file;
    std::ostream* sink = context.out;
    if (output_) {
      file.open(*output_, std::ios::binary | std::ios::trunc);
      if (!file)
        return Fail(kExitUsage,
                    "cannot write " + *output_ + ": " + std::strerror(errno));
      sink = &file;
    }
    auto rows = storage::ExportRows(*db, options, *sink);
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
  std::string format_ = "jsonl";
  std::string what_ = "episodes";
  std::optional<std::string> since_;
  std::optional<std::string> output_;
};

}  // namespace

std::unique_ptr<Command> NewExportCommand() {
  return std::make_unique<ExportCommand>();
}

}  // namespace cli
