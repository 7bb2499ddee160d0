// The Slack message against Alertmanager 0.25's: field order, omitempty,
// mrkdwn_in and short defaults, title truncation, template failures.
#include <gtest/gtest.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/slack/slack_message.h"
#include "notifiers/slack/slack_notifier.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

std::expected<SlackMessage, notify::Failure> render(const SlackConfig& c,
                                                    const std::vector<notify::Alert>& alerts) {
  auto templates = default_templates();
  auto data = templates->data(test_context(), alerts);
  FieldRenderer renderer(*templates, *data);
  return render_slack_message(c, renderer);
}

TEST(SlackMessage, DefaultConfigMatchesAlertmanagersBody) {
  SlackConfig c;
  c.channel = "#alerts";
  auto message = render(c, {firing_alert("a:9090")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  // Alertmanager's default text is empty; its receiver is regexp-quoted in
  // the template data, so the link's query has "team-x%5C.pager".
  EXPECT_EQ(message->body,
            R"({"channel":"#alerts","username":"Alertmanager","attachments":[{)"
            R"json("title":"[FIRING:1] HighLatency (a:9090 critical)",)json"
            R"("title_link":"http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager",)"
            R"("text":"",)"
            R"json("fallback":"[FIRING:1] HighLatency (a:9090 critical) | )json"
            R"(http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager",)"
            R"("callback_id":"","footer":"","color":"danger",)"
            R"("mrkdwn_in":["fallback","pretext","text"]}]})"
            "\n");
  EXPECT_EQ(message->channel, "#alerts");
  EXPECT_FALSE(message->title_truncated);
}

TEST(SlackMessage, ResolvedGroupIsGood) {
  SlackConfig c;
  auto message = render(c, {resolved_alert("a:9090")});
  ASSERT_TRUE(message.has_value());
  EXPECT_NE(message->body.find(R"("color":"good")"), std::string::npos);
  // No channel: the webhook's own channel, so the field is left out.
  EXPECT_TRUE(message->body.starts_with(R"({"username":"Alertmanager","attachments")"))
      << message->body;
}

TEST(SlackMessage, EveryOptionalFieldInGoStructOrder) {
  SlackConfig c;
  c.channel = "#{{ .GroupLabels.alertname }}";
  c.username = "bot";
  c.icon_emoji = ":fire:";
  c.icon_url = "https://example.com/icon.png";
  c.link_names = true;
  c.title = "T";
  c.title_link = "https://example.com/t";
  c.pretext = "P";
  c.text = "X";
  c.fallback = "F";
  c.callback_id = "cb";
  c.image_url = "https://example.com/i.png";
  c.thumb_url = "https://example.com/th.png";
  c.footer = "foot";
  c.color = "#ff0000";
  c.mrkdwn_in = {"text"};
  c.short_fields = true;
  c.fields = {{"Severity", "{{ .CommonLabels.severity }}", std::nullopt},
              {"Status", "{{ .Status }}", false}};
  SlackAction runbook;
  runbook.type = "button";
  runbook.text = "Runbook";
  runbook.url = "https://example.com/rb";
  runbook.style = "primary";
  SlackAction ack;
  ack.type = "button";
  ack.text = "Ack";
  ack.name = "ack";
  ack.value = "{{ .GroupLabels.alertname }}";
  ack.confirm = SlackConfirmationField{"Sure?", "", "Yes", "No"};
  c.actions = {runbook, ack};
  auto message = render(c, {firing_alert("a:9090")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  EXPECT_EQ(
      message->body,
      R"({"channel":"#HighLatency","username":"bot","icon_emoji":":fire:",)"
      R"("icon_url":"https://example.com/icon.png","link_names":true,"attachments":[{)"
      R"("title":"T","title_link":"https://example.com/t","pretext":"P","text":"X",)"
      R"("fallback":"F","callback_id":"cb",)"
      R"("fields":[{"title":"Severity","value":"critical","short":true},)"
      R"({"title":"Status","value":"firing","short":false}],)"
      R"("actions":[{"type":"button","text":"Runbook","url":"https://example.com/rb",)"
      R"("style":"primary"},{"type":"button","text":"Ack","name":"ack",)"
      R"("value":"HighLatency","confirm":{"text":"Sure?","ok_text":"Yes","dismiss_text":"No"}}],)"
      R"("image_url":"https://example.com/i.png","thumb_url":"https://example.com/th.png",)"
      R"("footer":"foot","color":"#ff0000","mrkdwn_in":["text"]}]})"
      "\n");
}

TEST(SlackMessage, TitleIsCutAt1024CharactersWithAnEllipsis) {
  SlackConfig c;
  c.title = std::string(1000, 'x') + std::string(100, 'y');
  auto message = render(c, {firing_alert("a")});
  ASSERT_TRUE(message.has_value());
  EXPECT_TRUE(message->title_truncated);
  std::string expected_title = std::string(1000, 'x') + std::string(23, 'y') + "\xe2\x80\xa6";
  EXPECT_NE(message->body.find("\"title\":\"" + expected_title + "\""), std::string::npos);
}

TEST(SlackMessage, AFailingTemplateIsFinalAndNamesTheField) {
  SlackConfig c;
  c.fields = {{"ok", "{{ fail }}", std::nullopt}};
  c.channel = "{{ also unknown }}";  // after the first failure nothing else renders
  auto message = render(c, {firing_alert("a")});
  ASSERT_FALSE(message.has_value());
  EXPECT_FALSE(message.error().retryable);
  EXPECT_EQ(message.error().message,
            "failed to template Slack message: fields[0].value: template: :1: function \"fail\" "
            "not defined");
}

TEST(SlackNotifier, UnreadableApiUrlFileIsFinal) {
  SlackConfig c;
  c.api_url_file = "/nonexistent/tocsin/slack";
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_slack_notifier(c, settings);
  ASSERT_TRUE(notifier.has_value());
  EXPECT_EQ((*notifier)->kind(), "slack");
  EXPECT_FALSE((*notifier)->send_resolved());
  std::vector<notify::Alert> alerts = {firing_alert("a")};
  auto sent = (*notifier)->notify(test_context(), alerts);
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("/nonexistent/tocsin/slack"), std::string::npos);
}

}  // namespace
}  // namespace tocsin::notifiers
