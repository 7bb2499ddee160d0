// What the notifier tests share (unit tests beside each integration and the
// delivery tests in tests/integration/notifiers): the flush every test
// notification comes from, its alerts, and Alertmanager's real default
// templates to render them with. Test code only.
#pragma once

#include <memory>
#include <string_view>

#include <gtest/gtest.h>

#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "support/fake_clock.h"
#include "template/notification_templates.h"

namespace tocsin::notifiers::testutil {

using test::at;

// The external URL of every test notification.
inline constexpr std::string_view kTestExternalUrl = "http://tocsin.example:9093";

// The flush time of every test notification.
inline Timestamp test_now() {
  return at("2024-05-01T12:00:00Z");
}

inline notify::Context test_context(std::string receiver = "team-x.pager") {
  notify::Context c;
  c.receiver = std::move(receiver);
  c.group_key = R"({}/{severity="critical"}:{alertname="HighLatency"})";
  c.group_labels = Labels{{"alertname", "HighLatency"}};
  c.now = test_now();
  c.repeat_interval = std::chrono::hours(4);
  c.external_url = std::string(kTestExternalUrl);
  return c;
}

inline notify::Alert firing_alert(std::string_view instance) {
  notify::Alert a;
  a.labels = Labels{{"alertname", "HighLatency"}, {"instance", instance}, {"severity", "critical"}};
  a.annotations = Labels{{"summary", "p99 above 1s"}};
  a.starts_at = at("2024-05-01T11:50:00.123Z");
  a.generator_url = "http://prometheus:9090/graph?g0.expr=x&g0.tab=1";
  return a;
}

inline notify::Alert resolved_alert(std::string_view instance) {
  notify::Alert a = firing_alert(instance);
  a.starts_at = at("2024-05-01T11:00:00Z");
  a.ends_at = at("2024-05-01T11:59:00Z");
  return a;
}

// Alertmanager's default templates and no file of the user's, as `run`
// loads them for a configuration without `templates`, at kTestExternalUrl.
inline std::shared_ptr<const tmpl::NotificationTemplates> default_templates() {
  static const auto templates = [] {
    auto loaded = tmpl::NotificationTemplates::load({}, std::string(kTestExternalUrl));
    EXPECT_TRUE(loaded.has_value()) << loaded.error().to_string();
    return loaded ? *loaded : nullptr;
  }();
  return templates;
}

}  // namespace tocsin::notifiers::testutil
