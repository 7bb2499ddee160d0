// What goes on the wire: the form, the credentials and custom headers reach
// a loopback server exactly once per query, and no secret comes back out in
// an error, even when the server echoes the request.
#include <filesystem>

#include <gtest/gtest.h>

#include "http/base64.h"
#include "integration/query/query_test_support.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"

namespace tocsin::query {
namespace {

using namespace std::chrono_literals;
using http::base64_encode;
using test::CannedResponse;
using test::RecordedRequest;
using test::RecordingServer;
using test::TempDir;

// tocsin.yml's bearer_token and bearer_token_file, as the reader keeps them.
http::Authorization bearer_token(std::string token) {
  return http::Authorization{.credentials = http::Secret(std::move(token))};
}
http::Authorization bearer_token_file(std::string path) {
  return http::Authorization{.credentials_file = std::move(path)};
}

class AuthHeadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.listening());
    server_.respond("/api/v1/query", {.body = std::string(kEmptyVector)});
  }

  ClientConfig config() const {
    ClientConfig c;
    c.url = server_.url();
    c.timeout = 5s;
    return c;
  }

  // Runs `count` queries; every one must succeed.
  void query(PrometheusClient& client, int count = 1) {
    for (int i = 0; i < count; ++i) {
      auto result = client.instant_query("up", Timestamp(1714564800123ms));
      ASSERT_TRUE(result.has_value()) << result.error().to_string();
    }
  }

  // A server that echoes the Authorization header and the custom header in
  // a failure, the way a careless proxy's error page might.
  void echo_secrets_in_errors() {
    server_.respond_with([](const RecordedRequest& r) {
      return CannedResponse{
          .status = 401,
          .body = "denied: " + r.header("Authorization") + " " + r.header("X-Api-Key"),
          .content_type = "text/plain"};
    });
  }

  RecordingServer server_;
};

TEST_F(AuthHeadersTest, PostsTheFormPrometheusExpects) {
  ClientConfig c = config();
  c.timeout = 1500ms;
  auto client = make_client(c);
  ASSERT_TRUE(client);
  auto result = client->instant_query("rate(x[5m]) > 0", Timestamp(1714564800123ms));
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/api/v1/query");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].body, "query=rate%28x%5B5m%5D%29+%3E+0&time=1714564800.123&timeout=1.5");
  EXPECT_EQ(requests[0].header_count("Authorization"), 0u);
  EXPECT_EQ(requests[0].header_count("Expect"), 0u);
}

TEST_F(AuthHeadersTest, PathPrefixOfTheUrlIsKept) {
  server_.respond("/prometheus/api/v1/query", {.body = std::string(kEmptyVector)});
  ClientConfig c = config();
  c.url = server_.url() + "/prometheus/";
  auto client = make_client(c);
  ASSERT_TRUE(client);
  query(*client);
  EXPECT_EQ(server_.requests().at(0).path, "/prometheus/api/v1/query");
}

TEST_F(AuthHeadersTest, BearerTokenIsSentOncePerRequest) {
  ClientConfig c = config();
  c.http_config.authorization = bearer_token("s3cr3t-bearer-token");
  auto client = make_client(c);
  ASSERT_TRUE(client);
  query(*client, 3);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);  // no challenge round trips, no retries
  for (const RecordedRequest& r : requests) {
    EXPECT_EQ(r.header_count("Authorization"), 1u);
    EXPECT_EQ(r.header("Authorization"), "Bearer s3cr3t-bearer-token");
  }
}

TEST_F(AuthHeadersTest, BearerTokenFileIsReadAgainForEveryRequest) {
  TempDir dir;
  ClientConfig c = config();
  c.http_config.authorization = bearer_token_file(dir.write("token", "first-token-value\n"));
  auto client = make_client(c);
  ASSERT_TRUE(client);
  query(*client);
  dir.write("token", "rotated-token-value");
  query(*client);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer first-token-value");
  EXPECT_EQ(requests[1].header("Authorization"), "Bearer rotated-token-value");

  std::filesystem::remove(dir.file("token"));
  auto missing = client->instant_query("up", now());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().type, "credentials");
  EXPECT_NE(missing.error().message.find(dir.file("token")), std::string::npos);
  EXPECT_EQ(server_.request_count(), 2u);  // nothing sent without credentials
}

TEST_F(AuthHeadersTest, BasicAuthWithPasswordOrPasswordFile) {
  ClientConfig inline_password = config();
  inline_password.http_config.basic_auth =
      http::BasicAuth{.username = "alice", .password = http::Secret("wonderland-pass")};
  auto client = make_client(inline_password);
  ASSERT_TRUE(client);
  query(*client, 2);

  TempDir dir;
  ClientConfig from_file = config();
  from_file.http_config.basic_auth =
      http::BasicAuth{.username = "bob", .password_file = dir.write("pw", "file-pass-word\n")};
  auto file_client = make_client(from_file);
  ASSERT_TRUE(file_client);
  query(*file_client);

  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (int i : {0, 1}) {
    EXPECT_EQ(requests[i].header_count("Authorization"), 1u);
    EXPECT_EQ(requests[i].header("Authorization"),
              "Basic " + base64_encode("alice:wonderland-pass"));
  }
  EXPECT_EQ(requests[2].header("Authorization"), "Basic " + base64_encode("bob:file-pass-word"));
}

TEST_F(AuthHeadersTest, CustomHeadersAreSentOnEveryRequest) {
  ClientConfig c = config();
  c.headers = {{"X-Scope-OrgID", "tenant-1"}, {"X-Api-Key", "key-0123456789"}};
  auto client = make_client(c);
  ASSERT_TRUE(client);
  query(*client, 2);
  for (const RecordedRequest& r : server_.requests()) {
    EXPECT_EQ(r.header_count("X-Scope-OrgID"), 1u);
    EXPECT_EQ(r.header("X-Scope-OrgID"), "tenant-1");
    EXPECT_EQ(r.header("X-Api-Key"), "key-0123456789");
  }
}

TEST_F(AuthHeadersTest, NoSecretAppearsInAnErrorEvenWhenTheServerEchoesIt) {
  echo_secrets_in_errors();
  TempDir dir;
  struct Case {
    ClientConfig config;
    std::vector<std::string> secrets;
  };
  ClientConfig bearer = config();
  bearer.http_config.authorization = bearer_token("bearer-secret-1");
  bearer.headers = {{"X-Api-Key", "header-secret-2"}};
  ClientConfig basic = config();
  basic.http_config.basic_auth =
      http::BasicAuth{.username = "carol", .password = http::Secret("basic-secret-3")};
  ClientConfig basic_file = config();
  basic_file.http_config.basic_auth =
      http::BasicAuth{.username = "dave", .password_file = dir.write("pw", "file-secret-4")};
  for (const Case& c : {
           Case{bearer, {"bearer-secret-1", "header-secret-2"}},
           Case{basic, {"basic-secret-3", base64_encode("carol:basic-secret-3")}},
           Case{basic_file, {"file-secret-4", base64_encode("dave:file-secret-4")}},
       }) {
    auto client = make_client(c.config);
    ASSERT_TRUE(client);
    auto result = client->instant_query("up", now());
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().type, "http");
    EXPECT_EQ(result.error().http_status, 401);
    std::string text = result.error().to_string();
    EXPECT_NE(text.find("denied: "), std::string::npos) << text;
    for (const std::string& secret : c.secrets) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked: " << text;
    }
  }
}

TEST_F(AuthHeadersTest, NoSecretAppearsInAPrometheusErrorThatQuotesIt) {
  server_.respond_with([](const RecordedRequest& r) {
    return CannedResponse{
        .status = 400,
        .body = R"({"status":"error","errorType":"bad_data","error":"bad header )" +
                r.header("Authorization") + R"("})"};
  });
  ClientConfig c = config();
  c.http_config.authorization = bearer_token("quoted-secret-5");
  auto client = make_client(c);
  ASSERT_TRUE(client);
  auto result = client->instant_query("up", now());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "bad_data");
  EXPECT_EQ(result.error().message, "bad header Bearer ***");
}

}  // namespace
}  // namespace tocsin::query
