// The same receiver configuration read by a real Alertmanager 0.25 and by
// tocsin, the same alerts: what reaches the webhook, Slack, PagerDuty and
// Discord and Telegram endpoints must be the same requests (method, path,
// bytes). The webhook, Slack, PagerDuty and Discord fields are plain text
// in the file, so their bodies depend on the integrations alone (the
// notification templates are someone else's to prove); Telegram's messages
// are small templates, since the parse mode decides how their values are
// escaped.
#include <chrono>
#include <map>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/alertmanager_config.h"
#include "delivery_test_support.h"
#include "notifiers/notifier_registry.h"
#include "smtp_test_server.h"
#include "support/alertmanager_server.h"
#include "support/http.h"
#include "support/recording_server.h"
#include "support/wait.h"
#include "template/notification_templates.h"

namespace tocsin::notifiers::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::string_view kReceiver = "team-x.pager";
constexpr std::string_view kExternalUrl = "http://am.example.test:9093";

// Alertmanager holds a new group for group_wait, but flushes it at once when
// an alert's startsAt + group_wait has passed, which may be before it has
// taken the rest of the same POST: with alerts that start at the next
// second and a group_wait longer than a slow POST, its first notification
// holds both.
constexpr std::string_view kGroupWait = "3s";

// The bot token, in the path of every sendMessage request.
constexpr std::string_view kBotToken = "123456:ABC-bot_token";

// What Telegram answers a sendMessage: telebot counts the message sent only
// with "ok" true and a Message (Alertmanager logs its chat id).
constexpr std::string_view kTelegramOk =
    R"({"ok":true,"result":{"message_id":1,"date":1714564200,"chat":{"id":42,"type":"group"}}})";

// The sendMessage path of a telegram_config whose api_url is <sink>/<prefix>/<name>.
std::string telegram_endpoint(std::string_view name) {
  return fmt::format("{}/bot{}/sendMessage", name, kBotToken);
}

// One alertmanager.yml for both; `prefix` keeps their deliveries apart on
// the one recording server. Strings exercise Go's JSON escaping.
std::string alertmanager_yml(const std::string& sink, std::string_view prefix) {
  return fmt::format(R"(route:
  receiver: {receiver}
  group_by: [alertname]
  group_wait: {group_wait}
  group_interval: 1h
  repeat_interval: 4h
receivers:
  - name: {receiver}
    webhook_configs:
      - url: {sink}/{prefix}/hook
    slack_configs:
      - api_url: {sink}/{prefix}/slack
        channel: '#alerts'
        username: 'tocsin & co <bot>'
        icon_emoji: ':fire:'
        icon_url: ''
        link_names: true
        color: '#ff0000'
        title: 'Disk <full> & "quoted" — ünïcode'
        title_link: 'https://example.test/a?b=1&c=2'
        pretext: ''
        text: "multi\nline\ttab"
        fallback: 'fallback'
        callback_id: ''
        footer: 'foot'
        short_fields: true
        fields:
          - {{title: Severity, value: critical}}
          - {{title: Region, value: eu-west, short: false}}
        actions:
          - {{type: button, text: Runbook, url: 'https://rb.example.test/x', style: primary}}
          - type: button
            text: Silence
            name: silence
            value: HighLatency
            confirm: {{text: 'Sure?', ok_text: 'Yes'}}
        mrkdwn_in: [text, pretext]
    pagerduty_configs:
      - routing_key: 0123456789abcdef0123456789abcdef
        url: {sink}/{prefix}/pd
        client: 'tocsin client'
        client_url: 'https://tocsin.example.test/?a=1&b=2'
        description: 'p99 <above> 1s & rising'
        severity: critical
        class: latency
        component: api
        group: frontend
        source: prometheus
        details:
          firing: 'a:9090 b:9090'
          resolved: ''
          num_firing: '2'
          num_resolved: '0'
          runbook: 'https://rb.example.test/?x=<y>'
        images:
          - {{src: 'https://img.example.test/a.png', alt: graph, href: 'https://grafana.example.test/'}}
          - {{src: '', alt: 'no source: left out'}}
        links:
          - {{href: 'https://links.example.test/', text: dashboard}}
    discord_configs:
      - webhook_url: {sink}/{prefix}/discord
        title: '{long_title} <&> "quoted" — ünïcode'
        message: "{long_message}\n<b>bold</b> & api\ttab \u2028"
    telegram_configs:
      - api_url: {sink}/{prefix}/tg-html
        bot_token: '{token}'
        chat_id: -1001234567890
        disable_notifications: true
        message: '<b>{{{{ .CommonLabels.alertname }}}}</b> {{{{ .CommonAnnotations.summary }}}} &
          {{{{ range .Alerts }}}}<a href="{{{{ .GeneratorURL }}}}">{{{{ .Labels.instance }}}}</a>
          {{{{ .Annotations.description }}}} {{{{ end }}}}'
      - api_url: {sink}/{prefix}/tg-md
        bot_token: '{token}'
        chat_id: 42
        parse_mode: MarkdownV2
        message: "*{{{{ .Status }}}}* {{{{ .CommonAnnotations.summary }}}} & <x>\n{{{{ .GroupLabels.alertname }}}}"
)",
                     fmt::arg("receiver", kReceiver), fmt::arg("sink", sink),
                     fmt::arg("prefix", prefix), fmt::arg("group_wait", kGroupWait),
                     fmt::arg("token", kBotToken),
                     // Beyond Discord's limits (256 and 4096 characters), which
                     // Alertmanager 0.25 does not cut to.
                     fmt::arg("long_title", std::string(300, 't')),
                     fmt::arg("long_message", std::string(5000, 'm')));
}

// "2024-05-01T11:50:01": the second after now, when the alerts start.
std::string next_second() {
  auto next = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
              std::chrono::seconds(1);
  return fmt::format("{:%FT%T}", next);
}

json alerts_json(const std::string& start) {
  json generator = "http://prometheus.example.test/graph?g0.expr=rate(x[5m])&g0.tab=1";
  return json::array(
      {{{"labels", {{"alertname", "HighLatency"}, {"instance", "b:9090"}, {"job", "api"}}},
        {"annotations", {{"summary", "p99 <above> 1s"}, {"runbook", "https://rb/?a=1&b=2"}}},
        {"startsAt", start + ".123Z"},
        {"generatorURL", generator}},
       {{"labels", {{"alertname", "HighLatency"}, {"instance", "a:9090"}, {"job", "api"}}},
        {"annotations", {{"summary", "p99 <above> 1s"}, {"description", "ünïcode \u2028"}}},
        {"startsAt", start + "Z"},
        {"generatorURL", generator}}});
}

// The alert Alertmanager sent, as tocsin's pipeline would hand it on.
notify::Alert from_json(const json& a) {
  notify::Alert alert;
  std::map<std::string, std::string> labels = a["labels"];
  std::map<std::string, std::string> annotations = a["annotations"];
  alert.labels = Labels::from_map(labels);
  alert.annotations = Labels::from_map(annotations);
  alert.starts_at = testutil::at(a["startsAt"].get<std::string>());
  alert.generator_url = a["generatorURL"];
  return alert;
}

// The body a path received, or "" (failing the test) if none or several.
std::string body_at(const test::RecordingServer& sink, const std::string& path) {
  std::vector<std::string> bodies;
  for (const test::RecordedRequest& r : sink.requests()) {
    if (r.path == path) bodies.push_back(r.body);
  }
  EXPECT_EQ(bodies.size(), 1u) << path;
  return bodies.size() == 1 ? bodies[0] : "";
}

// Alertmanager and tocsin, each configured by yml(sink, its prefix), notify
// the same alerts: each of the receiver's `endpoints` (paths under the
// prefix, one integration each) must get the same request from both.
void expect_alertmanagers_bytes(std::string (*yml)(const std::string&, std::string_view),
                                const std::vector<std::string>& endpoints) {
  test::RecordingServer sink;
  ASSERT_TRUE(sink.listening());
  for (const std::string& endpoint : endpoints) {
    if (!endpoint.ends_with("/sendMessage")) continue;
    for (std::string_view prefix : {"am", "tocsin"}) {
      sink.respond(fmt::format("/{}/{}", prefix, endpoint), {.body = std::string(kTelegramOk)});
    }
  }
  test::AlertmanagerServer alertmanager(yml(sink.url(), "am"), std::string(kExternalUrl));
  Status started = alertmanager.start();
  ASSERT_TRUE(started) << started.error().message();
  const std::string start = next_second();
  test::HttpResponse posted =
      test::http_post(alertmanager.url() + "/api/v2/alerts", alerts_json(start).dump());
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_TRUE(test::wait_until([&] { return sink.request_count() >= endpoints.size(); }, 60s))
      << alertmanager.log();

  // What Alertmanager grouped, in its order, as tocsin's dispatcher would.
  json am_webhook = json_body(body_at(sink, "/am/hook"));
  ASSERT_EQ(am_webhook["alerts"].size(), 2u) << am_webhook.dump();
  std::vector<notify::Alert> alerts;
  for (const json& sent : am_webhook["alerts"]) {
    for (const json& a : alerts_json(start)) {
      if (a["labels"] == sent["labels"]) alerts.push_back(from_json(a));
    }
  }
  ASSERT_EQ(alerts.size(), 2u);
  notify::Context context;
  context.receiver = std::string(kReceiver);
  context.group_key = am_webhook["groupKey"];
  context.group_labels = Labels{{"alertname", "HighLatency"}};
  context.now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  context.external_url = std::string(kExternalUrl);
  EXPECT_EQ(context.group_key, R"({}:{alertname="HighLatency"})");

  auto config = config::parse_alertmanager_config(yml(sink.url(), "tocsin"), "alertmanager.yml",
                                                  notifiers::receiver_kinds());
  ASSERT_TRUE(config.has_value()) << join_errors(config.error());
  const config::Receiver* receiver = config->find_receiver(kReceiver);
  ASSERT_NE(receiver, nullptr);
  NotifierSettings settings = test_settings();
  auto templates = tmpl::NotificationTemplates::load({}, std::string(kExternalUrl));
  ASSERT_TRUE(templates.has_value()) << templates.error().to_string();
  settings.templates = *templates;
  auto integrations = build_integrations(*receiver, settings);
  ASSERT_TRUE(integrations.has_value()) << join_errors(integrations.error());
  ASSERT_EQ(integrations->size(), endpoints.size());
  for (const Integration& integration : *integrations) {
    auto sent = integration.notifier->notify(context, alerts);
    ASSERT_TRUE(sent.has_value()) << integration.name << ": " << sent.error().message;
  }

  for (const std::string& endpoint : endpoints) {
    std::string theirs = body_at(sink, fmt::format("/am/{}", endpoint));
    std::string ours = body_at(sink, fmt::format("/tocsin/{}", endpoint));
    EXPECT_FALSE(theirs.empty()) << endpoint;
    EXPECT_EQ(ours, theirs) << endpoint;
  }
  for (const test::RecordedRequest& r : sink.requests()) {
    EXPECT_EQ(r.method, "POST") << r.path;
    EXPECT_EQ(r.header("Content-Type"), "application/json") << r.path;
  }
}

TEST(AlertmanagerPayloads, WebhookSlackPagerdutyDiscordAndTelegramBodiesAreAlertmanagersBytes) {
  expect_alertmanagers_bytes(
      alertmanager_yml,
      {"hook", "slack", "pd", "discord", telegram_endpoint("tg-html"), telegram_endpoint("tg-md")});
}

// Every templated field left at its default: Alertmanager's default
// templates, rendered by tocsin's engine, give Alertmanager's bytes.
std::string default_templates_yml(const std::string& sink, std::string_view prefix) {
  return fmt::format(R"(route:
  receiver: {receiver}
  group_by: [alertname]
  group_wait: {group_wait}
  group_interval: 1h
  repeat_interval: 4h
receivers:
  - name: {receiver}
    webhook_configs:
      - url: {sink}/{prefix}/hook
    slack_configs:
      - api_url: {sink}/{prefix}/slack
        channel: '#alerts'
    pagerduty_configs:
      - routing_key: 0123456789abcdef0123456789abcdef
        url: {sink}/{prefix}/pd
    discord_configs:
      - webhook_url: {sink}/{prefix}/discord
    telegram_configs:
      - api_url: {sink}/{prefix}/tg
        bot_token: '{token}'
        chat_id: 42
)",
                     fmt::arg("receiver", kReceiver), fmt::arg("sink", sink),
                     fmt::arg("prefix", prefix), fmt::arg("group_wait", kGroupWait),
                     fmt::arg("token", kBotToken));
}

TEST(AlertmanagerPayloads, DefaultTemplatesGiveAlertmanagersBytes) {
  expect_alertmanagers_bytes(default_templates_yml,
                             {"hook", "slack", "pd", "discord", telegram_endpoint("tg")});
}

std::string email_yml(const http::HostPort& smarthost) {
  return fmt::format(R"(route:
  receiver: mail
  group_by: [alertname]
  group_wait: {group_wait}
receivers:
  - name: mail
    email_configs:
      - to: 'Ops Team <ops@example.com>, oncall@example.com'
        from: 'tocsin <alerts@tocsin.test>'
        smarthost: {smarthost}
        require_tls: false
        headers:
          Subject: '[FIRING:2] Disk füll — a subject long enough to need more than one encoded word'
          X-Severity: critical
        text: "line one\nline = two, trailing space \n.dot line\n{long}\ncafé ☃"
        html: '<p>{long} &amp; café</p>'
)",
                     fmt::arg("smarthost", smarthost.to_string()),
                     fmt::arg("group_wait", kGroupWait), fmt::arg("long", std::string(100, 'x')));
}

// A message as Python read it, less what differs between any two sends
// (Message-Id, Date, the boundary) and the order of the headers, which
// Alertmanager takes from a Go map.
struct ComparableMail {
  std::multimap<std::string, std::string> headers;  // decoded
  std::multimap<std::string, std::string> raw_headers;
  std::string raw_body;  // every byte after the headers, the boundary replaced
  json parts;
};

ComparableMail comparable(const json& message) {
  ComparableMail out;
  for (const json& h : message["parsed"]["headers"]) {
    std::string name = h[0];
    if (name != "Message-Id" && name != "Date" && name != "Content-Type") {
      out.headers.emplace(name, h[1].get<std::string>());
    }
  }
  std::string raw = message["raw"];
  std::string boundary = message["parsed"]["boundary"];
  std::size_t end = raw.find("\r\n\r\n");
  EXPECT_NE(end, std::string::npos);
  for (std::size_t pos = 0; pos < end;) {
    std::size_t eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    pos = eol + 2;
    if (!line.starts_with("Message-Id: ") && !line.starts_with("Date: ")) {
      std::size_t colon = line.find(": ");
      out.raw_headers.emplace(line.substr(0, colon), line.substr(colon + 2));
    }
  }
  out.raw_body = raw.substr(end);
  for (std::size_t at = out.raw_body.find(boundary); at != std::string::npos;
       at = out.raw_body.find(boundary, at)) {
    out.raw_body.replace(at, boundary.size(), "BOUNDARY");
  }
  for (auto& [name, value] : out.raw_headers) {
    if (auto at = value.find(boundary); at != std::string::npos) {
      value.replace(at, boundary.size(), "BOUNDARY");
    }
  }
  out.parts = message["parsed"]["parts"];
  return out;
}

TEST(AlertmanagerPayloads, EmailIsTheMimeMessageAlertmanagerWrites) {
  auto smtp = SmtpTestServer::start({});
  ASSERT_TRUE(smtp.has_value()) << smtp.error().to_string();
  SmtpTestServer& server = **smtp;
  test::AlertmanagerServer alertmanager(email_yml(server.smarthost()), std::string(kExternalUrl));
  Status started = alertmanager.start();
  ASSERT_TRUE(started) << started.error().message();
  const std::string start = next_second();
  test::HttpResponse posted =
      test::http_post(alertmanager.url() + "/api/v2/alerts", alerts_json(start).dump());
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_TRUE(server.wait_for_messages(1, 60s)) << alertmanager.log() << server.log();

  auto config = config::parse_alertmanager_config(email_yml(server.smarthost()), "am.yml",
                                                  notifiers::receiver_kinds());
  ASSERT_TRUE(config.has_value()) << join_errors(config.error());
  auto integrations = build_integrations(*config->find_receiver("mail"), test_settings());
  ASSERT_TRUE(integrations.has_value()) << join_errors(integrations.error());
  ASSERT_EQ(integrations->size(), 1u);
  notify::Context context;
  context.receiver = "mail";
  context.group_key = R"({}:{alertname="HighLatency"})";
  context.group_labels = Labels{{"alertname", "HighLatency"}};
  context.now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  context.external_url = std::string(kExternalUrl);
  std::vector<notify::Alert> alerts;
  for (const json& a : alerts_json(start)) alerts.push_back(from_json(a));
  auto sent = (*integrations)[0].notifier->notify(context, alerts);
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  ASSERT_TRUE(server.wait_for_messages(2, kGenerous));

  std::vector<json> messages = server.messages();
  const json& theirs = messages[0];
  const json& ours = messages[1];
  EXPECT_EQ(ours["mail_from"], theirs["mail_from"]);
  EXPECT_EQ(ours["rcpt_tos"], theirs["rcpt_tos"]);
  EXPECT_EQ(ours["helo"], theirs["helo"]);
  ComparableMail a = comparable(theirs);
  ComparableMail b = comparable(ours);
  EXPECT_EQ(b.headers, a.headers);
  EXPECT_EQ(b.raw_headers, a.raw_headers);
  EXPECT_EQ(b.parts, a.parts);
  EXPECT_EQ(b.raw_body, a.raw_body);
  EXPECT_EQ(a.parts.size(), 2u) << theirs.dump();
  EXPECT_EQ(a.headers.count("Subject"), 1u);
}

}  // namespace
}  // namespace tocsin::notifiers::testing
