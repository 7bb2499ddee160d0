// Functions and methods as templates call them: Go's parameter types (for
// Go's argument checks and messages) and a body that returns a value or an
// error. A FuncMap names the functions a template set may call; the parser
// rejects any other name, as Go's does.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::tmpl {

class Value;
class CallContext;
enum class Kind : std::uint8_t;

// One parameter's Go type. `kind` is kInvalid for interface{} (anything);
// otherwise an argument must have exactly the Go type `type`.
struct Param {
  Kind kind;
  std::string_view type;

  static Param any();
  static Param string();
  static Param integer();
  static Param float64();
  static Param boolean();
  static Param of(Kind kind, std::string_view type) { return Param{kind, type}; }
  bool is_any() const;
};

// The receiver is the invalid Value for plain functions. `args` have been
// checked against `params` the way Go checks them.
using CallBody = std::function<Result<Value>(CallContext& ctx, const Value& receiver,
                                             std::span<const Value> args)>;

struct Callable {
  std::vector<Param> params;  // when variadic, the last one is the element type
  bool variadic = false;
  CallBody body;
};

using FuncMap = std::map<std::string, Callable, std::less<>>;

// A plain function (no receiver) for a FuncMap.
using FunctionBody = std::function<Result<Value>(CallContext& ctx, std::span<const Value> args)>;
Callable make_function(std::vector<Param> params, bool variadic, FunctionBody body);

}  // namespace tocsin::tmpl
