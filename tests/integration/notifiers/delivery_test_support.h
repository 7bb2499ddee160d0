// What the notifier delivery tests share: settings with Alertmanager's
// default templates, a short request timeout, the test PKI, and sending one
// notification.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers::testing {

// A bound for waits that should end at once; tests never wait that long
// unless something is broken.
inline constexpr Duration kGenerous = std::chrono::seconds(20);

inline NotifierSettings test_settings(Duration timeout = std::chrono::seconds(10)) {
  NotifierSettings settings;
  settings.templates = testutil::default_templates();
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
inline std::expected<notify::Delivery, notify::Failure> send(
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
