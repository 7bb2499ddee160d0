// The sendMessage request and the reading of Telegram's reply against
// Alertmanager 0.25's (telebot v3.1.2): the body's keys and values, the
// parse mode's escaping, truncation, the URL, and what counts as sent.
#include <gtest/gtest.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/telegram/telegram_message.h"
#include "notifiers/telegram/telegram_notifier.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

TelegramConfig config(std::string message) {
  TelegramConfig c;
  c.bot_token = config::Secret("123:abc");
  c.chat_id = 42;
  c.message = std::move(message);
  return c;
}

notify::Alert alert_with_summary(std::string summary) {
  notify::Alert a = firing_alert("a:9090");
  a.annotations = Labels{{"summary", summary}};
  return a;
}

std::expected<TelegramMessage, notify::Failure> render(const TelegramConfig& c,
                                                       const std::vector<notify::Alert>& alerts) {
  auto templates = default_templates();
  auto data = templates->data(test_context(), alerts);
  FieldRenderer renderer(*templates, *data);
  return render_telegram_message(c, renderer);
}

TEST(TelegramMessage, HtmlModeEscapesValuesAndGoEscapesTheJson) {
  auto message = render(config("<b>{{ .CommonAnnotations.summary }}</b>"),
                        {alert_with_summary("p99 <above> 1s & \"rising\"")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  EXPECT_EQ(message->body,
            R"({"chat_id":"42","disable_web_page_preview":"true","parse_mode":"HTML",)"
            R"("text":"\u003cb\u003ep99 \u0026lt;above\u0026gt; 1s \u0026amp; )"
            R"(\u0026#34;rising\u0026#34;\u003c/b\u003e"})"
            "\n");
  EXPECT_FALSE(message->truncated);
}

TEST(TelegramMessage, OtherModesRenderPlainText) {
  TelegramConfig c = config("{{ .CommonAnnotations.summary }}");
  c.parse_mode = "MarkdownV2";
  c.disable_notifications = true;
  c.chat_id = -1001234567890;
  auto message = render(c, {alert_with_summary("a < b")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  EXPECT_EQ(message->body,
            R"({"chat_id":"-1001234567890","disable_notification":"true",)"
            R"("disable_web_page_preview":"true","parse_mode":"MarkdownV2","text":"a \u003c b"})"
            "\n");
}

TEST(TelegramMessage, NoParseModeIsLeftOut) {
  TelegramConfig c = config("x");
  c.parse_mode = "";
  auto message = render(c, {firing_alert("a")});
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->body, R"({"chat_id":"42","disable_web_page_preview":"true","text":"x"})"
                           "\n");
}

TEST(TelegramMessage, DefaultTemplateListsTheAlerts) {
  auto message = render(config(std::string(default_template::kTelegramMessage)),
                        {firing_alert("a:9090"), resolved_alert("b:9090")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  EXPECT_NE(message->body.find(R"(Alerts Firing:\n)"), std::string::npos) << message->body;
  EXPECT_NE(message->body.find(R"(Alerts Resolved:\n)"), std::string::npos) << message->body;
  EXPECT_NE(message->body.find(R"( - instance = a:9090\n)"), std::string::npos) << message->body;
}

TEST(TelegramMessage, TextIsCutAt4096CharactersWithAnEllipsis) {
  TelegramConfig c = config(std::string(4000, 'x') + std::string(200, 'y'));
  c.parse_mode = "";
  auto message = render(c, {firing_alert("a")});
  ASSERT_TRUE(message.has_value());
  EXPECT_TRUE(message->truncated);
  std::string text = std::string(4000, 'x') + std::string(95, 'y') + "\xe2\x80\xa6";
  EXPECT_NE(message->body.find("\"text\":\"" + text + "\"}"), std::string::npos);
}

TEST(TelegramMessage, AFailingTemplateIsFinal) {
  auto message = render(config("{{ fail }}"), {firing_alert("a")});
  ASSERT_FALSE(message.has_value());
  EXPECT_FALSE(message.error().retryable);
  EXPECT_EQ(message.error().message,
            "failed to template Telegram message: message: template: :1: function \"fail\" not "
            "defined");
}

TEST(TelegramMessage, UrlIsTelebotsJoin) {
  TelegramConfig c = config("x");
  c.api_url = "https://api.telegram.org";
  EXPECT_EQ(telegram_send_message_url(c), "https://api.telegram.org/bot123:abc/sendMessage");
  c.api_url = "http://relay.example/tg/";
  EXPECT_EQ(telegram_send_message_url(c), "http://relay.example/tg//bot123:abc/sendMessage");
}

TEST(TelegramReply, OkWithAMessageIsSent) {
  auto sent = read_telegram_reply(
      R"({"ok":true,"result":{"message_id":7,"chat":{"id":42,"type":"group"},"date":1}})");
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(sent->reply, "message_id 7");
}

TEST(TelegramReply, EverythingElseFailedAndIsWorthARetry) {
  for (std::string_view body :
       {R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", "",
        "<html>bad gateway</html>", "[]", R"({"ok":true,"result":true})",
        R"({"ok":true,"result":{}} trailing)", R"({"description":"no ok"})"}) {
    auto sent = read_telegram_reply(body);
    ASSERT_FALSE(sent.has_value()) << body;
    EXPECT_TRUE(sent.error().retryable) << body;
  }
  EXPECT_EQ(read_telegram_reply(
                R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})")
                .error()
                .message,
            "telegram: Bad Request: chat not found (400)");
}

TEST(TelegramNotifier, KindAndSendResolved) {
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_telegram_notifier(config("x"), settings);
  ASSERT_TRUE(notifier.has_value());
  EXPECT_EQ((*notifier)->kind(), "telegram");
  EXPECT_TRUE((*notifier)->send_resolved());
}

}  // namespace
}  // namespace tocsin::notifiers
