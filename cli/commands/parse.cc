// podcrawl parse FILE [--url URL] [--content-type TYPE] [--explain]: extracts
// the record from a saved page and prints it (no network, no database).
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "app/options.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "core/site.h"
#include "core/url.h"
#include "parser/page_parser.h"

namespace cli {
namespace {

class ParseCommand : public Command {
 public:
  std::string name() const override { return "parse"; }
  std::string description() const override {
    return "extract the record from a saved page; print it";
  }

  void AddFlags(CLI::App* app) override {
    app->add_option("FILE", file_, "the saved page (any bytes)")->required();
    app->add_option("--url", url_,
                    "the URL the page was served from (resolves links)");
    app->add_option(
        "--content-type", content_type_,
        "the HTTP Content-Type it was served with (for its charset)");
    app->add_flag("--explain", explain_,
                  "print every field's candidates, their evidence and score, "
                  "and why the winner won, before the record");
  }

  void AddOutputFlags(CLI::App* app) override {
    AddJsonStyleFlags(app, &style_);
  }

  int Run(CommandContext& context) override {
    std::string page_url = url_;
    if (!page_url.empty()) {
      auto normalized = core::NormalizeUrl(page_url);
      if (!normalized)
        return Fail(kExitUsage, "--url: " + normalized.error().message);
      page_url = *normalized;
    }
    std::ifstream in(file_, std::ios::binary);
    if (!in)
      return Fail(kExitUsage,
                  "cannot read " + file_ + ": " + std::strerror(errno));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad())
      return Fail(kExitUsage,
                  "cannot read " + file_ + ": " + std::strerror(errno));

    parser::ParseOptions options = app::ToParseOptions(context.config);
    options.content_type = content_type_;
    options.explain = explain_;
    parser::ParsedPage page =
        parser::ParsePage(std::move(bytes).str(), page_url, options);
    // Without --url, the page's own canonical (when it has one) is its
    // address.
    page.record.url = page_url.empty() ? page.address : page_url;
    if (page.record.url.empty()) {
      page.record.url = file_;
    } else {
      core::ConfineToSite(&page.record, page_url);  // as fetch and crawl do
    }
    for (const std::string& e : page.record.errors)
      spdlog::warn("{}: {}", file_, e);
    if (explain_) PrintExplanation(page.explanation, *context.out);
    PrintRecord(page.record, style_, *context.out);
    return kExitOk;
  }

 private:
  std::string file_;
  std::string url_;
  std::string content_type_;
  bool explain_ = false;
  JsonStyle style_ = JsonStyle::kAuto;
};

}  // namespace

std::unique_ptr<Command> NewParseCommand() {
  return std::make_unique<ParseCommand>();
}

}  // namespace cli
