#include "config/tocsin_config.h"

#include <fmt/format.h>

#include <tocsin/labels.h>

#include "config/yaml_reader.h"
#include "core/files.h"

namespace tocsin::config {
namespace {

void read_global(const YAML::Node& node, GlobalConfig& out, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "global");
  if (auto d = r.duration("evaluation_interval")) {
    if (*d <= Duration(0)) {
      diag.error(node["evaluation_interval"], "evaluation_interval must be greater than zero");
    } else {
      out.evaluation_interval = *d;
    }
  }
  if (auto entries = r.string_entries("external_labels")) {
    for (auto& e : *entries) {
      if (!is_valid_label_name(e.key)) {
        diag.error(e.key_position, fmt::format("external_labels: invalid label name: {}", e.key));
      }
      out.external_labels[e.key] = e.value;
    }
  }
  out.external_url = r.string("external_url").value_or("");
  if (!out.external_url.empty() && !out.external_url.starts_with("http://") &&
      !out.external_url.starts_with("https://")) {
    diag.error(node["external_url"], "external_url: must start with http:// or https://");
  }
  r.finish();
}

void read_tls(const YAML::Node& node, http::TlsConfig& out, const std::string& dir,
              yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "tls_config");
  out.ca_file = files::resolve(dir, r.string("ca_file").value_or(""));
  out.cert_file = files::resolve(dir, r.string("cert_file").value_or(""));
  out.key_file = files::resolve(dir, r.string("key_file").value_or(""));
  out.server_name = r.string("server_name").value_or("");
  out.insecure_skip_verify = r.boolean("insecure_skip_verify").value_or(false);
  r.finish();
  if (out.cert_file.empty() != out.key_file.empty()) {
    diag.error(node, "tls_config: cert_file and key_file must be set together");
  }
}

void read_datasource(const YAML::Node& node, DatasourceConfig& out, const std::string& dir,
                     yaml::Diagnostics& diag) {
  if (!node.IsDefined()) {
    diag.error(SourcePosition{}, "datasource: missing; tocsin needs a Prometheus to query");
    return;
  }
  yaml::MapReader r(node, diag, "datasource");
  out.url = r.string("url").value_or("");
  if (out.url.empty()) {
    diag.error(node, "datasource.url: must be set");
  } else if (!out.url.starts_with("http://") && !out.url.starts_with("https://")) {
    diag.error(node["url"],
               fmt::format("datasource.url: \"{}\" must start with http:// or https://", out.url));
  }
  if (auto t = r.duration("timeout")) {
    if (*t <= Duration(0)) {
      diag.error(node["timeout"], "datasource.timeout must be greater than zero");
    } else {
      out.timeout = *t;
    }
  }
  http::HttpClientConfig& http = out.http_config;
  if (YAML::Node auth = r.take("basic_auth"); auth.IsDefined()) {
    yaml::MapReader a(auth, diag, "basic_auth");
    http::BasicAuth basic;
    basic.username = a.string("username").value_or("");
    basic.password = http::Secret(a.string("password").value_or(""));
    basic.password_file = files::resolve(dir, a.string("password_file").value_or(""));
    a.finish();
    if (!basic.password.empty() && !basic.password_file.empty()) {
      diag.error(auth, "basic_auth: at most one of password and password_file must be set");
    }
    http.basic_auth = std::move(basic);
  }
  std::string bearer_token = r.string("bearer_token").value_or("");
  std::string bearer_token_file = files::resolve(dir, r.string("bearer_token_file").value_or(""));
  if (!bearer_token.empty() && !bearer_token_file.empty()) {
    diag.error(node, "datasource: at most one of bearer_token and bearer_token_file must be set");
  }
  bool has_bearer = !bearer_token.empty() || !bearer_token_file.empty();
  if (http.basic_auth && has_bearer) {
    diag.error(node, "datasource: at most one of basic_auth and bearer_token[_file] must be set");
  }
  if (has_bearer) {
    // As prometheus/common moves a bearer token into authorization.
    http.authorization = http::Authorization{.type = "Bearer",
                                             .credentials = http::Secret(std::move(bearer_token)),
                                             .credentials_file = std::move(bearer_token_file)};
  }
  if (auto headers = r.string_map("headers")) out.headers = std::move(*headers);
  read_tls(r.take("tls_config"), http.tls_config, dir, diag);
  r.finish();
}

void read_web(const YAML::Node& node, WebConfig& out, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "web");
  if (auto addr = r.string("listen_address")) {
    auto colon = addr->rfind(':');
    if (colon == std::string::npos || colon + 1 == addr->size()) {
      diag.error(node["listen_address"],
                 fmt::format("web.listen_address: \"{}\" must be host:port", *addr));
    } else {
      out.listen_address = *addr;
    }
  }
  r.finish();
}

}  // namespace

std::string Config::external_url() const {
  if (!global.external_url.empty()) return global.external_url;
  return "http://" + web.listen_address;
}

std::expected<Config, std::vector<Error>> parse_config(const std::string& text,
                                                       const std::string& path,
                                                       const ReceiverKinds& kinds) {
  auto root = yaml::parse(text, path);
  if (!root) return std::unexpected(std::vector<Error>{root.error()});
  Config config;
  config.path = path;
  const std::string dir = files::dir_of(path);
  yaml::Diagnostics diag(path);
  yaml::MapReader r(*root, diag, "tocsin configuration");
  read_global(r.take("global"), config.global, diag);
  read_datasource(r.take("datasource"), config.datasource, dir, diag);
  for (const std::string& pattern :
       r.string_list("rule_files").value_or(std::vector<std::string>{})) {
    config.rule_files.push_back(files::resolve(dir, pattern));
  }
  read_web(r.take("web"), config.web, diag);
  config.remote_write = read_remote_write(r.take("remote_write"), dir, diag);
  YAML::Node inline_alerting = r.take("alerting");
  auto alerting_file = r.string("alerting_config_file");
  r.finish();
  if (inline_alerting.IsDefined() && alerting_file) {
    diag.error(inline_alerting, "at most one of alerting and alerting_config_file must be set");
  } else if (inline_alerting.IsDefined()) {
    config.alerting = read_alertmanager_config(inline_alerting, dir, kinds, diag);
  } else if (alerting_file) {
    auto loaded = load_alertmanager_config(files::resolve(dir, *alerting_file), kinds);
    if (loaded) {
      config.alerting = std::move(*loaded);
    } else {
      for (const Error& e : loaded.error()) diag.error(e.position(), e.message());
    }
  }
  if (!diag.ok()) return std::unexpected(diag.errors());
  return config;
}

std::expected<Config, std::vector<Error>> load_config(const std::string& path,
                                                      const ReceiverKinds& kinds) {
  auto text = files::read(path);
  if (!text) return std::unexpected(std::vector<Error>{text.error()});
  return parse_config(*text, path, kinds);
}

std::expected<AnyConfig, std::vector<Error>> load_any_config(const std::string& path,
                                                             const ReceiverKinds& kinds) {
  auto text = files::read(path);
  if (!text) return std::unexpected(std::vector<Error>{text.error()});
  auto root = yaml::parse(*text, path);
  if (!root) return std::unexpected(std::vector<Error>{root.error()});
  const YAML::Node& top = *root;  // const: a lookup must not add the key
  if (top.IsMap() && top["route"]) {
    auto alerting = parse_alertmanager_config(*text, path, kinds);
    if (!alerting) return std::unexpected(std::move(alerting.error()));
    return AnyConfig(std::move(*alerting));
  }
  auto config = parse_config(*text, path, kinds);
  if (!config) return std::unexpected(std::move(config.error()));
  return AnyConfig(std::move(*config));
}

AlertmanagerConfigResult load_alerting_config(const std::string& path, const ReceiverKinds& kinds) {
  auto any = load_any_config(path, kinds);
  if (!any) return std::unexpected(std::move(any.error()));
  if (auto* alerting = std::get_if<AlertmanagerConfig>(&*any)) return std::move(*alerting);
  auto& config = std::get<Config>(*any);
  if (!config.alerting) {
    return std::unexpected(std::vector<Error>{
        Error(SourcePosition{path, 0, 0}, "no alerting section or alerting_config_file")});
  }
  return std::move(*config.alerting);
}

Result<std::vector<std::string>> expand_rule_files(const Config& config) {
  return files::glob_all(config.rule_files);
}

}  // namespace tocsin::config
