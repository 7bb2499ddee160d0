#include "config/http_config.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "config/field_readers.h"
#include "http/url.h"

namespace tocsin::config {
namespace {

std::string trim(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

std::string read_proxy_url(yaml::MapReader& r) {
  YAML::Node n = r.take("proxy_url");
  if (!n.IsDefined()) return "";
  auto text = yaml::as_string(n, r.diagnostics(), "proxy_url");
  if (!text) return "";
  if (auto ok = http::check_url_syntax(*text); !ok) {
    r.diagnostics().error(n, fmt::format("proxy_url: {}", ok.error().message()));
  }
  return *text;
}

std::string read_tls_version(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return "";
  auto text = yaml::as_string(n, r.diagnostics(), key);
  if (!text) return "";
  if (*text != "TLS10" && *text != "TLS11" && *text != "TLS12" && *text != "TLS13") {
    r.diagnostics().error(n, fmt::format("{}: unknown TLS version: {}", key, *text));
    return "";
  }
  return *text;
}

// basic_auth and authorization alike: a name, a secret and the secret's file.
struct Credentials {
  std::string name;  // basic_auth's username, authorization's type
  Secret secret;
  std::string file;
};

std::optional<Credentials> read_credentials(yaml::MapReader& r, std::string_view key,
                                            const std::array<std::string_view, 3>& fields,
                                            const std::string& dir) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  yaml::MapReader m(n, r.diagnostics(), std::string(key));
  Credentials out;
  out.name = m.string(fields[0]).value_or("");
  out.secret = read_secret(m, fields[1]);
  out.file = read_path(m, fields[2], dir);
  m.finish();
  return out;
}

http::OAuth2 read_oauth2(const YAML::Node& node, const std::string& dir, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "oauth2");
  http::OAuth2 out;
  out.client_id = r.string("client_id").value_or("");
  out.client_secret = read_secret(r, "client_secret");
  out.client_secret_file = read_path(r, "client_secret_file", dir);
  out.scopes = r.string_list("scopes").value_or(std::vector<std::string>{});
  out.token_url = r.string("token_url").value_or("");
  out.endpoint_params =
      r.string_map("endpoint_params").value_or(std::map<std::string, std::string>{});
  out.proxy_url = read_proxy_url(r);
  out.tls_config = read_tls_config(r.take("tls_config"), dir, diag);
  r.finish();
  return out;
}

}  // namespace

http::TlsConfig read_tls_config(const YAML::Node& node, const std::string& dir,
                                yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "tls_config");
  http::TlsConfig out;
  out.ca_file = read_path(r, "ca_file", dir);
  out.cert_file = read_path(r, "cert_file", dir);
  out.key_file = read_path(r, "key_file", dir);
  out.server_name = r.string("server_name").value_or("");
  out.insecure_skip_verify = read_bool(r, "insecure_skip_verify").value_or(false);
  out.min_version = read_tls_version(r, "min_version");
  out.max_version = read_tls_version(r, "max_version");
  r.finish();
  return out;
}

namespace {

// The fields as read, before prometheus/common folds bearer_token[_file]
// into authorization.
struct HttpClientFields {
  http::HttpClientConfig config;
  Secret bearer_token;
  std::string bearer_token_file;
};

HttpClientFields read_http_client_fields(yaml::MapReader& r, const std::string& dir) {
  yaml::Diagnostics& diag = r.diagnostics();
  HttpClientFields fields;
  http::HttpClientConfig& out = fields.config;
  if (auto b = read_credentials(r, "basic_auth", {"username", "password", "password_file"}, dir)) {
    out.basic_auth = http::BasicAuth{std::move(b->name), std::move(b->secret), std::move(b->file)};
  }
  if (auto a =
          read_credentials(r, "authorization", {"type", "credentials", "credentials_file"}, dir)) {
    out.authorization =
        http::Authorization{std::move(a->name), std::move(a->secret), std::move(a->file)};
  }
  if (YAML::Node n = r.take("oauth2"); n.IsDefined()) out.oauth2 = read_oauth2(n, dir, diag);
  fields.bearer_token = read_secret(r, "bearer_token");
  fields.bearer_token_file = read_path(r, "bearer_token_file", dir);
  out.proxy_url = read_proxy_url(r);
  out.tls_config = read_tls_config(r.take("tls_config"), dir, diag);
  out.follow_redirects = read_bool(r, "follow_redirects").value_or(true);
  out.enable_http2 = read_bool(r, "enable_http2").value_or(true);
  return fields;
}

// prometheus/common's HTTPClientConfig.Validate, in its order and words,
// reported at `node` as "<what>: <message>".
http::HttpClientConfig validate_http_client_fields(HttpClientFields fields, const YAML::Node& node,
                                                   std::string_view what, yaml::Diagnostics& diag) {
  http::HttpClientConfig& out = fields.config;
  const Secret& bearer_token = fields.bearer_token;
  const std::string& bearer_token_file = fields.bearer_token_file;
  auto invalid = [&](std::string_view message) {
    diag.error(node, fmt::format("{}: {}", what, message));
  };
  bool has_bearer = !bearer_token.empty() || !bearer_token_file.empty();
  if (!bearer_token.empty() && !bearer_token_file.empty()) {
    invalid("at most one of bearer_token & bearer_token_file must be configured");
  }
  if ((out.basic_auth || out.oauth2) && has_bearer) {
    invalid(
        "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
  }
  if (out.basic_auth && !out.basic_auth->password.empty() &&
      !out.basic_auth->password_file.empty()) {
    invalid("at most one of basic_auth password & password_file must be configured");
  }
  if (out.authorization) {
    http::Authorization& auth = *out.authorization;
    if (has_bearer)
      invalid("authorization is not compatible with bearer_token & bearer_token_file");
    if (!auth.credentials.empty() && !auth.credentials_file.empty()) {
      invalid("at most one of authorization credentials & credentials_file must be configured");
    }
    auth.type = trim(auth.type);
    if (auth.type.empty()) auth.type = "Bearer";
    if (ascii_lower(auth.type) == "basic") {
      invalid("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (out.basic_auth || out.oauth2) {
      invalid("at most one of basic_auth, oauth2 & authorization must be configured");
    }
  } else if (has_bearer) {
    http::Authorization auth;
    auth.credentials = bearer_token;
    auth.credentials_file = bearer_token_file;
    out.authorization = std::move(auth);
  }
  if (out.oauth2) {
    const http::OAuth2& o = *out.oauth2;
    if (out.basic_auth)
      invalid("at most one of basic_auth, oauth2 & authorization must be configured");
    if (o.client_id.empty()) invalid("oauth2 client_id must be configured");
    if (o.client_secret.empty() && o.client_secret_file.empty()) {
      invalid("either oauth2 client_secret or client_secret_file must be configured");
    }
    if (o.token_url.empty()) invalid("oauth2 token_url must be configured");
    if (!o.client_secret.empty() && !o.client_secret_file.empty()) {
      invalid("at most one of oauth2 client_secret & client_secret_file must be configured");
    }
  }
  return std::move(out);
}

}  // namespace

http::HttpClientConfig read_http_config(const YAML::Node& node, const std::string& dir,
                                        yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "http_config");
  HttpClientFields fields = read_http_client_fields(r, dir);
  r.finish();
  return validate_http_client_fields(std::move(fields), node, "http_config", diag);
}

http::HttpClientConfig read_inline_http_config(yaml::MapReader& r, const std::string& base_dir,
                                               std::string_view what) {
  return validate_http_client_fields(read_http_client_fields(r, base_dir), r.node(), what,
                                     r.diagnostics());
}

http::HttpClientConfig read_http_config_or(yaml::MapReader& r,
                                           const http::HttpClientConfig& fallback,
                                           const std::string& base_dir) {
  YAML::Node n = r.take("http_config");
  return n.IsDefined() ? read_http_config(n, base_dir, r.diagnostics()) : fallback;
}

}  // namespace tocsin::config
