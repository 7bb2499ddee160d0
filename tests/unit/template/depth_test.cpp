// No template can overflow the stack: nesting and recursion stop with Go's
// errors, on any thread, whatever its stack size.
#include <string>

#include <gtest/gtest.h>

#include "support/stack.h"
#include "template/html_escape.h"
#include "template_test_util.h"

namespace tocsin::tmpl::testing {
namespace {

using test::run_on_stack;

std::string repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string nested_parens(int depth) {
  return "{{" + repeat("(", depth) + "1" + repeat(")", depth) + "}}";
}

std::string nested_ifs(int depth) {
  return repeat("{{if 1}}", depth) + "x" + repeat("{{end}}", depth);
}

constexpr std::size_t kMiB = 1024 * 1024;

TEST(TemplateDepth, ParenthesesNestAsDeepAsGoAllows) {
  // Go's parser takes 10,000 nested parenthesized pipelines and no more.
  std::string ok, too_deep;
  run_on_stack(256 * kMiB, [&] {
    ok = run(nested_parens(10000));
    too_deep = run(nested_parens(10001));
  });
  EXPECT_EQ(ok, "1");
  EXPECT_EQ(too_deep, "ERROR: template: t:1: max expression depth exceeded");
}

TEST(TemplateDepth, DeepControlNestingIsAnErrorNotACrash) {
  std::string out;
  run_on_stack(8 * kMiB, [&] { out = run(nested_ifs(100000)); });
  EXPECT_EQ(out, "ERROR: template: t:1: max nesting depth exceeded");
}

TEST(TemplateDepth, ElseIfChainsCountAsNesting) {
  std::string text = "{{if 0}}" + repeat("{{else if 0}}", 100000) + "{{end}}";
  std::string out;
  run_on_stack(8 * kMiB, [&] { out = run(text); });
  EXPECT_EQ(out, "ERROR: template: t:1: max nesting depth exceeded");
}

TEST(TemplateDepth, NestingThatParsesAlsoExecutes) {
  std::string out;
  run_on_stack(256 * kMiB, [&] { out = run(nested_ifs(10000)); });
  EXPECT_EQ(out, "x");
}

TEST(TemplateDepth, SmallStacksStopEarlierWithTheSameErrors) {
  // 10,000 levels do not fit in 1 MiB: parsing stops before the stack ends.
  std::string parens, ifs;
  run_on_stack(1 * kMiB, [&] {
    parens = run(nested_parens(10000));
    ifs = run(nested_ifs(10000));
  });
  EXPECT_EQ(parens, "ERROR: template: t:1: max expression depth exceeded");
  EXPECT_EQ(ifs, "ERROR: template: t:1: max nesting depth exceeded");
}

TEST(TemplateDepth, RecursiveTemplatesStopWithGosError) {
  // Go stops at 100,000 nested template calls; a thread's stack may end
  // sooner, with the same error.
  const std::string text =
      R"({{define "r"}}{{if .}}{{template "r" (add . -1)}}{{end}}{{end}}{{template "r" 1000000}})";
  std::string out;
  run_on_stack(8 * kMiB, [&] {
    TemplateSet set("t", Fixture::test_functions());
    ASSERT_TRUE(set.parse("t", text));
    auto s = set.execute(out, "t", Value());
    out = s ? "no error" : s.error().message();
  });
  EXPECT_TRUE(
      out.starts_with(R"(template: t:1:33: executing "r" at <{{template "r" (add . -1)}}>:)"))
      << out;
  EXPECT_TRUE(out.ends_with("exceeded maximum template depth (100000)")) << out;
}

TEST(TemplateDepth, RecursionWithinTheLimitRuns) {
  const std::string text =
      R"({{define "r"}}{{if .}}{{template "r" (add . -1)}}{{else}}done{{end}}{{end}}{{template "r" 1000}})";
  std::string out;
  run_on_stack(8 * kMiB, [&] { out = Fixture().run(text); });
  EXPECT_EQ(out, "done");
}

TEST(TemplateDepth, HtmlEscapingOfDeepNestingIsAnError) {
  // Parsed where the stack is large, escaped where it is not.
  TemplateSet set("t");
  run_on_stack(64 * kMiB, [&] { ASSERT_TRUE(set.parse("t", "<p>" + nested_ifs(5000) + "</p>")); });
  std::string message;
  run_on_stack(1 * kMiB, [&] {
    auto escaped = html::escape_template(set, "t");
    message = escaped ? "escaped" : escaped.error().message();
  });
  EXPECT_EQ(message, "html/template:t: nested too deep to escape with the stack left");
}

}  // namespace
}  // namespace tocsin::tmpl::testing
