// RunLock: flock(2) on "<db>.lock" (storage/run_lock.h).
//
// flock locks belong to an open file description: a second open() of the
// file, in this process or another, conflicts with the first's lock, and the
// lock goes when the last descriptor of the description closes (process exit,
// kill -9 included). O_CLOEXEC keeps a program started with exec from holding
// it on; a child made with a plain fork() shares the description, and with it
// the lock, until it exits.
#include "storage/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

namespace storage {
namespace {

using core::ErrorCode;
using core::Result;

constexpr auto kPollInterval = std::chrono::milliseconds(100);

// Closes `fd` when it goes out of scope unless released.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

core::Error SystemError(std::string_view what, const std::string& path,
                        int err) {
  return {ErrorCode::kStorage, std::string(what) + " \"" + path + "\": " +
                                   std::generic_category().message(err)};
}

// Reads the pid written at the start of the file open on `fd`; nullopt when
// the file holds none (its holder has not written it yet).
std::optional<int64_t> ReadPid(int fd) {
  std::array<char, 32> buffer{};
  ssize_t n = 0;
  do {
    n = ::pread(fd, buffer.data(), buffer.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return std::nullopt;
  int64_t pid = 0;
  const char* begin = buffer.data();
  const char* end = begin + n;
  auto [ptr, ec] = std::from_chars(begin, end, pid);
  if (ec != std::errc() || ptr == begin || pid <= 0) return std::nullopt;
  return pid;
}

// flock() retried on EINTR. Returns 0 or the errno.
int Flock(int fd, int operation) {
  while (true) {
    if (::flock(fd, operation) == 0) return 0;
    if (errno != EINTR) return errno;
  }
}

// Replaces the file's content with "<pid>\n".
bool WritePid(int fd) {
  if (::ftruncate(fd, 0) != 0) return false;
  const std::string text = std::to_string(::getpid()) + "\n";
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::pwrite(fd, text.data() + written, text.size() - written,
                         static_cast<off_t>(written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string RunLock::LockPath(const std::string& db_path) {
  return db_path + ".lock";
}

Result<RunLock> RunLock::TryAcquire(const std::string& db_path) {
  const std::string path = LockPath(db_path);
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return SystemError("cannot open the run lock", path, errno);
  FdCloser closer(fd);
  if (int err = Flock(fd, LOCK_EX | LOCK_NB); err != 0) {
    if (err != EWOULDBLOCK) {
      return SystemError("cannot lock the run lock", path, err);
    }
    std::optional<int64_t> pid = ReadPid(fd);
    std::string holder = "another podcrawl process";
    if (pid) holder += " (pid " + std::to_string(*pid) + ")";
    return core::Error(ErrorCode::kLocked,
                       holder + " is crawling the schedules of " + db_path +
                           "; it holds " + path);
  }
  // The pid is for messages only: a failure to write it does not matter for
  // the lock itself.
  (void)WritePid(fd);
  return RunLock(closer.release());
}

Result<RunLock> RunLock::Acquire(const std::string& db_path,
                                 const std::atomic<bool>* stop) {
  while (true) {
    Result<RunLock> lock = TryAcquire(db_path);
    if (lock || lock.error().code != ErrorCode::kLocked) return lock;
    if (stop != nullptr && stop->load()) {
      return core::Error(
          ErrorCode::kCancelled,
          "stopped while waiting for the run lock: " + lock.error().message);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

RunLock::RunLock(RunLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

RunLock::~RunLock() {
  // Closing the only descriptor of the open file description releases the
  // flock (an explicit LOCK_UN would also drop it for a forked child that
  // shares the description, which is the child's business).
  if (fd_ >= 0) ::close(fd_);
}

std::optional<int64_t> RunLock::Holder(const std::string& db_path) {
  const std::string path = LockPath(db_path);
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return std::nullopt;  // no lock file: nobody ever held it
  FdCloser closer(fd);
  const int err = Flock(fd, LOCK_SH | LOCK_NB);
  if (err == 0) {
    (void)Flock(fd, LOCK_UN);
    return std::nullopt;
  }
  if (err != EWOULDBLOCK) return std::nullopt;  // cannot tell: say free
  // Held, but the holder may not have written its pid yet.
  return ReadPid(fd).value_or(0);
}

}  // namespace storage
