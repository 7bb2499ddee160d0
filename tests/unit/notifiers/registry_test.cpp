// The registry builds every integration of a receiver in Alertmanager's
// order with its names, and reports every config problem at once, each
// naming the receiver and the integration at its config position.
#include <algorithm>

#include <gtest/gtest.h>

#include "config/receiver_config.h"
#include "fake_templates.h"
#include "notifiers/notifier_registry.h"

namespace tocsin::notifiers {
namespace {

using testutil::FakeTemplates;

SourcePosition at_line(int line) {
  return SourcePosition{"alertmanager.yml", line, 5};
}

config::WebhookConfig webhook(int line) {
  config::WebhookConfig c;
  c.url = config::Secret("http://127.0.0.1:1/hook");
  c.position = at_line(line);
  return c;
}

config::SlackConfig slack(int line) {
  config::SlackConfig c;
  c.api_url = config::Secret("http://127.0.0.1:1/slack");
  c.position = at_line(line);
  return c;
}

config::PagerdutyConfig pagerduty(int line) {
  config::PagerdutyConfig c;
  c.routing_key = config::Secret("key");
  c.url = "http://127.0.0.1:1/v2/enqueue";
  c.position = at_line(line);
  return c;
}

config::EmailConfig email(int line) {
  config::EmailConfig c;
  c.to = "ops@example.com";
  c.from = "tocsin@example.com";
  c.smarthost = http::HostPort{"127.0.0.1", "1"};
  c.position = at_line(line);
  return c;
}

NotifierSettings settings() {
  NotifierSettings s;
  s.templates = FakeTemplates::make();
  return s;
}

TEST(NotifierRegistry, BuildsEveryIntegrationInAlertmanagersOrder) {
  config::Receiver receiver;
  receiver.name = "team-x";
  // Declared in another order than Alertmanager builds them.
  receiver.slack_configs = {slack(1), slack(2)};
  receiver.pagerduty_configs = {pagerduty(3)};
  receiver.email_configs = {email(4)};
  receiver.webhook_configs = {webhook(5), webhook(6)};
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
                                             "slack[0]", "slack[1]"}));
  EXPECT_EQ(kinds, (std::vector<std::string>{"webhook", "webhook", "email", "pagerduty", "slack",
                                             "slack"}));
  EXPECT_EQ(indexes, (std::vector<std::size_t>{0, 1, 0, 0, 0, 1}));
}

TEST(NotifierRegistry, SendResolvedFollowsEachConfig) {
  config::Receiver receiver;
  receiver.name = "r";
  receiver.webhook_configs = {webhook(1)};
  receiver.webhook_configs[0].send_resolved = false;
  receiver.slack_configs = {slack(2)};
  receiver.slack_configs[0].send_resolved = true;
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
  receiver.webhook_configs = {webhook(10), webhook(11)};
  receiver.webhook_configs[1].http_config.oauth2 = http::OAuth2{};
  receiver.email_configs = {email(20)};
  receiver.email_configs[0].smarthost = {};
  receiver.pagerduty_configs = {pagerduty(30)};
  receiver.pagerduty_configs[0].http_config.tls_config.cert_file = "/nonexistent/cert.pem";
  receiver.slack_configs = {slack(40)};
  receiver.slack_configs[0].http_config.tls_config.ca_file = "/nonexistent/ca.pem";
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
  receiver.webhook_configs = {webhook(8)};
  auto built = build_integrations(receiver, NotifierSettings{});
  ASSERT_FALSE(built.has_value());
  ASSERT_EQ(built.error().size(), 1u);
  EXPECT_EQ(built.error()[0].to_string(),
            "alertmanager.yml:7:5: receiver \"team-x\": no notification templates to render with");
}

}  // namespace
}  // namespace tocsin::notifiers
