#include "core/go_format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

#include "core/go_unicode.h"
#include "core/utf8.h"

namespace tocsin::go {
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
    default:
      return fmt::format("%!{}(float64={})", format, format_float(v, 'g', -1));
  }
}

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    int len = utf8::decode(s, i, cp);
    if (len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    switch (cp) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        if (is_print(cp)) {
          out.append(s.substr(i, len));
        } else if (cp < 0x80) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
        } else if (cp < 0x10000) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
        } else {
          out += fmt::format("\\U{:08x}", static_cast<unsigned>(cp));
        }
    }
    i += len;
  }
  out += '"';
  return out;
}

bool can_backquote(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t r = 0;
    int width = utf8::decode(s, i, r);
    if (width == 0) return false;  // invalid UTF-8 reads as U+FFFD
    if (width == 1 && ((r < ' ' && r != '\t') || r == '`' || r == 0x7f)) return false;
    if (r == 0xfeff) return false;
    i += static_cast<std::size_t>(width);
  }
  return true;
}

std::string backquote_or_quote(std::string_view s) {
  return can_backquote(s) ? "`" + std::string(s) + "`" : quote(s);
}

}  // namespace tocsin::go
