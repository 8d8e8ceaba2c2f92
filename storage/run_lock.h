// RunLock: at most one `podcrawl run --due` or `podcrawl daemon` crawls the
// schedules of a database at a time. An advisory flock(2) on the file
// "<db>.lock" beside the database (never on the database file itself: SQLite's
// POSIX locks on it would be dropped when another descriptor of it closes).
// The kernel releases the lock when the process dies, kill -9 included, so a
// stale lock file never blocks anything; the file holds the holder's pid, for
// messages only.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace storage {

class RunLock {
 public:
  // Takes the lock of the database at `db_path` without waiting. Returns the
  // held lock; kLocked, with a message naming the database and the holder's
  // pid, when another process (or another RunLock in this one) holds it;
  // kStorage when the lock file cannot be created or locked.
  static core::Result<RunLock> TryAcquire(const std::string& db_path);

  // Takes the lock, waiting for its holder to release it, checking `*stop`
  // every 100 ms (nullptr: wait without end). kCancelled when stopped.
  static core::Result<RunLock> Acquire(const std::string& db_path,
                                       const std::atomic<bool>* stop);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // releases the lock (the file stays)

  // "<db_path>.lock".
  static std::string LockPath(const std::string& db_path);

  // Returns the pid written in the lock file of `db_path` when the lock is
  // held by someone now; nullopt when it is free.
  static std::optional<int64_t> Holder(const std::string& db_path);

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace storage
