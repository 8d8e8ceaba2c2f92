// podcrawl reparse [--db PATH]: runs the current parser over the archived pages
// and updates the records that changed (no network).
#include <spdlog/spdlog.h>

#include <optional>
#include <string>

#include "app/options.h"
#include "app/page_pipeline.h"
#include "cli/commands/commands.h"
#include "storage/store.h"

namespace cli {
namespace {

class ReparseCommand : public Command {
 public:
  std::string name() const override { return "reparse"; }
  std::string description() const override {
    return "run the current parser over the archived pages and update the "
           "records (no network)";
  }

  void AddFlags(CLI::App* app) override { AddDbFlag(app); }

  int Run(CommandContext& context) override {
    auto store = storage::Store::Open(context.config.db);
    if (!store) return Fail(kExitStorage, store.error().message);
    auto counts =
        app::ReparseArchive(store->get(), app::ToParseOptions(context.config));
    if (!counts) return Fail(kExitStorage, counts.error().message);
    spdlog::info("reparsed {} archived pages: {} records changed",
                 counts->pages, counts->changed);
    return kExitOk;
  }

 private:
};

}  // namespace

std::unique_ptr<Command> NewReparseCommand() {
  return std::make_unique<ReparseCommand>();
}

}  // namespace cli
