#include "cli/signals.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>

#include "cli/command.h"

namespace cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
std::atomic<bool> g_reload{false};
// The self-pipe: the handlers write a byte to g_wake_fds[1]; SleepMs polls
// g_wake_fds[0]. -1 when the pipe could not be made (SleepMs then falls back
// to short naps that check the flags).
std::array<int, 2> g_wake_fds = {-1, -1};
struct sigaction g_old_int;
struct sigaction g_old_term;
struct sigaction g_old_hup;
bool g_hup_installed = false;

void Wake() {
  if (g_wake_fds[1] >= 0) {
    const char byte = 1;
    if (write(g_wake_fds[1], &byte, 1) < 0) {
      // A full pipe is awake already; nothing else can be done in a handler.
    }
  }
}

extern "C" void OnStopSignal(int sig) {
  const int saved_errno = errno;
  if (g_stop.exchange(true)) {
    // Second signal: leave now. SQLite's journal keeps the database consistent.
    _exit(128 + sig);
  }
  g_signal.store(sig);
  static const char kMsg[] =
      "\npodcrawl: stopping after the pages in flight (signal again to quit "
      "now)\n";
  if (write(STDERR_FILENO, kMsg, sizeof kMsg - 1) < 0) {
    // stderr closed: the stop goes on without the message.
  }
  Wake();
  errno = saved_errno;
}

extern "C" void OnHangup(int /*sig*/) {
  const int saved_errno = errno;
  g_reload.store(true);
  Wake();
  errno = saved_errno;
}

// Reads whatever the handlers wrote.
void DrainWakePipe() {
  if (g_wake_fds[0] < 0) return;
  std::array<char, 64> buffer{};
  while (read(g_wake_fds[0], buffer.data(), buffer.size()) > 0) {
  }
}

}  // namespace

StopSignals::StopSignals(bool handle_hup) {
  g_stop.store(false);
  g_signal.store(0);
  g_reload.store(false);
  if (pipe2(g_wake_fds.data(), O_NONBLOCK | O_CLOEXEC) != 0) {
    g_wake_fds[0] = g_wake_fds[1] = -1;
  }
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
  g_hup_installed = handle_hup;
  if (handle_hup) {
    struct sigaction hup = {};
    hup.sa_handler = OnHangup;
    sigemptyset(&hup.sa_mask);
    hup.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &hup, &g_old_hup);
  }
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  if (g_hup_installed) sigaction(SIGHUP, &g_old_hup, nullptr);
  for (int& fd : g_wake_fds) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

// The accessors read process-wide state, but only through an instance: one
// exists while the handlers are installed.
// NOLINTNEXTLINE(readability-convert-member-functions-to-static)
const std::atomic<bool>& StopSignals::stop() const { return g_stop; }

// NOLINTNEXTLINE(readability-convert-member-functions-to-static)
int StopSignals::signal() const { return g_signal.load(); }

// NOLINTNEXTLINE(readability-convert-member-functions-to-static)
bool StopSignals::TakeReload() { return g_reload.exchange(false); }

// NOLINTNEXTLINE(readability-convert-member-functions-to-static)
bool StopSignals::SleepMs(int64_t ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    if (g_stop.load() || g_reload.load()) {
      DrainWakePipe();
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - Clock::now())
                          .count();
    if (left <= 0) return false;
    if (g_wake_fds[0] < 0) {
      // No pipe: nap in short steps, checking the flags between them.
      usleep(static_cast<useconds_t>(std::min<int64_t>(left, 200) * 1000));
      continue;
    }
    struct pollfd fd = {g_wake_fds[0], POLLIN, 0};
    const int timeout = static_cast<int>(std::min<int64_t>(left, INT_MAX));
    if (poll(&fd, 1, timeout) > 0) DrainWakePipe();
    // Loop: the flags say whether it was a signal; EINTR and spurious
    // wake-ups go round again.
  }
}

int SignalExit(const StopSignals& signals) {
  if (signals.signal() == SIGINT) return kExitSigint;
  if (signals.signal() == SIGTERM) return kExitSigterm;
  return kExitOk;
}

}  // namespace cli
