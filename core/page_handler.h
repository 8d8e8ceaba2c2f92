// PageHandler: the one narrow interface through which the crawler hands fetched
// pages to the rest of podcrawl (Scrapy's engine -> spider/pipeline split;
// robotstxt's RobotsParseHandler). The crawler never includes the parser or
// storage; cli implements this as parse -> store -> links.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/fetch.h"
#include "core/record.h"
#include "core/result.h"

namespace core {

// What handling a page found.
struct HandledPage {
  std::vector<std::string> links;  // absolute
  PageKind kind = PageKind::kUnknown;
  // The page's content changed since its last stored version (always true for
  // a page never stored before).
  bool changed = true;
  // When set, what is still to be written for the page: the crawler calls it
  // on its loop thread, inside the frontier batch that marks the page done
  // (FrontierStore::BeginBatch), so the page's record and its frontier state
  // commit together; it returns whether the content changed (which then
  // replaces `changed`) or the error that stops the crawl. OnPage does the
  // rest (parsing, hashing, compressing) on the worker threads.
  std::function<Result<bool>()> commit;
};

class PageHandler {
 public:
  virtual ~PageHandler() = default;

  // Handles one successfully fetched page and returns what it found (the
  // links are considered for the frontier), or an error (a storage failure
  // stops the crawl). May be called from several worker threads at once;
  // implementations must be thread-safe.
  virtual Result<HandledPage> OnPage(const FetchedPage& page) = 0;

  // Notes a fetch of `url` that produced no page to handle: a transport error
  // (`page` null), or a page the crawl's policy rejected (status >= 400, not
  // HTML; `page` set). Called from the crawl loop's thread; the default does
  // nothing. A returned error stops the crawl.
  virtual Status OnFailure(const std::string& url, const Error& error,
                           const FetchedPage* page) {
    (void)url;
    (void)error;
    (void)page;
    return {};
  }
  // Notes a fetch that succeeded without a page to handle: a 304 Not Modified
  // (the stored copy is current) or a sitemap (the crawler read it). Called
  // from the crawl loop's thread inside the frontier
  // batch that marks the URL done, so the note commits with that; the default
  // does nothing. A returned error stops the crawl.
  virtual Status OnUnparsed(const FetchedPage& page) {
    (void)page;
    return {};
  }
};

}  // namespace core
