#include "core/log.h"

#include <atomic>
#include <chrono>

#include <nlohmann/json.hpp>

#include <tocsin/time.h>

#include "gocompat/json.h"

namespace tocsin::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kLogfmt};
std::atomic<std::FILE*> g_out{nullptr};

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

std::string_view name_of(Level level) {
  return kLevelNames[static_cast<int>(level)];
}

// logfmt quotes a value when it is empty or holds spaces, quotes, '=' or
// control characters. The quoted text is escaped as encoding/json escapes a
// string without HTML escaping, which go-logfmt (Prometheus's and
// Alertmanager's go-kit logs) adapted; only U+2028 and U+2029 differ:
// go-logfmt leaves them as they are.
void append_logfmt_value(std::string& out, std::string_view v) {
  bool plain = !v.empty();
  for (unsigned char c : v) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.append(v);
    return;
  }
  gocompat::append_json_string(out, v, /*escape_html=*/false);
}

}  // namespace

Result<Level> parse_level(std::string_view text) {
  for (int i = 0; i < 4; ++i) {
    if (text == kLevelNames[i]) return static_cast<Level>(i);
  }
  return fail(fmt::format("unknown log level \"{}\": want debug, info, warn or error", text));
}

Result<Format> parse_format(std::string_view text) {
  if (text == "logfmt") return Format::kLogfmt;
  if (text == "json") return Format::kJson;
  return fail(fmt::format("unknown log format \"{}\": want logfmt or json", text));
}

void configure(Level min_level, Format format, std::FILE* out) {
  g_level = min_level;
  g_format = format;
  g_out = out;
}

bool enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed);
}

std::string render(Level level, std::string_view message, std::initializer_list<Field> fields,
                   Format format, std::string_view timestamp) {
  if (format == Format::kJson) {
    nlohmann::ordered_json line;
    if (!timestamp.empty()) line["ts"] = timestamp;
    line["level"] = name_of(level);
    line["msg"] = message;
    for (const Field& f : fields) line[std::string(f.key)] = f.value;
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string out;
  if (!timestamp.empty()) {
    out += "ts=";
    out += timestamp;
    out += ' ';
  }
  out += "level=";
  out += name_of(level);
  out += " msg=";
  append_logfmt_value(out, message);
  for (const Field& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    append_logfmt_value(out, f.value);
  }
  return out;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line = render(level, message, fields, g_format.load(std::memory_order_relaxed),
                            format_rfc3339(SystemClock().now()));
  line += '\n';
  std::FILE* out = g_out.load(std::memory_order_relaxed);
  if (out == nullptr) out = stderr;
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

}  // namespace tocsin::log
