// Writes a loaded configuration back as YAML, in the layout Alertmanager's
// config.String() gives /api/v2/status: its key order, empty optional fields
// left out, defaults written, secrets as "<secret>". Matchers of every
// syntax come back as `matchers` strings, which load to the same matchers.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/alertmanager_config.h"

namespace tocsin::config {
namespace {

class Writer {
 public:
  Writer() { out_ << YAML::BeginMap; }
  std::string finish() {
    out_ << YAML::EndMap;
    return std::string(out_.c_str()) + "\n";
  }

  YAML::Emitter& out() { return out_; }

  void str(std::string_view key, std::string_view value, bool omit_empty = true) {
    if (omit_empty && value.empty()) return;
    out_ << YAML::Key << std::string(key) << YAML::Value << std::string(value);
  }
  void secret(std::string_view key, const Secret& value) { str(key, value.redacted()); }
  void boolean(std::string_view key, bool value) {
    out_ << YAML::Key << std::string(key) << YAML::Value << value;
  }
  void duration(std::string_view key, Duration value) { str(key, format_duration(value)); }
  void uint(std::string_view key, std::uint64_t value) {
    out_ << YAML::Key << std::string(key) << YAML::Value << value;
  }
  void list(std::string_view key, const std::vector<std::string>& values, bool omit_empty = true,
            bool flow = false) {
    if (omit_empty && values.empty()) return;
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (flow || values.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginSeq;
    for (const auto& v : values) out_ << v;
    out_ << YAML::EndSeq;
  }
  void map(std::string_view key, const std::map<std::string, std::string>& values) {
    if (values.empty()) return;
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    for (const auto& [k, v] : values) out_ << YAML::Key << k << YAML::Value << v;
    out_ << YAML::EndMap;
  }
  void matchers(std::string_view key, const Matchers& values) {
    std::vector<std::string> text;
    for (const Matcher& m : values) text.push_back(m.to_string());
    list(key, text);
  }
  void begin_map(std::string_view key) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
  }
  void begin_seq(std::string_view key) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
  }

 private:
  YAML::Emitter out_;
};

void write_tls(Writer& w, std::string_view key, const http::TlsConfig& tls) {
  // yaml.v2's omitempty leaves out a TLS config that is all defaults.
  if (tls.ca_file.empty() && tls.cert_file.empty() && tls.key_file.empty() &&
      tls.server_name.empty() && !tls.insecure_skip_verify && tls.min_version.empty() &&
      tls.max_version.empty()) {
    return;
  }
  w.begin_map(key);
  w.str("ca_file", tls.ca_file);
  w.str("cert_file", tls.cert_file);
  w.str("key_file", tls.key_file);
  w.str("server_name", tls.server_name);
  w.boolean("insecure_skip_verify", tls.insecure_skip_verify);
  w.str("min_version", tls.min_version);
  w.str("max_version", tls.max_version);
  w.out() << YAML::EndMap;
}

void write_http(Writer& w, const http::HttpClientConfig& http) {
  w.begin_map("http_config");
  if (http.basic_auth) {
    w.begin_map("basic_auth");
    w.str("username", http.basic_auth->username, false);
    w.secret("password", http.basic_auth->password);
    w.str("password_file", http.basic_auth->password_file);
    w.out() << YAML::EndMap;
  }
  if (http.authorization) {
    w.begin_map("authorization");
    w.str("type", http.authorization->type);
    w.secret("credentials", http.authorization->credentials);
    w.str("credentials_file", http.authorization->credentials_file);
    w.out() << YAML::EndMap;
  }
  if (http.oauth2) {
    const http::OAuth2& o = *http.oauth2;
    w.begin_map("oauth2");
    w.str("client_id", o.client_id, false);
    w.str("client_secret", o.client_secret.redacted(), false);
    w.str("client_secret_file", o.client_secret_file, false);
    w.list("scopes", o.scopes);
    w.str("token_url", o.token_url, false);
    w.map("endpoint_params", o.endpoint_params);
    w.str("proxy_url", o.proxy_url);
    write_tls(w, "tls_config", o.tls_config);
    w.out() << YAML::EndMap;
  }
  w.str("proxy_url", http.proxy_url);
  write_tls(w, "tls_config", http.tls_config);
  w.boolean("follow_redirects", http.follow_redirects);
  w.boolean("enable_http2", http.enable_http2);
  w.out() << YAML::EndMap;
}

void write_global(Writer& w, const AlertmanagerGlobalConfig& g) {
  w.begin_map("global");
  w.duration("resolve_timeout", g.resolve_timeout);
  write_http(w, g.http_config);
  w.str("smtp_from", g.smtp_from);
  w.str("smtp_hello", g.smtp_hello);
  w.str("smtp_smarthost", g.smtp_smarthost.to_string());
  w.str("smtp_auth_username", g.smtp_auth_username);
  w.secret("smtp_auth_password", g.smtp_auth_password);
  w.str("smtp_auth_password_file", g.smtp_auth_password_file);
  w.secret("smtp_auth_secret", g.smtp_auth_secret);
  w.str("smtp_auth_identity", g.smtp_auth_identity);
  w.boolean("smtp_require_tls", g.smtp_require_tls);
  w.secret("slack_api_url", g.slack_api_url);
  w.str("slack_api_url_file", g.slack_api_url_file);
  w.str("pagerduty_url", g.pagerduty_url);
  w.str("opsgenie_api_url", g.opsgenie_api_url);
  w.secret("opsgenie_api_key", g.opsgenie_api_key);
  w.str("opsgenie_api_key_file", g.opsgenie_api_key_file);
  w.str("wechat_api_url", g.wechat_api_url);
  w.secret("wechat_api_secret", g.wechat_api_secret);
  w.str("wechat_api_corp_id", g.wechat_api_corp_id);
  w.str("victorops_api_url", g.victorops_api_url);
  w.secret("victorops_api_key", g.victorops_api_key);
  w.str("victorops_api_key_file", g.victorops_api_key_file);
  w.str("telegram_api_url", g.telegram_api_url);
  w.str("webex_api_url", g.webex_api_url);
  w.out() << YAML::EndMap;
}

void write_route(Writer& w, const Route& route) {
  w.out() << YAML::BeginMap;
  w.str("receiver", route.written.receiver);
  if (route.written.group_by) w.list("group_by", *route.written.group_by);
  w.matchers("matchers", route.matchers);
  w.list("mute_time_intervals", route.mute_time_intervals);
  w.list("active_time_intervals", route.active_time_intervals);
  w.boolean("continue", route.continue_matching);
  if (!route.routes.empty()) {
    w.begin_seq("routes");
    for (const Route& child : route.routes) write_route(w, child);
    w.out() << YAML::EndSeq;
  }
  if (route.written.group_wait) w.duration("group_wait", *route.written.group_wait);
  if (route.written.group_interval) w.duration("group_interval", *route.written.group_interval);
  if (route.written.repeat_interval) w.duration("repeat_interval", *route.written.repeat_interval);
  w.out() << YAML::EndMap;
}

void write_email(Writer& w, const EmailConfig& c) {
  w.out() << YAML::BeginMap;
  w.boolean("send_resolved", c.send_resolved);
  w.str("to", c.to);
  w.str("from", c.from);
  w.str("hello", c.hello);
  w.str("smarthost", c.smarthost.to_string());
  w.str("auth_username", c.auth_username);
  w.secret("auth_password", c.auth_password);
  w.str("auth_password_file", c.auth_password_file);
  w.secret("auth_secret", c.auth_secret);
  w.str("auth_identity", c.auth_identity);
  w.map("headers", c.headers);
  w.str("html", c.html);
  w.str("text", c.text);
  w.boolean("require_tls", c.require_tls);
  write_tls(w, "tls_config", c.tls_config);
  w.out() << YAML::EndMap;
}

void write_pagerduty(Writer& w, const PagerdutyConfig& c) {
  w.out() << YAML::BeginMap;
  w.boolean("send_resolved", c.send_resolved);
  write_http(w, c.http_config);
  w.secret("service_key", c.service_key);
  w.str("service_key_file", c.service_key_file);
  w.secret("routing_key", c.routing_key);
  w.str("routing_key_file", c.routing_key_file);
  w.str("url", c.url);
  w.str("client", c.client);
  w.str("client_url", c.client_url);
  w.str("description", c.description);
  w.map("details", c.details);
  if (!c.images.empty()) {
    w.begin_seq("images");
    for (const auto& i : c.images) {
      w.out() << YAML::BeginMap;
      w.str("src", i.src);
      w.str("alt", i.alt);
      w.str("href", i.href);
      w.out() << YAML::EndMap;
    }
    w.out() << YAML::EndSeq;
  }
  if (!c.links.empty()) {
    w.begin_seq("links");
    for (const auto& l : c.links) {
      w.out() << YAML::BeginMap;
      w.str("href", l.href);
      w.str("text", l.text);
      w.out() << YAML::EndMap;
    }
    w.out() << YAML::EndSeq;
  }
  w.str("source", c.source);
  w.str("severity", c.severity);
  w.str("class", c.event_class);
  w.str("component", c.component);
  w.str("group", c.group);
  w.out() << YAML::EndMap;
}

void write_slack(Writer& w, const SlackConfig& c) {
  w.out() << YAML::BeginMap;
  w.boolean("send_resolved", c.send_resolved);
  write_http(w, c.http_config);
  w.secret("api_url", c.api_url);
  w.str("api_url_file", c.api_url_file);
  w.str("channel", c.channel);
  w.str("username", c.username);
  w.str("color", c.color);
  w.str("title", c.title);
  w.str("title_link", c.title_link);
  w.str("pretext", c.pretext);
  w.str("text", c.text);
  if (!c.fields.empty()) {
    w.begin_seq("fields");
    for (const auto& f : c.fields) {
      w.out() << YAML::BeginMap;
      w.str("title", f.title);
      w.str("value", f.value);
      if (f.is_short) w.boolean("short", *f.is_short);
      w.out() << YAML::EndMap;
    }
    w.out() << YAML::EndSeq;
  }
  w.boolean("short_fields", c.short_fields);
  w.str("footer", c.footer);
  w.str("fallback", c.fallback);
  w.str("callback_id", c.callback_id);
  w.str("icon_emoji", c.icon_emoji);
  w.str("icon_url", c.icon_url);
  w.str("image_url", c.image_url);
  w.str("thumb_url", c.thumb_url);
  w.boolean("link_names", c.link_names);
  w.list("mrkdwn_in", c.mrkdwn_in);
  if (!c.actions.empty()) {
    w.begin_seq("actions");
    for (const auto& a : c.actions) {
      w.out() << YAML::BeginMap;
      w.str("type", a.type);
      w.str("text", a.text);
      w.str("url", a.url);
      w.str("style", a.style);
      w.str("name", a.name);
      w.str("value", a.value);
      if (a.confirm) {
        w.begin_map("confirm");
        w.str("text", a.confirm->text);
        w.str("title", a.confirm->title);
        w.str("ok_text", a.confirm->ok_text);
        w.str("dismiss_text", a.confirm->dismiss_text);
        w.out() << YAML::EndMap;
      }
      w.out() << YAML::EndMap;
    }
    w.out() << YAML::EndSeq;
  }
  w.out() << YAML::EndMap;
}

void write_webhook(Writer& w, const WebhookConfig& c) {
  w.out() << YAML::BeginMap;
  w.boolean("send_resolved", c.send_resolved);
  write_http(w, c.http_config);
  // Alertmanager 0.25 shows a webhook's url (0.26 hides it); amtool 0.25's
  // `config routes` reads it back and refuses the "<secret>" placeholder.
  w.str("url", c.url.reveal());
  w.str("url_file", c.url_file);
  w.uint("max_alerts", c.max_alerts);
  w.out() << YAML::EndMap;
}

template <typename T, typename Write>
void write_configs(Writer& w, std::string_view key, const std::vector<T>& configs, Write write) {
  if (configs.empty()) return;
  w.begin_seq(key);
  for (const T& c : configs) write(w, c);
  w.out() << YAML::EndSeq;
}

void write_receiver(Writer& w, const Receiver& r) {
  w.out() << YAML::BeginMap;
  w.str("name", r.name, false);
  write_configs(w, "email_configs", r.email_configs, write_email);
  write_configs(w, "pagerduty_configs", r.pagerduty_configs, write_pagerduty);
  write_configs(w, "slack_configs", r.slack_configs, write_slack);
  write_configs(w, "webhook_configs", r.webhook_configs, write_webhook);
  w.out() << YAML::EndMap;
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
  w.out() << YAML::BeginMap;
  if (ti.times) {
    w.begin_seq("times");
    for (const auto& t : *ti.times) {
      w.out() << YAML::BeginMap;
      w.str("start_time", format_clock_minutes(t.start_minute));
      w.str("end_time", format_clock_minutes(t.end_minute));
      w.out() << YAML::EndMap;
    }
    w.out() << YAML::EndSeq;
  }
  write_ranges(w, "weekdays", ti.weekdays, format_weekday_range);
  write_ranges(w, "days_of_month", ti.days_of_month, format_number_range);
  write_ranges(w, "months", ti.months, format_month_range);
  write_ranges(w, "years", ti.years, format_number_range);
  if (ti.location) w.str("location", ti.location->name());
  w.out() << YAML::EndMap;
}

void write_time_intervals(Writer& w, std::string_view key, const AlertmanagerConfig& config,
                          bool deprecated_mute) {
  bool any = false;
  for (const auto& named : config.time_intervals) {
    if (named.deprecated_mute != deprecated_mute) continue;
    if (!any) w.begin_seq(key);
    any = true;
    w.out() << YAML::BeginMap;
    w.str("name", named.name, false);
    w.begin_seq("time_intervals");
    for (const auto& ti : named.time_intervals) write_time_interval(w, ti);
    w.out() << YAML::EndSeq << YAML::EndMap;
  }
  if (any) w.out() << YAML::EndSeq;
}

}  // namespace

std::string to_redacted_yaml(const AlertmanagerConfig& config) {
  Writer w;
  write_global(w, config.global);
  w.out() << YAML::Key << "route" << YAML::Value;
  write_route(w, config.route);
  if (!config.inhibit_rules.empty()) {
    w.begin_seq("inhibit_rules");
    for (const auto& rule : config.inhibit_rules) {
      w.out() << YAML::BeginMap;
      w.matchers("source_matchers", rule.source_matchers);
      w.matchers("target_matchers", rule.target_matchers);
      w.list("equal", rule.equal, true, true);
      w.out() << YAML::EndMap;
    }
    w.out() << YAML::EndSeq;
  }
  if (!config.receivers.empty()) {
    w.begin_seq("receivers");
    for (const auto& r : config.receivers) write_receiver(w, r);
    w.out() << YAML::EndSeq;
  }
  w.list("templates", config.templates, false);
  write_time_intervals(w, "mute_time_intervals", config, true);
  write_time_intervals(w, "time_intervals", config, false);
  return w.finish();
}

}  // namespace tocsin::config
