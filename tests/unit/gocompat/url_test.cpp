// Go's net/url as tocsin reproduces it. Expected values are Go 1.19's.
#include "gocompat/url.h"

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

TEST(GoUrl, ParseFindsSchemeAndHost) {
  auto u = parse_url("HTTPS://Example.com:8443/a?b=c#d");
  ASSERT_TRUE(u.has_value()) << u.error();
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "Example.com");
  EXPECT_EQ(parse_url("http://[::1]:9090/")->host, "[::1]");
  EXPECT_EQ(parse_url("/just/a/path")->host, "");
  EXPECT_EQ(parse_url("mailto:a@b")->scheme, "mailto");
}

TEST(GoUrl, ParseErrorsReadAsGos) {
  EXPECT_EQ(parse_url("://x").error(), "parse \"://x\": missing protocol scheme");
  EXPECT_EQ(parse_url("http://h:port/").error(),
            "parse \"http://h:port/\": invalid port \":port\" after host");
  EXPECT_EQ(parse_url("http://a%zz").error(), "parse \"http://a%zz\": invalid URL escape \"%zz\"");
  EXPECT_EQ(parse_url("http://a b/").error(),
            "parse \"http://a b/\": invalid character \" \" in host name");
  EXPECT_EQ(parse_url("http://x\n").error(),
            "parse \"http://x\n\": net/url: invalid control character in URL");
}

TEST(GoUrl, ParseQueryAsHandlersReadIt) {
  auto q = parse_query("filter=alertname=X&filter=a%3D%22b%22&x=1+2&bad=%zz&semi=a;b&empty&=v");
  std::multimap<std::string, std::string> expected{
      {"filter", "alertname=X"}, {"filter", "a=\"b\""}, {"x", "1 2"}, {"empty", ""}, {"", "v"}};
  EXPECT_EQ(q, expected);
  EXPECT_TRUE(parse_query("").empty());
  EXPECT_TRUE(parse_query("&&").empty());
}

TEST(GoUrl, PathUnescapeKeepsPlus) {
  std::string out;
  ASSERT_TRUE(path_unescape("/api/v2/silence/a%20b+c", out));
  EXPECT_EQ(out, "/api/v2/silence/a b+c");
  EXPECT_FALSE(path_unescape("/a%2", out));
  EXPECT_FALSE(path_unescape("/a%g0", out));
}

}  // namespace
}  // namespace tocsin::gocompat
