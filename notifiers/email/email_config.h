// The email integration's section (`email_configs`): Alertmanager 0.25's
// EmailConfig with its default templates, read, defaulted (unset fields
// take the global smtp_* values) and written back here.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "config/field_readers.h"
#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"
#include "http/host_port.h"

namespace tocsin::notifiers {

// Alertmanager's default email templates (config/notifiers.go), by name;
// their text is Alertmanager's default template set (src/template).
namespace default_template {
inline constexpr std::string_view kEmailHtml = R"({{ template "email.default.html" . }})";
inline constexpr std::string_view kEmailSubject = R"({{ template "email.default.subject" . }})";
}  // namespace default_template

struct EmailConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "email";

  EmailConfig() : IntegrationConfig(/*default_send_resolved=*/false) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  std::string to;
  std::string from;
  std::string hello;
  http::HostPort smarthost;
  std::string auth_username;
  config::Secret auth_password;
  std::string auth_password_file;  // read at send time; wins over auth_password
  config::Secret auth_secret;
  std::string auth_identity;
  // As the file sets them, names in canonical MIME form ("Subject"); see
  // effective_headers() for what is sent.
  std::map<std::string, std::string> headers;
  std::string html{default_template::kEmailHtml};
  std::string text;
  bool require_tls = true;
  http::TlsConfig tls_config;

  // The headers with Alertmanager's defaults (Subject, To, From) added where
  // unset, as its email notifier adds them.
  std::map<std::string, std::string> effective_headers() const;
};

// EmailConfig's plain texts in Alertmanager's order: the addresses, and the
// bodies.
inline constexpr config::StringField<EmailConfig> kEmailAddressTexts[] = {
    {"to", &EmailConfig::to}, {"from", &EmailConfig::from}, {"hello", &EmailConfig::hello}};
inline constexpr config::StringField<EmailConfig> kEmailBodyTexts[] = {
    {"html", &EmailConfig::html}, {"text", &EmailConfig::text}};

// Reads one `email_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_email_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
