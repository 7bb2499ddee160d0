// What every integration is built with besides its own config section: the
// notification templates and this process's transport settings.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <tocsin/time.h>

#include "template/notification_templates.h"

namespace tocsin::notifiers {

// The port Alertmanager's email notifier connects to with implicit TLS.
inline constexpr std::string_view kSmtpsPort = "465";

// Alertmanager's fixed Events API v1 endpoint (a service_key selects v1).
inline constexpr std::string_view kPagerdutyV1Url =
    "https://events.pagerduty.com/generic/2010-04-15/create_event.json";

struct NotifierSettings {
  // Shared by every integration of a configuration; must not be null.
  std::shared_ptr<const tmpl::NotificationTemplates> templates;
  // The longest one attempt may take, connection included (Alertmanager
  // bounds only the whole flush; the retry stage here bounds each try).
  Duration request_timeout = std::chrono::seconds(30);
  std::string user_agent = default_user_agent();
  // Where PagerDuty v1 events go: kPagerdutyV1Url, other than in tests
  // (Alertmanager's `apiV1` field has the same purpose).
  std::string pagerduty_v1_url{kPagerdutyV1Url};
  // The domain of email Message-Ids; "" means this machine's host name.
  std::string hostname;
  // The smarthost port spoken with implicit TLS (smtps) rather than SMTP
  // with optional STARTTLS: "465", as Alertmanager decides by the port
  // alone. Tests point it at their TLS server's loopback port.
  std::string smtps_port{kSmtpsPort};

  // "tocsin/<version>", sent as User-Agent (Alertmanager sends
  // "Alertmanager/<version>").
  static std::string default_user_agent();
};

// This machine's host name, or "localhost.localdomain" when it has none,
// as Alertmanager's email notifier falls back.
std::string local_hostname();

}  // namespace tocsin::notifiers
