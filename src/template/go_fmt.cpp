#include "template/go_fmt.h"

#include <bit>
#include <cmath>

#include <fmt/format.h>

#include "core/go_format.h"
#include "template/go_strconv.h"

namespace tocsin::tmpl::gofmt {
namespace {

constexpr std::string_view kLowerDigits = "0123456789abcdefx";
constexpr std::string_view kUpperDigits = "0123456789ABCDEFX";

bool too_large(int x) {
  return x > 1'000'000 || x < -1'000'000;
}

// strconv.FormatFloat(v, 'x'/'X'/'b', prec, 64): the formats go::format_float
// does not cover.
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

struct Flags {
  bool wid_present = false;
  bool prec_present = false;
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  bool plus_v = false;
  bool sharp_v = false;
};

// Go's pp and fmt structs in one: formats values into `buf_`.
class Printer {
 public:
  explicit Printer(std::string& out) : buf_(out) {}

  void do_print(std::span<const Value> args) {
    bool prev_string = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      bool is_string = args[i].kind() == Kind::kString;
      if (i > 0 && !is_string && !prev_string) buf_ += ' ';
      print_arg(args[i], 'v');
      prev_string = is_string;
    }
  }

  void do_println(std::span<const Value> args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i > 0) buf_ += ' ';
      print_arg(args[i], 'v');
    }
    buf_ += '\n';
  }

  void do_printf(std::string_view format, std::span<const Value> a);

  void print_arg(const Value& arg, char32_t verb);
  void dereference_top() { dereference_top_ = true; }

 private:
  // --- padding and basic formatting (Go's fmt type) ---
  void write_padding(int n) {
    if (n <= 0) return;
    buf_.append(static_cast<std::size_t>(n), f_.zero ? '0' : ' ');
  }
  void pad(std::string_view s) {
    if (!f_.wid_present || wid_ == 0) {
      buf_ += s;
      return;
    }
    int width = wid_ - static_cast<int>(strconv::rune_count(s));
    if (!f_.minus) {
      write_padding(width);
      buf_ += s;
    } else {
      buf_ += s;
      write_padding(width);
    }
  }
  void fmt_boolean(bool v) { pad(v ? "true" : "false"); }

  void fmt_unicode(std::uint64_t u) {
    int prec = 4;
    if (f_.prec_present && prec_ > 4) prec = prec_;
    std::string digits;
    std::uint64_t x = u;
    do {
      digits.insert(digits.begin(), kUpperDigits[x & 0xf]);
      x >>= 4;
    } while (x > 0);
    while (static_cast<int>(digits.size()) < prec) digits.insert(digits.begin(), '0');
    std::string s = "U+" + digits;
    if (f_.sharp && u <= 0x10ffff && strconv::is_print(static_cast<char32_t>(u))) {
      s += " '";
      strconv::append_rune(s, static_cast<char32_t>(u));
      s += "'";
    }
    bool old_zero = f_.zero;
    f_.zero = false;
    pad(s);
    f_.zero = old_zero;
  }

  void fmt_integer(std::uint64_t u, int base, bool is_signed, char32_t verb,
                   std::string_view digits) {
    bool negative = is_signed && static_cast<std::int64_t>(u) < 0;
    if (negative) u = 0 - u;
    int prec = 0;
    if (f_.prec_present) {
      prec = prec_;
      if (prec == 0 && u == 0) {
        bool old_zero = f_.zero;
        f_.zero = false;
        write_padding(wid_);
        f_.zero = old_zero;
        return;
      }
    } else if (f_.zero && f_.wid_present) {
      prec = wid_;
      if (negative || f_.plus || f_.space) --prec;  // room for the sign
    }
    std::string b;  // built backwards
    do {
      b += digits[u % base];
      u /= base;
    } while (u > 0);
    while (static_cast<int>(b.size()) < prec) b += '0';
    if (f_.sharp) {
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
    } else if (f_.plus) {
      b += '+';
    } else if (f_.space) {
      b += ' ';
    }
    std::string s(b.rbegin(), b.rend());
    bool old_zero = f_.zero;
    f_.zero = false;
    pad(s);
    f_.zero = old_zero;
  }

  std::string_view truncate(std::string_view s) const {
    if (!f_.prec_present) return s;
    int n = prec_;
    for (std::size_t i = 0; i < s.size();) {
      if (--n < 0) return s.substr(0, i);
      int w = 0;
      strconv::decode_rune(s, i, w);
      i += w;
    }
    return s;
  }

  void fmt_s(std::string_view s) { pad(truncate(s)); }

  void fmt_sx(std::string_view s, std::string_view digits) {
    int length = static_cast<int>(s.size());
    if (f_.prec_present && prec_ < length) length = prec_;
    int width = 2 * length;
    if (width > 0) {
      if (f_.space) {
        if (f_.sharp) width *= 2;
        width += length - 1;
      } else if (f_.sharp) {
        width += 2;
      }
    } else {
      if (f_.wid_present) write_padding(wid_);
      return;
    }
    if (f_.wid_present && wid_ > width && !f_.minus) write_padding(wid_ - width);
    if (f_.sharp) {
      buf_ += '0';
      buf_ += digits[16];
    }
    for (int i = 0; i < length; ++i) {
      if (f_.space && i > 0) {
        buf_ += ' ';
        if (f_.sharp) {
          buf_ += '0';
          buf_ += digits[16];
        }
      }
      auto c = static_cast<unsigned char>(s[i]);
      buf_ += digits[c >> 4];
      buf_ += digits[c & 0xf];
    }
    if (f_.wid_present && wid_ > width && f_.minus) write_padding(wid_ - width);
  }

  void fmt_q(std::string_view s) {
    s = truncate(s);
    if (f_.sharp && strconv::can_backquote(s)) {
      pad("`" + std::string(s) + "`");
      return;
    }
    pad(f_.plus ? strconv::quote_to_ascii(s) : go::quote(s));
  }

  void fmt_c(std::uint64_t c) {
    char32_t r = c > 0x10ffff ? 0xfffd : static_cast<char32_t>(c);
    std::string s;
    strconv::append_rune(s, r);
    pad(s);
  }

  void fmt_qc(std::uint64_t c) {
    char32_t r = c > 0x10ffff ? 0xfffd : static_cast<char32_t>(c);
    pad(f_.plus ? strconv::quote_rune_to_ascii(r) : strconv::quote_rune(r));
  }

  void fmt_float(double v, char verb, int prec) {
    if (f_.prec_present) prec = prec_;
    std::string num = (verb == 'x' || verb == 'X' || verb == 'b')
                          ? format_float_binary(v, verb, prec)
                          : go::format_float(v, verb, prec);
    if (num[0] != '-' && num[0] != '+') num.insert(num.begin(), '+');
    if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
      bool old_zero = f_.zero;
      f_.zero = false;
      if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
      pad(num);
      f_.zero = old_zero;
      return;
    }
    if (f_.sharp && verb != 'b') {
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
    if (f_.plus || num[0] != '+') {
      if (f_.zero && f_.wid_present && wid_ > static_cast<int>(num.size())) {
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
  void bad_verb(char32_t verb, const Value& v) {
    erroring_ = true;
    buf_ += "%!";
    strconv::append_rune(buf_, verb);
    buf_ += '(';
    if (v.valid()) {
      buf_ += v.type_name();
      buf_ += '=';
      print_arg(v, 'v');
    } else {
      buf_ += "<nil>";
    }
    buf_ += ')';
    erroring_ = false;
  }

  void fmt_bool(bool b, char32_t verb, const Value& v) {
    if (verb == 't' || verb == 'v') {
      fmt_boolean(b);
    } else {
      bad_verb(verb, v);
    }
  }

  void fmt_int(std::uint64_t u, bool is_signed, char32_t verb, const Value& v) {
    switch (verb) {
      case 'v':
        if (f_.sharp_v && !is_signed) {
          bool sharp = f_.sharp;
          f_.sharp = true;
          fmt_integer(u, 16, false, 'v', kLowerDigits);
          f_.sharp = sharp;
        } else {
          fmt_integer(u, 10, is_signed, verb, kLowerDigits);
        }
        return;
      case 'd':
        fmt_integer(u, 10, is_signed, verb, kLowerDigits);
        return;
      case 'b':
        fmt_integer(u, 2, is_signed, verb, kLowerDigits);
        return;
      case 'o':
      case 'O':
        fmt_integer(u, 8, is_signed, verb, kLowerDigits);
        return;
      case 'x':
        fmt_integer(u, 16, is_signed, verb, kLowerDigits);
        return;
      case 'X':
        fmt_integer(u, 16, is_signed, verb, kUpperDigits);
        return;
      case 'c':
        fmt_c(u);
        return;
      case 'q':
        fmt_qc(u);
        return;
      case 'U':
        fmt_unicode(u);
        return;
      default:
        bad_verb(verb, v);
    }
  }

  void fmt_float_verb(double d, char32_t verb, const Value& v) {
    switch (verb) {
      case 'v':
        fmt_float(d, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        fmt_float(d, static_cast<char>(verb), -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        fmt_float(d, static_cast<char>(verb), 6);
        return;
      case 'F':
        fmt_float(d, 'f', 6);
        return;
      default:
        bad_verb(verb, v);
    }
  }

  void fmt_string(std::string_view s, char32_t verb, const Value& v) {
    switch (verb) {
      case 'v':
        if (f_.sharp_v) {
          fmt_q(s);
        } else {
          fmt_s(s);
        }
        return;
      case 's':
        fmt_s(s);
        return;
      case 'x':
        fmt_sx(s, kLowerDigits);
        return;
      case 'X':
        fmt_sx(s, kUpperDigits);
        return;
      case 'q':
        fmt_q(s);
        return;
      default:
        bad_verb(verb, v);
    }
  }

  // Go's handleMethods: a String() method serves %v %s %x %X %q.
  bool handle_methods(char32_t verb, const Value& v) {
    if (erroring_ || f_.sharp_v) return false;
    if (verb != 'v' && verb != 's' && verb != 'x' && verb != 'X' && verb != 'q') return false;
    std::string s;
    if (!v.stringer(s)) return false;
    fmt_string(s, verb, Value::string(s));
    return true;
  }

  void print_value(const Value& v, char32_t verb, int depth);

  std::string& buf_;
  Flags f_;
  int wid_ = 0;
  int prec_ = 0;
  bool erroring_ = false;
  bool reordered_ = false;
  bool good_arg_num_ = true;
  bool dereference_top_ = false;
};

void Printer::print_arg(const Value& arg, char32_t verb) {
  if (!arg.valid()) {
    if (verb == 'T' || verb == 'v') {
      pad("<nil>");
    } else {
      bad_verb(verb, arg);
    }
    return;
  }
  if (verb == 'T') {
    fmt_s(arg.type_name());
    return;
  }
  if (arg.named() == nullptr) {
    switch (arg.kind()) {
      case Kind::kBool:
        fmt_bool(arg.as_bool(), verb, arg);
        return;
      case Kind::kInt:
        fmt_int(static_cast<std::uint64_t>(arg.as_int()), true, verb, arg);
        return;
      case Kind::kUint:
        fmt_int(arg.as_uint(), false, verb, arg);
        return;
      case Kind::kFloat:
        fmt_float_verb(arg.as_float(), verb, arg);
        return;
      case Kind::kString:
        fmt_string(arg.as_string(), verb, arg);
        return;
      default:
        break;
    }
  }
  if (handle_methods(verb, arg)) return;
  print_value(arg, verb, 0);
}

void Printer::print_value(const Value& v, char32_t verb, int depth) {
  if (depth > 0 && v.valid() && handle_methods(verb, v)) return;
  switch (v.kind()) {
    case Kind::kInvalid:
      if (depth == 0) {
        buf_ += "<invalid reflect.Value>";
      } else if (verb == 'v') {
        buf_ += "<nil>";
      } else {
        bad_verb(verb, v);
      }
      return;
    case Kind::kBool:
      fmt_bool(v.as_bool(), verb, v);
      return;
    case Kind::kInt:
      fmt_int(static_cast<std::uint64_t>(v.as_int()), true, verb, v);
      return;
    case Kind::kUint:
      fmt_int(v.as_uint(), false, verb, v);
      return;
    case Kind::kFloat:
      fmt_float_verb(v.as_float(), verb, v);
      return;
    case Kind::kString:
      fmt_string(v.as_string(), verb, v);
      return;
    case Kind::kTime: {
      std::string s;
      v.stringer(s);
      fmt_string(s, verb == 'd' ? 'v' : verb, v);
      return;
    }
    case Kind::kMap: {
      if (f_.sharp_v) {
        buf_ += v.type_name();
        buf_ += '{';
      } else {
        buf_ += "map[";
      }
      bool first = true;
      auto visit = [&](std::string_view key, const Value& item) {
        if (!first) buf_ += f_.sharp_v ? ", " : " ";
        first = false;
        print_value(Value::string(key), verb, depth + 1);
        buf_ += ':';
        print_value(item, verb, depth + 1);
        return true;
      };
      v.as_map().for_each(visit);
      buf_ += f_.sharp_v ? '}' : ']';
      return;
    }
    case Kind::kStruct: {
      const Struct& s = v.as_struct();
      if (s.is_pointer() && !(depth == 0 && dereference_top_)) {
        if (depth > 0) {
          buf_ += fmt::format("0x{:x}", reinterpret_cast<std::uintptr_t>(&s));
          return;
        }
        buf_ += '&';
        ++depth;
      }
      if (f_.sharp_v) buf_ += v.type_name();
      buf_ += '{';
      for (std::size_t i = 0; i < s.field_count(); ++i) {
        if (i > 0) buf_ += f_.sharp_v ? ", " : " ";
        if (f_.plus_v || f_.sharp_v) {
          buf_ += s.field_name(i);
          buf_ += ':';
        }
        print_value(s.field_at(i), verb, depth + 1);
      }
      buf_ += '}';
      return;
    }
    case Kind::kList: {
      const List& l = v.as_list();
      if (f_.sharp_v) {
        buf_ += v.type_name();
        buf_ += '{';
      } else {
        buf_ += '[';
      }
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (i > 0) buf_ += f_.sharp_v ? ", " : " ";
        print_value(l.at(i), verb, depth + 1);
      }
      buf_ += f_.sharp_v ? '}' : ']';
      return;
    }
    case Kind::kFunc:
      buf_ += fmt::format("0x{:x}", reinterpret_cast<std::uintptr_t>(&v.as_function()));
      return;
  }
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

// Go's intFromArg: an int argument for '*' widths and precisions.
std::tuple<int, bool, std::size_t> int_from_arg(std::span<const Value> a, std::size_t arg_num) {
  int num = 0;
  bool is_int = false;
  std::size_t next = arg_num;
  if (arg_num < a.size()) {
    const Value& v = a[arg_num];
    if (v.kind() == Kind::kInt) {
      num = static_cast<int>(v.as_int());
      is_int = static_cast<std::int64_t>(num) == v.as_int();
    } else if (v.kind() == Kind::kUint) {
      std::uint64_t u = v.as_uint();
      if (static_cast<std::int64_t>(u) >= 0 && u <= static_cast<std::uint64_t>(INT32_MAX)) {
        num = static_cast<int>(u);
        is_int = true;
      }
    }
    next = arg_num + 1;
    if (too_large(num)) {
      num = 0;
      is_int = false;
    }
  }
  return {num, is_int, next};
}

void Printer::do_printf(std::string_view format, std::span<const Value> a) {
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
    f_ = Flags{};
    bool simple_done = false;
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        f_.sharp = true;
      } else if (c == '0') {
        f_.zero = !f_.minus;
      } else if (c == '+') {
        f_.plus = true;
      } else if (c == '-') {
        f_.minus = true;
        f_.zero = false;
      } else if (c == ' ') {
        f_.space = true;
      } else {
        if (c >= 'a' && c <= 'z' && arg_num < a.size()) {
          if (c == 'v') {
            f_.sharp_v = f_.sharp;
            f_.sharp = false;
            f_.plus_v = f_.plus;
            f_.plus = false;
          }
          print_arg(a[arg_num], static_cast<char32_t>(c));
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
      f_.wid_present = ok;
      arg_num = next;
      if (!ok) buf_ += "%!(BADWIDTH)";
      if (wid_ < 0) {
        wid_ = -wid_;
        f_.minus = true;
        f_.zero = false;
      }
      after_index = false;
    } else {
      Num n = parse_num(format, i, end);
      wid_ = n.num;
      f_.wid_present = n.is_num;
      i = n.next;
      if (after_index && f_.wid_present) good_arg_num_ = false;
    }
    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num_ = false;
      std::tie(arg_num, i, after_index) = arg_number(arg_num, i);
      if (i < end && format[i] == '*') {
        ++i;
        auto [num, ok, next] = int_from_arg(a, arg_num);
        prec_ = num;
        f_.prec_present = ok;
        arg_num = next;
        if (prec_ < 0) {
          prec_ = 0;
          f_.prec_present = false;
        }
        if (!f_.prec_present) buf_ += "%!(BADPREC)";
        after_index = false;
      } else {
        Num n = parse_num(format, i, end);
        prec_ = n.num;
        f_.prec_present = n.is_num;
        i = n.next;
        if (!f_.prec_present) {
          prec_ = 0;
          f_.prec_present = true;
        }
      }
    }
    if (!after_index) std::tie(arg_num, i, after_index) = arg_number(arg_num, i);
    if (i >= end) {
      buf_ += "%!(NOVERB)";
      break;
    }
    int size = 0;
    char32_t verb = strconv::decode_rune(format, i, size);
    i += size;
    if (verb == '%') {
      buf_ += '%';
    } else if (!good_arg_num_) {
      buf_ += "%!";
      strconv::append_rune(buf_, verb);
      buf_ += "(BADINDEX)";
    } else if (arg_num >= a.size()) {
      buf_ += "%!";
      strconv::append_rune(buf_, verb);
      buf_ += "(MISSING)";
    } else {
      if (verb == 'v') {
        f_.sharp_v = f_.sharp;
        f_.sharp = false;
        f_.plus_v = f_.plus;
        f_.plus = false;
      }
      print_arg(a[arg_num], verb);
      ++arg_num;
    }
  }
  if (!reordered_ && arg_num < a.size()) {
    f_ = Flags{};
    buf_ += "%!(EXTRA ";
    for (std::size_t k = arg_num; k < a.size(); ++k) {
      if (k > arg_num) buf_ += ", ";
      if (!a[k].valid()) {
        buf_ += "<nil>";
      } else {
        buf_ += a[k].type_name();
        buf_ += '=';
        print_arg(a[k], 'v');
      }
    }
    buf_ += ')';
  }
}

}  // namespace

void sprint(std::string& out, std::span<const Value> args) {
  Printer(out).do_print(args);
}
void sprintln(std::string& out, std::span<const Value> args) {
  Printer(out).do_println(args);
}
void sprintf(std::string& out, std::string_view format, std::span<const Value> args) {
  Printer(out).do_printf(format, args);
}
void print(std::string& out, const Value& v, bool indirect) {
  Printer p(out);
  if (indirect) p.dereference_top();
  p.print_arg(v, 'v');
}

}  // namespace tocsin::tmpl::gofmt
