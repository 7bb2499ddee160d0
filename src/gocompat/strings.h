// Go's strings package where templates use it: strings.Map, strings.ToUpper
// and strings.ToLower (each byte of invalid UTF-8 maps as U+FFFD, so comes
// out as U+FFFD's bytes), strings.Title (word starts after a separator in
// title case; what Prometheus's `title` calls) and strings.TrimSpace.
// Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "gocompat/utf8.h"

namespace tocsin::gocompat {

// strings.Map(f, s).
template <typename F>
std::string map_runes(std::string_view s, F&& f) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    int w = 0;
    char32_t r = decode_rune(s, i, w);
    append_rune(out, f(r));
    i += static_cast<std::size_t>(w);
  }
  return out;
}

// strings.ToUpper and strings.ToLower.
std::string upper_string(std::string_view s);
std::string lower_string(std::string_view s);

// strings.Title.
std::string strings_title(std::string_view s);

// strings.TrimSpace: without the leading and trailing white space
// (unicode.IsSpace).
std::string_view trim_space(std::string_view s);

}  // namespace tocsin::gocompat
