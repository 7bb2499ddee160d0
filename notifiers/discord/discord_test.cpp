// The Discord message against Alertmanager 0.25's: one embed of title,
// description and color, an empty content, no truncation, template failures.
#include <gtest/gtest.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/discord/discord_message.h"
#include "notifiers/discord/discord_notifier.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

std::expected<std::string, notify::Failure> render(const DiscordConfig& c,
                                                   const std::vector<notify::Alert>& alerts) {
  auto templates = default_templates();
  notify::Context context = test_context();
  auto data = templates->data(context, alerts);
  FieldRenderer renderer(*templates, *data);
  return render_discord_message(c, context, alerts, renderer);
}

TEST(DiscordMessage, DefaultConfigMatchesAlertmanagersBody) {
  auto body = render(DiscordConfig{}, {firing_alert("a:9090")});
  ASSERT_TRUE(body.has_value()) << body.error().message;
  // discord.default.message: blank lines around "Alerts Firing:" and the
  // text alert list, as Alertmanager's template leaves them; Go's encoder
  // escapes "&".
  EXPECT_EQ(
      *body,
      R"json({"content":"","embeds":[{"title":"[FIRING:1] HighLatency (a:9090 critical)",)json"
      R"("description":"\n\nAlerts Firing:\nLabels:\n - alertname = HighLatency\n)"
      R"( - instance = a:9090\n - severity = critical\nAnnotations:\n - summary = p99 above)"
      R"( 1s\nSource: http://prometheus:9090/graph?g0.expr=x\u0026g0.tab=1\n\n\n\n",)"
      R"("color":10038562}]})"
      "\n");
}

TEST(DiscordMessage, ColorIsRedWhileAnyAlertFiresGreenOnceAllResolved) {
  DiscordConfig c;
  c.title = "{{ .Status }}";
  c.message = "";
  auto mixed = render(c, {resolved_alert("a"), firing_alert("b")});
  ASSERT_TRUE(mixed.has_value());
  EXPECT_EQ(*mixed,
            R"({"content":"","embeds":[{"title":"firing","description":"","color":10038562}]})"
            "\n");
  auto resolved = render(c, {resolved_alert("a"), resolved_alert("b")});
  ASSERT_TRUE(resolved.has_value());
  EXPECT_EQ(*resolved,
            R"({"content":"","embeds":[{"title":"resolved","description":"","color":3066993}]})"
            "\n");
  EXPECT_EQ(kDiscordFiringColor, 0x992D22);
  EXPECT_EQ(kDiscordResolvedColor, 0x2ECC71);
}

TEST(DiscordMessage, LongTextsAreSentWholeAsAlertmanager025Does) {
  DiscordConfig c;
  c.title = std::string(300, 't');
  c.message = std::string(5000, 'm');
  auto body = render(c, {firing_alert("a")});
  ASSERT_TRUE(body.has_value());
  EXPECT_NE(body->find("\"title\":\"" + std::string(300, 't') + "\""), std::string::npos);
  EXPECT_NE(body->find("\"description\":\"" + std::string(5000, 'm') + "\""), std::string::npos);
}

TEST(DiscordMessage, AFailingTemplateIsFinalAndNamesTheField) {
  DiscordConfig c;
  c.title = "{{ fail }}";
  c.message = "{{ also unknown }}";  // after the first failure nothing else renders
  auto body = render(c, {firing_alert("a")});
  ASSERT_FALSE(body.has_value());
  EXPECT_FALSE(body.error().retryable);
  EXPECT_EQ(body.error().message,
            "failed to template Discord message: title: template: :1: function \"fail\" not "
            "defined");
}

TEST(DiscordNotifier, IsNamedDiscordAndSendsResolvedByDefault) {
  DiscordConfig c;
  c.webhook_url = config::Secret("http://127.0.0.1:1/api/webhooks/1/x");
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_discord_notifier(c, settings);
  ASSERT_TRUE(notifier.has_value()) << notifier.error().to_string();
  EXPECT_EQ((*notifier)->kind(), "discord");
  EXPECT_TRUE((*notifier)->send_resolved());
  EXPECT_FALSE((*notifier)->acknowledges());
}

TEST(DiscordNotifier, ABadHttpConfigIsAConfigError) {
  DiscordConfig c;
  c.webhook_url = config::Secret("http://127.0.0.1:1/api/webhooks/1/x");
  c.http_config.oauth2 = http::OAuth2{};
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_discord_notifier(c, settings);
  ASSERT_FALSE(notifier.has_value());
  EXPECT_EQ(notifier.error().message(), "http_config: oauth2 is not supported by tocsin");
}

}  // namespace
}  // namespace tocsin::notifiers
