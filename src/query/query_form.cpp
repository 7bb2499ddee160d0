#include "query/query_form.h"

#include <fmt/format.h>

#include "gocompat/url.h"

namespace tocsin::query {

std::string form_encode(const std::vector<std::pair<std::string_view, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    gocompat::append_query_escaped(out, name);
    out += '=';
    gocompat::append_query_escaped(out, value);
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
