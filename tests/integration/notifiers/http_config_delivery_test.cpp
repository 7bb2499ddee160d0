// An integration's http_config on the wire, as prometheus/common's client
// applies it for Alertmanager: basic_auth (and its password_file),
// authorization (and credentials_file), proxy_url, tls_config (ca_file,
// server_name, insecure_skip_verify, client certificates) and
// follow_redirects. The webhook integration carries them here; every HTTP
// integration shares the same client.
#include <fstream>
#include <iterator>
#include <optional>

#include <gtest/gtest.h>

#include "delivery_test_support.h"
#include "http/base64.h"
#include "notifiers/webhook/webhook_config.h"
#include "notifiers/webhook/webhook_notifier.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace tocsin::notifiers::testing {
namespace {

using namespace std::chrono_literals;
using test::CannedResponse;
using test::RecordingServer;
using test::TlsServerFiles;
using testutil::firing_alert;

std::unique_ptr<notify::Notifier> webhook(const std::string& url,
                                          const http::HttpClientConfig& http) {
  WebhookConfig c;
  c.url = config::Secret(url);
  c.http_config = http;
  auto notifier = make_webhook_notifier(c, test_settings());
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

std::string basic(std::string_view user_password) {
  return "Basic " + http::base64_encode(user_password);
}

TEST(HttpConfigDelivery, BasicAuthSendsTheCredentials) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  http::HttpClientConfig http;
  http.basic_auth = http::BasicAuth{"alice", config::Secret("pa55:word"), ""};
  auto notifier = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].header("Authorization"), basic("alice:pa55:word"));
  EXPECT_EQ(server.requests()[0].header("Authorization"), "Basic YWxpY2U6cGE1NTp3b3Jk");
}

TEST(HttpConfigDelivery, PasswordFileIsTrimmedAndReadForEveryRequest) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  test::TempDir dir("http-auth");
  http::HttpClientConfig http;
  http.basic_auth = http::BasicAuth{"alice", config::Secret(), dir.write("password", "first\n")};
  auto notifier = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  dir.write("password", " second ");
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Authorization"), basic("alice:first"));
  EXPECT_EQ(requests[1].header("Authorization"), basic("alice:second"));
}

TEST(HttpConfigDelivery, AuthorizationCredentialsAndTheirFile) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  test::TempDir dir("http-auth");
  http::HttpClientConfig bearer;
  bearer.authorization = http::Authorization{"Bearer", config::Secret("t0ken"), ""};
  http::HttpClientConfig custom;
  custom.authorization =
      http::Authorization{"Token", config::Secret(), dir.write("token", "from-file\n")};
  auto with_bearer = webhook(server.url() + "/bearer", bearer);
  auto with_custom = webhook(server.url() + "/custom", custom);
  ASSERT_TRUE(with_bearer && with_custom);
  ASSERT_TRUE(send(*with_bearer, {firing_alert("a")}));
  ASSERT_TRUE(send(*with_custom, {firing_alert("a")}));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer t0ken");
  EXPECT_EQ(requests[1].header("Authorization"), "Token from-file");
  EXPECT_EQ(requests[1].header_count("Authorization"), 1u);
}

TEST(HttpConfigDelivery, AnUnreadableCredentialsFileFailsBeforeSending) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  http::HttpClientConfig http;
  http.authorization = http::Authorization{"Bearer", config::Secret(), "/nonexistent/tocsin/token"};
  auto notifier = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);  // a failed round trip, as in Alertmanager
  EXPECT_NE(sent.error().message.find("/nonexistent/tocsin/token"), std::string::npos)
      << sent.error().message;
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpConfigDelivery, ProxyUrlCarriesTheRequestAndItsCredentials) {
  RecordingServer proxy;
  ASSERT_TRUE(proxy.listening());
  http::HttpClientConfig http;
  http.proxy_url = "http://proxyuser:pr0xy@127.0.0.1:" + std::to_string(proxy.port());
  http.authorization = http::Authorization{"Bearer", config::Secret("t0ken"), ""};
  // webhook.test is never resolved: only the proxy is contacted.
  auto notifier = webhook("http://webhook.test:8080/hook?x=1", http);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));

  auto requests = proxy.requests();
  ASSERT_EQ(requests.size(), 1u);
  const test::RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "http://webhook.test:8080/hook?x=1");  // absolute-form, for a proxy
  EXPECT_EQ(r.header("Host"), "webhook.test:8080");
  EXPECT_EQ(r.header("Proxy-Authorization"), basic("proxyuser:pr0xy"));
  EXPECT_EQ(r.header("Authorization"), "Bearer t0ken");
  EXPECT_EQ(json_body(r.body)["version"], "4");
}

TEST(HttpConfigDelivery, AnUnreachableProxyIsRetryableAndHidesItsPassword) {
  int port = test::free_port();
  ASSERT_GT(port, 0);
  http::HttpClientConfig http;
  http.proxy_url = "http://proxyuser:pr0xy-s3cr3t@127.0.0.1:" + std::to_string(port);
  auto notifier = webhook("http://webhook.test/hook", http);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(sent.error().message.find("s3cr3t"), std::string::npos) << sent.error().message;
}

TlsServerFiles server_files(bool require_client_cert = false) {
  return {.cert_file = tls_file("server.pem"),
          .key_file = tls_file("server-key.pem"),
          .client_ca_file = require_client_cert ? tls_file("ca.pem") : ""};
}

TEST(HttpConfigDelivery, CaFileAndServerNameVerifyTheReceiver) {
  RecordingServer server(server_files());
  ASSERT_TRUE(server.listening());
  http::HttpClientConfig http;
  http.tls_config.ca_file = tls_file("ca.pem");
  http.tls_config.server_name = std::string(kCertifiedName);
  auto notifier = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  ASSERT_EQ(server.request_count(), 1u);
  // The connection went to the URL's host, and the Host header kept it.
  EXPECT_EQ(server.requests()[0].header("Host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(HttpConfigDelivery, ACertificateForAnotherNameIsRefused) {
  RecordingServer server(server_files());
  ASSERT_TRUE(server.listening());
  http::HttpClientConfig http;
  http.tls_config.ca_file = tls_file("ca.pem");  // but 127.0.0.1 is not prometheus.test
  auto notifier = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpConfigDelivery, AnUnknownCaIsRefusedUnlessVerificationIsSkipped) {
  RecordingServer server(server_files());
  ASSERT_TRUE(server.listening());
  http::HttpClientConfig verify;
  verify.tls_config.server_name = std::string(kCertifiedName);  // the right name, the system CAs
  auto verifying = webhook(server.url() + "/hook", verify);
  ASSERT_TRUE(verifying);
  auto refused = send(*verifying, {firing_alert("a")});
  ASSERT_FALSE(refused.has_value());
  EXPECT_TRUE(refused.error().retryable);
  EXPECT_EQ(server.request_count(), 0u);

  http::HttpClientConfig skip;
  skip.tls_config.insecure_skip_verify = true;
  auto skipping = webhook(server.url() + "/hook", skip);
  ASSERT_TRUE(skipping);
  auto sent = send(*skipping, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpConfigDelivery, AClientCertificateIsPresentedWhenConfigured) {
  RecordingServer server(server_files(/*require_client_cert=*/true));
  ASSERT_TRUE(server.listening());
  http::HttpClientConfig without;
  without.tls_config.ca_file = tls_file("ca.pem");
  without.tls_config.server_name = std::string(kCertifiedName);
  auto anonymous = webhook(server.url() + "/hook", without);
  ASSERT_TRUE(anonymous);
  auto refused = send(*anonymous, {firing_alert("a")});
  ASSERT_FALSE(refused.has_value());
  EXPECT_TRUE(refused.error().retryable);
  EXPECT_EQ(server.request_count(), 0u);

  http::HttpClientConfig with = without;
  with.tls_config.cert_file = tls_file("client.pem");
  with.tls_config.key_file = tls_file("client-key.pem");
  auto identified = webhook(server.url() + "/hook", with);
  ASSERT_TRUE(identified);
  auto sent = send(*identified, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpConfigDelivery, RedirectsAreFollowedUnlessFollowRedirectsIsOff) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  // 307 keeps the method and the body, as Go's client and libcurl do.
  server.respond("/old", {.status = 307, .headers = {{"Location", "/new"}}});
  server.respond("/new", {.status = 200});
  auto following = webhook(server.url() + "/old", http::HttpClientConfig{});
  ASSERT_TRUE(following);
  ASSERT_TRUE(send(*following, {firing_alert("a")}));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].path, "/new");
  EXPECT_EQ(json_body(requests[1].body)["version"], "4");

  server.clear();
  http::HttpClientConfig no_redirects;
  no_redirects.follow_redirects = false;
  auto staying = webhook(server.url() + "/old", no_redirects);
  ASSERT_TRUE(staying);
  auto sent = send(*staying, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_EQ(sent.error().message, "unexpected status code 307");
  EXPECT_EQ(server.request_count(), 1u);
}

// A TLS receiver that records what each connection's ALPN offer settled on
// (alpn_server.py): "h2" if the client offered HTTP/2, else "http/1.1".
class AlpnServer {
 public:
  AlpnServer() {
    auto started = test::Process::start(
        {.argv = {"/usr/bin/python3", TOCSIN_ALPN_SERVER_SCRIPT, "--cert", tls_file("server.pem"),
                  "--key", tls_file("server-key.pem"), "--ready", dir_.file("ready"), "--log",
                  dir_.file("protocols")}});
    if (!started) {
      ADD_FAILURE() << started.error().message();
      return;
    }
    process_.emplace(std::move(*started));
    if (!test::wait_until([&] { return !read(dir_.file("ready")).empty(); }, 10s)) {
      ADD_FAILURE() << "alpn_server.py did not start: " << process_->stderr_text();
    }
  }
  std::string url() const { return "https://127.0.0.1:" + read(dir_.file("ready")); }
  // One line per connection so far.
  std::string protocols() const { return read(dir_.file("protocols")); }

 private:
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  test::TempDir dir_{"alpn"};
  std::optional<test::Process> process_;
};

// prometheus/common offers HTTP/2 in the TLS handshake unless enable_http2
// is false (it is true by default), as Go's transport does.
TEST(HttpConfigDelivery, EnableHttp2DecidesWhetherTlsOffersHttp2) {
  AlpnServer server;
  http::HttpClientConfig http;
  http.tls_config.ca_file = tls_file("ca.pem");
  http.tls_config.server_name = std::string(kCertifiedName);
  ASSERT_TRUE(http.enable_http2);  // the default

  http.enable_http2 = false;
  auto http1 = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(http1);
  auto sent = send(*http1, {firing_alert("a")});
  EXPECT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(server.protocols(), "http/1.1\n");

  http.enable_http2 = true;
  auto http2 = webhook(server.url() + "/hook", http);
  ASSERT_TRUE(http2);
  (void)send(*http2, {firing_alert("a")});  // the server speaks no HTTP/2 and hangs up
  EXPECT_EQ(server.protocols(), "http/1.1\nh2\n");
}

}  // namespace
}  // namespace tocsin::notifiers::testing
