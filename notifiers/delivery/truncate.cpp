#include "notifiers/delivery/truncate.h"

#include "gocompat/utf8.h"

namespace tocsin::notifiers {
namespace {

constexpr std::string_view kMarker = "\xe2\x80\xa6";       // …
constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD

}  // namespace

Truncated truncate_in_runes(std::string_view text, std::size_t max_runes) {
  std::size_t runes = 0;
  for (std::size_t i = 0; i < text.size(); ++runes) {
    char32_t r = 0;
    int size = gocompat::decode_utf8(text, i, r);
    i += size == 0 ? 1 : static_cast<std::size_t>(size);
  }
  if (runes <= max_runes) return {std::string(text), false};

  std::size_t keep = max_runes <= 3 ? max_runes : max_runes - 1;
  std::string out;
  std::size_t i = 0;
  for (std::size_t n = 0; n < keep; ++n) {
    char32_t r = 0;
    int size = gocompat::decode_utf8(text, i, r);
    if (size == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, static_cast<std::size_t>(size)));
      i += static_cast<std::size_t>(size);
    }
  }
  if (max_runes > 3) out += kMarker;
  return {std::move(out), true};
}

}  // namespace tocsin::notifiers
