// promtool, Prometheus's own tool, as the tests' data loader and oracle.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/command.h"

namespace tocsin::test {

// Writes `openmetrics` to a file and runs `promtool tsdb create-blocks-from
// openmetrics` into `data_dir` (a Prometheus --storage.tsdb.path; do it
// before that Prometheus starts). promtool wants the text to end with
// "# EOF": it is added when missing. Timestamps are Unix seconds and must be
// inside the retention window (keep them within the last few hours).
CommandResult create_blocks_from_openmetrics(std::string_view openmetrics,
                                             const std::string& data_dir);

// `promtool test rules FILE...`: exit code 0 when every test passed.
CommandResult promtool_test_rules(const std::vector<std::string>& test_files);

// `promtool check rules FILE...`: exit code 0 when every file is valid.
CommandResult promtool_check_rules(const std::vector<std::string>& rule_files);

}  // namespace tocsin::test
