// From the config to the modules: the full validation of a config (config's
// own checks plus the parser's selector language for site profiles) and the
// options the crawler and the parser take: the config's settings as they are
// (core/settings.h), with what only the program adds.
#pragma once

#include <memory>

#include "config/config.h"
#include "core/result.h"
#include "crawler/crawler.h"
#include "crawler/http_client.h"
#include "parser/page_parser.h"
#include "storage/store.h"

namespace app {

// Validates `config` (config::Validate), then its site profiles with the
// parser's selector language. Errors are kConfig naming the key
// ("profiles[0].fields.show_name.selector: ..."). Every command runs this.
core::Status ValidateConfig(const config::Config& config);

// Returns the fetch options of `fetch`.
crawler::FetchOptions ToFetchOptions(const core::FetchSettings& fetch);

// Returns the parse options of `c`: its parse settings and site profiles.
parser::ParseOptions ToParseOptions(const config::Config& c);

// Returns the crawl options of `fetch` + `crawl` (a schedule's round passes
// its ScheduleConfig::crawl).
crawler::CrawlOptions ToCrawlOptions(const core::FetchSettings& fetch,
                                     const core::CrawlSettings& crawl);

// Opens (creating it if needed) the record store of `config.db`, keeping page
// versions when `config.archive` says so, with its retention keys. Errors are
// kStorage.
core::Result<std::unique_ptr<storage::Store>> OpenStore(
    const config::Config& config);

}  // namespace app
