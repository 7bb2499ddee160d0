// The values a template works on: Go's dynamically typed interface values,
// reduced to what templates meet (bools, ints, floats, strings, time.Time,
// slices, string-keyed maps, structs, funcs), each with its Go type name so
// that errors and %T read as Go's.
//
// A Value is a small handle that never owns what it points at: strings and
// containers belong to the caller's data (borrowed for one execution) or to
// the execution's Arena (see arena.h). Containers are interfaces, so a host
// can expose its own structures (a label set, an alert) without copying.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "template/callable.h"

namespace tocsin::tmpl {

enum class Kind : std::uint8_t {
  kInvalid,  // Go's "no value": a nil interface, a missing map entry
  kBool,
  kInt,
  kUint,
  kFloat,
  kString,
  kTime,  // time.Time: seconds since the Unix epoch, nanoseconds, location
  kList,
  kMap,
  kStruct,
  kFunc,
};

class Value;

// A named Go type over a basic kind (template.HTML, time.Duration,
// time.Time): its name, its String method if any, and its methods.
struct NamedType {
  std::string_view name;
  void (*stringer)(const Value& self, std::string& out) = nullptr;
  const Callable* (*method)(std::string_view name) = nullptr;
};

// What the containers share: a Go type name, methods, an optional String().
class Composite {
 public:
  virtual ~Composite() = default;
  virtual std::string_view type_name() const = 0;
  virtual const Callable* method(std::string_view /*name*/) const { return nullptr; }
  // Go's fmt.Stringer: appends String() and returns true when the type has one.
  virtual bool stringer(std::string& /*out*/) const { return false; }
};

// A slice or array.
class List : public Composite {
 public:
  virtual std::size_t size() const = 0;
  virtual Value at(std::size_t i) const = 0;
};

// A non-owning reference to a callable, for visitors that must not allocate.
template <typename Signature>
class FunctionRef;
template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  FunctionRef(F& f)  // NOLINT: implicit by design
      : object_(static_cast<void*>(&f)), call_([](void* o, Args... args) -> R {
          return (*static_cast<F*>(o))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

// A map with string keys (every map a template meets has them).
class Map : public Composite {
 public:
  virtual std::size_t size() const = 0;
  virtual std::optional<Value> find(std::string_view key) const = 0;
  // Calls `visit` for each entry in increasing key order until it returns false.
  virtual void for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const = 0;
  // The zero value of the element type (missingkey=zero, index of a missing key).
  virtual Value zero() const = 0;
};

// A struct (or pointer to one) with exported fields.
class Struct : public Composite {
 public:
  // The field named `name`; by default found by name among field_name(i).
  virtual std::optional<Value> field(std::string_view name) const;
  // Fields in declaration order, for printing as Go's %v does ({a b}).
  virtual std::size_t field_count() const = 0;
  virtual std::string_view field_name(std::size_t i) const = 0;
  virtual Value field_at(std::size_t i) const = 0;
  // The field's key in encoding/json output (its `json:"..."` tag).
  virtual std::string_view json_name(std::size_t i) const { return field_name(i); }
  // Whether the Go value is a pointer to the struct (*T prints as &{...}).
  virtual bool is_pointer() const { return false; }
};

class Value {
 public:
  Value() = default;  // invalid: "<no value>"

  static Value boolean(bool b);
  static Value integer(std::int64_t i, const NamedType* type = nullptr);
  static Value uinteger(std::uint64_t u, const NamedType* type = nullptr);
  static Value floating(double f, const NamedType* type = nullptr);
  static Value string(std::string_view s, const NamedType* type = nullptr);
  // A time.Time (defined in time_methods.cpp, with the type's methods), in UTC
  // or in the location `zone` names (see locations.h).
  static Value time(std::int64_t unix_seconds, std::int32_t nanos, std::uint32_t zone = 0);
  static Value list(const List* l);
  static Value map(const Map* m);
  static Value structure(const Struct* s);
  static Value function(const Callable* f);
  // The same payload under another named type (e.g. *time.Time).
  Value with_type(const NamedType* type) const {
    Value v = *this;
    v.named_ = type;
    return v;
  }

  Kind kind() const { return kind_; }
  bool valid() const { return kind_ != Kind::kInvalid; }
  const NamedType* named() const { return named_; }

  bool as_bool() const { return b_; }
  std::int64_t as_int() const { return i_; }
  std::uint64_t as_uint() const { return u_; }
  double as_float() const { return f_; }
  std::string_view as_string() const { return {s_.data, s_.size}; }
  std::int64_t time_seconds() const { return t_.seconds; }
  std::int32_t time_nanos() const { return t_.nanos; }
  std::uint32_t time_zone() const { return t_.zone; }
  const List& as_list() const { return *list_; }
  const Map& as_map() const { return *map_; }
  const Struct& as_struct() const { return *struct_; }
  const Callable& as_function() const { return *func_; }
  const Composite* composite() const;

  // Go's reflect type string: "int", "string", "map[string]string", ...
  std::string_view type_name() const;
  // The method `name` of the value's type, or nullptr.
  const Callable* method(std::string_view name) const;
  // Go's fmt.Stringer: appends String() and returns true when the type has one.
  bool stringer(std::string& out) const;

 private:
  Kind kind_ = Kind::kInvalid;
  const NamedType* named_ = nullptr;
  struct StringRef {
    const char* data;
    std::size_t size;
  };
  struct TimeRef {
    std::int64_t seconds;
    std::int32_t nanos;
    std::uint32_t zone;
  };
  union {
    TimeRef t_ = {0, 0, 0};
    bool b_;
    std::int64_t i_;
    std::uint64_t u_;
    double f_;
    StringRef s_;
    const List* list_;
    const Map* map_;
    const Struct* struct_;
    const Callable* func_;
  };
};

// Go's truth for if/with/and/or/not: false, 0, nil, and empty containers are false.
bool is_true(const Value& v);

}  // namespace tocsin::tmpl
