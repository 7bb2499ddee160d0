#include "template/printf.h"

#include <cstdint>

#include <fmt/format.h>

#include "gocompat/fmt.h"

namespace tocsin::tmpl {
namespace {

using gocompat::Printer;

std::string_view type_of(const Value& v) {
  return v.valid() ? v.type_name() : std::string_view();
}

void print_arg(Printer& p, const Value& v, char32_t verb);

void bad_verb(Printer& p, char32_t verb, const Value& v) {
  p.bad_verb(verb, type_of(v), [&] { print_arg(p, v, 'v'); });
}

// The basic kinds: false when `v` is none of them.
bool print_basic(Printer& p, const Value& v, char32_t verb) {
  bool ok = true;
  switch (v.kind()) {
    case Kind::kBool:
      ok = p.print_bool(v.as_bool(), verb);
      break;
    case Kind::kInt:
      ok = p.print_integer(static_cast<std::uint64_t>(v.as_int()), true, verb);
      break;
    case Kind::kUint:
      ok = p.print_integer(v.as_uint(), false, verb);
      break;
    case Kind::kFloat:
      ok = p.print_float(v.as_float(), verb);
      break;
    case Kind::kString:
      ok = p.print_string(v.as_string(), verb);
      break;
    default:
      return false;
  }
  if (!ok) bad_verb(p, verb, v);
  return true;
}

// Go's handleMethods: a String() method serves %v %s %x %X %q.
bool handle_methods(Printer& p, char32_t verb, const Value& v) {
  if (p.erroring() || p.sharp_v()) return false;
  if (verb != 'v' && verb != 's' && verb != 'x' && verb != 'X' && verb != 'q') return false;
  std::string s;
  if (!v.stringer(s)) return false;
  if (!p.print_string(s, verb)) bad_verb(p, verb, Value::string(s));
  return true;
}

// Go's printValue: `v` at `depth` inside the operand.
void print_walk(Printer& p, const Value& v, char32_t verb, int depth, bool dereference_top) {
  if (depth > 0 && v.valid() && handle_methods(p, verb, v)) return;
  std::string& out = p.out();
  switch (v.kind()) {
    case Kind::kInvalid:
      if (depth == 0) {
        out += "<invalid reflect.Value>";
      } else if (verb == 'v') {
        out += "<nil>";
      } else {
        bad_verb(p, verb, v);
      }
      return;
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kUint:
    case Kind::kFloat:
    case Kind::kString:
      print_basic(p, v, verb);
      return;
    case Kind::kTime: {
      std::string s;
      v.stringer(s);
      char32_t shown = verb == 'd' ? 'v' : verb;
      if (!p.print_string(s, shown)) bad_verb(p, shown, v);
      return;
    }
    case Kind::kMap: {
      if (p.sharp_v()) {
        out += v.type_name();
        out += '{';
      } else {
        out += "map[";
      }
      bool first = true;
      auto visit = [&](std::string_view key, const Value& item) {
        if (!first) out += p.sharp_v() ? ", " : " ";
        first = false;
        print_walk(p, Value::string(key), verb, depth + 1, false);
        out += ':';
        print_walk(p, item, verb, depth + 1, false);
        return true;
      };
      v.as_map().for_each(visit);
      out += p.sharp_v() ? '}' : ']';
      return;
    }
    case Kind::kStruct: {
      const Struct& s = v.as_struct();
      if (s.is_pointer() && !(depth == 0 && dereference_top)) {
        if (depth > 0) {
          out += fmt::format("0x{:x}", reinterpret_cast<std::uintptr_t>(&s));
          return;
        }
        out += '&';
        ++depth;
      }
      if (p.sharp_v()) out += v.type_name();
      out += '{';
      for (std::size_t i = 0; i < s.field_count(); ++i) {
        if (i > 0) out += p.sharp_v() ? ", " : " ";
        if (p.plus_v() || p.sharp_v()) {
          out += s.field_name(i);
          out += ':';
        }
        print_walk(p, s.field_at(i), verb, depth + 1, false);
      }
      out += '}';
      return;
    }
    case Kind::kList: {
      const List& l = v.as_list();
      if (p.sharp_v()) {
        out += v.type_name();
        out += '{';
      } else {
        out += '[';
      }
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (i > 0) out += p.sharp_v() ? ", " : " ";
        print_walk(p, l.at(i), verb, depth + 1, false);
      }
      out += p.sharp_v() ? '}' : ']';
      return;
    }
    case Kind::kFunc:
      out += fmt::format("0x{:x}", reinterpret_cast<std::uintptr_t>(&v.as_function()));
      return;
  }
}

// Go's printArg past its nil and %T checks.
void print_operand(Printer& p, const Value& v, char32_t verb, bool dereference_top) {
  if (v.named() == nullptr && print_basic(p, v, verb)) return;
  if (handle_methods(p, verb, v)) return;
  print_walk(p, v, verb, 0, dereference_top);
}

void print_arg(Printer& p, const Value& v, char32_t verb) {
  print_operand(p, v, verb, false);
}

// Template values as fmt's operands.
class Operands final : public gocompat::FmtOperands {
 public:
  explicit Operands(std::span<const Value> args, bool dereference_top = false)
      : args_(args), dereference_top_(dereference_top) {}

  std::size_t size() const override { return args_.size(); }
  std::string_view type_name(std::size_t i) const override { return type_of(args_[i]); }
  bool is_string(std::size_t i) const override { return args_[i].kind() == Kind::kString; }
  std::optional<std::int64_t> as_int(std::size_t i) const override {
    const Value& v = args_[i];
    if (v.kind() == Kind::kInt) return v.as_int();
    if (v.kind() == Kind::kUint && static_cast<std::int64_t>(v.as_uint()) >= 0) {
      return static_cast<std::int64_t>(v.as_uint());
    }
    return std::nullopt;
  }
  void print(std::size_t i, char32_t verb, Printer& p) const override {
    print_operand(p, args_[i], verb, dereference_top_);
  }

 private:
  std::span<const Value> args_;
  bool dereference_top_;
};

}  // namespace

void sprint(std::string& out, std::span<const Value> args) {
  Printer(out).sprint(Operands(args));
}

void sprintln(std::string& out, std::span<const Value> args) {
  Printer(out).sprintln(Operands(args));
}

void sprintf(std::string& out, std::string_view format, std::span<const Value> args) {
  Printer(out).sprintf(format, Operands(args));
}

void sprint_value(std::string& out, const Value& v, bool indirect) {
  Printer(out).print_arg(Operands(std::span<const Value>(&v, 1), indirect), 0, 'v');
}

}  // namespace tocsin::tmpl
