// What the client reports before anything is sent: credentials are read for
// every query, and one that cannot be used is a "credentials" error.
#include "query/prometheus_client.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace tocsin::query {
namespace {

using test::TempDir;

// Never contacted: the credentials fail first.
std::unique_ptr<PrometheusClient> client_with_token_file(const std::string& path) {
  ClientConfig config;
  config.url = "http://127.0.0.1:9";
  config.http_config.authorization = http::Authorization{.credentials_file = path};
  auto client = PrometheusClient::create(config);
  EXPECT_TRUE(client.has_value()) << client.error().to_string();
  return client ? std::move(*client) : nullptr;
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
