#include <cctype>

#include "template/call_context.h"
#include "template_test_util.h"

namespace tocsin::tmpl::testing {

FuncMap Fixture::test_functions() {
  FuncMap funcs;
  funcs.emplace(
      "toUpper",
      make_function({Param::string()}, false, [](CallContext& c, std::span<const Value> a) {
        std::string s(a[0].as_string());
        for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        return Result<Value>(c.arena().string(s));
      }));
  funcs.emplace("fail",
                make_function({Param::string()}, false,
                              [](CallContext&, std::span<const Value> a) -> Result<Value> {
                                return tocsin::fail("failed: " + std::string(a[0].as_string()));
                              }));
  funcs.emplace("add", make_function({Param::integer(), Param::integer()}, false,
                                     [](CallContext&, std::span<const Value> a) -> Result<Value> {
                                       return Value::integer(a[0].as_int() + a[1].as_int());
                                     }));
  funcs.emplace("half", make_function({Param::float64()}, false,
                                      [](CallContext&, std::span<const Value> a) -> Result<Value> {
                                        return Value::floating(a[0].as_float() / 2);
                                      }));
  funcs.emplace("join",
                make_function({Param::string(), Param::string()}, true,
                              [](CallContext& c, std::span<const Value> a) -> Result<Value> {
                                std::string s;
                                for (std::size_t i = 1; i < a.size(); ++i) {
                                  if (i > 1) s += a[0].as_string();
                                  s += a[i].as_string();
                                }
                                return c.arena().string(s);
                              }));
  return funcs;
}

}  // namespace tocsin::tmpl::testing
