#include "http/url.h"

#include <gtest/gtest.h>

namespace tocsin::http {
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

TEST(ParseBaseUrl, SplitsSchemeHostPortAndPrefix) {
  auto url = parse_base_url("http://127.0.0.1:9090");
  ASSERT_TRUE(url.has_value()) << url.error().to_string();
  EXPECT_EQ(url->endpoint("/api/v1/query"), "http://127.0.0.1:9090/api/v1/query");
  EXPECT_EQ(url->host_header(), "127.0.0.1:9090");

  auto prefixed = parse_base_url("https://prom.example.com/prometheus/");
  ASSERT_TRUE(prefixed.has_value());
  EXPECT_EQ(prefixed->port, "443");
  EXPECT_FALSE(prefixed->explicit_port);
  EXPECT_EQ(prefixed->endpoint("/api/v1/query"),
            "https://prom.example.com:443/prometheus/api/v1/query");
  EXPECT_EQ(prefixed->endpoint_at("other.name", "/x"), "https://other.name:443/prometheus/x");
  EXPECT_EQ(prefixed->host_header(), "prom.example.com");

  auto v6 = parse_base_url("http://[::1]:9090");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->endpoint("/api/v1/query"), "http://[::1]:9090/api/v1/query");
}

TEST(ParseBaseUrl, RejectsWhatCannotBeAPrometheusBaseUrl) {
  struct Case {
    const char* url;
    const char* message;
  };
  for (const Case& c : {
           Case{"", "url must be set"},
           Case{"127.0.0.1:9090", "url \"127.0.0.1:9090\" must start with http:// or https://"},
           Case{"ftp://host", "url \"ftp://host\" must start with http:// or https://"},
           Case{"http://host:9090/?x=1",
                "url \"http://host:9090/?x=1\" must not have a query or a fragment"},
           Case{"http://host/#top", "url \"http://host/#top\" must not have a query or a fragment"},
       }) {
    auto url = parse_base_url(c.url);
    ASSERT_FALSE(url.has_value()) << c.url;
    EXPECT_EQ(url.error().message(), c.message);
  }
}

TEST(ParseBaseUrl, RefusesCredentialsWithoutRepeatingThem) {
  auto url = parse_base_url("http://admin:hunter2@host:9090");
  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().message(),
            "credentials in the datasource url are not supported; use basic_auth");
  auto bad = parse_base_url("http://admin:hunter2@");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message().find("hunter2"), std::string::npos) << bad.error().message();
}

}  // namespace
}  // namespace tocsin::http
