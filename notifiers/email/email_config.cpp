#include "notifiers/email/email_config.h"

#include <fmt/format.h>

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"
#include "gocompat/textproto.h"

namespace tocsin::notifiers {

std::map<std::string, std::string> EmailConfig::effective_headers() const {
  std::map<std::string, std::string> out = headers;
  out.emplace("Subject", default_template::kEmailSubject);
  out.emplace("To", to);
  out.emplace("From", from);
  return out;
}

std::shared_ptr<config::IntegrationConfig> read_email_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<EmailConfig>();
  config::read_strings(r, kEmailAddressTexts, *c);
  bool smarthost_set = r.has("smarthost");
  std::optional<http::HostPort> smarthost = config::read_host_port(r, "smarthost");
  c->smarthost = smarthost.value_or(http::HostPort{});
  c->auth_username = r.string("auth_username").value_or("");
  config::read_secret_and_file(r, "auth_password", c->auth_password, c->auth_password_file,
                               ctx.base_dir);
  c->auth_secret = config::read_secret(r, "auth_secret");
  c->auth_identity = r.string("auth_identity").value_or("");
  for (auto& h : r.string_entries("headers").value_or(std::vector<yaml::StringEntry>{})) {
    std::string name = gocompat::canonical_mime_header_key(h.key);
    if (!c->headers.emplace(name, std::move(h.value)).second) {
      ctx.diag.error(h.key_position, fmt::format("duplicate header \"{}\" in email config", name));
    }
  }
  config::read_strings(r, kEmailBodyTexts, *c);
  std::optional<bool> require_tls = config::read_bool(r, "require_tls");
  c->tls_config = config::read_tls_config(r.take("tls_config"), ctx.base_dir, ctx.diag);
  r.finish();

  const YAML::Node& node = r.node();
  if (c->to.empty()) ctx.diag.error(node, "missing to address in email config");
  if (c->smarthost.empty() && (!smarthost_set || smarthost)) {  // not when it was invalid
    if (global.smtp_smarthost.empty()) ctx.diag.error(node, "no global SMTP smarthost set");
    c->smarthost = global.smtp_smarthost;
  }
  if (c->from.empty()) {
    if (global.smtp_from.empty()) ctx.diag.error(node, "no global SMTP from set");
    c->from = global.smtp_from;
  }
  if (c->hello.empty()) c->hello = global.smtp_hello;
  if (c->auth_username.empty()) c->auth_username = global.smtp_auth_username;
  if (c->auth_password.empty() && c->auth_password_file.empty()) {
    c->auth_password = global.smtp_auth_password;
    c->auth_password_file = global.smtp_auth_password_file;
  }
  if (c->auth_secret.empty()) c->auth_secret = global.smtp_auth_secret;
  if (c->auth_identity.empty()) c->auth_identity = global.smtp_auth_identity;
  c->require_tls = require_tls.value_or(global.smtp_require_tls);
  return c;
}

void EmailConfig::write_redacted(config::YamlWriter& w) const {
  w.strings(kEmailAddressTexts, *this);
  w.str("smarthost", smarthost.to_string());
  w.str("auth_username", auth_username);
  w.secret_and_file("auth_password", auth_password, auth_password_file);
  w.secret("auth_secret", auth_secret);
  w.str("auth_identity", auth_identity);
  w.map("headers", headers);
  w.strings(kEmailBodyTexts, *this);
  w.boolean("require_tls", require_tls);
  config::write_tls_config(w, "tls_config", tls_config);
}

}  // namespace tocsin::notifiers
