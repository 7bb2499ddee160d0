// Go's fmt package: fmt.Sprint, fmt.Sprintln and fmt.Sprintf with Go's
// verbs, flags, widths, precisions and argument indexes, and its
// complaints ("%!verb(type=value)", "%!(EXTRA type=value)",
// "%!verb(MISSING)", "%!verb(BADINDEX)", "%!(BADWIDTH)", "%!(NOVERB)").
//
// fmt sees its operands through reflection; here the caller's dynamic
// values stand behind FmtOperands. The Printer formats the basic kinds
// (bool, integers, floats, strings) itself, as Go's pp and fmt types do,
// and hands every operand to FmtOperands::print, which calls back into it
// (and walks the caller's containers itself). Every float goes through
// strconv's format_float.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gocompat/strconv.h"
#include "gocompat/utf8.h"

namespace tocsin::gocompat {

// fmt.Sprint of a float64 (%v): 'g' with the shortest precision.
inline std::string sprint_float(double v) {
  return format_float(v, 'g', -1);
}

class Printer;

// The operands of one fmt call, as fmt sees them through reflection.
class FmtOperands {
 public:
  virtual ~FmtOperands() = default;
  virtual std::size_t size() const = 0;
  // Go's %T of operand i; empty for a nil interface.
  virtual std::string_view type_name(std::size_t i) const = 0;
  // Whether operand i is a string (Sprint puts spaces between operands
  // when neither side is one).
  virtual bool is_string(std::size_t i) const = 0;
  // Operand i as a '*' width or precision: its value when it is a signed
  // integer, or an unsigned one that fits int64; nullopt otherwise.
  virtual std::optional<std::int64_t> as_int(std::size_t i) const = 0;
  // Prints operand i (never nil) for `verb` (never 'T'), as Go's printArg
  // does past its first checks: through the Printer's basic kinds, its
  // bad_verb, or the operand's own walk of its fields.
  virtual void print(std::size_t i, char32_t verb, Printer& p) const = 0;
};

// Go's pp and fmt types in one: formats into the string it was given.
class Printer {
 public:
  explicit Printer(std::string& out) : buf_(out) {}

  // fmt.Sprint, fmt.Sprintln and fmt.Sprintf, appending to the output.
  void sprint(const FmtOperands& a);
  void sprintln(const FmtOperands& a);
  void sprintf(std::string_view format, const FmtOperands& a);
  // Go's printArg: operand i for `verb`, flags as the directive left them.
  void print_arg(const FmtOperands& a, std::size_t i, char32_t verb);

  // The basic kinds for FmtOperands::print. Each returns false when the
  // verb does not apply (the caller then writes bad_verb).
  bool print_bool(bool v, char32_t verb);
  bool print_integer(std::uint64_t v, bool is_signed, char32_t verb);
  bool print_float(double v, char32_t verb);
  bool print_string(std::string_view v, char32_t verb);

  // Go's badVerb: "%!verb(TYPE=VALUE)", VALUE written by print_value() (a
  // nil operand, with an empty type name, shows as "%!verb(<nil>)").
  template <typename F>
  void bad_verb(char32_t verb, std::string_view type_name, F&& print_value) {
    erroring_ = true;
    buf_ += "%!";
    append_rune(buf_, verb);
    buf_ += '(';
    if (type_name.empty()) {
      buf_ += "<nil>";
    } else {
      buf_ += type_name;
      buf_ += '=';
      print_value();
    }
    buf_ += ')';
    erroring_ = false;
  }

  // What the operand's own walk needs to know and where it writes.
  bool erroring() const { return erroring_; }  // inside bad_verb: no String methods
  bool sharp_v() const { return flags_.sharp_v; }
  bool plus_v() const { return flags_.plus_v; }
  std::string& out() { return buf_; }

 private:
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

  void write_padding(int n);
  void pad(std::string_view s);
  std::string_view truncate(std::string_view s) const;
  void fmt_unicode(std::uint64_t u);
  void fmt_integer(std::uint64_t u, int base, bool is_signed, char32_t verb,
                   std::string_view digits);
  void fmt_s(std::string_view s);
  void fmt_sx(std::string_view s, std::string_view digits);
  void fmt_q(std::string_view s);
  void fmt_c(std::uint64_t c);
  void fmt_qc(std::uint64_t c);
  void fmt_float(double v, char verb, int prec);

  std::string& buf_;
  Flags flags_;
  int wid_ = 0;
  int prec_ = 0;
  bool erroring_ = false;
  bool reordered_ = false;
  bool good_arg_num_ = true;
};

}  // namespace tocsin::gocompat
