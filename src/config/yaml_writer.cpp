#include "config/yaml_writer.h"

namespace tocsin::config {

std::string YamlWriter::finish() {
  out_ << YAML::EndMap;
  return std::string(out_.c_str()) + "\n";
}

void YamlWriter::str(std::string_view key, std::string_view value, bool omit_empty) {
  if (omit_empty && value.empty()) return;
  out_ << YAML::Key << std::string(key) << YAML::Value << std::string(value);
}

void YamlWriter::secret_and_file(std::string_view key, const Secret& value,
                                 const std::string& file) {
  secret(key, value);
  str(std::string(key) + "_file", file);
}

void YamlWriter::boolean(std::string_view key, bool value) {
  out_ << YAML::Key << std::string(key) << YAML::Value << value;
}

void YamlWriter::uint(std::string_view key, std::uint64_t value) {
  out_ << YAML::Key << std::string(key) << YAML::Value << value;
}

void YamlWriter::integer(std::string_view key, std::int64_t value) {
  out_ << YAML::Key << std::string(key) << YAML::Value << value;
}

void YamlWriter::list(std::string_view key, const std::vector<std::string>& values, bool omit_empty,
                      bool flow) {
  if (omit_empty && values.empty()) return;
  out_ << YAML::Key << std::string(key) << YAML::Value;
  if (flow || values.empty()) out_ << YAML::Flow;
  out_ << YAML::BeginSeq;
  for (const auto& v : values) out_ << v;
  out_ << YAML::EndSeq;
}

void YamlWriter::map(std::string_view key, const std::map<std::string, std::string>& values) {
  if (values.empty()) return;
  begin_map(key);
  for (const auto& [k, v] : values) out_ << YAML::Key << k << YAML::Value << v;
  end_map();
}

void YamlWriter::matchers(std::string_view key, const Matchers& values) {
  std::vector<std::string> text;
  for (const Matcher& m : values) text.push_back(m.to_string());
  list(key, text);
}

void YamlWriter::begin_map(std::string_view key) {
  out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
}

void YamlWriter::begin_seq(std::string_view key) {
  out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
}

void write_tls_config(YamlWriter& w, std::string_view key, const http::TlsConfig& tls) {
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
  w.end_map();
}

void write_http_config(YamlWriter& w, const http::HttpClientConfig& http) {
  w.begin_map("http_config");
  if (http.basic_auth) {
    w.begin_map("basic_auth");
    w.str("username", http.basic_auth->username, false);
    w.secret("password", http.basic_auth->password);
    w.str("password_file", http.basic_auth->password_file);
    w.end_map();
  }
  if (http.authorization) {
    w.begin_map("authorization");
    w.str("type", http.authorization->type);
    w.secret("credentials", http.authorization->credentials);
    w.str("credentials_file", http.authorization->credentials_file);
    w.end_map();
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
    write_tls_config(w, "tls_config", o.tls_config);
    w.end_map();
  }
  w.str("proxy_url", http.proxy_url);
  write_tls_config(w, "tls_config", http.tls_config);
  w.boolean("follow_redirects", http.follow_redirects);
  w.boolean("enable_http2", http.enable_http2);
  w.end_map();
}

}  // namespace tocsin::config
