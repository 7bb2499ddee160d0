// What a function sees of the execution that calls it: the arena for the
// values it returns, the caller's host context, and the template set (for
// functions that run another template, like Prometheus's tmpl).
#pragma once

#include <string>
#include <string_view>
#include <typeinfo>

#include <tocsin/error.h>

#include "template/arena.h"
#include "template/value.h"

namespace tocsin::tmpl {

// A typed, non-owning pointer to state the caller hands to its functions for
// one execution (Prometheus's query function, evaluation time, external URL).
class Host {
 public:
  Host() = default;
  template <typename T>
  static Host of(const T& state) {
    Host h;
    h.type_ = &typeid(T);
    h.state_ = &state;
    return h;
  }
  // The state if it is a T, else nullptr.
  template <typename T>
  const T* get() const {
    return type_ != nullptr && *type_ == typeid(T) ? static_cast<const T*>(state_) : nullptr;
  }

 private:
  const std::type_info* type_ = nullptr;
  const void* state_ = nullptr;
};

class TemplateSet;

class CallContext {
 public:
  CallContext(Arena& arena, const Host& host, const TemplateSet& set)
      : arena_(arena), host_(host), set_(set) {}

  Arena& arena() const { return arena_; }
  const Host& host() const { return host_; }
  // Runs template `name` of the executing set with `data` and returns its
  // output (in the arena); errors read as Go's ExecuteTemplate errors.
  Result<std::string_view> execute_template(std::string_view name, const Value& data) const;

 private:
  Arena& arena_;
  const Host& host_;
  const TemplateSet& set_;
};

}  // namespace tocsin::tmpl
