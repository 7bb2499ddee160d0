// Go's predefined template functions (text/template/funcs.go).
#include <fmt/format.h>

#include "gocompat/url.h"
#include "template/call_context.h"
#include "template/escapers.h"
#include "template/printf.h"
#include "template/template.h"

namespace tocsin::tmpl {
namespace {

using Args = std::span<const Value>;

const NamedType kUint8Type{"uint8"};

std::string printed(const Value& v) {
  std::string s;
  sprint_value(s, v);
  return s;
}

// Go's evalArgs: one string argument as is, anything else through Sprint,
// with missing values shown as "<no value>".
std::string eval_args(Args args) {
  if (args.size() == 1 && args[0].kind() == Kind::kString && args[0].named() == nullptr) {
    return std::string(args[0].as_string());
  }
  std::vector<Value> printable(args.begin(), args.end());
  for (Value& v : printable) {
    if (!v.valid()) v = Value::string("<no value>");
  }
  std::string s;
  sprint(s, printable);
  return s;
}

// Go's indexArg.
Result<std::int64_t> index_arg(const Value& index, std::size_t cap) {
  std::int64_t x = 0;
  switch (index.kind()) {
    case Kind::kInt:
      x = index.as_int();
      break;
    case Kind::kUint:
      x = static_cast<std::int64_t>(index.as_uint());
      break;
    case Kind::kInvalid:
      return fail("cannot index slice/array with nil");
    default:
      return fail(fmt::format("cannot index slice/array with type {}", index.type_name()));
  }
  if (x < 0 || static_cast<std::uint64_t>(x) > cap) {
    return fail(fmt::format("index out of range: {}", x));
  }
  return x;
}

// A sub-range of a list, sharing its elements.
class ListSlice final : public List {
 public:
  ListSlice(const List& base, std::size_t from, std::size_t to)
      : base_(base), from_(from), to_(to) {}
  std::size_t size() const override { return to_ - from_; }
  Value at(std::size_t i) const override { return base_.at(from_ + i); }
  std::string_view type_name() const override { return base_.type_name(); }

 private:
  const List& base_;
  std::size_t from_, to_;
};

Result<Value> index(CallContext&, Args args) {
  Value item = args[0];
  if (!item.valid()) return fail("index of untyped nil");
  for (const Value& idx : args.subspan(1)) {
    switch (item.kind()) {
      case Kind::kInvalid:
        return fail("index of nil pointer");
      case Kind::kList: {
        auto x = index_arg(idx, item.as_list().size());
        if (!x) return std::unexpected(x.error());
        if (static_cast<std::size_t>(*x) == item.as_list().size()) {
          return fail("reflect: slice index out of range");
        }
        item = item.as_list().at(static_cast<std::size_t>(*x));
        break;
      }
      case Kind::kString: {
        std::string_view s = item.as_string();
        auto x = index_arg(idx, s.size());
        if (!x) return std::unexpected(x.error());
        if (static_cast<std::size_t>(*x) == s.size())
          return fail("reflect: string index out of range");
        item = Value::uinteger(static_cast<unsigned char>(s[static_cast<std::size_t>(*x)]),
                               &kUint8Type);
        break;
      }
      case Kind::kMap: {
        if (!idx.valid()) return fail("value is nil; should be of type string");
        if (idx.kind() != Kind::kString || idx.named() != nullptr) {
          return fail(fmt::format("value has type {}; should be string", idx.type_name()));
        }
        const Map& m = item.as_map();
        auto found = m.find(idx.as_string());
        item = found ? *found : m.zero();
        break;
      }
      default:
        return fail(fmt::format("can't index item of type {}", item.type_name()));
    }
  }
  return item;
}

Result<Value> slice(CallContext& ctx, Args args) {
  Value item = args[0];
  if (!item.valid()) return fail("slice of untyped nil");
  Args indexes = args.subspan(1);
  if (indexes.size() > 3) return fail(fmt::format("too many slice indexes: {}", indexes.size()));
  std::size_t cap = 0;
  switch (item.kind()) {
    case Kind::kString:
      if (indexes.size() == 3) return fail("cannot 3-index slice a string");
      cap = item.as_string().size();
      break;
    case Kind::kList:
      cap = item.as_list().size();
      break;
    default:
      return fail(fmt::format("can't slice item of type {}", item.type_name()));
  }
  std::int64_t idx[3] = {0, static_cast<std::int64_t>(cap), 0};
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    auto x = index_arg(indexes[i], cap);
    if (!x) return std::unexpected(x.error());
    idx[i] = *x;
  }
  if (idx[0] > idx[1]) return fail(fmt::format("invalid slice index: {} > {}", idx[0], idx[1]));
  if (indexes.size() == 3 && idx[1] > idx[2]) {
    return fail(fmt::format("invalid slice index: {} > {}", idx[1], idx[2]));
  }
  auto from = static_cast<std::size_t>(idx[0]);
  auto to = static_cast<std::size_t>(idx[1]);
  if (item.kind() == Kind::kString) {
    return Value::string(item.as_string().substr(from, to - from), item.named());
  }
  return Value::list(ctx.arena().make<ListSlice>(item.as_list(), from, to));
}

Result<Value> length(CallContext&, Args args) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kInvalid:
      return fail("reflect: call of reflect.Value.Type on zero Value");
    case Kind::kString:
      return Value::integer(static_cast<std::int64_t>(v.as_string().size()));
    case Kind::kList:
      return Value::integer(static_cast<std::int64_t>(v.as_list().size()));
    case Kind::kMap:
      return Value::integer(static_cast<std::int64_t>(v.as_map().size()));
    default:
      return fail(fmt::format("len of type {}", v.type_name()));
  }
}

Result<Value> call(CallContext& ctx, Args args) {
  const Value& fn = args[0];
  if (!fn.valid()) return fail("call of nil");
  if (fn.kind() != Kind::kFunc) return fail(fmt::format("non-function of type {}", fn.type_name()));
  const Callable& c = fn.as_function();
  Args rest = args.subspan(1);
  std::size_t num_in = c.params.size();
  if (c.variadic) {
    if (rest.size() < num_in - 1) {
      return fail(
          fmt::format("wrong number of args: got {} want at least {}", rest.size(), num_in - 1));
    }
  } else if (rest.size() != num_in) {
    return fail(fmt::format("wrong number of args: got {} want {}", rest.size(), num_in));
  }
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const Param& p = (!c.variadic || i < num_in - 1) ? c.params[i] : c.params.back();
    const Value& a = rest[i];
    if (!a.valid()) {
      bool nullable = p.is_any() || p.kind == Kind::kList || p.kind == Kind::kMap ||
                      p.kind == Kind::kStruct || p.kind == Kind::kFunc;
      if (!nullable)
        return fail(fmt::format("arg {}: value is nil; should be of type {}", i, p.type));
      continue;
    }
    if (!p.is_any() && a.type_name() != p.type) {
      return fail(fmt::format("arg {}: value has type {}; should be {}", i, a.type_name(), p.type));
    }
  }
  return c.body(ctx, Value(), rest);
}

// Go's basicKind classes for comparisons.
enum class Basic { kInvalid, kBool, kComplex, kInt, kFloat, kString, kUint };

Basic basic_kind(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool:
      return Basic::kBool;
    case Kind::kInt:
      return Basic::kInt;
    case Kind::kUint:
      return Basic::kUint;
    case Kind::kFloat:
      return Basic::kFloat;
    case Kind::kString:
      return Basic::kString;
    default:
      return Basic::kInvalid;
  }
}

Result<bool> equal(const Value& a, const Value& b) {
  Basic k1 = basic_kind(a), k2 = basic_kind(b);
  if (k1 != k2) {
    if (k1 == Basic::kInt && k2 == Basic::kUint) {
      return a.as_int() >= 0 && static_cast<std::uint64_t>(a.as_int()) == b.as_uint();
    }
    if (k1 == Basic::kUint && k2 == Basic::kInt) {
      return b.as_int() >= 0 && a.as_uint() == static_cast<std::uint64_t>(b.as_int());
    }
    if (a.valid() && b.valid()) return fail("incompatible types for comparison");
    return false;
  }
  switch (k1) {
    case Basic::kBool:
      return a.as_bool() == b.as_bool();
    case Basic::kFloat:
      return a.as_float() == b.as_float();
    case Basic::kInt:
      return a.as_int() == b.as_int();
    case Basic::kString:
      return a.as_string() == b.as_string();
    case Basic::kUint:
      return a.as_uint() == b.as_uint();
    default:
      break;
  }
  // Neither is a basic kind: nil, time, containers.
  if (!a.valid() || !b.valid()) return a.valid() == b.valid();
  if (a.kind() != b.kind()) {
    return fail(fmt::format("non-comparable types {}: {}, {}: {}", printed(a), a.type_name(),
                            b.type_name(), printed(b)));
  }
  switch (a.kind()) {
    case Kind::kTime:
      // Go compares time.Time structs field by field: the location too.
      return a.time_seconds() == b.time_seconds() && a.time_nanos() == b.time_nanos() &&
             a.time_zone() == b.time_zone();
    case Kind::kStruct:
      if (a.as_struct().is_pointer()) return &a.as_struct() == &b.as_struct();
      break;
    case Kind::kFunc:
      break;
    default:
      break;
  }
  return fail(fmt::format("non-comparable type {}: {}", printed(b), b.type_name()));
}

Result<bool> less(const Value& a, const Value& b) {
  Basic k1 = basic_kind(a);
  if (k1 == Basic::kInvalid) return fail("invalid type for comparison");
  Basic k2 = basic_kind(b);
  if (k2 == Basic::kInvalid) return fail("invalid type for comparison");
  if (k1 != k2) {
    if (k1 == Basic::kInt && k2 == Basic::kUint) {
      return a.as_int() < 0 || static_cast<std::uint64_t>(a.as_int()) < b.as_uint();
    }
    if (k1 == Basic::kUint && k2 == Basic::kInt) {
      return b.as_int() >= 0 && a.as_uint() < static_cast<std::uint64_t>(b.as_int());
    }
    return fail("incompatible types for comparison");
  }
  switch (k1) {
    case Basic::kBool:
    case Basic::kComplex:
      return fail("invalid type for comparison");
    case Basic::kFloat:
      return a.as_float() < b.as_float();
    case Basic::kInt:
      return a.as_int() < b.as_int();
    case Basic::kString:
      return a.as_string() < b.as_string();
    case Basic::kUint:
      return a.as_uint() < b.as_uint();
    default:
      break;
  }
  return fail("invalid type for comparison");
}

Result<Value> eq(CallContext&, Args args) {
  if (args.size() < 2) return fail("missing argument for comparison");
  for (const Value& b : args.subspan(1)) {
    auto r = equal(args[0], b);
    if (!r) return std::unexpected(r.error());
    if (*r) return Value::boolean(true);
  }
  return Value::boolean(false);
}

Result<Value> compare(Args args, bool (*decide)(bool lt, bool eq), bool needs_eq) {
  auto lt = less(args[0], args[1]);
  if (!lt) return std::unexpected(lt.error());
  bool is_eq = false;
  if (needs_eq && !*lt) {
    auto e = equal(args[0], args[1]);
    if (!e) return std::unexpected(e.error());
    is_eq = *e;
  }
  return Value::boolean(decide(*lt, is_eq));
}

Result<Value> string_result(CallContext& ctx, std::string s) {
  return ctx.arena().string(s);
}

FuncMap make_builtins() {
  const Param any = Param::any();
  FuncMap m;
  // and/or are evaluated lazily by the executor; these bodies never run.
  auto unreachable = [](CallContext&, Args) -> Result<Value> { return fail("unreachable"); };
  m.emplace("and", make_function({any, any}, true, unreachable));
  m.emplace("or", make_function({any, any}, true, unreachable));
  m.emplace("call", make_function({any, any}, true, call));
  m.emplace("html", make_function({any}, true, [](CallContext& ctx, Args a) {
              return string_result(ctx, html_escape(eval_args(a)));
            }));
  m.emplace("js", make_function({any}, true, [](CallContext& ctx, Args a) {
              return string_result(ctx, js_escape(eval_args(a)));
            }));
  m.emplace("urlquery", make_function({any}, true, [](CallContext& ctx, Args a) {
              return string_result(ctx, gocompat::query_escape(eval_args(a)));
            }));
  m.emplace("index", make_function({any, any}, true, index));
  m.emplace("slice", make_function({any, any}, true, slice));
  m.emplace("len", make_function({any}, false, length));
  m.emplace("not", make_function({any}, false, [](CallContext&, Args a) -> Result<Value> {
              return Value::boolean(!is_true(a[0]));
            }));
  m.emplace("print", make_function({any}, true, [](CallContext& ctx, Args a) {
              std::string s;
              sprint(s, a);
              return string_result(ctx, std::move(s));
            }));
  m.emplace("println", make_function({any}, true, [](CallContext& ctx, Args a) {
              std::string s;
              sprintln(s, a);
              return string_result(ctx, std::move(s));
            }));
  m.emplace("printf", make_function({Param::string(), any}, true, [](CallContext& ctx, Args a) {
              std::string s;
              sprintf(s, a[0].as_string(), a.subspan(1));
              return string_result(ctx, std::move(s));
            }));
  m.emplace("eq", make_function({any, any}, true, eq));
  m.emplace("ne", make_function({any, any}, false, [](CallContext&, Args a) -> Result<Value> {
              auto r = equal(a[0], a[1]);
              if (!r) return std::unexpected(r.error());
              return Value::boolean(!*r);
            }));
  m.emplace("lt", make_function({any, any}, false, [](CallContext&, Args a) {
              return compare(
                  a, [](bool lt, bool) { return lt; }, false);
            }));
  m.emplace("le", make_function({any, any}, false, [](CallContext&, Args a) {
              return compare(
                  a, [](bool lt, bool eq) { return lt || eq; }, true);
            }));
  m.emplace("gt", make_function({any, any}, false, [](CallContext&, Args a) {
              return compare(
                  a, [](bool lt, bool eq) { return !(lt || eq); }, true);
            }));
  m.emplace("ge", make_function({any, any}, false, [](CallContext&, Args a) {
              return compare(
                  a, [](bool lt, bool) { return !lt; }, false);
            }));
  return m;
}

}  // namespace

const FuncMap& builtin_functions() {
  static const FuncMap builtins = make_builtins();
  return builtins;
}

}  // namespace tocsin::tmpl
