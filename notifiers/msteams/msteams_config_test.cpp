// Reading `msteams_configs` as Alertmanager 0.26 does: the default
// templates, every field, the errors in its words, the URL kept secret.
#include "notifiers/msteams/msteams_config.h"

#include <gtest/gtest.h>

#include "config/yaml_writer.h"
#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

TEST(MsteamsConfig, DefaultsAreAlertmanagersTemplates) {
  Receiver r = load_receiver(
      "    msteams_configs: [{webhook_url: 'https://example.webhook.office.com/webhookb2/x'}]\n");
  const MsteamsConfig& m = *r.configs<MsteamsConfig>().at(0);
  EXPECT_TRUE(m.send_resolved);
  EXPECT_EQ(m.webhook_url.reveal(), "https://example.webhook.office.com/webhookb2/x");
  EXPECT_EQ(m.title, R"({{ template "msteams.default.title" . }})");
  EXPECT_EQ(m.text, R"({{ template "msteams.default.text" . }})");
}

TEST(MsteamsConfig, EveryField) {
  Receiver r = load_receiver(R"(    msteams_configs:
      - webhook_url: https://example.webhook.office.com/webhookb2/y
        send_resolved: false
        title: '{{ .GroupLabels.alertname }}'
        text: 'see {{ .ExternalURL }}'
        http_config: {proxy_url: 'http://proxy:3128'}
)");
  const MsteamsConfig& m = *r.configs<MsteamsConfig>().at(0);
  EXPECT_FALSE(m.send_resolved);
  EXPECT_EQ(m.title, "{{ .GroupLabels.alertname }}");
  EXPECT_EQ(m.text, "see {{ .ExternalURL }}");
  EXPECT_EQ(m.http_config.proxy_url, "http://proxy:3128");

  // Written back with the URL hidden, as Alertmanager shows it.
  config::YamlWriter w;
  m.write_redacted(w);
  std::string yaml = w.finish();
  EXPECT_NE(yaml.find("webhook_url: <secret>"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("webhookb2"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("title: \"{{ .GroupLabels.alertname }}\""), std::string::npos) << yaml;
}

TEST(MsteamsConfig, Errors) {
  EXPECT_EQ(problems("    msteams_configs: [{send_resolved: true}]\n"),
            Problems{"5:23: no msteams webhook URL provided"});
  EXPECT_EQ(problems("    msteams_configs: [{webhook_url: 'ftp://x'}]\n"),
            Problems{"5:37: webhook_url: unsupported scheme \"ftp\" for URL"});
  EXPECT_EQ(problems("    msteams_configs: [{webhook_url: 'http://x', summary: s}]\n"),
            Problems{"5:49: field summary not found in msteams_config"});
}

}  // namespace
}  // namespace tocsin::notifiers
