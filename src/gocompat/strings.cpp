#include "gocompat/strings.h"

#include "gocompat/unicode.h"

namespace tocsin::gocompat {
namespace {

// strings.Title's word boundaries (isSeparator).
bool is_separator(char32_t r) {
  if (r <= 0x7f) {
    return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
             r == '_');
  }
  if (is_letter(r) || is_digit(r)) return false;
  return is_space(r);
}

}  // namespace

std::string upper_string(std::string_view s) {
  return map_runes(s, to_upper);
}

std::string lower_string(std::string_view s) {
  return map_runes(s, to_lower);
}

std::string strings_title(std::string_view s) {
  char32_t prev = ' ';
  return map_runes(s, [&](char32_t r) {
    char32_t out = is_separator(prev) ? to_title(r) : r;
    prev = r;
    return out;
  });
}

std::string_view trim_space(std::string_view s) {
  std::size_t start = 0;
  while (start < s.size()) {
    int w = 0;
    char32_t r = decode_rune(s, start, w);
    if (!is_space(r)) break;
    start += static_cast<std::size_t>(w);
  }
  std::size_t end = s.size();
  while (end > start) {
    // Step back to the start of the last rune.
    std::size_t begin = end - 1;
    while (begin > start && (static_cast<unsigned char>(s[begin]) & 0xc0) == 0x80) --begin;
    int w = 0;
    char32_t r = decode_rune(s, begin, w);
    if (begin + static_cast<std::size_t>(w) != end) begin = end - 1;  // invalid UTF-8
    if (!is_space(r) || begin + static_cast<std::size_t>(w) != end) break;
    end = begin;
  }
  return s.substr(start, end - start);
}

}  // namespace tocsin::gocompat
