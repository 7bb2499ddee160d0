#include "config/url.h"

#include <gtest/gtest.h>

namespace tocsin::config {
namespace {

std::string url_error(std::string_view url) {
  auto r = check_http_url(url);
  return r ? "" : r.error().message();
}

TEST(HttpUrl, AcceptsAbsoluteHttpUrlsWithAHost) {
  for (const char* ok :
       {"http://127.0.0.1:5001/", "https://hooks.slack.com/services/T/B/x?a=b#c",
        "HTTPS://Example.com", "http://user:pw@host:8080/p", "http://[::1]:9093/api"}) {
    EXPECT_EQ(url_error(ok), "") << ok;
  }
}

TEST(HttpUrl, RejectsAsAlertmanagerDoes) {
  EXPECT_EQ(url_error("ftp://x"), "unsupported scheme \"ftp\" for URL");
  EXPECT_EQ(url_error("hooks.slack.com/x"), "unsupported scheme \"\" for URL");
  EXPECT_EQ(url_error("http:///path"), "missing host for URL");
  EXPECT_EQ(url_error("http:opaque"), "missing host for URL");
  EXPECT_EQ(url_error("://x"), "parse \"://x\": missing protocol scheme");
  EXPECT_EQ(url_error("http://exa mple.com"),
            "parse \"http://exa mple.com\": invalid character \" \" in host name");
  EXPECT_EQ(url_error("http://host:port/"),
            "parse \"http://host:port/\": invalid port \":port\" after host");
  EXPECT_EQ(url_error("http://[::1/"), "parse \"http://[::1/\": missing ']' in host");
  EXPECT_EQ(url_error("http://x/%zz"), "parse \"http://x/%zz\": invalid URL escape \"%zz\"");
  EXPECT_EQ(url_error("http://x/\n"),
            "parse \"http://x/\n\": net/url: invalid control character in URL");
}

TEST(HostPort, SplitsAsGoNetSplitHostPort) {
  EXPECT_EQ(parse_host_port("smtp.example.com:587"), (HostPort{"smtp.example.com", "587"}));
  EXPECT_EQ(parse_host_port("[::1]:25"), (HostPort{"::1", "25"}));
  EXPECT_EQ(parse_host_port(":25"), (HostPort{"", "25"}));
  EXPECT_TRUE(parse_host_port("")->empty());
  EXPECT_EQ(parse_host_port("localhost").error().message(),
            "address localhost: missing port in address");
  EXPECT_EQ(parse_host_port("a:b:25").error().message(),
            "address a:b:25: too many colons in address");
  EXPECT_EQ(parse_host_port("[::1]").error().message(), "address [::1]: missing port in address");
  EXPECT_EQ(parse_host_port("h:").error().message(), "address \"h:\": port cannot be empty");
  EXPECT_EQ((HostPort{"::1", "25"}).to_string(), "[::1]:25");
}

}  // namespace
}  // namespace tocsin::config
