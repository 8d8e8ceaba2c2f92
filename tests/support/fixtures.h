// Helpers to read files under tests/data and to run the built podcrawl binary.
#pragma once

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

struct CommandResult {
  int exit_code = -1;  // the process's exit status, or 128+signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs the built podcrawl binary with `args` (no shell involved) and returns
// its exit code and output. `stdin_data` is written to its stdin.
CommandResult RunPodcrawl(const std::vector<std::string>& args,
                          const std::string& stdin_data = "");

// Starts the built podcrawl binary with `args` in the background, its stdout
// and stderr appended to `log_path`, and returns its process id (or -1).
int StartPodcrawl(const std::vector<std::string>& args,
                  const std::string& log_path = "/dev/null");

// Waits for a process started by StartPodcrawl and returns its exit status, or
// 128+signal.
int WaitPodcrawl(int pid);

}  // namespace testsupport
