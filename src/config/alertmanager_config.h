// Alertmanager 0.25's configuration format (alertmanager.yml): the routing
// tree, inhibition rules, time intervals, receivers and globals that
// tocsin's notification pipeline runs on.
//
// The loader is strict and complete: unknown fields, bad values and every
// check Alertmanager makes are errors, each reported as FILE:LINE:COL, all
// of them in one pass. The result is fully defaulted: route timers and
// receivers are inherited down the tree, integration fields carry their
// defaults and global fallbacks, relative file paths are resolved against
// the file's directory. A loaded config is immutable; share it freely.
//
// The same content may also stand as the `alerting:` section of tocsin.yml
// (read it with read_alertmanager_config), or in its own file named by
// tocsin.yml's `alerting_config_file:`.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <tocsin/error.h>
#include <tocsin/matcher.h>
#include <tocsin/time.h>

#include "config/http_config.h"
#include "config/receiver.h"
#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "config/time_interval.h"
#include "config/yaml_reader.h"
#include "http/host_port.h"

namespace tocsin::config {

inline constexpr std::string_view kDefaultPagerdutyUrl = "https://events.pagerduty.com/v2/enqueue";

// `global:`. The opsgenie, victorops, wechat, telegram and webex keys are
// read and checked so that real files load, but tocsin has no such receivers.
struct AlertmanagerGlobalConfig {
  Duration resolve_timeout = std::chrono::minutes(5);
  http::HttpClientConfig http_config;  // for receivers that set none

  std::string smtp_from;
  std::string smtp_hello = "localhost";
  http::HostPort smtp_smarthost;
  std::string smtp_auth_username;
  Secret smtp_auth_password;
  std::string smtp_auth_password_file;
  Secret smtp_auth_secret;
  std::string smtp_auth_identity;
  bool smtp_require_tls = true;

  Secret slack_api_url;
  std::string slack_api_url_file;
  std::string pagerduty_url{kDefaultPagerdutyUrl};

  std::string opsgenie_api_url = "https://api.opsgenie.com/";
  Secret opsgenie_api_key;
  std::string opsgenie_api_key_file;
  std::string wechat_api_url = "https://qyapi.weixin.qq.com/cgi-bin/";
  Secret wechat_api_secret;
  std::string wechat_api_corp_id;
  std::string victorops_api_url =
      "https://alert.victorops.com/integrations/generic/20131114/alert/";
  Secret victorops_api_key;
  std::string victorops_api_key_file;
  std::string telegram_api_url = "https://api.telegram.org";
  std::string webex_api_url = "https://webexapis.com/v1/messages";
};

// What a route does with the alerts it matches, after inheritance: each
// field is the route's own when set, else its parent's, else the default.
struct RouteOptions {
  std::string receiver;
  std::vector<std::string> group_by;  // sorted, distinct
  bool group_by_all = false;          // group_by: ['...']: group by every label
  Duration group_wait = std::chrono::seconds(30);
  Duration group_interval = std::chrono::minutes(5);
  Duration repeat_interval = std::chrono::hours(4);
};

// One step of a route's `escalation:` (tocsin's extension): while the
// group has firing alerts nobody acknowledged, `receiver` is notified once
// `after` has passed since the group first fired, and again every `repeat`
// (zero: once).
struct EscalationStep {
  Duration after{};
  std::string receiver;
  Duration repeat{0};
  SourcePosition position;
};

struct Route {
  RouteOptions options;
  // match, match_re and matchers together, sorted as Alertmanager sorts them.
  Matchers matchers;
  bool continue_matching = false;  // `continue`
  // Time interval names; not inherited (as in Alertmanager).
  std::vector<std::string> mute_time_intervals;
  std::vector<std::string> active_time_intervals;
  // Ordered by `after`; not inherited.
  std::vector<EscalationStep> escalation;
  std::vector<Route> routes;
  SourcePosition position;

  // The fields as this route's own mapping sets them (for writing back).
  struct Written {
    std::string receiver;
    std::optional<std::vector<std::string>> group_by;  // as written, "..." included
    std::optional<Duration> group_wait;
    std::optional<Duration> group_interval;
    std::optional<Duration> repeat_interval;
  } written;
};

// Mutes target alerts while a source alert exists with equal values of the
// `equal` labels.
struct InhibitRule {
  Matchers source_matchers;  // source_match, source_match_re and source_matchers together
  Matchers target_matchers;
  std::vector<std::string> equal;
  SourcePosition position;
};

struct AlertmanagerConfig {
  std::string path;  // the file it was read from
  AlertmanagerGlobalConfig global;
  Route route;
  std::vector<InhibitRule> inhibit_rules;
  std::vector<Receiver> receivers;
  std::vector<std::string> templates;  // glob patterns, resolved against the file's directory
  // `mute_time_intervals` (deprecated_mute) then `time_intervals`; names are unique.
  std::vector<NamedTimeInterval> time_intervals;

  const Receiver* find_receiver(std::string_view name) const;
  const NamedTimeInterval* find_time_interval(std::string_view name) const;
};

using AlertmanagerConfigResult = std::expected<AlertmanagerConfig, std::vector<Error>>;

// Every problem is reported, each as FILE:LINE:COL: message, with
// Alertmanager's wording where it has one. Receivers may hold the
// integrations of `kinds` (notifiers::receiver_kinds()); any other is an
// error.
AlertmanagerConfigResult parse_alertmanager_config(const std::string& text, const std::string& path,
                                                   const ReceiverKinds& kinds);
AlertmanagerConfigResult load_alertmanager_config(const std::string& path,
                                                  const ReceiverKinds& kinds);

// Reads an already-parsed mapping, such as tocsin.yml's `alerting:` section.
// Problems go to `diag`, whose file names the positions; relative paths are
// resolved against `base_dir`. nullopt when the mapping could not be read
// at all; check `diag.ok()` for the rest.
std::optional<AlertmanagerConfig> read_alertmanager_config(const YAML::Node& node,
                                                           const std::string& base_dir,
                                                           const ReceiverKinds& kinds,
                                                           yaml::Diagnostics& diag);

// The template files the `templates` patterns name now, sorted per pattern,
// without duplicates.
Result<std::vector<std::string>> expand_templates(const AlertmanagerConfig& config);

// The configuration written back as YAML in Alertmanager's layout, defaults
// included and every secret shown as "<secret>": what /api/v2/status shows.
std::string to_redacted_yaml(const AlertmanagerConfig& config);

}  // namespace tocsin::config
