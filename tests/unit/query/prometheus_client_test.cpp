// What the client refuses before anything is sent: a config that cannot
// work, and credentials (read for every query) that cannot be used, a
// "credentials" error.
#include "query/prometheus_client.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace tocsin::query {
namespace {

using test::TempDir;

ClientConfig valid() {
  ClientConfig config;
  config.url = "http://127.0.0.1:9090";
  return config;
}

// Never contacted: the credentials fail first.
std::unique_ptr<PrometheusClient> client_with_token_file(const std::string& path) {
  ClientConfig config;
  config.url = "http://127.0.0.1:9";
  config.http_config.authorization = http::Authorization{.credentials_file = path};
  auto client = PrometheusClient::create(config);
  EXPECT_TRUE(client.has_value()) << client.error().to_string();
  return client ? std::move(*client) : nullptr;
}

TEST(PrometheusClientCreate, ValidatesTheConfig) {
  ClientConfig config = valid();
  config.url = "localhost:9090";
  auto client = PrometheusClient::create(config);
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().message(),
            "invalid Prometheus client config: url \"localhost:9090\" must start with http:// or "
            "https://");
  EXPECT_TRUE(PrometheusClient::create(valid()).has_value());
}

TEST(PrometheusClientCredentials, UnreadableFileIsACredentialsErrorNamingTheFileNotTheSecret) {
  TempDir dir;
  auto client = client_with_token_file(dir.write("missing", "token"));
  ASSERT_TRUE(client);
  std::filesystem::remove(dir.file("missing"));
  auto auth = client->instant_query("up", Timestamp{});
  ASSERT_FALSE(auth.has_value());
  EXPECT_EQ(auth.error().type, "credentials");
  EXPECT_NE(auth.error().message.find("unable to read bearer token file " + dir.file("missing")),
            std::string::npos)
      << auth.error().message;
}

TEST(PrometheusClientCredentials, ALineBreakInsideTheTokenIsRefusedWithoutQuotingIt) {
  TempDir dir;
  auto client = client_with_token_file(dir.write("token", "line-one\nline-two\n"));
  ASSERT_TRUE(client);
  auto auth = client->instant_query("up", Timestamp{});
  ASSERT_FALSE(auth.has_value());
  EXPECT_EQ(auth.error().type, "credentials");
  EXPECT_EQ(auth.error().message.find("line-one"), std::string::npos);
}

}  // namespace
}  // namespace tocsin::query
