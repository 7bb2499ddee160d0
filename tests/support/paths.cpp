#include "support/paths.h"

#include <cstdlib>
#include <string_view>

#include <gtest/gtest.h>

namespace tocsin::test {
namespace {

std::string from_env_or(const char* variable, std::string_view built_in) {
  if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') return value;
  if (built_in.ends_with("-NOTFOUND")) return {};
  return std::string(built_in);
}

}  // namespace

std::string prometheus_binary() {
  return from_env_or("TOCSIN_PROMETHEUS", TOCSIN_PROMETHEUS_BINARY);
}

std::string promtool_binary() {
  return from_env_or("TOCSIN_PROMTOOL", TOCSIN_PROMTOOL_BINARY);
}

std::string alertmanager_binary() {
  return from_env_or("TOCSIN_ALERTMANAGER", TOCSIN_ALERTMANAGER_BINARY);
}

std::string amtool_binary() {
  return from_env_or("TOCSIN_AMTOOL", TOCSIN_AMTOOL_BINARY);
}

std::string require_tool(const std::string& path, std::string_view name,
                         std::string_view debian_package) {
  if (path.empty()) {
    ADD_FAILURE() << name << " not found: install Debian's " << debian_package
                  << " (scripts/install-deps does) or point TOCSIN_" << name
                  << " at it; a differential test does not skip";
  }
  return path;
}

std::string source_dir() {
  return TOCSIN_SOURCE_DIR;
}

}  // namespace tocsin::test
