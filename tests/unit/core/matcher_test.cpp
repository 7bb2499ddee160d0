#include <gtest/gtest.h>

#include <tocsin/matcher.h>

namespace tocsin {
namespace {

Matcher parse(std::string_view s) {
  auto m = parse_matcher(s);
  EXPECT_TRUE(m.has_value()) << s << ": " << (m ? "" : m.error().message());
  return *m;
}

TEST(Matcher, ParsesEveryOperator) {
  EXPECT_EQ(parse("job=api").to_string(), R"(job="api")");
  EXPECT_EQ(parse("job != \"api\"").to_string(), R"(job!="api")");
  EXPECT_EQ(parse("  code =~ 5..  ").to_string(), R"(code=~"5..")");
  EXPECT_EQ(parse("code!~\"2..\"").to_string(), R"(code!~"2..")");
  EXPECT_EQ(parse("empty=").value(), "");
  EXPECT_EQ(parse("empty=\"\"").value(), "");
}

TEST(Matcher, UnescapesOpenMetricsEscapes) {
  EXPECT_EQ(parse(R"(m="a \"quoted\" \\ line\nbreak")").value(), "a \"quoted\" \\ line\nbreak");
  EXPECT_EQ(parse(R"(m=a\qb)").value(), R"(a\qb)");  // a spurious escape stays literal
  EXPECT_EQ(parse(R"(m=ends\)").value(), R"(ends\)");
  EXPECT_EQ(parse(R"(m="a \"b\"")").to_string(), R"(m="a \"b\"")");
}

TEST(Matcher, RejectsWhatAlertmanagerRejects) {
  auto bad = [](std::string_view s) {
    auto m = parse_matcher(s);
    return m ? std::string("accepted") : m.error().message();
  };
  EXPECT_EQ(bad("9job=api"), "bad matcher format: 9job=api");
  EXPECT_EQ(bad("job api"), "bad matcher format: job api");
  EXPECT_EQ(bad(R"(job="a"b")"), R"(matcher value contains unescaped double quote: "a"b")");
  EXPECT_EQ(bad(R"(job="unterminated)"),
            R"(matcher value contains unescaped double quote: "unterminated)");
  EXPECT_TRUE(bad("job=~\"(\"").starts_with("error parsing regexp:"));
}

TEST(Matcher, RegexpsAreFullyAnchored) {
  Matcher m = parse("job=~api|db");
  EXPECT_TRUE(m.matches("api"));
  EXPECT_TRUE(m.matches("db"));
  EXPECT_FALSE(m.matches("api-2"));
  EXPECT_FALSE(m.matches("xdb"));
  Matcher not_m = parse("job!~api.*");
  EXPECT_FALSE(not_m.matches("api-2"));
  EXPECT_TRUE(not_m.matches("db"));
}

TEST(Matcher, MissingLabelMatchesAsEmpty) {
  Labels l{{"job", "api"}};
  EXPECT_TRUE(parse("team=").matches(l));
  EXPECT_FALSE(parse("team=x").matches(l));
  EXPECT_TRUE(parse("team!=x").matches(l));
  EXPECT_TRUE(parse("team=~|x").matches(l));
}

TEST(Matchers, ParsesListsWithBracesQuotesAndTrailingComma) {
  auto ms = parse_matchers(R"({foo = "bar", dings != "bums", })");
  ASSERT_TRUE(ms.has_value());
  EXPECT_EQ(to_string(*ms), R"({foo="bar",dings!="bums"})");
  auto quoted = parse_matchers(R"({quote="She said: \"Hi, all\"", x=~"a,b"})");
  ASSERT_TRUE(quoted.has_value());
  ASSERT_EQ(quoted->size(), 2u);
  EXPECT_EQ((*quoted)[0].value(), "She said: \"Hi, all\"");
  EXPECT_EQ((*quoted)[1].value(), "a,b");
  EXPECT_TRUE(parse_matchers("").value().empty());
  EXPECT_FALSE(parse_matchers("a=b,,c=d").has_value());
}

TEST(Matchers, AllMustMatch) {
  auto ms = parse_matchers("severity=critical,service=~shannon|other").value();
  EXPECT_TRUE(matches_all(ms, Labels{{"severity", "critical"}, {"service", "shannon"}}));
  EXPECT_FALSE(matches_all(ms, Labels{{"severity", "warning"}, {"service", "shannon"}}));
}

}  // namespace
}  // namespace tocsin
