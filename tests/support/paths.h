// The one place that knows where the real programs the tests run live.
// Compile-time defaults come from CMake's find_program; the environment
// variables TOCSIN_PROMETHEUS, TOCSIN_PROMTOOL, TOCSIN_ALERTMANAGER and
// TOCSIN_AMTOOL override them.
//
// A differential test never skips when its tool is missing: it fails, with
// require_tool's message naming the Debian package (scripts/install-deps
// installs them all).
#pragma once

#include <string>
#include <string_view>

namespace tocsin::test {

// "" when neither the environment nor the build found the program.
std::string prometheus_binary();
std::string promtool_binary();
std::string alertmanager_binary();
std::string amtool_binary();

// `path` when it is set, else a test failure that says what to install;
// use as ASSERT_FALSE(require_tool(...).empty()) or through a helper.
std::string require_tool(const std::string& path, std::string_view name,
                         std::string_view debian_package);

// The repository root, for tests that read shipped files (rules/, examples/).
std::string source_dir();

}  // namespace tocsin::test
