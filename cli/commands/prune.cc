// podcrawl prune [--keep-versions N] [--max-age DURATION] [--vacuum]
// [--dry-run] [--db PATH]: applies the archive retention (README "Archive
// retention") to every page of the database, optionally runs VACUUM, and
// prints what it freed.
#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>

#include "cli/commands/commands.h"
#include "core/clock.h"
#include "core/schedule.h"
#include "storage/store.h"

namespace cli {
namespace {

// "35.2 MB": bytes in the largest unit under 1024 of it, one decimal.
std::string Bytes(int64_t bytes) {
  constexpr std::array<const char*, 5> kUnits = {"bytes", "KB", "MB", "GB",
                                                 "TB"};
  auto value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  if (unit == 0) return std::to_string(bytes) + " bytes";
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f %s", value, kUnits[unit]);
  return text.data();
}

// "1 page", "2 pages".
std::string Count(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

class PruneCommand : public Command {
 public:
  std::string name() const override { return "prune"; }
  std::string description() const override {
    return "remove archived page versions past the retention (archive."
           "keep_versions, archive.max_age) and print what was freed";
  }

  void AddFlags(CLI::App* app) override {
    AddSettingFlag(
        app, "--keep-versions", "archive.keep_versions",
        +[](config::Config& c) -> int64_t& { return c.archive.keep_versions; },
        "newest versions kept per page, 0 for all (default: the config's "
        "archive.keep_versions)");
    app->add_option("--max-age", max_age_,
                    "remove versions fetched longer ago than this (\"90d\", "
                    "\"12h\"); the newest version of a page always stays "
                    "(default: archive.max_age, none)")
        ->check([](const std::string& text) -> std::string {
          auto ms = core::ParseDurationMs(text);
          return ms ? std::string() : ms.error().message;
        });
    app->add_flag("--vacuum", vacuum_,
                  "then rebuild the database file (VACUUM) to give the freed "
                  "space back to the file system");
    app->add_flag("--dry-run", dry_run_,
                  "print what would be removed; change nothing");
    AddDbFlag(app);
  }

  void ApplyOverrides(config::Config* config) const override {
    if (max_age_)
      config->archive.max_age_ms = *core::ParseDurationMs(*max_age_);
  }

  int Run(CommandContext& context) override {
    const config::Config& config = context.config;
    if (MissingDatabase(config.db)) return kExitStorage;
    auto store = storage::Store::Open(config.db);
    if (!store) return Fail(kExitStorage, store.error().message);
    auto before = (*store)->Size();
    if (!before) return Fail(kExitStorage, before.error().message);
    storage::PruneOptions options;
    options.retention = config.archive;
    options.now_ms = core::SystemClock().NowMs();
    options.dry_run = dry_run_;
    auto pruned = (*store)->PruneArchive(options);
    if (!pruned) return Fail(kExitStorage, pruned.error().message);
    std::ostream& out = *context.out;
    out << "archive: " << (dry_run_ ? "would remove " : "removed ")
        << Count(pruned->versions, "version") << " of "
        << Count(pruned->pages, "page") << " (" << Bytes(pruned->bytes)
        << " compressed, " << Bytes(pruned->raw_bytes) << " raw); "
        << Count(pruned->kept, "version") << " kept\n";
    if (dry_run_) return kExitOk;
    auto after = (*store)->Size();
    if (!after) return Fail(kExitStorage, after.error().message);
    if (!vacuum_) {
      out << "database: " << Bytes(after->bytes) << ", "
          << Bytes(after->free_bytes)
          << " of it free (reused by later crawls; --vacuum gives it back)\n";
      return kExitOk;
    }
    if (auto vacuumed = (*store)->Vacuum(); !vacuumed)
      return Fail(kExitStorage, "VACUUM: " + vacuumed.error().message);
    after = (*store)->Size();
    if (!after) return Fail(kExitStorage, after.error().message);
    out << "database: " << Bytes(before->bytes) << " -> " << Bytes(after->bytes)
        << " after VACUUM (" << Bytes(before->bytes - after->bytes)
        << " freed)\n";
    return kExitOk;
  }

 private:
  std::optional<std::string> max_age_;
  bool vacuum_ = false;
  bool dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> NewPruneCommand() {
  return std::make_unique<PruneCommand>();
}

}  // namespace cli
