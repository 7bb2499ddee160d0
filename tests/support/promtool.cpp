#include "support/promtool.h"

#include "support/paths.h"
#include "support/temp_dir.h"

namespace tocsin::test {
namespace {

CommandResult run_promtool(std::vector<std::string> args) {
  std::string promtool = promtool_binary();
  if (promtool.empty()) {
    CommandResult missing;
    missing.output =
        "promtool not found: install Debian's prometheus package or set TOCSIN_PROMTOOL";
    return missing;
  }
  args.insert(args.begin(), promtool);
  return run_command(args);
}

bool ends_with_eof(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return text.ends_with("# EOF");
}

}  // namespace

CommandResult create_blocks_from_openmetrics(std::string_view openmetrics,
                                             const std::string& data_dir) {
  TempDir input_dir("openmetrics");
  std::string text(openmetrics);
  if (!ends_with_eof(text)) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += "# EOF\n";
  }
  std::string input = input_dir.write("input.om", text);
  return run_promtool({"tsdb", "create-blocks-from", "openmetrics", input, data_dir});
}

CommandResult promtool_test_rules(const std::vector<std::string>& test_files) {
  std::vector<std::string> args = {"test", "rules"};
  args.insert(args.end(), test_files.begin(), test_files.end());
  return run_promtool(std::move(args));
}

CommandResult promtool_check_rules(const std::vector<std::string>& rule_files) {
  std::vector<std::string> args = {"check", "rules"};
  args.insert(args.end(), rule_files.begin(), rule_files.end());
  return run_promtool(std::move(args));
}

}  // namespace tocsin::test
