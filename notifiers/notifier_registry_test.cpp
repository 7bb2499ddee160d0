// The registry builds every integration of a receiver in Alertmanager's
// order with its names, and reports every config problem at once, each
// naming the receiver and the integration at its config position.
#include "notifiers/notifier_registry.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "notifiers/discord/discord_config.h"
#include "notifiers/email/email_config.h"
#include "notifiers/pagerduty/pagerduty_config.h"
#include "notifiers/slack/slack_config.h"
#include "notifiers/testing/notifications.h"
#include "notifiers/webhook/webhook_config.h"

namespace tocsin::notifiers {
namespace {

using testutil::default_templates;

SourcePosition at_line(int line) {
  return SourcePosition{"alertmanager.yml", line, 5};
}

std::shared_ptr<WebhookConfig> webhook(int line) {
  auto c = std::make_shared<WebhookConfig>();
  c->url = config::Secret("http://127.0.0.1:1/hook");
  c->position = at_line(line);
  return c;
}

std::shared_ptr<SlackConfig> slack(int line) {
  auto c = std::make_shared<SlackConfig>();
  c->api_url = config::Secret("http://127.0.0.1:1/slack");
  c->position = at_line(line);
  return c;
}

std::shared_ptr<PagerdutyConfig> pagerduty(int line) {
  auto c = std::make_shared<PagerdutyConfig>();
  c->routing_key = config::Secret("key");
  c->url = "http://127.0.0.1:1/v2/enqueue";
  c->position = at_line(line);
  return c;
}

std::shared_ptr<EmailConfig> email(int line) {
  auto c = std::make_shared<EmailConfig>();
  c->to = "ops@example.com";
  c->from = "tocsin@example.com";
  c->smarthost = http::HostPort{"127.0.0.1", "1"};
  c->position = at_line(line);
  return c;
}

std::shared_ptr<DiscordConfig> discord(int line) {
  auto c = std::make_shared<DiscordConfig>();
  c->webhook_url = config::Secret("http://127.0.0.1:1/api/webhooks/1/x");
  c->position = at_line(line);
  return c;
}

NotifierSettings settings() {
  NotifierSettings s;
  s.templates = default_templates();
  return s;
}

TEST(NotifierRegistry, BuildsEveryIntegrationInAlertmanagersOrder) {
  config::Receiver receiver;
  receiver.name = "team-x";
  // Declared in another order than Alertmanager builds them.
  receiver.integrations = {discord(7),   slack(1), webhook(5), slack(2),
                           pagerduty(3), email(4), webhook(6)};
  auto built = build_integrations(receiver, settings());
  ASSERT_TRUE(built.has_value()) << join_errors(built.error());
  std::vector<std::string> names;
  std::vector<std::string> kinds;
  std::vector<std::size_t> indexes;
  for (const Integration& i : *built) {
    names.push_back(i.name);
    kinds.emplace_back(i.notifier->kind());
    indexes.push_back(i.index);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"webhook[0]", "webhook[1]", "email[0]", "pagerduty[0]",
                                             "slack[0]", "slack[1]", "discord[0]"}));
  EXPECT_EQ(kinds, (std::vector<std::string>{"webhook", "webhook", "email", "pagerduty", "slack",
                                             "slack", "discord"}));
  EXPECT_EQ(indexes, (std::vector<std::size_t>{0, 1, 0, 0, 0, 1, 0}));
}

TEST(NotifierRegistry, SendResolvedFollowsEachConfig) {
  config::Receiver receiver;
  receiver.name = "r";
  auto hook = webhook(1);
  hook->send_resolved = false;
  auto chat = slack(2);
  chat->send_resolved = true;
  receiver.integrations = {hook, chat};
  auto built = build_integrations(receiver, settings());
  ASSERT_TRUE(built.has_value());
  ASSERT_EQ(built->size(), 2u);
  EXPECT_FALSE((*built)[0].notifier->send_resolved());
  EXPECT_TRUE((*built)[1].notifier->send_resolved());
}

TEST(NotifierRegistry, AnEmptyReceiverHasNoIntegrations) {
  config::Receiver receiver;
  receiver.name = "null";
  auto built = build_integrations(receiver, settings());
  ASSERT_TRUE(built.has_value());
  EXPECT_TRUE(built->empty());
}

TEST(NotifierRegistry, ReportsEveryProblemNotJustTheFirst) {
  config::Receiver receiver;
  receiver.name = "team-x";
  auto oauth2 = webhook(11);
  oauth2->http_config.oauth2 = http::OAuth2{};
  auto no_smarthost = email(20);
  no_smarthost->smarthost = {};
  auto no_key = pagerduty(30);
  no_key->http_config.tls_config.cert_file = "/nonexistent/cert.pem";
  auto no_ca = slack(40);
  no_ca->http_config.tls_config.ca_file = "/nonexistent/ca.pem";
  receiver.integrations = {webhook(10), oauth2, no_smarthost, no_key, no_ca};
  auto built = build_integrations(receiver, settings());
  ASSERT_FALSE(built.has_value());
  const std::vector<Error>& errors = built.error();
  ASSERT_EQ(errors.size(), 4u) << join_errors(errors);
  EXPECT_EQ(errors[0].to_string(),
            "alertmanager.yml:11:5: receiver \"team-x\": webhook[1]: "
            "http_config: oauth2 is not supported by tocsin");
  EXPECT_EQ(errors[1].to_string(),
            "alertmanager.yml:20:5: receiver \"team-x\": email[0]: email_config: no smarthost");
  EXPECT_EQ(errors[2].to_string(),
            "alertmanager.yml:30:5: receiver \"team-x\": pagerduty[0]: http_config: "
            "tls_config: client cert file specified without client key file");
  EXPECT_TRUE(errors[3].to_string().starts_with(
      "alertmanager.yml:40:5: receiver \"team-x\": slack[0]: http_config: tls_config ca_file: "))
      << errors[3].to_string();
  EXPECT_NE(errors[3].to_string().find("/nonexistent/ca.pem"), std::string::npos);

  std::string joined = join_errors(errors);
  EXPECT_EQ(std::count(joined.begin(), joined.end(), '\n'), 3);
}

TEST(NotifierRegistry, NeedsTemplates) {
  config::Receiver receiver;
  receiver.name = "team-x";
  receiver.position = at_line(7);
  receiver.integrations = {webhook(8)};
  auto built = build_integrations(receiver, NotifierSettings{});
  ASSERT_FALSE(built.has_value());
  ASSERT_EQ(built.error().size(), 1u);
  EXPECT_EQ(built.error()[0].to_string(),
            "alertmanager.yml:7:5: receiver \"team-x\": no notification templates to render with");
}

TEST(NotifierRegistry, ReceiverKindsAreEveryIntegrationInAlertmanagersOrder) {
  std::vector<std::string> keys;
  for (const config::ReceiverKind& kind : receiver_kinds()) keys.push_back(kind.key());
  // Alertmanager 0.25's order (telegram before discord); msteams last, as
  // Alertmanager 0.26 builds it (after webex).
  EXPECT_EQ(keys, (std::vector<std::string>{"webhook_configs", "email_configs", "pagerduty_configs",
                                            "slack_configs", "telegram_configs", "discord_configs",
                                            "msteams_configs"}));
}

// A section no integration registered (only a receiver made in code can
// hold one: the loader reads registered kinds only).
class CarrierPigeonConfig final : public config::IntegrationConfig {
 public:
  CarrierPigeonConfig() : IntegrationConfig(false) {}
  std::string_view kind() const override { return "carrier_pigeon"; }
  void write_redacted(config::YamlWriter&) const override {}
};

TEST(NotifierRegistry, ASectionOfAnUnregisteredKindIsAnError) {
  config::Receiver receiver;
  receiver.name = "r";
  auto pigeon = std::make_shared<CarrierPigeonConfig>();
  pigeon->position = at_line(3);
  receiver.integrations = {webhook(2), pigeon};
  auto built = build_integrations(receiver, settings());
  ASSERT_FALSE(built.has_value());
  ASSERT_EQ(built.error().size(), 1u);
  EXPECT_EQ(built.error()[0].to_string(),
            "alertmanager.yml:3:5: receiver \"r\": no integration named \"carrier_pigeon\"");
}

}  // namespace
}  // namespace tocsin::notifiers
