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

class MultiFetcher {
 public:
  using Callback = std::function<void(core::Result<core::FetchedPage>)>;

  // Throws std::runtime_error when libcurl cannot create its handles (out of
  // memory).
  explicit MultiFetcher(FetchOptions options);
  ~MultiFetcher();
  MultiFetcher(const MultiFetcher&) = delete;
  MultiFetcher& operator=(const MultiFetcher&) = delete;

  // Starts fetching `url` (normalised http/https). `done` runs on the thread
  // that calls Poll(), exactly once, with the page (any status) or the error;
  // also when the transfer is cancelled by CancelAll() (kCancelled). Easy
  // handles are pooled and reused.
  void Start(const std::string& url, const RequestExtras& extras,
             Callback done);

  // Drives the transfers: waits up to `timeout_ms` for network activity (or a
  // Wakeup()), then runs the callbacks of the transfers that finished. Returns
  // the number still in flight.
  int Poll(int timeout_ms);

  // Makes a Poll() that is waiting return early. Thread-safe and
  // async-signal-unsafe.
  void Wakeup();

  // Aborts every transfer in flight; their callbacks run with kCancelled.
  void CancelAll();

  int in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crawler
