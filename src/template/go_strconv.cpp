#include "template/go_strconv.h"

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cwctype>
#include <limits>

#include <fmt/format.h>
#include <locale.h>

#include "core/go_format.h"
#include "core/utf8.h"

namespace tocsin::tmpl::strconv {
namespace {

locale_t c_locale() {
  static const locale_t loc = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return loc;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char lower(char c) {
  return static_cast<char>(c | 0x20);
}

// Go's underscoreOK: underscores only between digits or after a base prefix.
bool underscores_ok(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// ParseUint's digits after the sign: base 0 picks the base from the prefix.
std::optional<std::uint64_t> parse_unsigned_magnitude(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view original = s;
  unsigned base = 10;
  bool prefixed = false;
  if (s[0] == '0') {
    if (s.size() >= 3 && lower(s[1]) == 'b') {
      base = 2, s.remove_prefix(2), prefixed = true;
    } else if (s.size() >= 3 && lower(s[1]) == 'o') {
      base = 8, s.remove_prefix(2), prefixed = true;
    } else if (s.size() >= 3 && lower(s[1]) == 'x') {
      base = 16, s.remove_prefix(2), prefixed = true;
    } else {
      base = 8, s.remove_prefix(1);
    }
  }
  (void)prefixed;
  bool underscores = false;
  std::uint64_t n = 0;
  bool overflow = false;
  for (char c : s) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    int d = hex_digit(c);
    if (d < 0 || static_cast<unsigned>(d) >= base) return std::nullopt;
    if (n > (std::numeric_limits<std::uint64_t>::max() - d) / base) overflow = true;
    n = n * base + d;
  }
  if (underscores && !underscores_ok(original)) return std::nullopt;
  if (overflow) return std::nullopt;
  return n;
}

// Go's readFloat syntax check (decimal or hex mantissa, exponent, underscores).
// Returns the length of the number it accepts; 0 when it is not one.
std::size_t scan_float(std::string_view s, bool& hex) {
  std::size_t i = 0;
  bool underscores = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  hex = false;
  if (i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x') {
    hex = true;
    i += 2;
  }
  bool saw_dot = false, saw_digits = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
    } else if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw_digits = true;
    } else {
      break;
    }
  }
  if (!saw_digits) return 0;
  char exp_char = hex ? 'p' : 'e';
  if (i < s.size() && lower(s[i]) == exp_char) {
    ++i;
    if (i >= s.size()) return 0;
    if (s[i] == '+' || s[i] == '-') ++i;
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return 0;
    for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); ++i) {
      if (s[i] == '_') underscores = true;
    }
  } else if (hex) {
    return 0;
  }
  if (underscores && !underscores_ok(s.substr(0, i))) return 0;
  return i;
}

// Go's special(): "inf", "infinity", "nan" in any case, with a sign for inf.
std::optional<double> parse_special(std::string_view s) {
  auto iequals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (lower(a[i]) != b[i]) return false;
    }
    return true;
  };
  double sign = 1;
  std::string_view rest = s;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    if (rest[0] == '-') sign = -1;
    rest.remove_prefix(1);
  }
  if (iequals(rest, "inf") || iequals(rest, "infinity")) {
    return sign * std::numeric_limits<double>::infinity();
  }
  if (rest.size() == s.size() && iequals(rest, "nan")) return std::nan("");
  return std::nullopt;
}

}  // namespace

char32_t decode_rune(std::string_view s, std::size_t i, int& width) {
  if (i >= s.size()) {
    width = 0;
    return 0xfffd;
  }
  char32_t r = 0;
  width = utf8::decode(s, i, r);
  if (width == 0) {
    width = 1;
    return 0xfffd;
  }
  return r;
}

void append_rune(std::string& out, char32_t r) {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xc0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3f));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xe0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (r & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (r & 0x3f));
  }
}

std::size_t rune_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    int w = 0;
    decode_rune(s, i, w);
    i += w;
  }
  return n;
}

std::optional<UnquotedChar> unquote_char(std::string_view s, char quote) {
  if (s.empty()) return std::nullopt;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"'))
    return std::nullopt;
  if (c >= 0x80) {
    int w = 0;
    char32_t r = decode_rune(s, 0, w);
    return UnquotedChar{r, true, s.substr(w)};
  }
  if (c != '\\') return UnquotedChar{c, false, s.substr(1)};
  if (s.size() <= 1) return std::nullopt;
  char e = s[1];
  s.remove_prefix(2);
  UnquotedChar out;
  switch (e) {
    case 'a':
      out.value = '\a';
      break;
    case 'b':
      out.value = '\b';
      break;
    case 'f':
      out.value = '\f';
      break;
    case 'n':
      out.value = '\n';
      break;
    case 'r':
      out.value = '\r';
      break;
    case 't':
      out.value = '\t';
      break;
    case 'v':
      out.value = '\v';
      break;
    case 'x':
    case 'u':
    case 'U': {
      std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return std::nullopt;
      char32_t v = 0;
      for (std::size_t j = 0; j < n; ++j) {
        int d = hex_digit(s[j]);
        if (d < 0) return std::nullopt;
        v = (v << 4) | static_cast<char32_t>(d);
      }
      s.remove_prefix(n);
      if (e != 'x') {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return std::nullopt;
        out.multibyte = true;
      }
      out.value = v;
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      char32_t v = static_cast<char32_t>(e - '0');
      if (s.size() < 2) return std::nullopt;
      for (std::size_t j = 0; j < 2; ++j) {
        if (s[j] < '0' || s[j] > '7') return std::nullopt;
        v = (v << 3) | static_cast<char32_t>(s[j] - '0');
      }
      s.remove_prefix(2);
      if (v > 255) return std::nullopt;
      out.value = v;
      break;
    }
    case '\\':
      out.value = '\\';
      break;
    case '\'':
    case '"':
      if (e != quote) return std::nullopt;
      out.value = static_cast<char32_t>(e);
      break;
    default:
      return std::nullopt;
  }
  out.tail = s;
  return out;
}

Result<std::string> unquote(std::string_view in) {
  auto bad = [] { return fail("invalid syntax"); };
  if (in.size() < 2) return bad();
  char quote = in[0];
  if (quote == '`') {
    if (in.back() != '`' || in.substr(1, in.size() - 2).find('`') != std::string_view::npos) {
      return bad();
    }
    std::string out;
    for (char c : in.substr(1, in.size() - 2)) {
      if (c != '\r') out += c;
    }
    return out;
  }
  if (quote != '"' && quote != '\'') return bad();
  std::string out;
  std::string_view rest = in.substr(1);
  while (!rest.empty() && rest[0] != quote) {
    if (rest[0] == '\n') return bad();
    auto ch = unquote_char(rest, quote);
    if (!ch) return bad();
    rest = ch->tail;
    if (ch->value < 0x80 || !ch->multibyte) {
      out += static_cast<char>(ch->value);
    } else {
      append_rune(out, ch->value);
    }
    if (quote == '\'') break;
  }
  if (rest.empty() || rest[0] != quote) return bad();
  rest.remove_prefix(1);
  if (!rest.empty()) return bad();
  return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view s) {
  if (s.empty() || s[0] == '+' || s[0] == '-') return std::nullopt;
  return parse_unsigned_magnitude(s);
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  std::string_view digits = s;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    digits.remove_prefix(1);
  }
  auto u = parse_unsigned_magnitude(digits);
  if (!u) return std::nullopt;
  constexpr std::uint64_t kCutoff = std::uint64_t{1} << 63;
  if (!neg && *u >= kCutoff) return std::nullopt;
  if (neg && *u > kCutoff) return std::nullopt;
  return neg ? static_cast<std::int64_t>(0 - *u) : static_cast<std::int64_t>(*u);
}

Result<double> parse_float(std::string_view s) {
  auto error = [&](std::string_view what) {
    return fail(fmt::format("strconv.ParseFloat: parsing {}: {}", go::quote(s), what));
  };
  if (auto special = parse_special(s)) return *special;
  bool hex = false;
  std::size_t n = scan_float(s, hex);
  if (n == 0 || n != s.size()) return error("invalid syntax");
  std::string clean;
  clean.reserve(s.size());
  for (char c : s) {
    if (c != '_') clean += c;
  }
  errno = 0;
  char* end = nullptr;
  double v = strtod_l(clean.c_str(), &end, c_locale());
  if (errno == ERANGE && std::isinf(v)) return error("value out of range");
  return v;
}

std::string quote_rune(char32_t r) {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r == '\'') return "'\\''";
  if (r == '"') return "'\"'";
  std::string utf;
  append_rune(utf, r);
  std::string q = go::quote(utf);  // "..." with Go's escapes
  return "'" + q.substr(1, q.size() - 2) + "'";
}

namespace {

void append_ascii_escaped(std::string& out, char32_t r, char quote) {
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    case '\\':
      out += "\\\\";
      return;
    default:
      break;
  }
  if (r == static_cast<char32_t>(quote)) {
    out += '\\';
    out += quote;
    return;
  }
  if (r < 0x80 && is_print(r)) {
    out += static_cast<char>(r);
  } else if (r < 0x80) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned>(r));
  } else if (r < 0x10000) {
    out += fmt::format("\\u{:04x}", static_cast<unsigned>(r));
  } else {
    out += fmt::format("\\U{:08x}", static_cast<unsigned>(r));
  }
}

}  // namespace

std::string quote_to_ascii(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    char32_t r = 0;
    int w = utf8::decode(s, i, r);
    if (w == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    append_ascii_escaped(out, r, '"');
    i += w;
  }
  return out + "\"";
}

std::string quote_rune_to_ascii(char32_t r) {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  std::string out = "'";
  append_ascii_escaped(out, r, '\'');
  return out + "'";
}

bool can_backquote(std::string_view s) {
  return go::can_backquote(s);
}

}  // namespace tocsin::tmpl::strconv
