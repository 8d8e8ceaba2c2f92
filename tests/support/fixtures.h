// Helpers to read files under tests/data and to run the built podcrawl binary.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace testsupport {

// Returns the directory of the test data (tests/data in the source tree).
std::string DataDir();

// Returns the bytes of tests/data/`relative`; fails the calling test
// (ADD_FAILURE) and returns "" when it cannot be read.
std::string ReadDataFile(const std::string& relative);

// Returns the bytes of any file, or "" when it cannot be read.
std::string ReadFile(const std::string& path);

// Returns how many times `needle` (not empty) occurs in `text`, overlaps
// counted.
inline int CountOccurrences(const std::string& text,
                            const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1))
    ++n;
  return n;
}

struct CommandResult {
  int exit_code = -1;      // the process's exit status, or 128+signal
  std::string out;         // stdout
  std::string err;         // stderr
  bool timed_out = false;  // killed with SIGKILL at the time limit
  long max_rss_kb = 0;     // NOLINT(google-runtime-int): getrusage's ru_maxrss
};

// Runs the built podcrawl binary with `args` (no shell involved) and returns
// its exit code, output and peak memory. `stdin_data` is written to its stdin.
// With a `time_limit` above zero, a run still going at the limit is killed
// with SIGKILL (timed_out set, exit code 137).
CommandResult RunPodcrawl(
    const std::vector<std::string>& args, const std::string& stdin_data = "",
    std::chrono::milliseconds time_limit = std::chrono::milliseconds(0));

// Starts the built podcrawl binary with `args` in the background, its stdout
// and stderr appended to `log_path`, and returns its process id (or -1).
int StartPodcrawl(const std::vector<std::string>& args,
                  const std::string& log_path = "/dev/null");

// Waits for a process started by StartPodcrawl and returns its exit status, or
// 128+signal.
int WaitPodcrawl(int pid);

}  // namespace testsupport
