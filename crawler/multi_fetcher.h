// MultiFetcher: many transfers in flight on one thread with libcurl's multi
// interface (connections reused, HTTP/2 multiplexed where offered), each
// configured exactly as HttpClient configures its one transfer (same options,
// caps and error mapping, through internal::Transfer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/fetch.h"
#include "core/result.h"
#include "crawler/http_client.h"

namespace crawler {

// Connection limits of a MultiFetcher (libcurl's CURLMOPT_MAX_TOTAL_CONNECTIONS
// and CURLMOPT_MAX_HOST_CONNECTIONS); 0 = no limit. Transfers over a limit wait
// inside libcurl for a connection.
struct MultiFetcherLimits {
  int max_total_connections = 0;
  int max_host_connections = 0;
};

class MultiFetcher {
 public:
  using Callback = std::function<void(core::Result<core::FetchedPage>)>;

  // `options` is profile 0 (see AddProfile). Throws std::runtime_error when
  // libcurl cannot create or configure its handles (out of memory).
  explicit MultiFetcher(FetchOptions options, MultiFetcherLimits limits = {});
  // Aborts the transfers still in flight without running their callbacks.
  ~MultiFetcher();
  MultiFetcher(const MultiFetcher&) = delete;
  MultiFetcher& operator=(const MultiFetcher&) = delete;

  // Registers another set of fetch options (for example robots.txt: fewer
  // redirects, another body cap) and returns its profile number for Start().
  // Transfers of every profile share the connections.
  int AddProfile(FetchOptions options);

  // Starts fetching `url` (an absolute http/https URL; normalised here) with
  // the options of `profile`. `done` runs on the thread that calls Poll(),
  // exactly once, with the page (any status; its `url` is `url` as given) or
  // the error; also when the transfer is cancelled by CancelAll() (kCancelled)
  // and when it cannot start (a bad URL or profile: the error is delivered by
  // the next Poll()). Easy handles are pooled and reused.
  void Start(const std::string& url, const RequestExtras& extras, Callback done,
             int profile = 0);

  // Drives the transfers: waits up to `timeout_ms` for network activity (or a
  // Wakeup()), then runs the callbacks of the transfers that finished. The
  // callbacks may call Start() and CancelAll(), not Poll(). Returns the number
  // still in flight.
  int Poll(int timeout_ms);

  // Makes a Poll() that is waiting return early. Thread-safe and
  // async-signal-unsafe.
  void Wakeup();

  // Aborts every transfer in flight; their callbacks run (here, on the calling
  // thread) with kCancelled.
  void CancelAll();

  // Transfers started whose callback has not run yet.
  int in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crawler
