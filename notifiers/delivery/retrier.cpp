#include "notifiers/delivery/retrier.h"

#include <algorithm>

#include <fmt/format.h>

#include "gocompat/utf8.h"

namespace tocsin::notifiers {

std::expected<notify::Delivery, notify::Failure> Retrier::check(int status,
                                                                std::string_view details) const {
  if (status / 100 == 2) return notify::Delivery{fmt::format("HTTP {}", status)};
  bool retry =
      status / 100 == 5 || std::ranges::find(extra_retry_codes, status) != extra_retry_codes.end();
  std::string message = fmt::format("unexpected status code {}", status);
  if (!details.empty()) message += fmt::format(": {}", details);
  return std::unexpected(notify::Failure{std::move(message), retry});
}

std::string body_excerpt(std::string_view body, std::size_t max_bytes) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = body.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  body = body.substr(first, body.find_last_not_of(kSpace) - first + 1);

  std::string out;
  std::size_t i = 0;
  while (i < body.size() && out.size() < max_bytes) {
    auto c = static_cast<unsigned char>(body[i]);
    char32_t r = 0;
    int size = c < 0x80 ? 1 : gocompat::decode_utf8(body, i, r);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f || size == 0) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.append(body.substr(i, static_cast<std::size_t>(size)));
      i += static_cast<std::size_t>(size);
      continue;
    }
    ++i;
  }
  if (i < body.size()) out += "...";
  return out;
}

}  // namespace tocsin::notifiers
