// Reading `webhook_configs` as Alertmanager 0.25 does: defaults, the global
// http_config, url and url_file, and the errors in Alertmanager's words.
#include "notifiers/webhook/webhook_config.h"

#include <gtest/gtest.h>

#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

TEST(WebhookConfig, DefaultsAndFields) {
  Receiver r = load_receiver(R"(    webhook_configs:
      - url: http://127.0.0.1:5001/hook
      - url_file: secrets/hook-url
        send_resolved: false
        max_alerts: 10
        http_config: {follow_redirects: false, bearer_token: t0k3n}
)",
                             "{http_config: {enable_http2: false}}");
  ASSERT_EQ(r.configs<WebhookConfig>().size(), 2u);
  const WebhookConfig& a = *r.configs<WebhookConfig>()[0];
  EXPECT_TRUE(a.send_resolved);
  EXPECT_EQ(a.url.reveal(), "http://127.0.0.1:5001/hook");
  EXPECT_EQ(a.max_alerts, 0u);
  EXPECT_FALSE(a.http_config.enable_http2);  // the global http_config
  EXPECT_EQ(a.position.line, 6);
  const WebhookConfig& b = *r.configs<WebhookConfig>()[1];
  EXPECT_FALSE(b.send_resolved);
  EXPECT_TRUE(b.url.empty());
  EXPECT_EQ(b.url_file, "/etc/tocsin/secrets/hook-url");
  EXPECT_EQ(b.max_alerts, 10u);
  EXPECT_FALSE(b.http_config.follow_redirects);
  EXPECT_TRUE(b.http_config.enable_http2);  // its own http_config, defaulted afresh
  ASSERT_TRUE(b.http_config.authorization.has_value());
  EXPECT_EQ(b.http_config.authorization->type, "Bearer");
  EXPECT_EQ(b.http_config.authorization->credentials.reveal(), "t0k3n");
}

TEST(WebhookConfig, Errors) {
  EXPECT_EQ(problems("    webhook_configs: [{send_resolved: true}]\n"),
            Problems{"5:23: one of url or url_file must be configured"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', url_file: f}]\n"),
            Problems{"5:41: at most one of url & url_file must be configured"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'ftp://x'}]\n"),
            Problems{"5:29: url: unsupported scheme \"ftp\" for URL"});
  EXPECT_EQ(problems("    webhook_configs: [{url: '/hook'}]\n"),
            Problems{"5:29: url: unsupported scheme \"\" for URL"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http:///hook'}]\n"),
            Problems{"5:29: url: missing host for URL"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', max_alerts: -1}]\n"),
            Problems{"5:53: max_alerts: cannot unmarshal \"-1\" into a non-negative integer"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', send_resolved: 'true'}]\n"),
            Problems{"5:56: send_resolved: cannot unmarshal \"true\" into bool"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', timeout: 5s}]\n"),
            Problems{"5:41: field timeout not found in webhook_config"});
}

TEST(WebhookConfig, Yaml11BooleansAreAccepted) {
  Receiver r = load_receiver("    webhook_configs: [{url: 'http://x', send_resolved: no}]\n");
  EXPECT_FALSE(r.configs<WebhookConfig>().at(0)->send_resolved);
}

}  // namespace
}  // namespace tocsin::notifiers
