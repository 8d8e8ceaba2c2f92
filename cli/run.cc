#include "cli/run.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/analysis_commands.h"
#include "cli/command_support.h"
#include "cli/explain.h"
#include "cli/page_pipeline.h"
#include "cli/progress.h"
#include "cli/schedule_commands.h"
#include "cli/signals.h"
#include "config/config.h"
#include "core/record.h"
#include "core/site.h"
#include "core/url.h"
#include "core/version.h"
#include "crawler/crawler.h"
#include "crawler/http_client.h"
#include "parser/page_parser.h"
#include "storage/frontier_store.h"
#include "storage/store.h"

namespace cli {
namespace {

// Flags that override the config's fetch settings.
struct FetchFlags {
  std::optional<std::string> user_agent;
  std::optional<int64_t> timeout_ms;
  std::optional<int64_t> connect_timeout_ms;
  std::optional<int64_t> max_body_bytes;
  std::optional<int> max_redirects;
};

enum class JsonStyle { kAuto, kPretty, kCompact };

void AddFetchFlags(CLI::App* app, FetchFlags* flags) {
  app->add_option("--user-agent", flags->user_agent,
                  "User-Agent header to send");
  app->add_option("--timeout-ms", flags->timeout_ms,
                  "total time allowed per request (ms)")
      ->transform(WholeNumber<int64_t>());
  app->add_option("--connect-timeout-ms", flags->connect_timeout_ms,
                  "connect timeout (ms)")
      ->transform(WholeNumber<int64_t>());
  app->add_option("--max-body-bytes", flags->max_body_bytes,
                  "largest page accepted, after decompression (bytes)")
      ->transform(WholeNumber<int64_t>());
  app->add_option("--max-redirects", flags->max_redirects,
                  "redirects followed at most")
      ->transform(WholeNumber<int>());
}

void AddJsonStyleFlags(CLI::App* app, JsonStyle* style) {
  app->add_flag_callback(
      "--pretty", [style] { *style = JsonStyle::kPretty; },
      "indent the JSON record (default on a terminal)");
  app->add_flag_callback(
      "--compact", [style] { *style = JsonStyle::kCompact; },
      "print the JSON record on one line (default when piped)");
}

void ApplyFetchFlags(const FetchFlags& flags, config::FetchConfig* fetch) {
  if (flags.user_agent) fetch->user_agent = *flags.user_agent;
  if (flags.timeout_ms) fetch->timeout_ms = *flags.timeout_ms;
  if (flags.connect_timeout_ms)
    fetch->connect_timeout_ms = *flags.connect_timeout_ms;
  if (flags.max_body_bytes) fetch->max_body_bytes = *flags.max_body_bytes;
  if (flags.max_redirects) fetch->max_redirects = *flags.max_redirects;
}

void PrintRecord(const core::Record& record, JsonStyle style,
                 std::ostream& out) {
  bool pretty = style == JsonStyle::kPretty;
  if (style == JsonStyle::kAuto)
    pretty = &out == &std::cout && isatty(STDOUT_FILENO) == 1;
  out << core::ToJson(record).dump(pretty ? 2 : -1, ' ', /*ensure_ascii=*/false,
                                   nlohmann::json::error_handler_t::replace)
      << "\n";
  out.flush();
}

// podcrawl parse FILE [--url URL]
int RunParse(const CommonFlags& common, const std::string& file,
             const std::string& url, const std::string& content_type,
             bool explain, JsonStyle style, std::ostream& out) {
  auto config = LoadConfig(common);
  if (!config) return Fail(kExitUsage, config.error().message);
  SetUpLogger(*config, common);
  if (auto valid = ValidateAll(*config); !valid) {
    return Fail(kExitUsage, valid.error().message);
  }
  std::string page_url = url;
  if (!page_url.empty()) {
    auto normalized = core::NormalizeUrl(page_url);
    if (!normalized)
      return Fail(kExitUsage, "--url: " + normalized.error().message);
    page_url = *normalized;
  }

  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Fail(kExitUsage,
                "cannot read " + file + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad())
    return Fail(kExitUsage,
                "cannot read " + file + ": " + std::strerror(errno));

  parser::ParseOptions options = ToParseOptions(*config);
  options.content_type = content_type;
  options.explain = explain;
  parser::ParsedPage page =
      parser::ParsePage(std::move(bytes).str(), page_url, options);
  // Without --url, the page's own canonical (when it has one) is its address.
  page.record.url = page_url.empty() ? page.address : page_url;
  if (page.record.url.empty()) {
    page.record.url = file;
  } else {
    core::ConfineToSite(&page.record, page_url);  // as fetch and crawl do
  }
  for (const std::string& e : page.record.errors)
    spdlog::warn("{}: {}", file, e);
  if (explain) PrintExplanation(page.explanation, out);
  PrintRecord(page.record, style, out);
  return kExitOk;
}

// podcrawl fetch URL [--db PATH]
int RunFetch(const CommonFlags& common, const FetchFlags& fetch_flags,
             const std::string& url, const std::optional<std::string>& db,
             JsonStyle style, std::ostream& out) {
  auto config = LoadConfig(common);
  if (!config) return Fail(kExitUsage, config.error().message);
  SetUpLogger(*config, common);
  ApplyFetchFlags(fetch_flags, &config->fetch);
  if (db) config->db = *db;
  if (auto valid = ValidateAll(*config); !valid) {
    return Fail(kExitUsage, valid.error().message);
  }
  auto normalized = core::NormalizeUrl(url);
  if (!normalized) return Fail(kExitUsage, normalized.error().message);

  // The database is opened before the fetch, so a bad --db costs no request.
  std::unique_ptr<storage::Store> store;
  if (db) {
    storage::StoreOptions store_options;
    store_options.archive = config->archive;
    auto opened = storage::Store::Open(config->db, store_options);
    if (!opened) return Fail(kExitStorage, opened.error().message);
    store = std::move(opened).value();
  }

  StorePipeline pipeline(store.get(), ToParseOptions(*config));
  crawler::HttpClient client(ToFetchOptions(config->fetch));
  const int64_t started_ms = NowMs();
  spdlog::debug("fetching {}", *normalized);
  auto fetched = client.Fetch(*normalized);
  if (!fetched) {
    if (auto logged = pipeline.OnFailure(*normalized, fetched.error(), nullptr);
        !logged) {
      spdlog::warn("{}", logged.error().message);
    }
    return Fail(kExitFetch, fetched.error().message);
  }
  const core::FetchedPage& page = *fetched;
  if (auto ok = crawler::CheckPage(page); !ok) {
    if (auto logged = pipeline.OnFailure(*normalized, ok.error(), &page);
        !logged) {
      spdlog::warn("{}", logged.error().message);
    }
    return Fail(kExitFetch, ok.error().message);
  }
  auto parsed = pipeline.Handle(page, started_ms);
  if (!parsed) return Fail(kExitStorage, parsed.error().message);
  if (store) {
    spdlog::info("stored {} ({}) in {}", parsed->record.key_url(),
                 core::PageKindName(parsed->record.kind), config->db);
  }
  PrintRecord(parsed->record, style, out);
  return kExitOk;
}

// Flags of `podcrawl crawl` that override the config's crawl settings.
struct CrawlFlags {
  std::vector<std::string> urls;
  std::string seeds_file;
  std::optional<std::string> db;
  std::optional<int64_t> max_pages;
  std::optional<int> concurrency;
  std::optional<int> per_host;
  std::optional<int64_t> delay_ms;
  std::optional<int> max_depth;
  std::optional<int> workers;
  bool ignore_robots = false;
};

// Calls `add` with the seed URLs of the file at `path`, in batches of at most
// `batch` (so a file of millions of URLs never sits in memory): one URL a line;
// blank lines and lines starting with '#' are skipped. A line that is not an
// http(s) URL is a kConfig error naming the line.
core::Status ForEachSeedBatch(
    const std::string& path, size_t batch,
    const std::function<core::Status(const std::vector<std::string>&)>& add) {
  std::ifstream in(path);
  if (!in) {
    return core::Error(
        core::ErrorCode::kConfig,
        "cannot read seeds file " + path + ": " + std::strerror(errno));
  }
  std::vector<std::string> seeds;
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    const size_t end = line.find_last_not_of(" \t\r");
    auto url = core::NormalizeUrl(line.substr(begin, end - begin + 1));
    if (!url) {
      return core::Error(core::ErrorCode::kConfig,
                         path + ":" + std::to_string(line_number) + ": " +
                             url.error().message);
    }
    seeds.push_back(std::move(url).value());
    if (seeds.size() >= batch) {
      if (auto added = add(seeds); !added) return added;
      seeds.clear();
    }
  }
  if (in.bad()) {
    return core::Error(core::ErrorCode::kConfig,
                       "cannot read seeds file " + path);
  }
  if (!seeds.empty()) return add(seeds);
  return {};
}

// podcrawl crawl [URL...] [--seeds FILE] [--db PATH] ...
int RunCrawl(const CommonFlags& common, const FetchFlags& fetch_flags,
             const CrawlFlags& flags) {
  auto config = LoadConfig(common);
  if (!config) return Fail(kExitUsage, config.error().message);
  SetUpLogger(*config, common);
  ApplyFetchFlags(fetch_flags, &config->fetch);
  if (flags.db) config->db = *flags.db;
  if (flags.max_pages) config->crawl.max_pages = *flags.max_pages;
  if (flags.concurrency) config->crawl.concurrency = *flags.concurrency;
  if (flags.per_host) config->crawl.per_host = *flags.per_host;
  if (flags.delay_ms) config->crawl.delay_ms = *flags.delay_ms;
  if (flags.max_depth) config->crawl.max_depth = *flags.max_depth;
  if (flags.workers) config->crawl.workers = *flags.workers;
  if (flags.ignore_robots) config->crawl.obey_robots = false;
  if (auto valid = ValidateAll(*config); !valid) {
    return Fail(kExitUsage, valid.error().message);
  }

  std::vector<std::string> raw_seeds = config->crawl.seeds;
  raw_seeds.insert(raw_seeds.end(), flags.urls.begin(), flags.urls.end());
  std::vector<std::string> seeds;
  seeds.reserve(raw_seeds.size());
  for (const std::string& raw : raw_seeds) {
    auto normalized = core::NormalizeUrl(raw);
    if (!normalized)
      return Fail(kExitUsage, "seed: " + normalized.error().message);
    seeds.push_back(std::move(normalized).value());
  }
  if (!flags.seeds_file.empty()) {
    // Read the whole file once before anything is queued, so a bad line
    // further down leaves the database as it was (the file is read again
    // below, batch by batch, never held in memory).
    auto checked = ForEachSeedBatch(
        flags.seeds_file, 10'000,
        [](const std::vector<std::string>&) -> core::Status { return {}; });
    if (!checked) return Fail(kExitUsage, checked.error().message);
  }

  storage::StoreOptions store_options;
  store_options.archive = config->archive;
  auto store = storage::Store::Open(config->db, store_options);
  if (!store) return Fail(kExitStorage, store.error().message);
  auto frontier = storage::OpenFrontierStore(config->db);
  if (!frontier) return Fail(kExitStorage, frontier.error().message);
  if (seeds.empty() && flags.seeds_file.empty()) {
    auto counts = (*frontier)->Counts(NowMs());
    if (!counts) return Fail(kExitStorage, counts.error().message);
    if (counts->queued + counts->in_flight == 0) {
      return Fail(kExitUsage,
                  "nothing to crawl: give seed URLs (or --seeds FILE); " +
                      config->db + " has no queued URL to resume");
    }
    spdlog::info("resuming the crawl in {}: {} URLs queued", config->db,
                 counts->queued + counts->in_flight);
  }

  StorePipeline pipeline(store->get(), ToParseOptions(*config));
  crawler::Crawler crawl(ToCrawlOptions(config->fetch, config->crawl),
                         frontier->get(), &pipeline);
  if (auto added = crawl.AddSeeds(seeds); !added) {
    return Fail(kExitStorage, added.error().message);
  }
  if (!flags.seeds_file.empty()) {
    std::optional<core::Error> storage_error;
    auto read = ForEachSeedBatch(
        flags.seeds_file, 10'000,
        [&crawl, &storage_error](
            const std::vector<std::string>& batch) -> core::Status {
          auto added = crawl.AddSeeds(batch);
          if (!added) storage_error = added.error();
          return added;
        });
    if (!read)
      return Fail(storage_error ? kExitStorage : kExitUsage,
                  read.error().message);
  }

  StopSignals signals;
  ProgressLine progress(!common.quiet && isatty(STDERR_FILENO) == 1);
  auto result =
      crawl.Run(signals.stop(), [&progress](const crawler::CrawlStats& stats) {
        progress.Update(stats);
      });
  progress.Clear();
  if (!result) return Fail(kExitStorage, result.error().message);
  const crawler::CrawlStats& stats = *result;
  if (!common.quiet) spdlog::info("{}", FormatSummary(stats));
  if (signals.signal() == SIGINT) return kExitSigint;
  if (signals.signal() == SIGTERM) return kExitSigterm;
  if (stats.pages_stored == 0 && stats.not_modified == 0 && stats.failed > 0) {
    return Fail(kExitFetch, "no page could be fetched (" +
                                std::to_string(stats.failed) +
                                " failed; see the fetches table)");
  }
  return kExitOk;
}
}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out) {
  InstallStderrLogger();
  CLI::App app{
      "podcrawl: crawls podcast web pages and keeps what they show in SQLite."};
  app.set_version_flag("--version",
                       std::string("podcrawl ") + PODCRAWL_VERSION);
  app.require_subcommand(1);
  app.failure_message(OneLineFailure);
  app.footer(
      "Exit codes: 0 done, 2 usage or config error, 3 fetch failed, 4 storage "
      "error, 75 another run holds the database's schedules, 130/143 stopped "
      "by SIGINT/SIGTERM, 70 internal error.");

  CommonFlags common;
  JsonStyle style = JsonStyle::kAuto;

  CLI::App* parse = app.add_subcommand(
      "parse", "extract the record from a saved page; print it");
  std::string parse_file;
  std::string parse_url;
  std::string parse_content_type;
  parse->add_option("FILE", parse_file, "the saved page (any bytes)")
      ->required();
  parse->add_option("--url", parse_url,
                    "the URL the page was served from (resolves links)");
  parse->add_option(
      "--content-type", parse_content_type,
      "the HTTP Content-Type it was served with (for its charset)");
  bool parse_explain = false;
  parse->add_flag("--explain", parse_explain,
                  "print every field's candidates, their evidence and score, "
                  "and why the winner won, before the record");
  AddCommonFlags(parse, &common);
  AddJsonStyleFlags(parse, &style);

  CLI::App* fetch = app.add_subcommand(
      "fetch", "fetch one page; print its record; store it with --db");
  std::string fetch_url;
  std::optional<std::string> fetch_db;
  FetchFlags fetch_flags;
  fetch->add_option("URL", fetch_url, "http or https URL")->required();
  fetch->add_option("--db", fetch_db, "SQLite database to store the record in");
  AddFetchFlags(fetch, &fetch_flags);
  AddCommonFlags(fetch, &common);
  AddJsonStyleFlags(fetch, &style);

  CLI::App* crawl = app.add_subcommand(
      "crawl",
      "crawl from seed URLs into the database; resumes an interrupted crawl");
  CrawlFlags crawl_flags;
  FetchFlags crawl_fetch_flags;
  crawl->add_option("URL", crawl_flags.urls, "seed URLs (http or https)");
  crawl->add_option("--seeds", crawl_flags.seeds_file,
                    "file of seed URLs, one a line");
  crawl->add_option("--db", crawl_flags.db,
                    "SQLite database (default: podcasts.db)");
  crawl
      ->add_option("--max-pages", crawl_flags.max_pages,
                   "stop after this many pages")
      ->transform(WholeNumber<int64_t>());
  crawl
      ->add_option("--concurrency", crawl_flags.concurrency,
                   "transfers in flight")
      ->transform(WholeNumber<int>());
  crawl
      ->add_option("--per-host", crawl_flags.per_host,
                   "transfers in flight per host")
      ->transform(WholeNumber<int>());
  crawl
      ->add_option("--delay", crawl_flags.delay_ms,
                   "ms between requests to one host")
      ->transform(WholeNumber<int64_t>());
  crawl
      ->add_option("--max-depth", crawl_flags.max_depth,
                   "link depth from the seeds")
      ->transform(WholeNumber<int>());
  crawl
      ->add_option("--workers", crawl_flags.workers,
                   "parse/store threads (0: one per core)")
      ->transform(WholeNumber<int>());
  crawl->add_flag("--ignore-robots", crawl_flags.ignore_robots,
                  "do not obey robots.txt (only for sites you run)");
  AddFetchFlags(crawl, &crawl_fetch_flags);
  AddCommonFlags(crawl, &common);

  AnalysisCommands analysis(&app);   // export, stats, reparse
  ScheduleCommands schedules(&app);  // run --due, daemon, schedule list

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (parse->parsed()) {
    return RunParse(common, parse_file, parse_url, parse_content_type,
                    parse_explain, style, out);
  }
  if (crawl->parsed()) {
    return RunCrawl(common, crawl_fetch_flags, crawl_flags);
  }
  if (std::optional<int> code = analysis.Run(out)) return *code;
  if (std::optional<int> code = schedules.Run(out)) return *code;
  if (fetch->parsed())
    return RunFetch(common, fetch_flags, fetch_url, fetch_db, style, out);
  return kExitUsage;
}

}  // namespace cli
