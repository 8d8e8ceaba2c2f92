#include "tests/support/fixtures.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

namespace testsupport {

std::string DataDir() { return PODCRAWL_TEST_DATA_DIR; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ReadDataFile(const std::string& relative) {
  const std::string path = DataDir() + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read test data " << path;
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

// Returns how long RunPodcrawl may wait for output (-1: no limit), after
// killing `pid` with SIGKILL once `deadline` passed (when there is a limit).
int WaitOrKill(pid_t pid, std::chrono::milliseconds time_limit,
               std::chrono::steady_clock::time_point deadline,
               CommandResult* result) {
  if (time_limit.count() <= 0) return -1;
  if (result->timed_out) return 100;  // killed: its pipes close as it dies
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() > 0) return static_cast<int>(left.count());
  kill(pid, SIGKILL);
  result->timed_out = true;
  return 100;
}

}  // namespace

CommandResult RunPodcrawl(const std::vector<std::string>& args,
                          const std::string& stdin_data,
                          std::chrono::milliseconds time_limit) {
  CommandResult result;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    return result;
  const pid_t pid = fork();
  if (pid < 0) return result;
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1],
                   err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    std::vector<std::string> argv_storage;
    argv_storage.emplace_back(PODCRAWL_BINARY);
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Feed stdin, then read both outputs until EOF without deadlocking on full
  // pipes.
  size_t written = 0;
  if (stdin_data.empty()) {
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  const auto deadline = std::chrono::steady_clock::now() + time_limit;
  while (out_open || err_open || in_pipe[1] >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_pipe[1] >= 0) fds[n++] = {in_pipe[1], POLLOUT, 0};
    const int wait_ms = WaitOrKill(pid, time_limit, deadline, &result);
    if (poll(fds, static_cast<nfds_t>(n), wait_ms) < 0) break;
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_pipe[1]) {
        const ssize_t w = write(in_pipe[1], stdin_data.data() + written,
                                stdin_data.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w <= 0 || written == stdin_data.size()) {
          close(in_pipe[1]);
          in_pipe[1] = -1;
        }
        continue;
      }
      const ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r <= 0) {
        if (fds[i].fd == out_pipe[0]) out_open = false;
        if (fds[i].fd == err_pipe[0]) err_open = false;
        continue;
      }
      (fds[i].fd == out_pipe[0] ? result.out : result.err)
          .append(buf, static_cast<size_t>(r));
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.max_rss_kb = usage.ru_maxrss;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

int StartPodcrawl(const std::vector<std::string>& args,
                  const std::string& log_path) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int null_in = open("/dev/null", O_RDONLY);
  if (log >= 0) {
    dup2(log, 1);
    dup2(log, 2);
  }
  if (null_in >= 0) dup2(null_in, 0);
  std::vector<std::string> argv_storage;
  argv_storage.emplace_back(PODCRAWL_BINARY);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

int WaitPodcrawl(int pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace testsupport
