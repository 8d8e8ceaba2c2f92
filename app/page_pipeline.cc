#include "app/page_pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "core/site.h"

namespace app {

StorePipeline::StorePipeline(storage::Store* store,
                             parser::ParseOptions options,
                             const core::Clock* clock)
    : store_(store), options_(std::move(options)), clock_(clock) {
  round_started_ms_ = NowMs();
}

int64_t StorePipeline::NowMs() const {
  static const core::SystemClock kSystemClock;
  return (clock_ != nullptr ? *clock_ : kSystemClock).NowMs();
}

core::Status StorePipeline::LogFetch(const std::string& url,
                                     int64_t fetched_at_ms,
                                     const core::FetchedPage* page,
                                     const core::Error* error) {
  if (store_ == nullptr) return {};
  return store_->LogFetch(FetchLogEntryOf(url, fetched_at_ms, page, error));
}

storage::FetchLogEntry StorePipeline::FetchLogEntryOf(
    const std::string& url, int64_t fetched_at_ms,
    const core::FetchedPage* page, const core::Error* error) const {
  storage::FetchLogEntry entry;
  entry.url = url;
  entry.fetched_at_ms = fetched_at_ms;
  if (page != nullptr) {
    entry.final_url = page->final_url;
    entry.status = page->status;
    entry.bytes = static_cast<int64_t>(page->body.size());
    entry.duration_ms = static_cast<int64_t>(page->seconds * 1000.0);
    if (!page->content_type.empty()) entry.content_type = page->content_type;
    entry.etag = page->etag;
    entry.last_modified = page->last_modified;
  } else {
    entry.duration_ms = std::max<int64_t>(0, NowMs() - fetched_at_ms);
  }
  if (error != nullptr) {
    entry.error_code = std::string(core::ErrorCodeName(error->code));
    entry.error_message = error->message;
  }
  return entry;
}

parser::ParsedPage StorePipeline::Parse(const core::FetchedPage& page) const {
  parser::ParseOptions options = options_;
  options.content_type = page.content_type;
  const std::string& page_url =
      page.final_url.empty() ? page.url : page.final_url;
  parser::ParsedPage parsed = parser::ParsePage(page.body, page_url, options);
  // A canonical or show URL of another site is refused: the page keys its
  // record by its own URL.
  core::ConfineToSite(&parsed.record, page.url);
  for (const std::string& e : parsed.record.errors)
    spdlog::warn("{}: {}", page_url, e);
  return parsed;
}

storage::PageVersion StorePipeline::VersionOf(
    const core::FetchedPage& page) const {
  storage::PageVersion version;
  // What the parser resolved links against.
  version.url = page.final_url.empty() ? page.url : page.final_url;
  version.body = page.body;
  if (!page.content_type.empty()) version.content_type = page.content_type;
  version.round_started_ms = round_started_ms_;
  return version;
}

core::Result<parser::ParsedPage> StorePipeline::Handle(
    const core::FetchedPage& page, int64_t fetched_at_ms, bool* changed) {
  if (changed != nullptr) *changed = true;
  parser::ParsedPage parsed = Parse(page);
  if (store_ != nullptr) {
    if (auto logged = LogFetch(page.url, fetched_at_ms, &page, nullptr);
        !logged) {
      return logged.error();
    }
    // SavePage writes the record only when it changed since the page's last
    // version, and archives the bytes when they changed.
    auto saved =
        store_->SavePage(VersionOf(page), parsed.record, fetched_at_ms);
    if (!saved) return saved.error();
    if (*saved == storage::PageSaveOutcome::kUnchanged) {
      spdlog::debug("{}: unchanged since the last fetch", page.url);
      if (changed != nullptr) *changed = false;
    }
  }
  return parsed;
}

core::Result<core::HandledPage> StorePipeline::OnPage(
    const core::FetchedPage& page) {
  const int64_t fetched_at_ms =
      NowMs() - static_cast<int64_t>(page.seconds * 1000.0);
  core::HandledPage result;
  parser::ParsedPage parsed = Parse(page);
  result.kind = parsed.record.kind;
  if (store_ != nullptr) {
    // Hashing and compressing here, on the worker; the writes in the crawl's
    // batch (HandledPage::commit), with the page's frontier state.
    auto prepared =
        store_->PreparePage(VersionOf(page), parsed.record, fetched_at_ms);
    if (!prepared) return prepared.error();
    auto write = std::make_shared<Write>(
        Write{std::move(prepared).value(),
              FetchLogEntryOf(page.url, fetched_at_ms, &page, nullptr)});
    storage::Store* store = store_;
    result.commit = [store, write]() -> core::Result<bool> {
      if (auto logged = store->LogFetch(write->fetch); !logged)
        return logged.error();
      auto saved = store->WritePage(write->page);
      if (!saved) return saved.error();
      if (*saved == storage::PageSaveOutcome::kUnchanged) {
        spdlog::debug("{}: unchanged since the last fetch", write->fetch.url);
        return false;
      }
      return true;
    };
  }
  result.links = std::move(parsed.links);
  return result;
}

core::Status StorePipeline::OnUnparsed(const core::FetchedPage& page) {
  return LogFetch(page.url, NowMs(), &page, nullptr);
}

core::Status StorePipeline::OnFailure(const std::string& url,
                                      const core::Error& error,
                                      const core::FetchedPage* page) {
  spdlog::debug("{}", error.message);
  return LogFetch(url, NowMs(), page, &error);
}

}  // namespace app

namespace app {

core::Result<ReparseCounts> ReparseArchive(storage::Store* store,
                                           parser::ParseOptions options) {
  auto ids = store->LatestArchivedPageIds();
  if (!ids) return ids.error();
  ReparseCounts counts;
  for (int64_t id : *ids) {
    auto page = store->LoadArchivedPage(id);
    if (!page) return page.error();
    options.content_type = page->content_type.value_or("");
    parser::ParsedPage parsed =
        parser::ParsePage(page->body, page->url, options);
    // As when it was fetched (the URL it redirected from is not archived).
    core::ConfineToSite(&parsed.record, page->url);
    storage::PageVersion version;
    version.url = page->url;
    version.body = page->body;
    version.content_type = page->content_type;
    // The observation time is the archived fetch's: the page said this then.
    auto saved = store->SavePage(version, parsed.record, page->fetched_at_ms);
    if (!saved) return saved.error();
    ++counts.pages;
    if (*saved == storage::PageSaveOutcome::kStored) {
      ++counts.changed;
      spdlog::debug("{}: record updated", page->url);
    }
  }
  return counts;
}

}  // namespace app
