// Reading `discord_configs` as Alertmanager 0.25 does: the default templates,
// every field, the global http_config fallback, the errors in its words, and
// the webhook URL hidden when written back.
#include "notifiers/discord/discord_config.h"

#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

constexpr const char* kHook = "https://discord.com/api/webhooks/123/T0K3N";

TEST(DiscordConfig, DefaultsAreAlertmanagersTemplates) {
  Receiver r =
      load_receiver(std::string("    discord_configs: [{webhook_url: '") + kHook + "'}]\n");
  const DiscordConfig& d = *r.configs<DiscordConfig>().at(0);
  EXPECT_TRUE(d.send_resolved);
  EXPECT_EQ(d.webhook_url.reveal(), kHook);
  EXPECT_EQ(d.title, R"({{ template "discord.default.title" . }})");
  EXPECT_EQ(d.message, R"({{ template "discord.default.message" . }})");
  EXPECT_TRUE(d.http_config.follow_redirects);
}

TEST(DiscordConfig, EveryField) {
  Receiver r = load_receiver(R"(    discord_configs:
      - webhook_url: https://discord.com/api/webhooks/1/a
        send_resolved: false
        title: '{{ .CommonLabels.alertname }}'
        message: '{{ .CommonAnnotations.summary }}'
        http_config: {proxy_url: 'http://proxy:3128'}
      - webhook_url: '<secret>'
)");
  auto sections = r.configs<DiscordConfig>();
  ASSERT_EQ(sections.size(), 2u);
  const DiscordConfig& d = *sections[0];
  EXPECT_FALSE(d.send_resolved);
  EXPECT_EQ(d.webhook_url.reveal(), "https://discord.com/api/webhooks/1/a");
  EXPECT_EQ(d.title, "{{ .CommonLabels.alertname }}");
  EXPECT_EQ(d.message, "{{ .CommonAnnotations.summary }}");
  EXPECT_EQ(d.http_config.proxy_url, "http://proxy:3128");
  // Alertmanager's own status output, read back.
  EXPECT_EQ(sections[1]->webhook_url.reveal(), "<secret>");
}

TEST(DiscordConfig, HttpConfigFallsBackToTheGlobalOne) {
  Receiver r = load_receiver(std::string("    discord_configs: [{webhook_url: '") + kHook + "'}]\n",
                             "{http_config: {proxy_url: 'http://global-proxy:3128'}}");
  EXPECT_EQ(r.configs<DiscordConfig>().at(0)->http_config.proxy_url, "http://global-proxy:3128");
}

TEST(DiscordConfig, Errors) {
  EXPECT_EQ(problems("    discord_configs: [{title: t}]\n"),
            Problems{"5:23: no discord webhook URL provided"});
  EXPECT_EQ(problems("    discord_configs: [{webhook_url: }]\n"),
            Problems{"5:23: no discord webhook URL provided"});
  EXPECT_EQ(problems("    discord_configs: [{webhook_url: 'ftp://x'}]\n"),
            Problems{"5:37: webhook_url: unsupported scheme \"ftp\" for URL"});
  EXPECT_EQ(problems("    discord_configs: [{webhook_url: 'https://'}]\n"),
            Problems{"5:37: webhook_url: missing host for URL"});
  EXPECT_EQ(
      problems(std::string("    discord_configs: [{webhook_url: '") + kHook + "', content: c}]\n"),
      Problems{"5:83: field content not found in discord_config"});
}

TEST(DiscordConfig, WrittenBackWithTheWebhookUrlHidden) {
  auto c = config::parse_alertmanager_config(
      with_receiver(std::string("    discord_configs: [{webhook_url: '") + kHook +
                    "', title: T}]\n"),
      kConfigPath, receiver_kinds());
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  std::string yaml = config::to_redacted_yaml(*c);
  EXPECT_EQ(yaml.find("T0K3N"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("webhook_url: <secret>"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("title: T\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find(R"(message: "{{ template \"discord.default.message\" . }}")"),
            std::string::npos)
      << yaml;
  // The written file loads back to the same configuration.
  auto back = config::parse_alertmanager_config(yaml, kConfigPath, receiver_kinds());
  ASSERT_TRUE(back.has_value()) << back.error().front().to_string();
  EXPECT_EQ(config::to_redacted_yaml(*back), yaml);
  EXPECT_EQ(back->receivers.at(0).configs<DiscordConfig>().at(0)->webhook_url.reveal(), "<secret>");
}

}  // namespace
}  // namespace tocsin::notifiers
