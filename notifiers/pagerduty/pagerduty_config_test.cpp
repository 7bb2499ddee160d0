// Reading `pagerduty_configs` as Alertmanager 0.25 does: the default
// templates and details, every field, and the errors in its words.
#include "notifiers/pagerduty/pagerduty_config.h"

#include <gtest/gtest.h>

#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

TEST(PagerdutyConfig, DefaultsAndDetails) {
  Receiver r = load_receiver(R"(    pagerduty_configs:
      - routing_key: R0UT1NG
        details: {firing: 'custom', runbook: 'https://runbooks/'}
)");
  const PagerdutyConfig& p = *r.configs<PagerdutyConfig>().at(0);
  EXPECT_TRUE(p.send_resolved);
  EXPECT_EQ(p.routing_key.reveal(), "R0UT1NG");
  EXPECT_EQ(p.url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(p.client, R"({{ template "pagerduty.default.client" . }})");
  EXPECT_EQ(p.client_url, R"({{ template "pagerduty.default.clientURL" . }})");
  EXPECT_EQ(p.description, R"({{ template "pagerduty.default.description" .}})");
  EXPECT_EQ(p.source, p.client);
  EXPECT_EQ(p.details,
            (std::map<std::string, std::string>{
                {"firing", "custom"},
                {"num_firing", "{{ .Alerts.Firing | len }}"},
                {"num_resolved", "{{ .Alerts.Resolved | len }}"},
                {"resolved", R"({{ template "pagerduty.default.instances" .Alerts.Resolved }})"},
                {"runbook", "https://runbooks/"}}));
}

TEST(PagerdutyConfig, EveryField) {
  Receiver r = load_receiver(R"(    pagerduty_configs:
      - service_key_file: pd-service-key
        url: https://pd.example.com/v2/enqueue
        client: tocsin
        client_url: https://tocsin/
        description: '{{ .CommonAnnotations.summary }}'
        images: [{src: 'https://img/a.png', alt: graph, href: 'https://grafana/'}]
        links: [{href: 'https://runbooks/', text: runbook}]
        severity: critical
        class: slo
        component: policy-engine
        group: payments
        send_resolved: false
)",
                             "{pagerduty_url: 'https://global.pd/'}");
  const PagerdutyConfig& p = *r.configs<PagerdutyConfig>().at(0);
  EXPECT_FALSE(p.send_resolved);
  EXPECT_EQ(p.service_key_file, "/etc/tocsin/pd-service-key");
  EXPECT_EQ(p.url, "https://pd.example.com/v2/enqueue");
  EXPECT_EQ(p.client, "tocsin");
  EXPECT_EQ(p.source, "tocsin");  // defaults to client
  EXPECT_EQ(p.client_url, "https://tocsin/");
  EXPECT_EQ(p.description, "{{ .CommonAnnotations.summary }}");
  ASSERT_EQ(p.images.size(), 1u);
  EXPECT_EQ(p.images[0].alt, "graph");
  EXPECT_EQ(p.images[0].href, "https://grafana/");
  ASSERT_EQ(p.links.size(), 1u);
  EXPECT_EQ(p.links[0].text, "runbook");
  EXPECT_EQ(p.severity, "critical");
  EXPECT_EQ(p.event_class, "slo");
  EXPECT_EQ(p.component, "policy-engine");
  EXPECT_EQ(p.group, "payments");
  EXPECT_EQ(p.details.size(), 4u);

  Receiver global_url = load_receiver("    pagerduty_configs: [{routing_key: k}]\n",
                                      "{pagerduty_url: 'https://global.pd/'}");
  EXPECT_EQ(global_url.configs<PagerdutyConfig>().at(0)->url, "https://global.pd/");
}

TEST(PagerdutyConfig, Errors) {
  EXPECT_EQ(problems("    pagerduty_configs: [{severity: critical}]\n"),
            Problems{"5:25: missing service or routing key in PagerDuty config"});
  EXPECT_EQ(problems("    pagerduty_configs: [{routing_key: a, routing_key_file: b}]\n"),
            Problems{"5:42: at most one of routing_key & routing_key_file must be configured"});
  EXPECT_EQ(problems("    pagerduty_configs: [{service_key: a, service_key_file: b}]\n"),
            Problems{"5:42: at most one of service_key & service_key_file must be configured"});
  EXPECT_EQ(problems("    pagerduty_configs: [{routing_key: a, images: [{source: x}]}]\n"),
            Problems{"5:52: field source not found in pagerduty image"});
  // As Alertmanager 0.25: both a routing and a service key load (the service key wins).
  EXPECT_TRUE(problems("    pagerduty_configs: [{routing_key: a, service_key: b}]\n").empty());
}

}  // namespace
}  // namespace tocsin::notifiers
