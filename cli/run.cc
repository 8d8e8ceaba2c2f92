#include "cli/run.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "config/config.h"
#include "core/record.h"
#include "core/url.h"
#include "core/version.h"
#include "crawler/http_client.h"
#include "parser/page_parser.h"
#include "storage/store.h"

namespace cli {
namespace {

// Flags every subcommand takes.
struct CommonFlags {
  std::string config_path;
  std::optional<std::string> log_level;
  bool quiet = false;
};

// Flags that override the config's fetch settings.
struct FetchFlags {
  std::optional<std::string> user_agent;
  std::optional<int64_t> timeout_ms;
  std::optional<int64_t> connect_timeout_ms;
  std::optional<int64_t> max_body_bytes;
  std::optional<int> max_redirects;
};

enum class JsonStyle { kAuto, kPretty, kCompact };

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void AddCommonFlags(CLI::App* app, CommonFlags* flags) {
  app->add_option("--config", flags->config_path,
                  "JSON config file (comments allowed)");
  app->add_option("--log-level", flags->log_level,
                  "trace, debug, info, warn, error or off (default: info, or "
                  "the config's)");
  app->add_flag("-q,--quiet", flags->quiet, "only errors on stderr");
}

void AddFetchFlags(CLI::App* app, FetchFlags* flags) {
  app->add_option("--user-agent", flags->user_agent,
                  "User-Agent header to send");
  app->add_option("--timeout-ms", flags->timeout_ms,
                  "total time allowed per request (ms)");
  app->add_option("--connect-timeout-ms", flags->connect_timeout_ms,
                  "connect timeout (ms)");
  app->add_option("--max-body-bytes", flags->max_body_bytes,
                  "largest page accepted, after decompression (bytes)");
  app->add_option("--max-redirects", flags->max_redirects,
                  "redirects followed at most");
}

void AddJsonStyleFlags(CLI::App* app, JsonStyle* style) {
  app->add_flag_callback(
      "--pretty", [style] { *style = JsonStyle::kPretty; },
      "indent the JSON record (default on a terminal)");
  app->add_flag_callback(
      "--compact", [style] { *style = JsonStyle::kCompact; },
      "print the JSON record on one line (default when piped)");
}

// Sends every log line to stderr (stdout carries only records), as "podcrawl:
// level: message".
void InstallStderrLogger() {
  auto logger = spdlog::get("podcrawl");
  if (!logger) {
    logger = spdlog::stderr_color_mt("podcrawl");
    logger->set_pattern("%n: %^%l%$: %v");
  }
  spdlog::set_default_logger(logger);
}

void SetUpLogger(const config::Config& config, const CommonFlags& flags) {
  spdlog::level::level_enum level = spdlog::level::from_str(config.log_level);
  if (flags.quiet && level < spdlog::level::err) level = spdlog::level::err;
  spdlog::set_level(level);
}

// Loads the config file (if any), applies the common flags, validates. Errors
// are kConfig.
core::Result<config::Config> LoadConfig(const CommonFlags& flags) {
  config::Config config;
  if (!flags.config_path.empty()) {
    auto loaded = config::LoadConfigFile(flags.config_path);
    if (!loaded) return loaded.error();
    config = std::move(loaded).value();
  }
  if (flags.log_level) config.log_level = *flags.log_level;
  return config;
}

void ApplyFetchFlags(const FetchFlags& flags, config::FetchConfig* fetch) {
  if (flags.user_agent) fetch->user_agent = *flags.user_agent;
  if (flags.timeout_ms) fetch->timeout_ms = *flags.timeout_ms;
  if (flags.connect_timeout_ms)
    fetch->connect_timeout_ms = *flags.connect_timeout_ms;
  if (flags.max_body_bytes) fetch->max_body_bytes = *flags.max_body_bytes;
  if (flags.max_redirects) fetch->max_redirects = *flags.max_redirects;
}

crawler::FetchOptions ToFetchOptions(const config::FetchConfig& c) {
  crawler::FetchOptions o;
  o.user_agent =
      c.user_agent.empty() ? std::string(PODCRAWL_USER_AGENT) : c.user_agent;
  o.connect_timeout_ms = c.connect_timeout_ms;
  o.timeout_ms = c.timeout_ms;
  o.max_body_bytes = c.max_body_bytes;
  o.max_redirects = c.max_redirects;
  o.low_speed_bytes_per_s = c.low_speed_bytes_per_s;
  o.low_speed_time_s = c.low_speed_time_s;
  return o;
}

parser::ParseOptions ToParseOptions(const config::Config& c) {
  parser::ParseOptions o;
  o.max_input_bytes = static_cast<size_t>(c.parse.max_input_bytes);
  o.profiles = c.profiles;
  return o;
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

int Fail(int code, const std::string& message) {
  spdlog::error("{}", message);
  return code;
}

// podcrawl parse FILE [--url URL]
int RunParse(const CommonFlags& common, const std::string& file,
             const std::string& url, const std::string& content_type,
             JsonStyle style, std::ostream& out) {
  auto config = LoadConfig(common);
  if (!config) return Fail(kExitUsage, config.error().message);
  SetUpLogger(*config, common);
  if (auto valid = config::Validate(*config); !valid) {
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
  parser::ParsedPage page =
      parser::ParsePage(std::move(bytes).str(), page_url, options);
  if (page_url.empty()) page.record.url = file;
  for (const std::string& e : page.record.errors)
    spdlog::warn("{}: {}", file, e);
  PrintRecord(page.record, style, out);
  return kExitOk;
}

// Appends one fetch-log row; a failure here is a storage error.
core::Status LogFetch(storage::Store* store, const std::string& url,
                      int64_t started_ms, const core::FetchedPage* page,
                      const core::Error* error) {
  if (store == nullptr) return {};
  storage::FetchLogEntry entry;
  entry.url = url;
  entry.fetched_at_ms = started_ms;
  if (page != nullptr) {
    entry.final_url = page->final_url;
    entry.status = page->status;
    entry.bytes = static_cast<int64_t>(page->body.size());
    entry.duration_ms = static_cast<int64_t>(page->seconds * 1000.0);
    if (!page->content_type.empty()) entry.content_type = page->content_type;
    entry.etag = page->etag;
    entry.last_modified = page->last_modified;
  } else {
    entry.duration_ms = NowMs() - started_ms;
  }
  if (error != nullptr) {
    entry.error_code = std::string(core::ErrorCodeName(error->code));
    entry.error_message = error->message;
  }
  return store->LogFetch(entry);
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
  if (auto valid = config::Validate(*config); !valid) {
    return Fail(kExitUsage, valid.error().message);
  }
  auto normalized = core::NormalizeUrl(url);
  if (!normalized) return Fail(kExitUsage, normalized.error().message);

  // The database is opened before the fetch, so a bad --db costs no request.
  std::unique_ptr<storage::Store> store;
  if (db) {
    auto opened = storage::Store::Open(config->db);
    if (!opened) return Fail(kExitStorage, opened.error().message);
    store = std::move(opened).value();
  }

  crawler::HttpClient client(ToFetchOptions(config->fetch));
  const int64_t started_ms = NowMs();
  spdlog::debug("fetching {}", *normalized);
  auto fetched = client.Fetch(*normalized);
  if (!fetched) {
    const core::Error& error = fetched.error();
    if (auto logged =
            LogFetch(store.get(), *normalized, started_ms, nullptr, &error);
        !logged) {
      spdlog::warn("{}", logged.error().message);
    }
    return Fail(kExitFetch, error.message);
  }
  const core::FetchedPage& page = *fetched;
  if (auto ok = crawler::CheckPage(page); !ok) {
    if (auto logged =
            LogFetch(store.get(), *normalized, started_ms, &page, &ok.error());
        !logged) {
      spdlog::warn("{}", logged.error().message);
    }
    return Fail(kExitFetch, ok.error().message);
  }

  parser::ParseOptions options = ToParseOptions(*config);
  options.content_type = page.content_type;
  const std::string& page_url =
      page.final_url.empty() ? *normalized : page.final_url;
  parser::ParsedPage parsed = parser::ParsePage(page.body, page_url, options);
  for (const std::string& e : parsed.record.errors)
    spdlog::warn("{}: {}", page_url, e);

  if (store) {
    if (auto logged =
            LogFetch(store.get(), *normalized, started_ms, &page, nullptr);
        !logged) {
      return Fail(kExitStorage, logged.error().message);
    }
    if (auto saved = store->SaveRecord(parsed.record, started_ms); !saved) {
      return Fail(kExitStorage, saved.error().message);
    }
    spdlog::info("stored {} ({}) in {}", parsed.record.key_url(),
                 core::PageKindName(parsed.record.kind), config->db);
  }
  PrintRecord(parsed.record, style, out);
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
  app.footer(
      "Exit codes: 0 done, 2 usage or config error, 3 fetch failed, 4 storage "
      "error, "
      "130/143 stopped by SIGINT/SIGTERM.");

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (parse->parsed()) {
    return RunParse(common, parse_file, parse_url, parse_content_type, style,
                    out);
  }
  if (fetch->parsed())
    return RunFetch(common, fetch_flags, fetch_url, fetch_db, style, out);
  return kExitUsage;
}

}  // namespace cli
