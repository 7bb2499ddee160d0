// Reading `slack_configs` as Alertmanager 0.25 does: the default templates,
// every field, the global API URL fallback, and the errors in its words.
#include "notifiers/slack/slack_config.h"

#include <gtest/gtest.h>

#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

TEST(SlackConfig, DefaultsAreAlertmanagersTemplates) {
  Receiver r = load_receiver("    slack_configs: [{channel: '#alerts'}]\n",
                             "{slack_api_url: 'https://hooks.slack.com/services/T0/B0/XYZ'}");
  const SlackConfig& s = *r.configs<SlackConfig>().at(0);
  EXPECT_FALSE(s.send_resolved);
  EXPECT_EQ(s.api_url.reveal(), "https://hooks.slack.com/services/T0/B0/XYZ");
  EXPECT_EQ(s.channel, "#alerts");
  EXPECT_EQ(s.title, R"({{ template "slack.default.title" . }})");
  EXPECT_EQ(s.username, R"({{ template "slack.default.username" . }})");
  EXPECT_EQ(s.color, R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})");
  EXPECT_EQ(s.title_link, R"({{ template "slack.default.titlelink" . }})");
  EXPECT_EQ(s.pretext, R"({{ template "slack.default.pretext" . }})");
  EXPECT_EQ(s.text, R"({{ template "slack.default.text" . }})");
  EXPECT_EQ(s.footer, R"({{ template "slack.default.footer" . }})");
  EXPECT_EQ(s.fallback, R"({{ template "slack.default.fallback" . }})");
  EXPECT_EQ(s.callback_id, R"({{ template "slack.default.callbackid" . }})");
  EXPECT_EQ(s.icon_emoji, R"({{ template "slack.default.iconemoji" . }})");
  EXPECT_EQ(s.icon_url, R"({{ template "slack.default.iconurl" . }})");
  EXPECT_TRUE(s.image_url.empty());
  EXPECT_FALSE(s.short_fields);
  EXPECT_FALSE(s.link_names);
}

TEST(SlackConfig, EveryField) {
  Receiver r = load_receiver(R"(    slack_configs:
      - api_url: https://hooks.slack.com/services/T1/B1/abc
        send_resolved: true
        channel: '#ops'
        username: tocsin
        color: warning
        title: T
        title_link: https://grafana/
        pretext: P
        text: X
        fields:
          - {title: Service, value: '{{ .CommonLabels.service }}', short: true}
          - {title: Runbook, value: 'https://runbooks/'}
        short_fields: true
        footer: F
        fallback: FB
        callback_id: CB
        icon_emoji: ':fire:'
        icon_url: https://icons/x.png
        image_url: https://img/x.png
        thumb_url: https://img/t.png
        link_names: true
        mrkdwn_in: [pretext, text]
        actions:
          - {type: button, text: Runbook, url: 'https://runbooks/', name: ignored, value: ignored,
             style: primary, confirm: {text: ignored}}
          - type: button
            text: Ack
            name: ack
            value: '1'
            confirm: {text: 'Sure?', title: Ack, ok_text: 'Yes', dismiss_text: 'No'}
        http_config: {proxy_url: 'http://proxy:3128'}
)");
  const SlackConfig& s = *r.configs<SlackConfig>().at(0);
  EXPECT_TRUE(s.send_resolved);
  EXPECT_EQ(s.api_url.reveal(), "https://hooks.slack.com/services/T1/B1/abc");
  EXPECT_EQ(s.username, "tocsin");
  EXPECT_EQ(s.color, "warning");
  EXPECT_EQ(s.title_link, "https://grafana/");
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[0].value, "{{ .CommonLabels.service }}");
  EXPECT_EQ(s.fields[0].is_short, true);
  EXPECT_FALSE(s.fields[1].is_short.has_value());
  EXPECT_TRUE(s.short_fields);
  EXPECT_EQ(s.footer, "F");
  EXPECT_EQ(s.fallback, "FB");
  EXPECT_EQ(s.callback_id, "CB");
  EXPECT_EQ(s.icon_emoji, ":fire:");
  EXPECT_EQ(s.icon_url, "https://icons/x.png");
  EXPECT_EQ(s.image_url, "https://img/x.png");
  EXPECT_EQ(s.thumb_url, "https://img/t.png");
  EXPECT_TRUE(s.link_names);
  EXPECT_EQ(s.mrkdwn_in, (std::vector<std::string>{"pretext", "text"}));
  ASSERT_EQ(s.actions.size(), 2u);
  // A link button drops the message-action fields, as Alertmanager does.
  EXPECT_EQ(s.actions[0].url, "https://runbooks/");
  EXPECT_EQ(s.actions[0].style, "primary");
  EXPECT_TRUE(s.actions[0].name.empty());
  EXPECT_FALSE(s.actions[0].confirm.has_value());
  EXPECT_EQ(s.actions[1].name, "ack");
  EXPECT_EQ(s.actions[1].value, "1");
  ASSERT_TRUE(s.actions[1].confirm.has_value());
  EXPECT_EQ(s.actions[1].confirm->ok_text, "Yes");
  EXPECT_EQ(s.actions[1].confirm->dismiss_text, "No");
  EXPECT_EQ(s.http_config.proxy_url, "http://proxy:3128");
}

TEST(SlackConfig, ApiUrlFallsBackToTheGlobalOneInlineOrInAFile) {
  Receiver r = load_receiver("    slack_configs: [{}]\n", "{slack_api_url_file: /run/slack-url}");
  EXPECT_TRUE(r.configs<SlackConfig>().at(0)->api_url.empty());
  EXPECT_EQ(r.configs<SlackConfig>().at(0)->api_url_file, "/run/slack-url");
  Receiver own = load_receiver("    slack_configs: [{api_url_file: slack-url}]\n",
                               "{slack_api_url: 'https://global'}");
  EXPECT_TRUE(own.configs<SlackConfig>().at(0)->api_url.empty());
  EXPECT_EQ(own.configs<SlackConfig>().at(0)->api_url_file, "/etc/tocsin/slack-url");
}

TEST(SlackConfig, Errors) {
  EXPECT_EQ(problems("    slack_configs: [{channel: x}]\n"),
            Problems{"5:21: no global Slack API URL set either inline or in a file"});
  EXPECT_EQ(problems("    slack_configs: [{api_url: 'https://x', api_url_file: f}]\n"),
            Problems{"5:44: at most one of api_url & api_url_file must be configured"});
  EXPECT_EQ(problems("", "{slack_api_url: 'https://x', slack_api_url_file: f}"),
            Problems{"1:38: at most one of slack_api_url & slack_api_url_file must be configured"});
  std::string url = "api_url: 'https://x', ";
  EXPECT_EQ(problems("    slack_configs: [{" + url + "fields: [{title: t}]}]\n"),
            Problems{"5:53: missing value in Slack field configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url + "fields: [{value: v}]}]\n"),
            Problems{"5:53: missing title in Slack field configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url + "actions: [{text: t, url: u}]}]\n"),
            Problems{"5:54: missing type in Slack action configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url + "actions: [{type: button, text: t}]}]\n"),
            Problems{"5:54: missing name or url in Slack action configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url +
                     "actions: [{type: button, text: t, name: n, confirm: {title: x}}]}]\n"),
            Problems{"5:96: missing text in Slack confirmation configuration"});
}

}  // namespace
}  // namespace tocsin::notifiers
