#include "query/query_form.h"

#include <fmt/format.h>

namespace tocsin::query {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void append_escaped(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

}  // namespace

std::string form_encode(const std::vector<std::pair<std::string_view, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    append_escaped(out, name);
    out += '=';
    append_escaped(out, value);
  }
  return out;
}

std::string format_timeout_seconds(Duration timeout) {
  std::int64_t ms = timeout.count();
  std::string out = fmt::format("{}", ms / 1000);
  if (std::int64_t frac = ms % 1000; frac != 0) {
    std::string digits = fmt::format("{:03}", frac);
    while (digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
  return out;
}

std::string instant_query_form(std::string_view expr, Timestamp at, Duration timeout) {
  return form_encode({{"query", std::string(expr)},
                      {"time", format_unix_seconds(at)},
                      {"timeout", format_timeout_seconds(timeout)}});
}

}  // namespace tocsin::query
