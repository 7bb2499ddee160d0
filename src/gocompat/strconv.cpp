#include "gocompat/strconv.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>
#include <locale.h>

#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::gocompat {
namespace {

// A decimal: digits d1 d2 ... dn (no trailing zeros, n >= 1 unless zero)
// and the position of the decimal point: value = 0.d1d2...dn * 10^point.
struct Decimal {
  std::string digits;
  int point = 0;
};

// Decodes the output of std::to_chars(..., scientific) ("d.ddde+XX").
Decimal decode_scientific(std::string_view s) {
  Decimal d;
  std::size_t e = s.find('e');
  std::string_view mantissa = s.substr(0, e);
  for (char c : mantissa)
    if (c >= '0' && c <= '9') d.digits.push_back(c);
  int exponent = 0;
  std::string_view exp_text = s.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  if (d.digits == "0") {
    d.digits.clear();
    d.point = 0;
  } else {
    d.point = exponent + 1;
  }
  return d;
}

// Shortest digits that read back as v (v finite, non-negative).
Decimal shortest(double v) {
  std::array<char, 64> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific);
  return decode_scientific(std::string_view(buf.data(), r.ptr - buf.data()));
}

// v rounded to `significant` digits (>= 1), correctly rounded.
Decimal rounded_significant(double v, int significant) {
  std::array<char, 512> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific,
                         significant - 1);
  return decode_scientific(std::string_view(buf.data(), r.ptr - buf.data()));
}

char digit_at(const Decimal& d, int i) {
  return i >= 0 && i < static_cast<int>(d.digits.size()) ? d.digits[i] : '0';
}

// %e: d.ddddde±dd with `prec` digits after the point.
std::string format_e(bool neg, const Decimal& d, int prec, char e) {
  std::string out;
  if (neg) out += '-';
  out += d.digits.empty() ? '0' : d.digits[0];
  if (prec > 0) {
    out += '.';
    for (int i = 1; i <= prec; ++i) out += digit_at(d, i);
  }
  out += e;
  int exp = d.digits.empty() ? 0 : d.point - 1;
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  if (exp < 10) out += '0';
  out += std::to_string(exp);
  return out;
}

// %f: ddd.ddd with `prec` digits after the point.
std::string format_f(bool neg, const Decimal& d, int prec) {
  std::string out;
  if (neg) out += '-';
  if (d.point > 0) {
    for (int i = 0; i < d.point; ++i) out += digit_at(d, i);
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (int i = 0; i < prec; ++i) out += digit_at(d, d.point + i);
  }
  return out;
}

// v rounded to `decimals` places after the point (for %f with precision).
Decimal rounded_fixed(double v, int decimals) {
  std::string buf(400 + decimals, '\0');
  auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
  std::string_view s(buf.data(), r.ptr - buf.data());
  Decimal d;
  std::size_t dot = s.find('.');
  std::string_view int_part = s.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  std::string all = std::string(int_part) + std::string(frac_part);
  int point = static_cast<int>(int_part.size());
  std::size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) return d;
  d.digits = all.substr(first);
  d.point = point - static_cast<int>(first);
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
  return d;
}

// strconv.FormatFloat(v, 'x'/'X'/'b', prec, 64): the binary formats.
std::string format_float_binary(double v, char format, int prec) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
  bool neg = (bits >> 63) != 0;
  int exp = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t mant = bits & ((std::uint64_t{1} << 52) - 1);
  if (exp == 0) {
    ++exp;  // denormal
  } else {
    mant |= std::uint64_t{1} << 52;
  }
  exp -= 1023;
  std::string out = neg ? "-" : "";
  if (format == 'b') {
    out += std::to_string(mant);
    exp -= 52;
    out += 'p';
    out += exp >= 0 ? '+' : '-';
    out += std::to_string(exp < 0 ? -exp : exp);
    return out;
  }
  std::string_view hex = format == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  if (mant == 0) exp = 0;
  mant <<= 60 - 52;
  while (mant != 0 && (mant & (std::uint64_t{1} << 60)) == 0) {
    mant <<= 1;
    --exp;
  }
  if (prec >= 0 && prec < 15) {
    auto shift = static_cast<unsigned>(prec * 4);
    std::uint64_t extra = (mant << shift) & ((std::uint64_t{1} << 60) - 1);
    mant >>= 60 - shift;
    if ((extra | (mant & 1)) > (std::uint64_t{1} << 59)) ++mant;
    mant <<= 60 - shift;
    if ((mant & (std::uint64_t{1} << 61)) != 0) {
      mant >>= 1;
      ++exp;
    }
  }
  out += '0';
  out += format;
  out += static_cast<char>('0' + ((mant >> 60) & 1));
  mant <<= 4;
  if (prec < 0 && mant != 0) {
    out += '.';
    while (mant != 0) {
      out += hex[(mant >> 60) & 15];
      mant <<= 4;
    }
  } else if (prec > 0) {
    out += '.';
    for (int i = 0; i < prec; ++i) {
      out += hex[(mant >> 60) & 15];
      mant <<= 4;
    }
  }
  out += format == 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  std::string digits = std::to_string(exp);
  if (digits.size() < 2) digits.insert(digits.begin(), '0');
  out += digits;
  return out;
}

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

// Go's appendEscapedRune: `r` as it stands inside a literal quoted with
// `quote_char`, every non-ASCII rune escaped when `ascii_only`.
void append_escaped_rune(std::string& out, char32_t r, char quote_char, bool ascii_only) {
  if (r == static_cast<char32_t>(quote_char) || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (ascii_only ? r < 0x80 && is_print(r) : is_print(r)) {
    append_rune(out, r);
    return;
  }
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
    default:
      break;
  }
  if (r < 0x80) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned>(r));
  } else if (r < 0x10000) {
    out += fmt::format("\\u{:04x}", static_cast<unsigned>(r));
  } else {
    out += fmt::format("\\U{:08x}", static_cast<unsigned>(r));
  }
}

// Go's appendQuotedWith: `s` between `quote_char`s; an invalid UTF-8 byte
// is written as \xXX.
std::string quote_with(std::string_view s, char quote_char, bool ascii_only) {
  std::string out;
  out.reserve(s.size() + 2);
  out += quote_char;
  for (std::size_t i = 0; i < s.size();) {
    char32_t r = 0;
    int width = decode_utf8(s, i, r);
    if (width == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    append_escaped_rune(out, r, quote_char, ascii_only);
    i += static_cast<std::size_t>(width);
  }
  out += quote_char;
  return out;
}

std::string quote_rune_with(char32_t r, bool ascii_only) {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = kRuneError;
  std::string out = "'";
  append_escaped_rune(out, r, '\'', ascii_only);
  out += '\'';
  return out;
}

}  // namespace

std::string format_float(double v, char format, int precision) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  bool neg = std::signbit(v);
  double a = std::fabs(v);
  bool is_shortest = precision < 0;

  Decimal d;
  int prec = precision;
  switch (format) {
    case 'e':
    case 'E':
      d = is_shortest ? shortest(a) : rounded_significant(a, prec + 1);
      if (is_shortest) prec = std::max(static_cast<int>(d.digits.size()) - 1, 0);
      return format_e(neg, d, prec, format);
    case 'f':
      if (is_shortest) {
        d = shortest(a);
        prec = std::max(static_cast<int>(d.digits.size()) - d.point, 0);
      } else {
        d = rounded_fixed(a, prec);
      }
      return format_f(neg, d, prec);
    case 'g':
    case 'G': {
      if (is_shortest) {
        d = shortest(a);
        prec = static_cast<int>(d.digits.size());
      } else {
        if (prec == 0) prec = 1;
        d = rounded_significant(a, prec);
      }
      int nd = static_cast<int>(d.digits.size());
      if (nd == 0) {  // zero: Go treats it as one digit "0" at point 1
        d.digits = "0";
        d.point = 1;
        nd = 1;
        if (is_shortest) prec = 1;
      }
      int eprec = prec;
      if (eprec > nd && nd >= d.point) eprec = nd;
      if (is_shortest) eprec = 6;
      int exp = d.point - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return format_e(neg, d, prec - 1, format == 'g' ? 'e' : 'E');
      }
      if (prec > d.point) prec = nd;
      return format_f(neg, d, std::max(prec - d.point, 0));
    }
    case 'b':
    case 'x':
    case 'X':
      return format_float_binary(v, format, precision);
    default:
      return fmt::format("%!{}(float64={})", format, format_float(v, 'g', -1));
  }
}

std::string quote(std::string_view s) {
  return quote_with(s, '"', false);
}

std::string quote_to_ascii(std::string_view s) {
  return quote_with(s, '"', true);
}

std::string quote_rune(char32_t r) {
  return quote_rune_with(r, false);
}

std::string quote_rune_to_ascii(char32_t r) {
  return quote_rune_with(r, true);
}

bool can_backquote(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t r = 0;
    int width = decode_utf8(s, i, r);
    if (width == 0) return false;  // invalid UTF-8 reads as U+FFFD
    if (width == 1 && ((r < ' ' && r != '\t') || r == '`' || r == 0x7f)) return false;
    if (r == 0xfeff) return false;
    i += static_cast<std::size_t>(width);
  }
  return true;
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
    return fail(fmt::format("strconv.ParseFloat: parsing {}: {}", quote(s), what));
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

}  // namespace tocsin::gocompat
