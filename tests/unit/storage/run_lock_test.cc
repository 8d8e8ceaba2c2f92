// Tests of storage::RunLock (storage/run_lock.h): one holder at a time, in
// this process or another, the holder's pid in the message, release on
// destruction and when the holder is killed with SIGKILL, waiting for the
// holder and giving up on a stop, and move semantics. The only sleeps are the
// short ones of the waiting tests.
#include "storage/run_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "tests/support/temp_dir.h"

namespace storage {
namespace {

using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RunLockTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = dir_.File("crawl.db"); }

  testsupport::TempDir dir_;
  std::string db_;
};

TEST_F(RunLockTest, TryAcquireTakesAFreeLockAndWritesThePid) {
  EXPECT_EQ(RunLock::LockPath(db_), db_ + ".lock");
  core::Result<RunLock> lock = RunLock::TryAcquire(db_);
  ASSERT_TRUE(lock.has_value()) << lock.error().message;
  EXPECT_EQ(ReadFile(db_ + ".lock"), std::to_string(getpid()) + "\n");
  EXPECT_EQ(RunLock::Holder(db_), getpid());
}

// flock locks belong to an open file description: a second RunLock in the
// same process is refused like another process's.
TEST_F(RunLockTest, ASecondTryAcquireFailsNamingTheHolder) {
  core::Result<RunLock> first = RunLock::TryAcquire(db_);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  core::Result<RunLock> second = RunLock::TryAcquire(db_);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, core::ErrorCode::kLocked);
  EXPECT_EQ(second.error().message, "another podcrawl process (pid " +
                                        std::to_string(getpid()) +
                                        ") is crawling the schedules of " +
                                        db_ + "; it holds " + db_ + ".lock");
}

TEST_F(RunLockTest, TheLockIsReleasedOnDestruction) {
  {
    core::Result<RunLock> lock = RunLock::TryAcquire(db_);
    ASSERT_TRUE(lock.has_value()) << lock.error().message;
    EXPECT_TRUE(RunLock::Holder(db_).has_value());
  }
  EXPECT_EQ(RunLock::Holder(db_), std::nullopt);
  EXPECT_TRUE(std::filesystem::exists(db_ + ".lock"));  // the file stays
  core::Result<RunLock> again = RunLock::TryAcquire(db_);
  EXPECT_TRUE(again.has_value()) << again.error().message;
}

TEST_F(RunLockTest, HolderOfADatabaseNeverLockedIsNone) {
  EXPECT_EQ(RunLock::Holder(db_), std::nullopt);
  EXPECT_FALSE(std::filesystem::exists(db_ + ".lock"));  // not created
}

TEST_F(RunLockTest, ALockFileThatCannotBeCreatedIsAStorageError) {
  core::Result<RunLock> lock =
      RunLock::TryAcquire(dir_.File("no-such-dir/crawl.db"));
  ASSERT_FALSE(lock.has_value());
  EXPECT_EQ(lock.error().code, core::ErrorCode::kStorage);
  EXPECT_THAT(lock.error().message, HasSubstr("no-such-dir/crawl.db.lock"));
}

TEST_F(RunLockTest, MovesCarryTheLock) {
  core::Result<RunLock> taken = RunLock::TryAcquire(db_);
  ASSERT_TRUE(taken.has_value());
  RunLock moved(std::move(taken).value());
  EXPECT_FALSE(RunLock::TryAcquire(db_).has_value());

  const std::string other_db = dir_.File("other.db");
  core::Result<RunLock> other = RunLock::TryAcquire(other_db);
  ASSERT_TRUE(other.has_value());
  // Assigning over a held lock releases it.
  *other = std::move(moved);
  EXPECT_EQ(RunLock::Holder(other_db), std::nullopt);
  EXPECT_EQ(RunLock::Holder(db_), getpid());
  {
    RunLock last(std::move(other).value());
    EXPECT_FALSE(RunLock::TryAcquire(db_).has_value());
  }
  EXPECT_TRUE(RunLock::TryAcquire(db_).has_value());
}

// Another process holds the lock; when it is killed with SIGKILL (no
// destructor runs) the kernel releases it.
TEST_F(RunLockTest, AKilledHolderLeavesTheLockFree) {
  std::array<int, 2> ready{};
  ASSERT_EQ(pipe(ready.data()), 0);
  pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    close(ready[0]);
    core::Result<RunLock> lock = RunLock::TryAcquire(db_);
    const char answer = lock ? 'y' : 'n';
    if (write(ready[1], &answer, 1) != 1) _exit(2);
    while (true) pause();
  }
  close(ready[1]);
  char answer = 0;
  ssize_t n = 0;
  do {
    n = read(ready[0], &answer, 1);
  } while (n < 0 && errno == EINTR);
  close(ready[0]);
  ASSERT_EQ(n, 1);
  ASSERT_EQ(answer, 'y');

  core::Result<RunLock> refused = RunLock::TryAcquire(db_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kLocked);
  EXPECT_THAT(refused.error().message,
              HasSubstr("(pid " + std::to_string(child) + ")"));
  EXPECT_EQ(RunLock::Holder(db_), child);

  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(RunLock::Holder(db_), std::nullopt);
  core::Result<RunLock> taken = RunLock::TryAcquire(db_);
  ASSERT_TRUE(taken.has_value()) << taken.error().message;
  EXPECT_EQ(RunLock::Holder(db_), getpid());
}

TEST_F(RunLockTest, AcquireTakesAFreeLockAtOnce) {
  core::Result<RunLock> lock = RunLock::Acquire(db_, nullptr);
  ASSERT_TRUE(lock.has_value()) << lock.error().message;
  EXPECT_EQ(RunLock::Holder(db_), getpid());
}

TEST_F(RunLockTest, AcquireWaitsUntilTheHolderReleases) {
  core::Result<RunLock> held = RunLock::TryAcquire(db_);
  ASSERT_TRUE(held.has_value());
  std::atomic<bool> released{false};
  std::thread holder([lock = std::move(held).value(), &released]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    released = true;
    RunLock gone = std::move(lock);  // released at the end of this scope
  });
  std::atomic<bool> stop{false};
  core::Result<RunLock> waited = RunLock::Acquire(db_, &stop);
  const bool was_released = released.load();
  holder.join();
  ASSERT_TRUE(waited.has_value()) << waited.error().message;
  EXPECT_TRUE(was_released);
  EXPECT_EQ(RunLock::Holder(db_), getpid());
}

TEST_F(RunLockTest, AcquireGivesUpWhenStopped) {
  core::Result<RunLock> held = RunLock::TryAcquire(db_);
  ASSERT_TRUE(held.has_value());
  std::atomic<bool> stop{false};
  std::thread stopper([&stop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    stop = true;
  });
  core::Result<RunLock> waited = RunLock::Acquire(db_, &stop);
  stopper.join();
  ASSERT_FALSE(waited.has_value());
  EXPECT_EQ(waited.error().code, core::ErrorCode::kCancelled);
  EXPECT_THAT(waited.error().message,
              HasSubstr("(pid " + std::to_string(getpid()) + ")"));
  // Stopped before it starts: one try, then kCancelled.
  core::Result<RunLock> stopped = RunLock::Acquire(db_, &stop);
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(stopped.error().code, core::ErrorCode::kCancelled);
  EXPECT_EQ(RunLock::Holder(db_), getpid());
}

}  // namespace
}  // namespace storage
