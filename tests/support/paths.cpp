#include "support/paths.h"

#include <cstdlib>
#include <string_view>

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

std::string source_dir() {
  return TOCSIN_SOURCE_DIR;
}

}  // namespace tocsin::test
