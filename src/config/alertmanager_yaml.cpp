// Writes a loaded configuration back as YAML, in the layout Alertmanager's
// config.String() gives /api/v2/status: its key order, empty optional fields
// left out, defaults written, secrets as "<secret>". Matchers of every
// syntax come back as `matchers` strings, which load to the same matchers.
#include <algorithm>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/alertmanager_config.h"
#include "config/yaml_writer.h"

namespace tocsin::config {
namespace {

using Writer = YamlWriter;

void write_global(Writer& w, const AlertmanagerGlobalConfig& g) {
  w.begin_map("global");
  w.duration("resolve_timeout", g.resolve_timeout);
  write_http_config(w, g.http_config);
  w.str("smtp_from", g.smtp_from);
  w.str("smtp_hello", g.smtp_hello);
  w.str("smtp_smarthost", g.smtp_smarthost.to_string());
  w.str("smtp_auth_username", g.smtp_auth_username);
  w.secret_and_file("smtp_auth_password", g.smtp_auth_password, g.smtp_auth_password_file);
  w.secret("smtp_auth_secret", g.smtp_auth_secret);
  w.str("smtp_auth_identity", g.smtp_auth_identity);
  w.boolean("smtp_require_tls", g.smtp_require_tls);
  w.secret_and_file("slack_api_url", g.slack_api_url, g.slack_api_url_file);
  w.str("pagerduty_url", g.pagerduty_url);
  w.str("opsgenie_api_url", g.opsgenie_api_url);
  w.secret_and_file("opsgenie_api_key", g.opsgenie_api_key, g.opsgenie_api_key_file);
  w.str("wechat_api_url", g.wechat_api_url);
  w.secret("wechat_api_secret", g.wechat_api_secret);
  w.str("wechat_api_corp_id", g.wechat_api_corp_id);
  w.str("victorops_api_url", g.victorops_api_url);
  w.secret_and_file("victorops_api_key", g.victorops_api_key, g.victorops_api_key_file);
  w.str("telegram_api_url", g.telegram_api_url);
  w.str("webex_api_url", g.webex_api_url);
  w.end_map();
}

void write_route(Writer& w, const Route& route) {
  w.begin_map();
  w.str("receiver", route.written.receiver);
  if (route.written.group_by) w.list("group_by", *route.written.group_by);
  w.matchers("matchers", route.matchers);
  w.list("mute_time_intervals", route.mute_time_intervals);
  w.list("active_time_intervals", route.active_time_intervals);
  w.boolean("continue", route.continue_matching);
  if (!route.routes.empty()) {
    w.begin_seq("routes");
    for (const Route& child : route.routes) write_route(w, child);
    w.end_seq();
  }
  if (route.written.group_wait) w.duration("group_wait", *route.written.group_wait);
  if (route.written.group_interval) w.duration("group_interval", *route.written.group_interval);
  if (route.written.repeat_interval) w.duration("repeat_interval", *route.written.repeat_interval);
  if (!route.escalation.empty()) {
    w.begin_seq("escalation");
    for (const EscalationStep& step : route.escalation) {
      w.begin_map();
      w.duration("after", step.after);
      w.str("receiver", step.receiver);
      if (step.repeat > Duration::zero()) w.duration("repeat", step.repeat);
      w.end_map();
    }
    w.end_seq();
  }
  w.end_map();
}

// The sections of one kind under its key, each as NotifierConfig (inline,
// so first) and then the integration's own fields.
void write_sections(Writer& w, const Receiver& r, std::string_view kind) {
  std::vector<const IntegrationConfig*> sections;
  for (const auto& section : r.integrations) {
    if (section->kind() == kind) sections.push_back(section.get());
  }
  w.seq_of_maps(integration_key(kind), sections, [](Writer& out, const IntegrationConfig* c) {
    out.boolean("send_resolved", c->send_resolved);
    c->write_redacted(out);
  });
}

void write_receiver(Writer& w, const Receiver& r) {
  w.str("name", r.name, false);
  // Alertmanager's in its struct's order, then any of tocsin's own.
  std::vector<std::string_view> kinds(kAlertmanagerIntegrations.begin(),
                                      kAlertmanagerIntegrations.end());
  for (const auto& section : r.integrations) {
    if (std::ranges::find(kinds, section->kind()) == kinds.end()) {
      kinds.push_back(section->kind());
    }
  }
  for (std::string_view kind : kinds) write_sections(w, r, kind);
}

template <typename Format>
void write_ranges(Writer& w, std::string_view key,
                  const std::optional<std::vector<InclusiveRange>>& ranges, Format format) {
  if (!ranges) return;
  std::vector<std::string> text;
  for (const auto& r : *ranges) text.push_back(format(r));
  w.list(key, text, false, true);
}

void write_time_interval(Writer& w, const TimeInterval& ti) {
  w.begin_map();
  if (ti.times) {
    w.begin_seq("times");
    for (const auto& t : *ti.times) {
      w.begin_map();
      w.str("start_time", format_clock_minutes(t.start_minute));
      w.str("end_time", format_clock_minutes(t.end_minute));
      w.end_map();
    }
    w.end_seq();
  }
  write_ranges(w, "weekdays", ti.weekdays, format_weekday_range);
  write_ranges(w, "days_of_month", ti.days_of_month, format_number_range);
  write_ranges(w, "months", ti.months, format_month_range);
  write_ranges(w, "years", ti.years, format_number_range);
  if (ti.location) w.str("location", ti.location->name());
  w.end_map();
}

void write_time_intervals(Writer& w, std::string_view key, const AlertmanagerConfig& config,
                          bool deprecated_mute) {
  bool any = false;
  for (const auto& named : config.time_intervals) {
    if (named.deprecated_mute != deprecated_mute) continue;
    if (!any) w.begin_seq(key);
    any = true;
    w.begin_map();
    w.str("name", named.name, false);
    w.begin_seq("time_intervals");
    for (const auto& ti : named.time_intervals) write_time_interval(w, ti);
    w.end_seq();
    w.end_map();
  }
  if (any) w.end_seq();
}

}  // namespace

std::string to_redacted_yaml(const AlertmanagerConfig& config) {
  Writer w;
  write_global(w, config.global);
  w.out() << YAML::Key << "route" << YAML::Value;
  write_route(w, config.route);
  w.seq_of_maps("inhibit_rules", config.inhibit_rules, [](Writer& out, const InhibitRule& rule) {
    out.matchers("source_matchers", rule.source_matchers);
    out.matchers("target_matchers", rule.target_matchers);
    out.list("equal", rule.equal, true, true);
  });
  w.seq_of_maps("receivers", config.receivers, write_receiver);
  w.list("templates", config.templates, false);
  write_time_intervals(w, "mute_time_intervals", config, true);
  write_time_intervals(w, "time_intervals", config, false);
  return w.finish();
}

}  // namespace tocsin::config
