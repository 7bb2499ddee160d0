// Running a program to completion (promtool, amtool) and collecting what it
// printed.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <tocsin/time.h>

namespace tocsin::test {

struct CommandResult {
  int exit_code = -1;  // -1: could not start, killed by a signal, or timed out
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  std::string output;  // stdout then stderr; on a failure to start, why

  bool success() const { return exit_code == 0; }
};

// Runs `argv` and waits up to `timeout`; a command still running then is
// stopped (SIGTERM, then SIGKILL) and reported as timed out.
CommandResult run_command(const std::vector<std::string>& argv,
                          Duration timeout = std::chrono::seconds(60),
                          const std::map<std::string, std::string>& env = {},
                          const std::string& cwd = "");

}  // namespace tocsin::test
