// The `remote_write` section of tocsin.yml: where recording rules' samples
// and the ALERTS / ALERTS_FOR_STATE series go, in Prometheus 2.42's
// remote_write format (config/config.go, RemoteWriteConfig): url, name,
// remote_timeout, headers, prometheus/common's HTTP client fields inlined
// (basic_auth, authorization, bearer_token[_file], tls_config, proxy_url,
// follow_redirects, enable_http2; oauth2 is read but refused when the client
// is built, as everywhere in tocsin), and queue_config.
//
// tocsin holds one bounded queue per target, drained by one sender, so of
// queue_config it reads capacity, max_samples_per_send, min_backoff,
// max_backoff and retry_on_http_429; Prometheus's other keys
// (write_relabel_configs, max_shards, batch_send_deadline, metadata_config,
// sigv4, ...) are errors naming the key, never silently ignored.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "config/yaml_reader.h"
#include "http/client_config.h"

namespace tocsin::config {

struct RemoteWriteQueueConfig {
  // Samples the queue holds; more are dropped (and counted) until it drains.
  // Prometheus's 2500 is per shard, of up to 200 shards; tocsin has one
  // sender per target, so it holds more.
  std::size_t capacity = 100'000;
  std::size_t max_samples_per_send = 500;  // Prometheus's default
  // A request that failed in a way worth retrying (no response, 5xx, and 429
  // with retry_on_http_429) is retried after min_backoff, doubling up to
  // max_backoff, until it succeeds: Prometheus 2.42's defaults and rule.
  Duration min_backoff = std::chrono::milliseconds(30);
  Duration max_backoff = std::chrono::seconds(5);
  bool retry_on_http_429 = false;  // Prometheus 2.42's default

  bool operator==(const RemoteWriteQueueConfig&) const = default;
};

struct RemoteWriteConfig {
  std::string url;
  // What metrics and logs call the target; when empty, a hash of the rest
  // of the configuration (see remote_write_name).
  std::string name;
  Duration remote_timeout = std::chrono::seconds(30);
  std::map<std::string, std::string> headers;
  http::HttpClientConfig http_config;
  RemoteWriteQueueConfig queue_config;

  bool operator==(const RemoteWriteConfig&) const = default;
};

// Reads the `remote_write` list; every problem goes to `diag`, at the
// position of the entry or field, as Prometheus words it where it has words
// ("url for remote_write is empty", "X is a reserved header. It must not be
// changed", "found multiple remote write configs with job name \"N\"").
std::vector<RemoteWriteConfig> read_remote_write(const YAML::Node& node,
                                                 const std::string& base_dir,
                                                 yaml::Diagnostics& diag);

// `config.name`, or the first 6 hex digits of a hash of the configuration
// when it is empty (as Prometheus names an unnamed target); stable across
// runs and reloads.
std::string remote_write_name(const RemoteWriteConfig& config);

}  // namespace tocsin::config
