#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/alertmanager_config.h"
#include "notifiers/email/email_config.h"
#include "notifiers/notifier_registry.h"
#include "notifiers/pagerduty/pagerduty_config.h"

namespace tocsin::config {
namespace {

using namespace std::chrono_literals;

// Every kind of secret the format has, each with a value that must never be shown.
constexpr const char* kWithSecrets = R"(
global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: tocsin@example.com
  smtp_auth_username: mailer
  smtp_auth_password: SECRET-smtp-password
  smtp_auth_secret: SECRET-smtp-cram
  slack_api_url: https://hooks.slack.com/services/SECRET-slack
  opsgenie_api_key: SECRET-opsgenie
  http_config:
    basic_auth: {username: proxyuser, password: SECRET-basic}
route:
  receiver: critical
  group_by: ['...']
  routes:
    - receiver: budget
      match: {component: budget}
      match_re: {service: 'shannon|policy'}
      group_interval: 24h
      repeat_interval: 24h
      active_time_intervals: [office]
      continue: true
inhibit_rules:
  - source_match: {severity: critical}
    target_matchers: ['severity="warning"']
    equal: [service, component]
receivers:
  - name: critical
    pagerduty_configs:
      - routing_key: SECRET-routing
        service_key: SECRET-service
    slack_configs:
      - channel: '#alerts'
        http_config: {bearer_token: SECRET-bearer}
    webhook_configs:
      - url: https://hooks.example.com/webhook
        http_config:
          oauth2: {client_id: id, client_secret: SECRET-oauth, token_url: 'https://auth/token'}
    telegram_configs:
      - {bot_token: '123:SECRET-telegram', chat_id: -100}
  - name: budget
    email_configs:
      - to: budget@example.com
        auth_password: SECRET-email
        auth_secret: SECRET-email-cram
        headers: {subject: Budget}
time_intervals:
  - name: office
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:30'}]
        weekdays: ['monday:friday']
        days_of_month: ['1:10', '-3:-1']
        months: ['january:march']
        years: ['2024:2030']
        location: Europe/Berlin
mute_time_intervals:
  - name: never
    time_intervals: [{weekdays: []}]
)";

AlertmanagerConfig load_alertmanager_yml_text(const std::string& text) {
  auto c =
      parse_alertmanager_config(text, "/etc/tocsin/alertmanager.yml", notifiers::receiver_kinds());
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().front().to_string()) << "\n" << text;
  return c ? std::move(*c) : AlertmanagerConfig{};
}

TEST(Secret, PrintsAndSerialisesHidden) {
  Secret s("hunter2");
  EXPECT_EQ(s.reveal(), "hunter2");
  EXPECT_EQ(fmt::format("{}", s), "<secret>");
  std::ostringstream out;
  out << s;
  EXPECT_EQ(out.str(), "<secret>");
  EXPECT_EQ(nlohmann::json(s).dump(), "\"<secret>\"");
  EXPECT_EQ(fmt::format("[{}]", Secret()), "[]");
  EXPECT_EQ(::testing::PrintToString(s), "<secret>");
}

TEST(RedactedYaml, HidesEverySecret) {
  AlertmanagerConfig c = load_alertmanager_yml_text(kWithSecrets);
  std::string yaml = to_redacted_yaml(c);
  EXPECT_EQ(yaml.find("SECRET"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("smtp_auth_password: <secret>"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("routing_key: <secret>"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("url: <secret>"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("credentials: <secret>"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("client_secret: <secret>"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("bot_token: <secret>"), std::string::npos) << yaml;
  // Not secrets: shown.
  EXPECT_NE(yaml.find("smtp_auth_username: mailer"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("budget@example.com"), std::string::npos) << yaml;
  // A webhook's url is shown, as Alertmanager 0.25 shows it.
  EXPECT_NE(yaml.find("url: https://hooks.example.com/webhook"), std::string::npos) << yaml;
}

TEST(RedactedYaml, LoadsBackToTheSameConfiguration) {
  AlertmanagerConfig c = load_alertmanager_yml_text(kWithSecrets);
  std::string yaml = to_redacted_yaml(c);
  AlertmanagerConfig back = load_alertmanager_yml_text(yaml);
  EXPECT_EQ(to_redacted_yaml(back), yaml);

  EXPECT_TRUE(back.route.options.group_by_all);
  const Route& budget = back.route.routes.at(0);
  EXPECT_EQ(budget.options.receiver, "budget");
  EXPECT_EQ(budget.options.repeat_interval, 24h);
  EXPECT_TRUE(budget.continue_matching);
  EXPECT_EQ(budget.matchers.size(), 2u);
  EXPECT_EQ(budget.active_time_intervals, std::vector<std::string>{"office"});
  EXPECT_EQ(back.inhibit_rules.at(0).equal, (std::vector<std::string>{"service", "component"}));
  EXPECT_EQ(back.receivers.at(1).configs<notifiers::EmailConfig>().at(0)->headers.at("Subject"),
            "Budget");
  EXPECT_EQ(back.receivers.at(0).configs<notifiers::PagerdutyConfig>().at(0)->details.size(), 4u);
  const TimeInterval& office = back.find_time_interval("office")->time_intervals.at(0);
  EXPECT_EQ(office.times->at(0), (TimeRange{540, 1050}));
  EXPECT_EQ(office.days_of_month->at(1), (InclusiveRange{-3, -1}));
  EXPECT_EQ(office.location->name(), "Europe/Berlin");
  EXPECT_TRUE(back.find_time_interval("never")->deprecated_mute);
  EXPECT_TRUE(back.find_time_interval("never")->time_intervals.at(0).weekdays->empty());
  // Secrets come back as the "<secret>" placeholder, as in Alertmanager.
  EXPECT_EQ(back.global.smtp_auth_password.reveal(), "<secret>");
}

TEST(RedactedYaml, KeepsAnEscalation) {
  AlertmanagerConfig c = load_alertmanager_yml_text(R"(route:
  receiver: pager
  escalation:
    - {after: 15m, receiver: lead}
    - {after: 1h, receiver: manager, repeat: 30m}
receivers: [{name: pager}, {name: lead}, {name: manager}]
)");
  std::string yaml = to_redacted_yaml(c);
  EXPECT_NE(yaml.find("escalation:"), std::string::npos) << yaml;
  AlertmanagerConfig back = load_alertmanager_yml_text(yaml);
  ASSERT_EQ(back.route.escalation.size(), 2u);
  EXPECT_EQ(back.route.escalation[1].receiver, "manager");
  EXPECT_EQ(back.route.escalation[1].repeat, 30min);
  EXPECT_EQ(to_redacted_yaml(back), yaml);
}

}  // namespace
}  // namespace tocsin::config
