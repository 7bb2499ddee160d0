#include <fmt/format.h>

#include "config/alertmanager_readers.h"
#include "config/field_readers.h"

namespace tocsin::config::am {
namespace {

void read_url(yaml::MapReader& r, std::string_view key, std::string& out) {
  if (auto url = read_http_url(r, key)) out = std::move(*url);
}

}  // namespace

AlertmanagerGlobalConfig read_global(const YAML::Node& node, const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "global");
  AlertmanagerGlobalConfig g;
  if (auto d = r.duration("resolve_timeout")) g.resolve_timeout = *d;
  if (YAML::Node http = r.take("http_config"); http.IsDefined()) {
    g.http_config = read_http_config(http, ctx.base_dir, ctx.diag);
  }

  g.smtp_from = r.string("smtp_from").value_or("");
  g.smtp_hello = r.string("smtp_hello").value_or("localhost");
  g.smtp_smarthost = read_host_port(r, "smtp_smarthost").value_or(http::HostPort{});
  g.smtp_auth_username = r.string("smtp_auth_username").value_or("");
  read_secret_and_file(r, "smtp_auth_password", g.smtp_auth_password, g.smtp_auth_password_file,
                       ctx.base_dir);
  g.smtp_auth_secret = read_secret(r, "smtp_auth_secret");
  g.smtp_auth_identity = r.string("smtp_auth_identity").value_or("");
  g.smtp_require_tls = read_bool(r, "smtp_require_tls").value_or(true);

  g.slack_api_url = read_secret_url(r, "slack_api_url").value_or(Secret());
  g.slack_api_url_file = read_path(r, "slack_api_url_file", ctx.base_dir);
  read_url(r, "pagerduty_url", g.pagerduty_url);

  read_url(r, "opsgenie_api_url", g.opsgenie_api_url);
  read_secret_and_file(r, "opsgenie_api_key", g.opsgenie_api_key, g.opsgenie_api_key_file,
                       ctx.base_dir);
  read_url(r, "wechat_api_url", g.wechat_api_url);
  g.wechat_api_secret = read_secret(r, "wechat_api_secret");
  g.wechat_api_corp_id = r.string("wechat_api_corp_id").value_or("");
  read_url(r, "victorops_api_url", g.victorops_api_url);
  read_secret_and_file(r, "victorops_api_key", g.victorops_api_key, g.victorops_api_key_file,
                       ctx.base_dir);
  read_url(r, "telegram_api_url", g.telegram_api_url);
  read_url(r, "webex_api_url", g.webex_api_url);
  r.finish();

  check_secret_or_file(node, "slack_api_url", g.slack_api_url, g.slack_api_url_file, ctx.diag);
  check_secret_or_file(node, "opsgenie_api_key", g.opsgenie_api_key, g.opsgenie_api_key_file,
                       ctx.diag);
  check_secret_or_file(node, "victorops_api_key", g.victorops_api_key, g.victorops_api_key_file,
                       ctx.diag);
  check_secret_or_file(node, "smtp_auth_password", g.smtp_auth_password, g.smtp_auth_password_file,
                       ctx.diag);
  return g;
}

}  // namespace tocsin::config::am
