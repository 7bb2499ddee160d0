#include "template/value.h"

#include <algorithm>

#include "template/arena.h"

namespace tocsin::tmpl {

Param Param::any() {
  return Param{Kind::kInvalid, "interface {}"};
}
Param Param::string() {
  return Param{Kind::kString, "string"};
}
Param Param::integer() {
  return Param{Kind::kInt, "int"};
}
Param Param::float64() {
  return Param{Kind::kFloat, "float64"};
}
Param Param::boolean() {
  return Param{Kind::kBool, "bool"};
}
bool Param::is_any() const {
  return kind == Kind::kInvalid;
}

Callable make_function(std::vector<Param> params, bool variadic, FunctionBody body) {
  Callable c;
  c.params = std::move(params);
  c.variadic = variadic;
  c.body = [body = std::move(body)](CallContext& ctx, const Value&, std::span<const Value> args) {
    return body(ctx, args);
  };
  return c;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}

Value Value::integer(std::int64_t i, const NamedType* type) {
  Value v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  v.named_ = type;
  return v;
}

Value Value::uinteger(std::uint64_t u, const NamedType* type) {
  Value v;
  v.kind_ = Kind::kUint;
  v.u_ = u;
  v.named_ = type;
  return v;
}

Value Value::floating(double f, const NamedType* type) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.f_ = f;
  v.named_ = type;
  return v;
}

Value Value::string(std::string_view s, const NamedType* type) {
  Value v;
  v.kind_ = Kind::kString;
  v.s_ = StringRef{s.data(), s.size()};
  v.named_ = type;
  return v;
}

std::optional<Value> Struct::field(std::string_view name) const {
  for (std::size_t i = 0; i < field_count(); ++i) {
    if (field_name(i) == name) return field_at(i);
  }
  return std::nullopt;
}

Value Value::list(const List* l) {
  Value v;
  v.kind_ = Kind::kList;
  v.list_ = l;
  return v;
}

Value Value::map(const Map* m) {
  Value v;
  v.kind_ = Kind::kMap;
  v.map_ = m;
  return v;
}

Value Value::structure(const Struct* s) {
  Value v;
  v.kind_ = Kind::kStruct;
  v.struct_ = s;
  return v;
}

Value Value::function(const Callable* f) {
  Value v;
  v.kind_ = Kind::kFunc;
  v.func_ = f;
  return v;
}

const Composite* Value::composite() const {
  switch (kind_) {
    case Kind::kList:
      return list_;
    case Kind::kMap:
      return map_;
    case Kind::kStruct:
      return struct_;
    default:
      return nullptr;
  }
}

std::string_view Value::type_name() const {
  if (named_ != nullptr) return named_->name;
  switch (kind_) {
    case Kind::kInvalid:
      return "<nil>";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kFloat:
      return "float64";
    case Kind::kString:
      return "string";
    case Kind::kTime:
      return "time.Time";
    case Kind::kFunc:
      return "func";
    default:
      return composite()->type_name();
  }
}

const Callable* Value::method(std::string_view name) const {
  if (named_ != nullptr) return named_->method != nullptr ? named_->method(name) : nullptr;
  if (const Composite* c = composite()) return c->method(name);
  return nullptr;
}

bool Value::stringer(std::string& out) const {
  if (named_ != nullptr) {
    if (named_->stringer == nullptr) return false;
    named_->stringer(*this, out);
    return true;
  }
  if (const Composite* c = composite()) return c->stringer(out);
  return false;
}

bool is_true(const Value& v) {
  switch (v.kind()) {
    case Kind::kInvalid:
      return false;
    case Kind::kBool:
      return v.as_bool();
    case Kind::kInt:
      return v.as_int() != 0;
    case Kind::kUint:
      return v.as_uint() != 0;
    case Kind::kFloat:
      return v.as_float() != 0;
    case Kind::kString:
      return !v.as_string().empty();
    case Kind::kList:
      return v.as_list().size() > 0;
    case Kind::kMap:
      return v.as_map().size() > 0;
    case Kind::kTime:
    case Kind::kStruct:
    case Kind::kFunc:
      return true;
  }
  return false;
}

Arena::~Arena() {
  for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it) it->destroy(it->object);
}

std::string_view Arena::copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(resource_.allocate(s.size(), 1));
  std::copy(s.begin(), s.end(), p);
  return {p, s.size()};
}

void ArenaMap::seal() {
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Later insertions of a key win, as with Go's map assignment.
  auto last = std::unique(entries_.rbegin(), entries_.rend(),
                          [](const auto& a, const auto& b) { return a.first == b.first; });
  entries_.erase(entries_.begin(), last.base());
}

std::optional<Value> ArenaMap::find(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == entries_.end() || it->first != key) return std::nullopt;
  return it->second;
}

void ArenaMap::for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const {
  for (const auto& [k, v] : entries_) {
    if (!visit(k, v)) return;
  }
}

std::optional<Value> ArenaStruct::field(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace tocsin::tmpl
