// A child process a test starts, and is sure to stop.
//
// The destructor stops the child (SIGTERM, then SIGKILL after a grace
// period), so a failing ASSERT cannot leave a Prometheus running. If the test
// program itself dies, Linux kills the child too (PR_SET_PDEATHSIG): start
// children from the test's own thread, since that signal follows the thread
// that forked, not the process.
//
// Not thread-safe: one thread owns a Process.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "support/temp_dir.h"

namespace tocsin::test {

struct ProcessOptions {
  std::vector<std::string> argv{};           // argv[0]: a path, or a name looked up in PATH
  std::map<std::string, std::string> env{};  // set on top of the test's own environment
  std::string cwd{};                         // "": the test's working directory
  // Where stdout and stderr go ("": files in a private temp dir). They may
  // be the same file. With append, a restarted process keeps earlier output.
  std::string stdout_path{};
  std::string stderr_path{};
  bool append_output = false;
  // "": the test's own user. Otherwise the child runs as this user (and its
  // group): a test running as root starts PostgreSQL, which refuses root.
  std::string user{};
};

struct ExitStatus {
  int code = -1;   // the exit code, when the process exited
  int signal = 0;  // the signal that ended it, otherwise

  bool exited() const { return signal == 0; }
  bool success() const { return signal == 0 && code == 0; }
  std::string to_string() const;  // "exit code 1", "killed by signal 9"
};

class Process {
 public:
  // Fails if the program cannot be found or executed, or an output file
  // cannot be opened. stdin is /dev/null; no other descriptor is inherited.
  static Result<Process> start(ProcessOptions options);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  bool alive();

  // SIGTERM, then SIGKILL once `grace` has passed; reaps the child. Returns
  // how it ended (immediately if it already had).
  ExitStatus stop(Duration grace = std::chrono::seconds(10));

  // SIGKILL at once, as a crash or the OOM killer ends a program (no
  // chance to clean up); reaps the child.
  ExitStatus kill();

  // Waits up to `timeout` for the child to exit on its own.
  std::optional<ExitStatus> wait(Duration timeout);

  // Set once the child has been reaped.
  const std::optional<ExitStatus>& exit_status() const { return status_; }

  std::string stdout_text() const;
  std::string stderr_text() const;
  const std::string& stdout_path() const { return stdout_path_; }
  const std::string& stderr_path() const { return stderr_path_; }

 private:
  Process() = default;
  bool reap(bool block);  // true once status_ is set

  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
  std::string stdout_path_;
  std::string stderr_path_;
  std::unique_ptr<TempDir> output_dir_;  // when the caller gave no paths
};

}  // namespace tocsin::test
