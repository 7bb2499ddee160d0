// HTTPS to a loopback server whose certificate names prometheus.test only
// (testdata/tls, made by generate.sh): CA file, server_name, skipping
// verification, and client certificates.
#include <gtest/gtest.h>

#include "integration/query/query_test_support.h"
#include "support/recording_server.h"

namespace tocsin::query {
namespace {

using namespace std::chrono_literals;
using test::RecordingServer;
using test::TlsServerFiles;

TlsServerFiles server_files(bool require_client_cert) {
  return {.cert_file = testdata("tls/server.pem"),
          .key_file = testdata("tls/server-key.pem"),
          .client_ca_file = require_client_cert ? testdata("tls/ca.pem") : ""};
}

ClientConfig https_config(const RecordingServer& server) {
  ClientConfig config;
  config.url = server.url();
  config.timeout = 5s;
  config.http_config.tls_config.ca_file = testdata("tls/ca.pem");
  return config;
}

class TlsTest : public ::testing::Test {
 protected:
  void serve(RecordingServer& server) {
    ASSERT_TRUE(server.listening());
    server.respond("/api/v1/query", {.body = std::string(kEmptyVector)});
  }
};

TEST_F(TlsTest, ServerNameIsUsedForVerificationAndTheHostHeaderKeepsTheUrl) {
  RecordingServer server(server_files(false));
  serve(server);
  ClientConfig config = https_config(server);
  config.http_config.tls_config.server_name = "prometheus.test";
  auto client = make_client(config);
  ASSERT_TRUE(client);
  auto result = client->instant_query("up", now());
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("Host"), "127.0.0.1:" + std::to_string(server.port()));

  auto again = client->instant_query("up", now());
  EXPECT_TRUE(again.has_value());
  EXPECT_EQ(client->connections_opened(), 1u);  // keep-alive over TLS too
}

TEST_F(TlsTest, CertificateForAnotherNameIsRefused) {
  RecordingServer server(server_files(false));
  serve(server);
  auto client = make_client(https_config(server));  // verifies 127.0.0.1 against prometheus.test
  ASSERT_TRUE(client);
  auto result = client->instant_query("up", now());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "connection");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(TlsTest, UnknownCaIsRefusedUnlessVerificationIsSkipped) {
  RecordingServer server(server_files(false));
  serve(server);
  ClientConfig config;
  config.url = server.url();
  config.timeout = 5s;
  config.http_config.tls_config.server_name = "prometheus.test";  // right name, but the system CAs
  auto client = make_client(config);
  ASSERT_TRUE(client);
  auto refused = client->instant_query("up", now());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().type, "connection");

  config.http_config.tls_config.server_name.clear();
  config.http_config.tls_config.insecure_skip_verify = true;
  auto insecure = make_client(config);
  ASSERT_TRUE(insecure);
  auto result = insecure->instant_query("up", now());
  EXPECT_TRUE(result.has_value()) << result.error().to_string();
}

TEST_F(TlsTest, ClientCertificateIsPresentedWhenTheServerRequiresOne) {
  RecordingServer server(server_files(true));
  serve(server);
  ClientConfig config = https_config(server);
  config.http_config.tls_config.server_name = "prometheus.test";
  auto anonymous = make_client(config);
  ASSERT_TRUE(anonymous);
  EXPECT_FALSE(anonymous->instant_query("up", now()).has_value());

  config.http_config.tls_config.cert_file = testdata("tls/client.pem");
  config.http_config.tls_config.key_file = testdata("tls/client-key.pem");
  auto client = make_client(config);
  ASSERT_TRUE(client);
  auto result = client->instant_query("up", now());
  EXPECT_TRUE(result.has_value()) << result.error().to_string();
  EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
}  // namespace tocsin::query
