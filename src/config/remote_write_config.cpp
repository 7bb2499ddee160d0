#include "config/remote_write_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <xxhash.h>

#include "config/field_readers.h"
#include "config/http_config.h"
#include "http/url.h"

namespace tocsin::config {
namespace {

// Prometheus's reservedHeaders (config/config.go): what its client sets
// itself. Authorization is refused with a message of its own.
constexpr std::array<std::string_view, 16> kReservedHeaders = {
    "host",
    "content-encoding",
    "content-length",
    "content-type",
    "user-agent",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "www-authenticate",
    "accept-encoding",
    "x-prometheus-remote-write-version",
    "x-prometheus-remote-read-version",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
};

// Prometheus keys tocsin does not implement: an error each, never ignored.
// (oauth2 is read with the HTTP client fields and refused where every
// client is built.)
constexpr std::array<std::string_view, 6> kUnsupportedKeys = {
    "write_relabel_configs", "send_exemplars", "send_native_histograms",
    "metadata_config",       "sigv4",          "azuread"};
constexpr std::array<std::string_view, 3> kUnsupportedQueueKeys = {"max_shards", "min_shards",
                                                                   "batch_send_deadline"};

// RFC 9110 token characters.
bool is_header_name(std::string_view name) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::ranges::all_of(name, [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

void read_headers(yaml::MapReader& r, RemoteWriteConfig& out) {
  YAML::Node node = r.node()["headers"];
  auto headers = r.string_map("headers");
  if (!headers) return;
  for (const auto& [name, value] : *headers) {
    YAML::Node at = key_node(node, name);
    std::string key = ascii_lower(name);
    if (key == "authorization") {
      r.diagnostics().error(at,
                            "authorization header must be changed via the basic_auth, "
                            "authorization, oauth2, or sigv4 parameter");
    } else if (std::ranges::find(kReservedHeaders, key) != kReservedHeaders.end()) {
      r.diagnostics().error(at,
                            fmt::format("{} is a reserved header. It must not be changed", name));
    } else if (!is_header_name(name)) {
      r.diagnostics().error(at, fmt::format("headers: \"{}\" is not a valid header name", name));
    } else if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      // The value is never echoed: it may be a secret.
      r.diagnostics().error(
          at, fmt::format("headers: the value of {} holds a line break or NUL", name));
    }
  }
  out.headers = std::move(*headers);
}

std::optional<std::size_t> read_positive(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.node()[std::string(key)];
  auto value = read_int(r, key);
  if (!value) return std::nullopt;
  if (*value <= 0) {
    r.diagnostics().error(n, fmt::format("queue_config.{}: must be greater than zero", key));
    return std::nullopt;
  }
  return static_cast<std::size_t>(*value);
}

std::optional<Duration> read_backoff(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.node()[std::string(key)];
  auto value = r.duration(key);
  if (value && *value <= Duration(0)) {
    r.diagnostics().error(n, fmt::format("queue_config.{}: must be greater than zero", key));
    return std::nullopt;
  }
  return value;
}

RemoteWriteQueueConfig read_queue_config(const YAML::Node& node, yaml::Diagnostics& diag) {
  RemoteWriteQueueConfig out;
  yaml::MapReader r(node, diag, "queue_config");
  if (!r.is_map()) return out;
  for (std::string_view key : kUnsupportedQueueKeys) {
    if (r.has(key)) {
      diag.error(key_node(node, key),
                 fmt::format("queue_config.{}: not supported by tocsin (one sender per "
                             "remote_write target sends samples as soon as they are queued)",
                             key));
      r.take(key);
    }
  }
  if (auto v = read_positive(r, "capacity")) out.capacity = *v;
  if (auto v = read_positive(r, "max_samples_per_send")) out.max_samples_per_send = *v;
  if (auto v = read_backoff(r, "min_backoff")) out.min_backoff = *v;
  if (auto v = read_backoff(r, "max_backoff")) out.max_backoff = *v;
  if (auto v = read_bool(r, "retry_on_http_429")) out.retry_on_http_429 = *v;
  r.finish();
  if (out.max_backoff < out.min_backoff) {
    diag.error(node, "queue_config: max_backoff must not be less than min_backoff");
  }
  return out;
}

// Credentials in the URL would show in metrics' url label and in logs.
bool has_userinfo(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  return authority.find('@') != std::string_view::npos;
}

std::optional<RemoteWriteConfig> read_entry(const YAML::Node& node, const std::string& dir,
                                            yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "remote_write");
  if (!r.is_map()) return std::nullopt;
  RemoteWriteConfig out;
  for (std::string_view key : kUnsupportedKeys) {
    if (!r.has(key)) continue;
    diag.error(key_node(node, key),
               fmt::format("remote_write: {} is not supported by tocsin", key));
    r.take(key);
  }
  YAML::Node url_node = r.node()["url"];
  if (auto url = r.string("url"); url && !url->empty()) {
    if (auto ok = http::check_http_url(*url); !ok) {
      diag.error(url_node, fmt::format("remote_write url: {}", ok.error().message()));
    } else if (has_userinfo(*url)) {
      diag.error(url_node,
                 "remote_write url: credentials in the URL are not supported; use basic_auth");
    }
    out.url = std::move(*url);
  } else {
    diag.error(url_node.IsDefined() ? url_node : node, "url for remote_write is empty");
  }
  out.name = r.string("name").value_or("");
  if (YAML::Node t = r.node()["remote_timeout"]; auto timeout = r.duration("remote_timeout")) {
    if (*timeout <= Duration(0)) {
      diag.error(t, "remote_timeout: must be greater than zero");
    } else {
      out.remote_timeout = *timeout;
    }
  }
  read_headers(r, out);
  out.queue_config = read_queue_config(r.take("queue_config"), diag);
  out.http_config = read_inline_http_config(r, dir, "remote_write");
  r.finish();
  return out;
}

}  // namespace

std::vector<RemoteWriteConfig> read_remote_write(const YAML::Node& node,
                                                 const std::string& base_dir,
                                                 yaml::Diagnostics& diag) {
  std::vector<RemoteWriteConfig> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!node.IsSequence()) {
    diag.error(node,
               fmt::format("remote_write: expected a sequence, got {}", yaml::kind_name(node)));
    return out;
  }
  std::set<std::string> names;
  std::set<std::string> identities;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    if (item.IsNull()) {
      // A null item has no position of its own worth showing: the list's.
      diag.error(node,
                 fmt::format("remote_write[{}]: empty or null remote write config section", i));
      continue;
    }
    auto entry = read_entry(item, base_dir, diag);
    if (!entry) continue;
    if (!entry->name.empty() && !names.insert(entry->name).second) {
      diag.error(item, fmt::format("found multiple remote write configs with job name \"{}\"",
                                   entry->name));
    }
    if (!identities.insert(remote_write_name(*entry) + "\n" + entry->url).second &&
        entry->name.empty()) {
      diag.error(item, fmt::format("duplicate remote write configs are not allowed, found "
                                   "duplicate for URL: {}",
                                   entry->url));
    }
    out.push_back(std::move(*entry));
  }
  return out;
}

std::string remote_write_name(const RemoteWriteConfig& config) {
  if (!config.name.empty()) return config.name;
  // Every field that makes two targets different, secrets included (only
  // their hash shows).
  const http::HttpClientConfig& h = config.http_config;
  std::string text = fmt::format("{}\n{}\n", config.url, config.remote_timeout.count());
  for (const auto& [k, v] : config.headers) text += fmt::format("h {}={}\n", k, v);
  if (h.basic_auth) {
    text += fmt::format("b {}\n{}\n{}\n", h.basic_auth->username, h.basic_auth->password.reveal(),
                        h.basic_auth->password_file);
  }
  if (h.authorization) {
    text += fmt::format("a {}\n{}\n{}\n", h.authorization->type,
                        h.authorization->credentials.reveal(), h.authorization->credentials_file);
  }
  const http::TlsConfig& t = h.tls_config;
  text += fmt::format("t {}\n{}\n{}\n{}\n{}\n{}\n{}\n", t.ca_file, t.cert_file, t.key_file,
                      t.server_name, t.insecure_skip_verify, t.min_version, t.max_version);
  text += fmt::format("p {}\n{}\n{}\n", h.proxy_url, h.follow_redirects, h.enable_http2);
  const RemoteWriteQueueConfig& q = config.queue_config;
  text += fmt::format("q {} {} {} {} {}\n", q.capacity, q.max_samples_per_send,
                      q.min_backoff.count(), q.max_backoff.count(), q.retry_on_http_429);
  return fmt::format("{:016x}", XXH64(text.data(), text.size(), 0)).substr(0, 6);
}

}  // namespace tocsin::config
