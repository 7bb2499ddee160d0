// A receiver as config reads it, whatever its integrations: the kinds it is
// handed are read, every other integration Alertmanager knows is a load
// error, and `http_config` is read as prometheus/common reads it (through
// webhook_configs, the simplest section that has one).
#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "config/receiver.h"
#include "notifiers/testing/receivers.h"
#include "notifiers/webhook/webhook_config.h"

namespace tocsin::config {
namespace {

using notifiers::testutil::kConfigPath;
using notifiers::testutil::load_receiver;
using notifiers::testutil::problems;
using notifiers::testutil::Problems;
using notifiers::testutil::with_receiver;

TEST(Receivers, UnsupportedTypesAreLoadErrorsNeverDropped) {
  const char* types[] = {"opsgenie_configs", "victorops_configs", "pushover_configs",
                         "wechat_configs",   "sns_configs",       "webex_configs"};
  for (const char* type : types) {
    EXPECT_EQ(
        problems(std::string("    ") + type + ": [{send_resolved: true}]\n"),
        Problems{std::string("5:5: receiver \"r\": ") + type + " are not supported by tocsin"})
        << type;
  }
  // An empty list configures nothing, so nothing is dropped.
  EXPECT_TRUE(problems("    opsgenie_configs: []\n").empty());
}

TEST(Receivers, GlobalKeysOfUnsupportedReceiversStillLoad) {
  auto c = parse_alertmanager_config(
      with_receiver("", R"({opsgenie_api_key: k, opsgenie_api_url: 'https://og/',
      victorops_api_key_file: /f, victorops_api_url: 'https://vo/', wechat_api_url: 'https://wc/',
      wechat_api_secret: s, wechat_api_corp_id: c, telegram_api_url: 'https://tg', webex_api_url: 'https://wx'})"),
      kConfigPath, notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  EXPECT_EQ(c->global.opsgenie_api_url, "https://og/");
  EXPECT_EQ(c->global.victorops_api_key_file, "/f");
  EXPECT_EQ(c->global.telegram_api_url, "https://tg");
  EXPECT_EQ(
      problems("", "{opsgenie_api_key: k, opsgenie_api_key_file: f}"),
      Problems{"1:31: at most one of opsgenie_api_key & opsgenie_api_key_file must be configured"});
  EXPECT_EQ(problems("", "{victorops_api_url: 'ftp://vo'}"),
            Problems{"1:29: victorops_api_url: unsupported scheme \"ftp\" for URL"});
}

TEST(HttpConfig, AuthenticationAndTls) {
  Receiver r = load_receiver(R"(    webhook_configs:
      - url: https://hook
        http_config:
          basic_auth: {username: u, password_file: pw}
          tls_config: {ca_file: ca.pem, cert_file: /abs/c.pem, key_file: k.pem, min_version: TLS12}
      - url: https://hook
        http_config:
          authorization: {type: ' Token ', credentials_file: cred}
      - url: https://hook
        http_config:
          oauth2:
            client_id: id
            client_secret: s
            token_url: https://auth/token
            scopes: [a, b]
            endpoint_params: {audience: x}
)");
  const http::HttpClientConfig& basic = r.configs<notifiers::WebhookConfig>().at(0)->http_config;
  EXPECT_EQ(basic.basic_auth->username, "u");
  EXPECT_EQ(basic.basic_auth->password_file, "/etc/tocsin/pw");
  EXPECT_EQ(basic.tls_config.ca_file, "/etc/tocsin/ca.pem");
  EXPECT_EQ(basic.tls_config.cert_file, "/abs/c.pem");
  EXPECT_EQ(basic.tls_config.min_version, "TLS12");
  const http::HttpClientConfig& token = r.configs<notifiers::WebhookConfig>().at(1)->http_config;
  EXPECT_EQ(token.authorization->type, "Token");
  EXPECT_EQ(token.authorization->credentials_file, "/etc/tocsin/cred");
  const http::HttpClientConfig& oauth = r.configs<notifiers::WebhookConfig>().at(2)->http_config;
  EXPECT_EQ(oauth.oauth2->client_secret.reveal(), "s");
  EXPECT_EQ(oauth.oauth2->scopes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(oauth.oauth2->endpoint_params.at("audience"), "x");
}

TEST(HttpConfig, ValidationAsPrometheusCommon) {
  auto http = [](const std::string& config) {
    return problems("    webhook_configs: [{url: 'http://x', http_config: " + config + "}]\n");
  };
  EXPECT_EQ(http("{bearer_token: x, basic_auth: {username: u}}"),
            Problems{"5:54: http_config: at most one of basic_auth, oauth2, bearer_token & "
                     "bearer_token_file must be configured"});
  EXPECT_EQ(
      http("{bearer_token: x, bearer_token_file: y}"),
      Problems{
          "5:54: http_config: at most one of bearer_token & bearer_token_file must be configured"});
  EXPECT_EQ(http("{authorization: {type: Basic}}"),
            Problems{"5:54: http_config: authorization type cannot be set to \"basic\", use "
                     "\"basic_auth\" instead"});
  EXPECT_EQ(http("{authorization: {credentials: a}, bearer_token: b}"),
            Problems{"5:54: http_config: authorization is not compatible with bearer_token & "
                     "bearer_token_file"});
  EXPECT_EQ(http("{basic_auth: {password: a, password_file: b}}"),
            Problems{"5:54: http_config: at most one of basic_auth password & password_file must "
                     "be configured"});
  EXPECT_EQ(http("{oauth2: {client_secret: x, token_url: y}}"),
            Problems{"5:54: http_config: oauth2 client_id must be configured"});
  EXPECT_EQ(http("{tls_config: {min_version: TLS14}}"),
            Problems{"5:81: min_version: unknown TLS version: TLS14"});
  EXPECT_EQ(http("{tls_config: {ca: x}}"), Problems{"5:68: field ca not found in tls_config"});
}

TEST(Receivers, OnlyTheKindsTheLoaderIsHandedAreRead) {
  std::string yaml = with_receiver("    webhook_configs: [{url: 'http://x'}]\n");
  auto with_webhooks = parse_alertmanager_config(yaml, kConfigPath, notifiers::receiver_kinds());
  ASSERT_TRUE(with_webhooks.has_value());
  EXPECT_EQ(with_webhooks->receivers.at(0).integrations.at(0)->kind(), "webhook");
  auto without = parse_alertmanager_config(yaml, kConfigPath, ReceiverKinds{});
  ASSERT_FALSE(without.has_value());
  EXPECT_EQ(without.error().at(0).to_string(),
            std::string(kConfigPath) +
                ":5:5: receiver \"r\": webhook_configs are not supported by tocsin");
}

TEST(Receivers, SectionsKeepTheRegistrysOrderThenTheFilesOrder) {
  Receiver r = load_receiver(R"(    slack_configs: [{api_url: 'http://s0'}, {api_url: 'http://s1'}]
    email_configs: [{to: a, from: b, smarthost: 'h:25'}]
    webhook_configs: [{url: 'http://w0'}]
)");
  std::vector<std::string> kinds;
  std::vector<int> lines;
  for (const auto& section : r.integrations) {
    kinds.emplace_back(section->kind());
    lines.push_back(section->position.line);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"webhook", "email", "slack", "slack"}));
  EXPECT_EQ(lines, (std::vector<int>{7, 6, 5, 5}));
  EXPECT_EQ(r.configs<notifiers::WebhookConfig>().size(), 1u);
}

}  // namespace
}  // namespace tocsin::config
