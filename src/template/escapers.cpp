#include "template/escapers.h"

#include <fmt/format.h>

#include "gocompat/textproto.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::tmpl {

std::string html_escape(std::string_view s) {
  // HTMLEscapeString is html.EscapeString that also turns NUL into U+FFFD.
  std::string escaped = gocompat::html_escape_string(s);
  if (escaped.find('\0') == std::string::npos) return escaped;
  std::string out;
  out.reserve(escaped.size() + 8);
  for (char c : escaped) {
    if (c == '\0') {
      out += "\xef\xbf\xbd";
    } else {
      out += c;
    }
  }
  return out;
}

std::string js_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\':
          out += "\\\\";
          continue;
        case '\'':
          out += "\\'";
          continue;
        case '"':
          out += "\\\"";
          continue;
        case '<':
          out += "\\u003C";
          continue;
        case '>':
          out += "\\u003E";
          continue;
        case '&':
          out += "\\u0026";
          continue;
        case '=':
          out += "\\u003D";
          continue;
        default:
          break;
      }
      if (c < ' ') {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    int w = 0;
    char32_t r = gocompat::decode_rune(s, i, w);
    if (gocompat::is_print(r)) {
      out.append(s.substr(i, w));
    } else {
      out += fmt::format("\\u{:04X}", static_cast<std::uint32_t>(r));
    }
    i += w - 1;
  }
  return out;
}

}  // namespace tocsin::tmpl
