#include "crawler/multi_fetcher.h"

#include <curl/curl.h>

#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/url.h"
#include "crawler/curl_handle.h"

namespace crawler {
namespace {

struct CurlMultiDeleter {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
using CurlMultiPtr = std::unique_ptr<CURLM, CurlMultiDeleter>;

void CheckMulti(CURLMcode rc, const char* what) {
  if (rc != CURLM_OK) {
    throw std::runtime_error(std::string("libcurl refused ") + what + ": " +
                             curl_multi_strerror(rc));
  }
}

// One pooled easy handle with the Transfer that configures it. Heap-allocated
// and never moved while in use: the handle's callbacks point at `transfer`.
struct Slot {
  Slot(const FetchOptions& options, int profile_number)
      : easy(internal::NewEasyHandle()),
        transfer(options),
        profile(profile_number) {}

  internal::CurlEasyPtr easy;
  internal::Transfer transfer;
  int profile;
  std::string url_as_given;
  MultiFetcher::Callback done;
};

// A callback to run with its result, collected before any callback runs so
// callbacks may start new transfers.
struct Completion {
  MultiFetcher::Callback done;
  core::Result<core::FetchedPage> result;
};

}  // namespace

struct MultiFetcher::Impl {
  // Declared first, destroyed last: the easy handles of `idle` and `active`
  // are removed from it (in ~MultiFetcher) and freed before it.
  CurlMultiPtr multi;
  std::vector<FetchOptions> profiles;
  std::vector<std::vector<std::unique_ptr<Slot>>> idle;  // by profile
  std::unordered_map<CURL*, std::unique_ptr<Slot>> active;
  std::vector<Completion> pending;  // could not start; delivered by Poll()

  std::unique_ptr<Slot> Acquire(int profile) {
    auto& pool = idle[static_cast<size_t>(profile)];
    if (pool.empty()) {
      return std::make_unique<Slot>(profiles[static_cast<size_t>(profile)],
                                    profile);
    }
    std::unique_ptr<Slot> slot = std::move(pool.back());
    pool.pop_back();
    return slot;
  }

  void Release(std::unique_ptr<Slot> slot) {
    slot->done = nullptr;
    slot->url_as_given.clear();
    idle[static_cast<size_t>(slot->profile)].push_back(std::move(slot));
  }

  // Removes the finished transfers from the multi handle and returns their
  // callbacks with their results.
  void CollectDone(std::vector<Completion>& out) {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      auto it = active.find(easy);
      curl_multi_remove_handle(multi.get(), easy);
      if (it == active.end()) continue;  // not ours; cannot happen
      if (it->second->transfer.RetryOnFreshConnection(easy, code) &&
          curl_multi_add_handle(multi.get(), easy) == CURLM_OK) {
        continue;  // sent again on a fresh connection; still active
      }
      std::unique_ptr<Slot> slot = std::move(it->second);
      active.erase(it);
      core::Result<core::FetchedPage> result =
          slot->transfer.Finish(easy, code);
      if (result) result->url = slot->url_as_given;
      Callback done = std::move(slot->done);
      Release(std::move(slot));
      out.push_back(Completion{std::move(done), std::move(result)});
    }
  }
};

MultiFetcher::MultiFetcher(FetchOptions options, MultiFetcherLimits limits)
    : impl_(std::make_unique<Impl>()) {
  impl_->multi.reset(curl_multi_init());
  if (!impl_->multi) {
    throw std::runtime_error("curl_multi_init failed (out of memory)");
  }
  CURLM* multi = impl_->multi.get();
  // NOLINTBEGIN(google-runtime-int): libcurl takes long for these options.
  // HTTP/2 streams share one connection per host where the server offers it
  // (the default since libcurl 7.62; set so it does not depend on that).
  CheckMulti(curl_multi_setopt(multi, CURLMOPT_PIPELINING,
                               static_cast<long>(CURLPIPE_MULTIPLEX)),
             "CURLMOPT_PIPELINING");
  if (limits.max_total_connections > 0) {
    CheckMulti(
        curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                          static_cast<long>(limits.max_total_connections)),
        "CURLMOPT_MAX_TOTAL_CONNECTIONS");
    // Idle connections kept for reuse: as many as may be open at once.
    CheckMulti(
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS,
                          static_cast<long>(limits.max_total_connections)),
        "CURLMOPT_MAXCONNECTS");
  }
  if (limits.max_host_connections > 0) {
    CheckMulti(
        curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(limits.max_host_connections)),
        "CURLMOPT_MAX_HOST_CONNECTIONS");
  }
  // NOLINTEND(google-runtime-int)
  AddProfile(std::move(options));
}

MultiFetcher::~MultiFetcher() {
  for (auto& [easy, slot] : impl_->active) {
    curl_multi_remove_handle(impl_->multi.get(), easy);
  }
}

int MultiFetcher::AddProfile(FetchOptions options) {
  impl_->profiles.push_back(std::move(options));
  impl_->idle.emplace_back();
  return static_cast<int>(impl_->profiles.size()) - 1;
}

void MultiFetcher::Start(const std::string& url, const RequestExtras& extras,
                         Callback done, int profile) {
  if (profile < 0 || static_cast<size_t>(profile) >= impl_->profiles.size()) {
    impl_->pending.push_back(Completion{
        std::move(done),
        core::Error(core::ErrorCode::kInvalidArgument,
                    "unknown fetch profile " + std::to_string(profile))});
    return;
  }
  core::Result<std::string> normalized = core::NormalizeUrl(url);
  if (!normalized) {
    impl_->pending.push_back(Completion{std::move(done), normalized.error()});
    return;
  }
  std::unique_ptr<Slot> slot = impl_->Acquire(profile);
  CURL* easy = slot->easy.get();
  if (core::Status prepared = slot->transfer.Prepare(easy, *normalized, extras);
      !prepared) {
    impl_->Release(std::move(slot));
    impl_->pending.push_back(Completion{std::move(done), prepared.error()});
    return;
  }
  // Over https, wait for a connection being set up that may multiplex (HTTP/2,
  // known from ALPN at the TLS handshake) rather than open another one. Not
  // over plain http: libcurl speaks HTTP/1.1 there and would learn that only
  // from the first response's headers, so a slow first answer would hold up
  // every other transfer to the host.
  const bool pipewait = normalized->rfind("https://", 0) == 0;
  if (const CURLcode rc =
          curl_easy_setopt(easy, CURLOPT_PIPEWAIT, pipewait ? 1L : 0L);
      rc != CURLE_OK) {
    impl_->Release(std::move(slot));
    impl_->pending.push_back(Completion{
        std::move(done),
        core::Error(core::ErrorCode::kInternal,
                    std::string("libcurl refused CURLOPT_PIPEWAIT: ") +
                        curl_easy_strerror(rc))});
    return;
  }
  if (const CURLMcode rc = curl_multi_add_handle(impl_->multi.get(), easy);
      rc != CURLM_OK) {
    impl_->Release(std::move(slot));
    impl_->pending.push_back(
        Completion{std::move(done),
                   core::Error(core::ErrorCode::kInternal,
                               std::string("curl_multi_add_handle failed: ") +
                                   curl_multi_strerror(rc))});
    return;
  }
  slot->url_as_given = url;
  slot->done = std::move(done);
  impl_->active.emplace(easy, std::move(slot));
}

int MultiFetcher::Poll(int timeout_ms) {
  CURLM* multi = impl_->multi.get();
  int running = 0;
  std::vector<Completion> done = std::move(impl_->pending);
  impl_->pending.clear();
  // Errors of curl_multi_perform / poll are misuse or out of memory; the
  // transfers then end with their own errors, which CollectDone reports.
  curl_multi_perform(multi, &running);
  impl_->CollectDone(done);
  if (done.empty()) {
    // Waits even with no transfer (unlike curl_multi_wait), so an idle crawl
    // loop sleeps here until a Wakeup().
    curl_multi_poll(multi, nullptr, 0, timeout_ms, nullptr);
    curl_multi_perform(multi, &running);
    impl_->CollectDone(done);
  }
  for (Completion& completion : done) {
    completion.done(std::move(completion.result));
  }
  return in_flight();
}

void MultiFetcher::Wakeup() { curl_multi_wakeup(impl_->multi.get()); }

void MultiFetcher::CancelAll() {
  std::vector<Completion> done = std::move(impl_->pending);
  impl_->pending.clear();
  std::unordered_map<CURL*, std::unique_ptr<Slot>> active =
      std::move(impl_->active);
  impl_->active.clear();
  for (auto& [easy, slot] : active) {
    curl_multi_remove_handle(impl_->multi.get(), easy);
    // Resets the Transfer for its next use; the error is ours, not libcurl's.
    (void)slot->transfer.Finish(easy, CURLE_ABORTED_BY_CALLBACK);
    const std::string url = slot->url_as_given;
    Callback callback = std::move(slot->done);
    impl_->Release(std::move(slot));
    done.push_back(Completion{
        std::move(callback),
        core::Error(core::ErrorCode::kCancelled, "cancelled: " + url)});
  }
  for (Completion& completion : done) {
    completion.done(std::move(completion.result));
  }
}

int MultiFetcher::in_flight() const {
  return static_cast<int>(impl_->active.size() + impl_->pending.size());
}

}  // namespace crawler
