// Helpers for the template tests: run a template on data built in an arena
// and get its output, or "ERROR: <message>".
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "template/arena.h"
#include "template/template.h"
#include "template/time_methods.h"

namespace tocsin::tmpl::testing {

inline std::string run(std::string_view text, const Value& data = Value(),
                       Options options = Options(), FuncMap funcs = {}) {
  TemplateSet set("t", std::move(funcs), options);
  if (auto parsed = set.parse("t", text); !parsed) return "ERROR: " + parsed.error().message();
  std::string out;
  if (auto s = set.execute(out, "t", data); !s) return "ERROR: " + s.error().message();
  return out;
}

inline Value list_of(Arena& arena, std::string_view type, std::initializer_list<Value> items) {
  auto* l = arena.make<ArenaList>(arena, type);
  for (const Value& v : items) l->items().push_back(v);
  return Value::list(l);
}

inline Value map_of(Arena& arena, std::string_view type,
                    std::initializer_list<std::pair<std::string_view, Value>> entries,
                    Value zero = Value()) {
  auto* m = arena.make<ArenaMap>(arena, type, zero);
  for (const auto& [k, v] : entries) m->insert(k, v);
  m->seal();
  return Value::map(m);
}

inline Value struct_of(Arena& arena, std::string_view type,
                       std::initializer_list<std::pair<std::string_view, Value>> fields) {
  auto* s = arena.make<ArenaStruct>(arena, type);
  for (const auto& [k, v] : fields) s->add(k, v);
  return Value::structure(s);
}

inline Value str(std::string_view s) {
  return Value::string(s);
}
inline Value num(std::int64_t i) {
  return Value::integer(i);
}
inline Value flt(double f) {
  return Value::floating(f);
}

}  // namespace tocsin::tmpl::testing

namespace tocsin::tmpl::testing {

// The data the tests run on (type main.Data):
//   Labels map[string]string{job: api, instance: host:9090, a-b: "x y", empty: ""}
//   Value 1234.5, Ints []int{3,1,2}, Strs []string{a,b,c}, Empty []string{},
//   Any map[string]interface{}{s: "str", i: 7, f: 2.5, b: true, l: []string{x,y}},
//   Name "tocsin", N 42, T time.Unix(1714564800, 250000000).UTC(),
//   D 90*time.Minute + 1500*time.Millisecond.
class Fixture {
 public:
  Fixture() {
    Value labels = map_of(arena_, "map[string]string",
                          {{"job", str("api")},
                           {"instance", str("host:9090")},
                           {"a-b", str("x y")},
                           {"empty", str("")}},
                          str(""));
    Value any = map_of(arena_, "map[string]interface {}",
                       {{"s", str("str")},
                        {"i", num(7)},
                        {"f", flt(2.5)},
                        {"b", Value::boolean(true)},
                        {"l", list_of(arena_, "[]string", {str("x"), str("y")})}});
    data_ = struct_of(arena_, "main.Data",
                      {{"Labels", labels},
                       {"Value", flt(1234.5)},
                       {"Ints", list_of(arena_, "[]int", {num(3), num(1), num(2)})},
                       {"Strs", list_of(arena_, "[]string", {str("a"), str("b"), str("c")})},
                       {"Empty", list_of(arena_, "[]string", {})},
                       {"Any", any},
                       {"Name", str("tocsin")},
                       {"N", num(42)},
                       {"T", Value::time(1714564800, 250'000'000)},
                       {"D", duration_value((90LL * 60 * 1000 + 1500) * 1'000'000)}});
  }
  const Value& data() const { return data_; }
  // Runs with the functions the expectations were made with:
  // toUpper(string) string, fail(string) (string, error), add(int, int) int,
  // half(float64) float64, join(sep string, s ...string) string.
  std::string run(std::string_view text, Options options = Options()) const {
    return testing::run(text, data_, options, test_functions());
  }
  static FuncMap test_functions();
  std::string run_zero(std::string_view text) const {
    Options o;
    o.missing_key = MissingKey::kZero;
    return run(text, o);
  }

 private:
  Arena arena_;
  Value data_;
};

}  // namespace tocsin::tmpl::testing
