#include "gocompat/fmt.h"

#include <tuple>

#include "gocompat/unicode.h"

namespace tocsin::gocompat {
namespace {

constexpr std::string_view kLowerDigits = "0123456789abcdefx";
constexpr std::string_view kUpperDigits = "0123456789ABCDEFX";

bool too_large(std::int64_t x) {
  return x > 1'000'000 || x < -1'000'000;
}

// Go's parsenum: a decimal at format[start:end).
struct Num {
  int num = 0;
  bool is_num = false;
  std::size_t next = 0;
};
Num parse_num(std::string_view s, std::size_t start, std::size_t end) {
  Num n{0, false, start};
  if (start >= end) {
    n.next = end;
    return n;
  }
  for (; n.next < end && s[n.next] >= '0' && s[n.next] <= '9'; ++n.next) {
    if (too_large(n.num)) return Num{0, false, end};
    n.num = n.num * 10 + (s[n.next] - '0');
    n.is_num = true;
  }
  return n;
}

// Go's intFromArg: an int operand for '*' widths and precisions.
std::tuple<int, bool, std::size_t> int_from_arg(const FmtOperands& a, std::size_t arg_num) {
  int num = 0;
  bool is_int = false;
  std::size_t next = arg_num;
  if (arg_num < a.size()) {
    if (auto v = a.as_int(arg_num); v && !too_large(*v)) {
      num = static_cast<int>(*v);
      is_int = true;
    }
    next = arg_num + 1;
  }
  return {num, is_int, next};
}

}  // namespace

// --- padding and the basic formats (Go's fmt type) ---

void Printer::write_padding(int n) {
  if (n <= 0) return;
  buf_.append(static_cast<std::size_t>(n), flags_.zero ? '0' : ' ');
}

void Printer::pad(std::string_view s) {
  if (!flags_.wid_present || wid_ == 0) {
    buf_ += s;
    return;
  }
  int width = wid_ - static_cast<int>(rune_count(s));
  if (!flags_.minus) {
    write_padding(width);
    buf_ += s;
  } else {
    buf_ += s;
    write_padding(width);
  }
}

void Printer::fmt_unicode(std::uint64_t u) {
  int prec = 4;
  if (flags_.prec_present && prec_ > 4) prec = prec_;
  std::string digits;
  std::uint64_t x = u;
  do {
    digits.insert(digits.begin(), kUpperDigits[x & 0xf]);
    x >>= 4;
  } while (x > 0);
  while (static_cast<int>(digits.size()) < prec) digits.insert(digits.begin(), '0');
  std::string s = "U+" + digits;
  if (flags_.sharp && u <= 0x10ffff && is_print(static_cast<char32_t>(u))) {
    s += " '";
    append_rune(s, static_cast<char32_t>(u));
    s += "'";
  }
  bool old_zero = flags_.zero;
  flags_.zero = false;
  pad(s);
  flags_.zero = old_zero;
}

void Printer::fmt_integer(std::uint64_t u, int base, bool is_signed, char32_t verb,
                          std::string_view digits) {
  bool negative = is_signed && static_cast<std::int64_t>(u) < 0;
  if (negative) u = 0 - u;
  int prec = 0;
  if (flags_.prec_present) {
    prec = prec_;
    if (prec == 0 && u == 0) {
      bool old_zero = flags_.zero;
      flags_.zero = false;
      write_padding(wid_);
      flags_.zero = old_zero;
      return;
    }
  } else if (flags_.zero && flags_.wid_present) {
    prec = wid_;
    if (negative || flags_.plus || flags_.space) --prec;  // room for the sign
  }
  std::string b;  // built backwards
  do {
    b += digits[u % base];
    u /= base;
  } while (u > 0);
  while (static_cast<int>(b.size()) < prec) b += '0';
  if (flags_.sharp) {
    switch (base) {
      case 2:
        b += "b0";
        break;
      case 8:
        if (b.back() != '0') b += '0';
        break;
      case 16:
        b += digits[16];
        b += '0';
        break;
      default:
        break;
    }
  }
  if (verb == 'O') b += "o0";
  if (negative) {
    b += '-';
  } else if (flags_.plus) {
    b += '+';
  } else if (flags_.space) {
    b += ' ';
  }
  std::string s(b.rbegin(), b.rend());
  bool old_zero = flags_.zero;
  flags_.zero = false;
  pad(s);
  flags_.zero = old_zero;
}

std::string_view Printer::truncate(std::string_view s) const {
  if (!flags_.prec_present) return s;
  int n = prec_;
  for (std::size_t i = 0; i < s.size();) {
    if (--n < 0) return s.substr(0, i);
    int w = 0;
    decode_rune(s, i, w);
    i += static_cast<std::size_t>(w);
  }
  return s;
}

void Printer::fmt_s(std::string_view s) {
  pad(truncate(s));
}

void Printer::fmt_sx(std::string_view s, std::string_view digits) {
  int length = static_cast<int>(s.size());
  if (flags_.prec_present && prec_ < length) length = prec_;
  int width = 2 * length;
  if (width > 0) {
    if (flags_.space) {
      if (flags_.sharp) width *= 2;
      width += length - 1;
    } else if (flags_.sharp) {
      width += 2;
    }
  } else {
    if (flags_.wid_present) write_padding(wid_);
    return;
  }
  if (flags_.wid_present && wid_ > width && !flags_.minus) write_padding(wid_ - width);
  if (flags_.sharp) {
    buf_ += '0';
    buf_ += digits[16];
  }
  for (int i = 0; i < length; ++i) {
    if (flags_.space && i > 0) {
      buf_ += ' ';
      if (flags_.sharp) {
        buf_ += '0';
        buf_ += digits[16];
      }
    }
    auto c = static_cast<unsigned char>(s[i]);
    buf_ += digits[c >> 4];
    buf_ += digits[c & 0xf];
  }
  if (flags_.wid_present && wid_ > width && flags_.minus) write_padding(wid_ - width);
}

void Printer::fmt_q(std::string_view s) {
  s = truncate(s);
  if (flags_.sharp && can_backquote(s)) {
    pad("`" + std::string(s) + "`");
    return;
  }
  pad(flags_.plus ? quote_to_ascii(s) : quote(s));
}

void Printer::fmt_c(std::uint64_t c) {
  char32_t r = c > 0x10ffff ? kRuneError : static_cast<char32_t>(c);
  std::string s;
  append_rune(s, r);
  pad(s);
}

void Printer::fmt_qc(std::uint64_t c) {
  char32_t r = c > 0x10ffff ? kRuneError : static_cast<char32_t>(c);
  pad(flags_.plus ? quote_rune_to_ascii(r) : quote_rune(r));
}

void Printer::fmt_float(double v, char verb, int prec) {
  if (flags_.prec_present) prec = prec_;
  std::string num = format_float(v, verb, prec);
  if (num[0] != '-' && num[0] != '+') num.insert(num.begin(), '+');
  if (flags_.space && num[0] == '+' && !flags_.plus) num[0] = ' ';
  if (num[1] == 'I' || num[1] == 'N') {
    bool old_zero = flags_.zero;
    flags_.zero = false;
    if (num[1] == 'N' && !flags_.space && !flags_.plus) num.erase(0, 1);
    pad(num);
    flags_.zero = old_zero;
    return;
  }
  if (flags_.sharp && verb != 'b') {
    int digits = 0;
    if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') digits = prec == -1 ? 6 : prec;
    std::string tail;
    bool has_point = false, saw_nonzero = false;
    for (std::size_t i = 1; i < num.size(); ++i) {
      char c = num[i];
      if (c == '.') {
        has_point = true;
        continue;
      }
      if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
        tail = num.substr(i);
        num.resize(i);
        break;
      }
      if (c != '0') saw_nonzero = true;
      if (saw_nonzero) --digits;
    }
    if (!has_point) {
      if (num.size() == 2 && num[1] == '0') --digits;
      num += '.';
    }
    while (digits-- > 0) num += '0';
    num += tail;
  }
  if (flags_.plus || num[0] != '+') {
    if (flags_.zero && flags_.wid_present && wid_ > static_cast<int>(num.size())) {
      buf_ += num[0];
      write_padding(wid_ - static_cast<int>(num.size()));
      buf_.append(num, 1);
      return;
    }
    pad(num);
    return;
  }
  pad(std::string_view(num).substr(1));
}

// --- verbs by kind (Go's pp methods) ---

bool Printer::print_bool(bool v, char32_t verb) {
  if (verb != 't' && verb != 'v') return false;
  pad(v ? "true" : "false");
  return true;
}

bool Printer::print_integer(std::uint64_t u, bool is_signed, char32_t verb) {
  switch (verb) {
    case 'v':
      if (flags_.sharp_v && !is_signed) {
        bool sharp = flags_.sharp;
        flags_.sharp = true;
        fmt_integer(u, 16, false, 'v', kLowerDigits);
        flags_.sharp = sharp;
      } else {
        fmt_integer(u, 10, is_signed, verb, kLowerDigits);
      }
      return true;
    case 'd':
      fmt_integer(u, 10, is_signed, verb, kLowerDigits);
      return true;
    case 'b':
      fmt_integer(u, 2, is_signed, verb, kLowerDigits);
      return true;
    case 'o':
    case 'O':
      fmt_integer(u, 8, is_signed, verb, kLowerDigits);
      return true;
    case 'x':
      fmt_integer(u, 16, is_signed, verb, kLowerDigits);
      return true;
    case 'X':
      fmt_integer(u, 16, is_signed, verb, kUpperDigits);
      return true;
    case 'c':
      fmt_c(u);
      return true;
    case 'q':
      fmt_qc(u);
      return true;
    case 'U':
      fmt_unicode(u);
      return true;
    default:
      return false;
  }
}

bool Printer::print_float(double v, char32_t verb) {
  switch (verb) {
    case 'v':
      fmt_float(v, 'g', -1);
      return true;
    case 'b':
    case 'g':
    case 'G':
    case 'x':
    case 'X':
      fmt_float(v, static_cast<char>(verb), -1);
      return true;
    case 'f':
    case 'e':
    case 'E':
      fmt_float(v, static_cast<char>(verb), 6);
      return true;
    case 'F':
      fmt_float(v, 'f', 6);
      return true;
    default:
      return false;
  }
}

bool Printer::print_string(std::string_view s, char32_t verb) {
  switch (verb) {
    case 'v':
      if (flags_.sharp_v) {
        fmt_q(s);
      } else {
        fmt_s(s);
      }
      return true;
    case 's':
      fmt_s(s);
      return true;
    case 'x':
      fmt_sx(s, kLowerDigits);
      return true;
    case 'X':
      fmt_sx(s, kUpperDigits);
      return true;
    case 'q':
      fmt_q(s);
      return true;
    default:
      return false;
  }
}

void Printer::print_arg(const FmtOperands& a, std::size_t i, char32_t verb) {
  std::string_view type = a.type_name(i);
  if (type.empty()) {
    if (verb == 'T' || verb == 'v') {
      pad("<nil>");
    } else {
      bad_verb(verb, type, [] {});
    }
    return;
  }
  if (verb == 'T') {
    fmt_s(type);
    return;
  }
  a.print(i, verb, *this);
}

// --- the entry points (Go's doPrint, doPrintln and doPrintf) ---

void Printer::sprint(const FmtOperands& a) {
  bool prev_string = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    bool is_string = a.is_string(i);
    if (i > 0 && !is_string && !prev_string) buf_ += ' ';
    print_arg(a, i, 'v');
    prev_string = is_string;
  }
}

void Printer::sprintln(const FmtOperands& a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0) buf_ += ' ';
    print_arg(a, i, 'v');
  }
  buf_ += '\n';
}

void Printer::sprintf(std::string_view format, const FmtOperands& a) {
  std::size_t end = format.size();
  std::size_t arg_num = 0;
  bool after_index = false;
  reordered_ = false;

  // Go's argNumber: an optional [n] argument index at format[i].
  auto arg_number = [&](std::size_t current,
                        std::size_t i) -> std::tuple<std::size_t, std::size_t, bool> {
    if (i >= format.size() || format[i] != '[') return {current, i, false};
    reordered_ = true;
    std::string_view f = format.substr(i);
    int index = 0;
    std::size_t wid = 1;
    bool ok = false;
    if (f.size() >= 3) {
      for (std::size_t j = 1; j < f.size(); ++j) {
        if (f[j] == ']') {
          Num n = parse_num(f, 1, j);
          if (!n.is_num || n.next != j) {
            wid = j + 1;
          } else {
            index = n.num - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && static_cast<std::size_t>(index) < a.size()) {
      return {static_cast<std::size_t>(index), i + wid, true};
    }
    good_arg_num_ = false;
    return {current, i + wid, ok};
  };

  for (std::size_t i = 0; i < end;) {
    good_arg_num_ = true;
    std::size_t last = i;
    while (i < end && format[i] != '%') ++i;
    if (i > last) buf_ += format.substr(last, i - last);
    if (i >= end) break;
    ++i;  // skip %
    flags_ = Flags{};
    bool simple_done = false;
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        flags_.sharp = true;
      } else if (c == '0') {
        flags_.zero = !flags_.minus;
      } else if (c == '+') {
        flags_.plus = true;
      } else if (c == '-') {
        flags_.minus = true;
        flags_.zero = false;
      } else if (c == ' ') {
        flags_.space = true;
      } else {
        if (c >= 'a' && c <= 'z' && arg_num < a.size()) {
          if (c == 'v') {
            flags_.sharp_v = flags_.sharp;
            flags_.sharp = false;
            flags_.plus_v = flags_.plus;
            flags_.plus = false;
          }
          print_arg(a, arg_num, static_cast<char32_t>(c));
          ++arg_num;
          ++i;
          simple_done = true;
        }
        break;
      }
    }
    if (simple_done) continue;

    std::tie(arg_num, i, after_index) = arg_number(arg_num, i);
    if (i < end && format[i] == '*') {
      ++i;
      auto [num, ok, next] = int_from_arg(a, arg_num);
      wid_ = num;
      flags_.wid_present = ok;
      arg_num = next;
      if (!ok) buf_ += "%!(BADWIDTH)";
      if (wid_ < 0) {
        wid_ = -wid_;
        flags_.minus = true;
        flags_.zero = false;
      }
      after_index = false;
    } else {
      Num n = parse_num(format, i, end);
      wid_ = n.num;
      flags_.wid_present = n.is_num;
      i = n.next;
      if (after_index && flags_.wid_present) good_arg_num_ = false;
    }
    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num_ = false;
      std::tie(arg_num, i, after_index) = arg_number(arg_num, i);
      if (i < end && format[i] == '*') {
        ++i;
        auto [num, ok, next] = int_from_arg(a, arg_num);
        prec_ = num;
        flags_.prec_present = ok;
        arg_num = next;
        if (prec_ < 0) {
          prec_ = 0;
          flags_.prec_present = false;
        }
        if (!flags_.prec_present) buf_ += "%!(BADPREC)";
        after_index = false;
      } else {
        Num n = parse_num(format, i, end);
        prec_ = n.num;
        flags_.prec_present = n.is_num;
        i = n.next;
        if (!flags_.prec_present) {
          prec_ = 0;
          flags_.prec_present = true;
        }
      }
    }
    if (!after_index) std::tie(arg_num, i, after_index) = arg_number(arg_num, i);
    if (i >= end) {
      buf_ += "%!(NOVERB)";
      break;
    }
    int size = 0;
    char32_t verb = decode_rune(format, i, size);
    i += static_cast<std::size_t>(size);
    if (verb == '%') {
      buf_ += '%';
    } else if (!good_arg_num_) {
      buf_ += "%!";
      append_rune(buf_, verb);
      buf_ += "(BADINDEX)";
    } else if (arg_num >= a.size()) {
      buf_ += "%!";
      append_rune(buf_, verb);
      buf_ += "(MISSING)";
    } else {
      if (verb == 'v') {
        flags_.sharp_v = flags_.sharp;
        flags_.sharp = false;
        flags_.plus_v = flags_.plus;
        flags_.plus = false;
      }
      print_arg(a, arg_num, verb);
      ++arg_num;
    }
  }
  if (!reordered_ && arg_num < a.size()) {
    flags_ = Flags{};
    buf_ += "%!(EXTRA ";
    for (std::size_t k = arg_num; k < a.size(); ++k) {
      if (k > arg_num) buf_ += ", ";
      std::string_view type = a.type_name(k);
      if (type.empty()) {
        buf_ += "<nil>";
      } else {
        buf_ += type;
        buf_ += '=';
        print_arg(a, k, 'v');
      }
    }
    buf_ += ')';
  }
}

}  // namespace tocsin::gocompat
