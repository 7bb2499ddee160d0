// What the notifier delivery tests share: settings with stand-in templates
// (the real ones are not in this build's scope yet: see fake_templates.h),
// a short request timeout, the test PKI, and sending one notification.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <tocsin/notify.h>

#include "fake_templates.h"
#include "notifier_test_util.h"
#include "notifiers/common/notifier_settings.h"

namespace tocsin::notifiers::testing {

// A bound for waits that should end at once; tests never wait that long
// unless something is broken.
inline constexpr Duration kGenerous = std::chrono::seconds(20);

// Alertmanager's default templates as far as the fake can say them.
inline std::shared_ptr<testutil::FakeTemplates> default_templates() {
  auto t = testutil::FakeTemplates::make();
  t->define("slack.default.username", "Alertmanager");
  t->define("slack.default.title", "[{{ .Status }}] {{ .GroupLabels.alertname }}");
  t->define("slack.default.titlelink", "{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver }}");
  t->define("slack.default.text", "{{ .CommonAnnotations.summary }}");
  t->define(
      "slack.default.fallback",
      R"({{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }})");
  for (const char* empty :
       {"slack.default.pretext", "slack.default.callbackid", "slack.default.iconemoji",
        "slack.default.iconurl", "slack.default.footer"}) {
    t->define(empty, "");
  }
  t->define("pagerduty.default.description", "[{{ .Status }}] {{ .GroupLabels.alertname }}");
  t->define("pagerduty.default.client", "tocsin");
  t->define("pagerduty.default.clientURL", "{{ .ExternalURL }}");
  t->define("pagerduty.default.instances", "instances");
  t->define("email.default.subject", "[{{ .Status }}] {{ .GroupLabels.alertname }}");
  t->define("email.default.html", "<p>{{ .CommonAnnotations.summary }}</p>");
  return t;
}

inline NotifierSettings test_settings(Duration timeout = std::chrono::seconds(10)) {
  NotifierSettings settings;
  settings.templates = default_templates();
  settings.request_timeout = timeout;
  settings.hostname = "tocsin.test";
  return settings;
}

// The test PKI (shared with the query client's TLS tests): ca.pem signed
// server.pem, which names prometheus.test only, and client.pem.
inline std::string tls_file(std::string_view name) {
  return std::string(TOCSIN_TLS_TESTDATA) + "/" + std::string(name);
}
inline constexpr std::string_view kCertifiedName = "prometheus.test";

// Sends one notification about `alerts` with the test context.
inline std::expected<void, notify::Failure> send(
    const notify::Notifier& notifier, const std::vector<notify::Alert>& alerts,
    const notify::Context& context = testutil::test_context()) {
  return notifier.notify(context, alerts);
}

// The JSON body of a request; fails the test when it is not JSON.
inline nlohmann::json json_body(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(json.is_discarded()) << body;
  return json;
}

// "tocsin/<version>", the User-Agent every request must carry.
inline std::string expected_user_agent() {
  return NotifierSettings::default_user_agent();
}

}  // namespace tocsin::notifiers::testing
