// Memory for the values one execution creates (function results, copies of
// strings), released all at once when the execution ends. An execution
// starts from a buffer on its own stack, so a typical expansion does not
// touch the heap at all. Not thread-safe: one per execution.
#pragma once

#include <cstddef>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "template/value.h"

namespace tocsin::tmpl {

class Arena {
 public:
  Arena() : resource_(std::pmr::new_delete_resource()) {}
  explicit Arena(std::span<std::byte> initial)
      : resource_(initial.data(), initial.size(), std::pmr::new_delete_resource()) {}
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  std::pmr::memory_resource* resource() { return &resource_; }

  std::string_view copy(std::string_view s);
  // A string Value whose bytes live in the arena.
  Value string(std::string_view s, const NamedType* type = nullptr) {
    return Value::string(copy(s), type);
  }

  // Constructs a T that lives until the arena is destroyed.
  template <typename T, typename... Args>
  T* make(Args&&... args) {
    void* p = resource_.allocate(sizeof(T), alignof(T));
    T* t = new (p) T(std::forward<Args>(args)...);
    if constexpr (!std::is_trivially_destructible_v<T>) {
      cleanups_.push_back({t, [](void* o) { static_cast<T*>(o)->~T(); }});
    }
    return t;
  }

 private:
  struct Cleanup {
    void* object;
    void (*destroy)(void*);
  };
  std::pmr::monotonic_buffer_resource resource_;
  std::vector<Cleanup> cleanups_;
};

// A slice built during an execution.
class ArenaList final : public List {
 public:
  ArenaList(Arena& arena, std::string_view type_name)
      : items_(arena.resource()), type_name_(type_name) {}
  std::pmr::vector<Value>& items() { return items_; }
  std::size_t size() const override { return items_.size(); }
  Value at(std::size_t i) const override { return items_[i]; }
  std::string_view type_name() const override { return type_name_; }

 private:
  std::pmr::vector<Value> items_;
  std::string_view type_name_;
};

// A string-keyed map built during an execution. Insert, then `seal()` to sort.
class ArenaMap final : public Map {
 public:
  ArenaMap(Arena& arena, std::string_view type_name, Value zero = Value())
      : entries_(arena.resource()), type_name_(type_name), zero_(zero) {}
  void insert(std::string_view key, Value v) { entries_.emplace_back(key, v); }
  void seal();
  std::size_t size() const override { return entries_.size(); }
  std::optional<Value> find(std::string_view key) const override;
  void for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const override;
  Value zero() const override { return zero_; }
  std::string_view type_name() const override { return type_name_; }

 private:
  std::pmr::vector<std::pair<std::string_view, Value>> entries_;  // sorted by key after seal()
  std::string_view type_name_;
  Value zero_;
};

// A struct built during an execution: named fields in declaration order.
class ArenaStruct final : public Struct {
 public:
  ArenaStruct(Arena& arena, std::string_view type_name, bool pointer = false)
      : fields_(arena.resource()), type_name_(type_name), pointer_(pointer) {}
  void add(std::string_view name, Value v) { fields_.emplace_back(name, v); }
  std::optional<Value> field(std::string_view name) const override;
  std::size_t field_count() const override { return fields_.size(); }
  std::string_view field_name(std::size_t i) const override { return fields_[i].first; }
  Value field_at(std::size_t i) const override { return fields_[i].second; }
  bool is_pointer() const override { return pointer_; }
  std::string_view type_name() const override { return type_name_; }

 private:
  std::pmr::vector<std::pair<std::string_view, Value>> fields_;
  std::string_view type_name_;
  bool pointer_;
};

}  // namespace tocsin::tmpl
