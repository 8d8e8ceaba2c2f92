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
  // Takes the lock of the database at `db_path` without waiting and writes
  // this process's pid and "\n" into the lock file. Returns the held lock;
  // kLocked, with a message naming the database and the holder's pid
  // ("another podcrawl process (pid 1234) is crawling the schedules of DB; it
  // holds DB.lock"), when another process (or another RunLock in this one)
  // holds it; kStorage when the lock file cannot be created or locked.
  static core::Result<RunLock> TryAcquire(const std::string& db_path);

  // Takes the lock, waiting for its holder to release it: tries again every
  // 100 ms, checking `*stop` after each failed try (nullptr: wait without
  // end). kCancelled, with the holder named, when stopped; kStorage as
  // TryAcquire.
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
  // held by someone now (0 when its holder has not written its pid yet);
  // nullopt when it is free or there is no lock file. Does not create the
  // file.
  static std::optional<int64_t> Holder(const std::string& db_path);

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace storage
