#include "config/remote_write_config.h"

#include <gtest/gtest.h>

#include "config/tocsin_config.h"
#include "notifiers/notifier_registry.h"

namespace tocsin::config {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFile = "/etc/tocsin/tocsin.yml";

std::expected<Config, std::vector<Error>> parse_remote_write(const std::string& remote_write) {
  return parse_config("datasource: {url: 'http://127.0.0.1:9090'}\nremote_write:\n" + remote_write,
                      kFile, notifiers::receiver_kinds());
}

std::vector<std::string> remote_write_problems(const std::string& remote_write) {
  auto c = parse_remote_write(remote_write);
  std::vector<std::string> out;
  if (!c) {
    for (const Error& e : c.error()) out.push_back(e.to_string());
  }
  return out;
}

TEST(RemoteWriteConfig, ReadsEveryFieldAndResolvesFilesAgainstTheConfigFile) {
  auto c = parse_remote_write(R"(  - url: https://mimir.example.com/api/v1/push
    name: mimir
    remote_timeout: 10s
    headers: {X-Scope-OrgID: team-a}
    basic_auth: {username: tocsin, password_file: secrets/mimir}
    tls_config: {ca_file: ca.pem, server_name: mimir.internal}
    follow_redirects: false
    queue_config:
      capacity: 5000
      max_samples_per_send: 100
      min_backoff: 100ms
      max_backoff: 10s
      retry_on_http_429: true
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  ASSERT_EQ(c->remote_write.size(), 1u);
  const RemoteWriteConfig& rw = c->remote_write[0];
  EXPECT_EQ(rw.url, "https://mimir.example.com/api/v1/push");
  EXPECT_EQ(rw.name, "mimir");
  EXPECT_EQ(remote_write_name(rw), "mimir");
  EXPECT_EQ(rw.remote_timeout, 10s);
  EXPECT_EQ(rw.headers.at("X-Scope-OrgID"), "team-a");
  ASSERT_TRUE(rw.http_config.basic_auth.has_value());
  EXPECT_EQ(rw.http_config.basic_auth->username, "tocsin");
  EXPECT_EQ(rw.http_config.basic_auth->password_file, "/etc/tocsin/secrets/mimir");
  EXPECT_EQ(rw.http_config.tls_config.ca_file, "/etc/tocsin/ca.pem");
  EXPECT_EQ(rw.http_config.tls_config.server_name, "mimir.internal");
  EXPECT_FALSE(rw.http_config.follow_redirects);
  EXPECT_EQ(rw.queue_config.capacity, 5000u);
  EXPECT_EQ(rw.queue_config.max_samples_per_send, 100u);
  EXPECT_EQ(rw.queue_config.min_backoff, 100ms);
  EXPECT_EQ(rw.queue_config.max_backoff, 10s);
  EXPECT_TRUE(rw.queue_config.retry_on_http_429);
}

TEST(RemoteWriteConfig, DefaultsArePrometheusOnesButTheCapacity) {
  auto c = parse_remote_write("  - url: http://127.0.0.1:9091/api/v1/write\n");
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  const RemoteWriteConfig& rw = c->remote_write.at(0);
  EXPECT_EQ(rw.remote_timeout, 30s);
  EXPECT_EQ(rw.queue_config.capacity, 100'000u);
  EXPECT_EQ(rw.queue_config.max_samples_per_send, 500u);
  EXPECT_EQ(rw.queue_config.min_backoff, 30ms);
  EXPECT_EQ(rw.queue_config.max_backoff, 5s);
  EXPECT_FALSE(rw.queue_config.retry_on_http_429);
  EXPECT_TRUE(rw.http_config.follow_redirects);
  // Unnamed: a stable hash of the configuration, different for another URL.
  EXPECT_EQ(remote_write_name(rw).size(), 6u);
  EXPECT_EQ(remote_write_name(rw), remote_write_name(rw));
  RemoteWriteConfig other = rw;
  other.url = "http://127.0.0.1:9092/api/v1/write";
  EXPECT_NE(remote_write_name(other), remote_write_name(rw));
}

TEST(RemoteWriteConfig, NoSectionMeansNoTargets) {
  auto c = parse_config("datasource: {url: 'http://127.0.0.1:9090'}\n", kFile,
                        notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->remote_write.empty());
}

TEST(RemoteWriteConfig, BearerTokenIsHeldAsABearerAuthorization) {
  auto c = parse_remote_write("  - {url: 'http://127.0.0.1:9091/w', bearer_token_file: token}\n");
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  const http::HttpClientConfig& http = c->remote_write[0].http_config;
  ASSERT_TRUE(http.authorization.has_value());
  EXPECT_EQ(http.authorization->type, "Bearer");
  EXPECT_EQ(http.authorization->credentials_file, "/etc/tocsin/token");
}

TEST(RemoteWriteConfig, AuthorizationSection) {
  auto c = parse_remote_write(
      "  - url: 'http://127.0.0.1:9091/w'\n    authorization: {type: Token, credentials: abc}\n");
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  ASSERT_TRUE(c->remote_write[0].http_config.authorization.has_value());
  EXPECT_EQ(c->remote_write[0].http_config.authorization->type, "Token");
  EXPECT_EQ(c->remote_write[0].http_config.authorization->credentials.reveal(), "abc");
}

TEST(RemoteWriteConfig, ErrorsNameTheirPosition) {
  // The list starts on line 3 of the file.
  EXPECT_EQ(remote_write_problems("  - name: a\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:3:5: url for remote_write is empty"});
  EXPECT_EQ(remote_write_problems("  - url: ftp://x/y\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:3:10: remote_write url: unsupported scheme \"ftp\" for "
                "URL"});
  EXPECT_EQ(remote_write_problems("  - url: http://u:p@127.0.0.1/w\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:3:10: remote_write url: credentials "
                                     "in the URL are not supported; use basic_auth"});
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    remote_timeout: 0s\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:4:21: remote_timeout: must be greater than zero"});
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    colour: red\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:4:5: field colour not found in remote_write"});
  EXPECT_EQ(remote_write_problems("  url: http://127.0.0.1/w\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:3:3: remote_write: expected a sequence, got a mapping"});
}

TEST(RemoteWriteConfig, HeadersAsPrometheusChecksThem) {
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    headers: {Authorization: x}\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:4:15: authorization header must be changed via the "
                "basic_auth, authorization, oauth2, or sigv4 parameter"});
  EXPECT_EQ(
      remote_write_problems("  - url: http://127.0.0.1/w\n    headers: {Content-Encoding: gzip}\n"),
      std::vector<std::string>{"/etc/tocsin/tocsin.yml:4:15: Content-Encoding is a reserved "
                               "header. It must not be changed"});
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    headers:\n      "
                                  "X-Prometheus-Remote-Write-Version: '2'\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:5:7: "
                                     "X-Prometheus-Remote-Write-Version is a reserved header. It "
                                     "must not be changed"});
}

TEST(RemoteWriteConfig, HttpClientFieldsAreCheckedAsPrometheusChecksThem) {
  EXPECT_EQ(
      remote_write_problems("  - url: http://127.0.0.1/w\n    bearer_token: a\n    basic_auth: "
                            "{username: u, password: p}\n"),
      std::vector<std::string>{
          "/etc/tocsin/tocsin.yml:3:5: remote_write: at most one of basic_auth, oauth2, "
          "bearer_token & bearer_token_file must be configured"});
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    tls_config: {colour: red}\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:4:18: field colour not found in tls_config"});
}

TEST(RemoteWriteConfig, QueueConfigBounds) {
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    queue_config: {capacity: 0}\n"),
            std::vector<std::string>{
                "/etc/tocsin/tocsin.yml:4:30: queue_config.capacity: must be greater than zero"});
  EXPECT_EQ(
      remote_write_problems(
          "  - url: http://127.0.0.1/w\n    queue_config: {max_samples_per_send: -1}\n"),
      std::vector<std::string>{"/etc/tocsin/tocsin.yml:4:42: queue_config.max_samples_per_send: "
                               "must be greater than zero"});
  EXPECT_EQ(
      remote_write_problems("  - url: http://127.0.0.1/w\n    queue_config: {min_backoff: 0s}\n"),
      std::vector<std::string>{"/etc/tocsin/tocsin.yml:4:33: queue_config.min_backoff: "
                               "must be greater than zero"});
  EXPECT_EQ(
      remote_write_problems("  - url: http://127.0.0.1/w\n    queue_config: {min_backoff: 2s, "
                            "max_backoff: 1s}\n"),
      std::vector<std::string>{"/etc/tocsin/tocsin.yml:4:19: queue_config: max_backoff "
                               "must not be less than min_backoff"});
  EXPECT_EQ(
      remote_write_problems("  - url: http://127.0.0.1/w\n    queue_config: {capacity: many}\n"),
      std::vector<std::string>{
          "/etc/tocsin/tocsin.yml:4:30: capacity: cannot unmarshal \"many\" into an integer"});
}

TEST(RemoteWriteConfig, PrometheusKeysTocsinDoesNotImplementAreErrors) {
  EXPECT_EQ(remote_write_problems("  - url: http://127.0.0.1/w\n    write_relabel_configs: []\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:4:5: remote_write: "
                                     "write_relabel_configs is not supported by tocsin"});
  EXPECT_EQ(
      remote_write_problems("  - url: http://127.0.0.1/w\n    queue_config: {max_shards: 10}\n"),
      std::vector<std::string>{
          "/etc/tocsin/tocsin.yml:4:20: queue_config.max_shards: not supported by tocsin "
          "(one sender per remote_write target sends samples as soon as they are queued)"});
}

TEST(RemoteWriteConfig, DuplicatesAreErrors) {
  EXPECT_EQ(remote_write_problems(
                "  - {url: 'http://127.0.0.1/a', name: x}\n  - {url: 'http://127.0.0.1/b', "
                "name: x}\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:4:5: found multiple remote write "
                                     "configs with job name \"x\""});
  EXPECT_EQ(
      remote_write_problems("  - {url: 'http://127.0.0.1/a'}\n  - {url: 'http://127.0.0.1/a'}\n"),
      std::vector<std::string>{
          "/etc/tocsin/tocsin.yml:4:5: duplicate remote write configs are not allowed, "
          "found duplicate for URL: http://127.0.0.1/a"});
  // The same URL twice under two names is two targets.
  EXPECT_TRUE(remote_write_problems("  - {url: 'http://127.0.0.1/a', name: x}\n  - {url: "
                                    "'http://127.0.0.1/a', name: y}\n")
                  .empty());
}

TEST(RemoteWriteConfig, EmptyEntryIsAnError) {
  EXPECT_EQ(remote_write_problems("  - {url: 'http://127.0.0.1/w'}\n  -\n"),
            std::vector<std::string>{"/etc/tocsin/tocsin.yml:3:3: remote_write[1]: empty or null "
                                     "remote write config section"});
}

}  // namespace
}  // namespace tocsin::config
