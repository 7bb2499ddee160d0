// The one place that knows where the real programs the tests run live.
// Compile-time defaults come from CMake's find_program; the environment
// variables TOCSIN_PROMETHEUS and TOCSIN_PROMTOOL override them.
#pragma once

#include <string>

namespace tocsin::test {

// "" when neither the environment nor the build found the program.
std::string prometheus_binary();
std::string promtool_binary();

// The repository root, for tests that read shipped files (rules/, examples/).
std::string source_dir();

}  // namespace tocsin::test
