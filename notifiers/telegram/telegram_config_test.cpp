// Reading `telegram_configs` as Alertmanager 0.25 does: its defaults, every
// field, the global API URL, its checks in its words, and the bot token
// redacted when written back.
#include "notifiers/telegram/telegram_config.h"

#include <gtest/gtest.h>

#include "config/yaml_writer.h"
#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

TEST(TelegramConfig, DefaultsAreAlertmanagers) {
  Receiver r = load_receiver("    telegram_configs: [{bot_token: 123:abc, chat_id: 42}]\n");
  const TelegramConfig& t = *r.configs<TelegramConfig>().at(0);
  EXPECT_TRUE(t.send_resolved);
  EXPECT_EQ(t.api_url, "https://api.telegram.org");
  EXPECT_EQ(t.bot_token.reveal(), "123:abc");
  EXPECT_EQ(t.chat_id, 42);
  EXPECT_EQ(t.message, R"({{ template "telegram.default.message" . }})");
  EXPECT_FALSE(t.disable_notifications);
  EXPECT_EQ(t.parse_mode, "HTML");
}

TEST(TelegramConfig, EveryField) {
  Receiver r = load_receiver(R"(    telegram_configs:
      - api_url: http://tg.example:8080/relay
        bot_token: '123:abc'
        chat_id: -1001234567890
        message: '{{ .CommonLabels.alertname }}'
        disable_notifications: true
        parse_mode: MarkdownV2
        send_resolved: false
        http_config: {proxy_url: 'http://proxy:3128'}
)");
  const TelegramConfig& t = *r.configs<TelegramConfig>().at(0);
  EXPECT_FALSE(t.send_resolved);
  EXPECT_EQ(t.api_url, "http://tg.example:8080/relay");
  EXPECT_EQ(t.chat_id, -1001234567890);
  EXPECT_EQ(t.message, "{{ .CommonLabels.alertname }}");
  EXPECT_TRUE(t.disable_notifications);
  EXPECT_EQ(t.parse_mode, "MarkdownV2");
  EXPECT_EQ(t.http_config.proxy_url, "http://proxy:3128");
}

TEST(TelegramConfig, ApiUrlFallsBackOnTheGlobalOne) {
  Receiver r = load_receiver("    telegram_configs: [{bot_token: t, chat_id: 1}]\n",
                             "{telegram_api_url: 'https://tg.example'}");
  EXPECT_EQ(r.configs<TelegramConfig>().at(0)->api_url, "https://tg.example");
}

TEST(TelegramConfig, AnEmptyParseModeSendsPlainText) {
  Receiver r =
      load_receiver("    telegram_configs: [{bot_token: t, chat_id: 1, parse_mode: ''}]\n");
  EXPECT_EQ(r.configs<TelegramConfig>().at(0)->parse_mode, "");
}

TEST(TelegramConfig, Errors) {
  EXPECT_EQ(problems("    telegram_configs: [{chat_id: 1}]\n"),
            Problems{"5:24: missing bot_token on telegram_config"});
  EXPECT_EQ(problems("    telegram_configs: [{bot_token: t}]\n"),
            Problems{"5:24: missing chat_id on telegram_config"});
  // Alertmanager reports the first problem only.
  EXPECT_EQ(problems("    telegram_configs: [{parse_mode: x}]\n"),
            Problems{"5:24: missing bot_token on telegram_config"});
  EXPECT_EQ(problems("    telegram_configs: [{bot_token: t, chat_id: 1, parse_mode: markdown}]\n"),
            Problems{"5:51: unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, "
                     "HTML or empty string"});
  EXPECT_EQ(problems("    telegram_configs: [{bot_token: t, chat_id: '1'}]\n"),
            (Problems{"5:48: chat_id: cannot unmarshal \"1\" into an integer",
                      "5:24: missing chat_id on telegram_config"}));
  EXPECT_EQ(problems("    telegram_configs: [{bot_token: t, chat_id: 1, api_url: 'tg.example'}]\n"),
            Problems{"5:60: api_url: unsupported scheme \"\" for URL"});
}

TEST(TelegramConfig, WrittenInAlertmanagersOrderWithTheTokenRedacted) {
  Receiver r = load_receiver(
      "    telegram_configs: [{bot_token: '123:SECRET', chat_id: -5, disable_notifications: true, "
      "message: hi}]\n");
  config::YamlWriter w;
  r.configs<TelegramConfig>().at(0)->write_redacted(w);
  std::string yaml = std::move(w).finish();
  EXPECT_EQ(yaml.find("SECRET"), std::string::npos) << yaml;
  auto at = [&](std::string_view text) { return yaml.find(text); };
  EXPECT_NE(at("bot_token: <secret>"), std::string::npos) << yaml;
  EXPECT_LT(at("http_config:"), at("api_url: https://api.telegram.org"));
  EXPECT_LT(at("api_url:"), at("bot_token:"));
  EXPECT_LT(at("bot_token:"), at("chat_id: -5"));
  EXPECT_LT(at("chat_id:"), at("message: hi"));
  EXPECT_LT(at("message:"), at("disable_notifications: true"));
  EXPECT_LT(at("disable_notifications:"), at("parse_mode: HTML"));
}

}  // namespace
}  // namespace tocsin::notifiers
