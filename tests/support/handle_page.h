// HandlePage: what the crawler does with a page through a core::PageHandler,
// for tests that drive a handler without a crawl: OnPage (the worker's half),
// then HandledPage::commit (the writes, which the crawler runs in its batch),
// whose answer replaces `changed`.
#pragma once

#include "core/page_handler.h"

namespace testsupport {

inline core::Result<core::HandledPage> HandlePage(
    core::PageHandler& handler, const core::FetchedPage& page) {
  core::Result<core::HandledPage> handled = handler.OnPage(page);
  if (!handled || !handled->commit) return handled;
  core::Result<bool> changed = handled->commit();
  if (!changed) return changed.error();
  handled->changed = *changed;
  return handled;
}

}  // namespace testsupport
