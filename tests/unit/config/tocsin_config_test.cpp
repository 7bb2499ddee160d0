#include "config/tocsin_config.h"

#include <gtest/gtest.h>

#include "notifiers/notifier_registry.h"

namespace tocsin::config {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> tocsin_yml_problems(const std::string& yaml) {
  auto c = parse_config(yaml, "/etc/tocsin/tocsin.yml", notifiers::receiver_kinds());
  std::vector<std::string> out;
  if (!c) {
    for (const Error& e : c.error()) out.push_back(e.to_string());
  }
  return out;
}

TEST(TocsinConfig, ReadsEverySectionAndResolvesPathsAgainstTheFile) {
  auto c = parse_config(R"(
global:
  evaluation_interval: 15s
  external_labels: {cluster: eu1}
  external_url: https://alerts.example.com/
datasource:
  url: http://127.0.0.1:9090
  timeout: 10s
  basic_auth: {username: tocsin, password_file: secrets/prom}
  headers: {X-Scope-OrgID: team-a}
  tls_config: {ca_file: ca.pem, insecure_skip_verify: true}
rule_files: [rules/*.yml, /abs/other.yml]
web:
  listen_address: 0.0.0.0:9095
)",
                        "/etc/tocsin/tocsin.yml", notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  EXPECT_EQ(c->global.evaluation_interval, 15s);
  EXPECT_EQ(c->global.external_labels.at("cluster"), "eu1");
  EXPECT_EQ(c->external_url(), "https://alerts.example.com/");
  EXPECT_EQ(c->datasource.url, "http://127.0.0.1:9090");
  EXPECT_EQ(c->datasource.timeout, 10s);
  ASSERT_TRUE(c->datasource.http_config.basic_auth.has_value());
  EXPECT_EQ(c->datasource.http_config.basic_auth->username, "tocsin");
  EXPECT_EQ(c->datasource.http_config.basic_auth->password_file, "/etc/tocsin/secrets/prom");
  EXPECT_EQ(c->datasource.headers.at("X-Scope-OrgID"), "team-a");
  EXPECT_EQ(c->datasource.http_config.tls_config.ca_file, "/etc/tocsin/ca.pem");
  EXPECT_TRUE(c->datasource.http_config.tls_config.insecure_skip_verify);
  EXPECT_EQ(c->rule_files, (std::vector<std::string>{"/etc/tocsin/rules/*.yml", "/abs/other.yml"}));
  EXPECT_EQ(c->web.listen_address, "0.0.0.0:9095");
}

TEST(TocsinConfig, DatasourceBearerTokenIsHeldAsABearerAuthorization) {
  auto c = parse_config("datasource: {url: 'http://p:9090', bearer_token_file: token}\n",
                        "/etc/tocsin/tocsin.yml", notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  const http::HttpClientConfig& http = c->datasource.http_config;
  ASSERT_TRUE(http.authorization.has_value());
  EXPECT_EQ(http.authorization->type, "Bearer");
  EXPECT_TRUE(http.authorization->credentials.empty());
  EXPECT_EQ(http.authorization->credentials_file, "/etc/tocsin/token");
  EXPECT_FALSE(http.basic_auth.has_value());
  EXPECT_FALSE(http.follow_redirects);  // an answer from elsewhere is not this Prometheus's
}

TEST(TocsinConfig, Defaults) {
  auto c = parse_config("datasource: {url: 'http://prom:9090'}\n", "tocsin.yml",
                        notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->global.evaluation_interval, 1min);
  EXPECT_EQ(c->web.listen_address, "127.0.0.1:9095");
  EXPECT_EQ(c->external_url(), "http://127.0.0.1:9095");
  EXPECT_TRUE(c->rule_files.empty());
}

TEST(TocsinConfig, UnknownKeysAreErrorsWithTheirPosition) {
  EXPECT_EQ(
      tocsin_yml_problems("datasource: {url: 'http://p:9090'}\nglobal:\n  scrape_interval: 1m\n"),
      std::vector<std::string>{
          "/etc/tocsin/tocsin.yml:3:3: field scrape_interval not found in global"});
  EXPECT_EQ(
      tocsin_yml_problems("datasource: {url: 'http://p:9090', token: x}\n"),
      std::vector<std::string>{"/etc/tocsin/tocsin.yml:1:36: field token not found in datasource"});
  EXPECT_EQ(tocsin_yml_problems("datasource: {url: 'http://p:9090'}\nalerts: {}\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:2:1: field alerts not found in tocsin configuration"});
}

TEST(TocsinConfig, DatasourceIsRequiredAndMustBeHttp) {
  EXPECT_EQ(tocsin_yml_problems("global: {}\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml: datasource: missing; tocsin needs a Prometheus to query"});
  EXPECT_EQ(tocsin_yml_problems("datasource: {url: 'prom:9090'}\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:1:19: datasource.url: \"prom:9090\" "
                                     "must start with http:// or https://"});
}

TEST(TocsinConfig, RejectsBadValues) {
  EXPECT_EQ(
      tocsin_yml_problems(
          "datasource: {url: 'http://p:9090'}\nglobal: {evaluation_interval: 1 minute}\n"),
      std::vector<std::string>{"/etc/tocsin/tocsin.yml:2:31: evaluation_interval: not a valid "
                               "duration string: \"1 minute\""});
  EXPECT_EQ(tocsin_yml_problems(
                "datasource: {url: 'http://p:9090'}\nglobal: {external_labels: {9x: y}}\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:2:28: external_labels: invalid label name: 9x"});
  EXPECT_EQ(tocsin_yml_problems(
                "datasource: {url: 'http://p:9090', bearer_token: a, bearer_token_file: b}\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:1:13: datasource: at most one of "
                                     "bearer_token and bearer_token_file must be set"});
  EXPECT_EQ(
      tocsin_yml_problems("datasource: {url: 'http://p:9090'}\nweb: {listen_address: nowhere}\n"),
      std::vector<std::string>{
          "/etc/tocsin/tocsin.yml:2:23: web.listen_address: \"nowhere\" must be host:port"});
}

TEST(TocsinConfig, ReportsEveryProblemAtOnce) {
  EXPECT_EQ(
      tocsin_yml_problems("global: {evaluation_interval: x, foo: 1}\ndatasource: {}\n").size(), 3u);
}

}  // namespace
}  // namespace tocsin::config
