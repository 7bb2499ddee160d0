// Structured logging: one line per event, as logfmt (the default, like
// Prometheus) or JSON. Values are formatted by the caller's types through
// fmt; secrets must never be passed in.
//
// Thread-safe; each line is written with one call so lines never interleave.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <tocsin/error.h>

namespace tocsin::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kLogfmt, kJson };

Result<Level> parse_level(std::string_view text);    // debug, info, warn, error
Result<Format> parse_format(std::string_view text);  // logfmt, json

// Applies to every later line. Not for use while other threads log.
void configure(Level min_level, Format format, std::FILE* out = stderr);
bool enabled(Level level);

struct Field {
  template <typename T>
  Field(std::string_view k, const T& v) : key(k), value(fmt::format("{}", v)) {}
  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, const Error& e) : key(k), value(e.to_string()) {}

  std::string_view key;
  std::string value;
};

void write(Level level, std::string_view message, std::initializer_list<Field> fields);

// The line `write` produces, without the timestamp; for tests.
std::string render(Level level, std::string_view message, std::initializer_list<Field> fields,
                   Format format, std::string_view timestamp);

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  if (enabled(Level::kDebug)) write(Level::kDebug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kInfo, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kWarn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kError, m, f);
}

}  // namespace tocsin::log
