#include "cli/signals.h"

#include <signal.h>
#include <unistd.h>

namespace cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
struct sigaction g_old_int;
struct sigaction g_old_term;

extern "C" void OnStopSignal(int sig) {
  if (g_stop.exchange(true)) {
    // Second signal: leave now. SQLite's journal keeps the database consistent.
    _exit(128 + sig);
  }
  g_signal.store(sig);
  static const char kMsg[] =
      "\npodcrawl: stopping after the pages in flight (signal again to quit "
      "now)\n";
  (void)!write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
}

}  // namespace

StopSignals::StopSignals() {
  g_stop.store(false);
  g_signal.store(0);
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>& StopSignals::stop() const { return g_stop; }

int StopSignals::signal() const { return g_signal.load(); }

}  // namespace cli
