#include "support/command.h"

#include <fmt/format.h>

#include "support/process.h"

namespace tocsin::test {

CommandResult run_command(const std::vector<std::string>& argv, Duration timeout,
                          const std::map<std::string, std::string>& env, const std::string& cwd) {
  CommandResult result;
  ProcessOptions options;
  options.argv = argv;
  options.env = env;
  options.cwd = cwd;
  auto process = Process::start(std::move(options));
  if (!process) {
    result.output = process.error().to_string();
    return result;
  }
  std::optional<ExitStatus> status = process->wait(timeout);
  if (!status) {
    result.timed_out = true;
    status = process->stop(std::chrono::seconds(2));
  }
  if (!result.timed_out && status->exited()) result.exit_code = status->code;
  result.stdout_text = process->stdout_text();
  result.stderr_text = process->stderr_text();
  result.output = result.stdout_text + result.stderr_text;
  if (result.timed_out) {
    result.output +=
        fmt::format("\n[{} did not finish within {}]", argv.front(), format_duration(timeout));
  } else if (!status->exited()) {
    result.output += fmt::format("\n[{} {}]", argv.front(), status->to_string());
  }
  return result;
}

}  // namespace tocsin::test
