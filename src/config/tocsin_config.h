// tocsin.yml: the daemon's own configuration.
//
//   global:      evaluation_interval (1m), external_labels, external_url
//   datasource:  the Prometheus to query (url, timeout, basic_auth,
//                bearer_token[_file], headers, tls_config)
//   rule_files:  globs of Prometheus rule files
//   web:         listen_address (127.0.0.1:9095)
//   remote_write: where recording rules and ALERTS series are written
//                (config/remote_write_config.h); none: they are not
//   alerting:    an alertmanager.yml inline (route, receivers, ...), or
//   alerting_config_file: the path of one
//
// Relative paths are resolved against the directory of the file, as
// Prometheus does. Unknown keys are errors.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "config/alertmanager_config.h"
#include "config/datasource_config.h"
#include "config/remote_write_config.h"

namespace tocsin::config {

inline constexpr std::string_view kDefaultListenAddress = "127.0.0.1:9095";

struct GlobalConfig {
  Duration evaluation_interval = std::chrono::minutes(1);
  std::map<std::string, std::string> external_labels;
  std::string external_url;  // empty: http://<web.listen_address>
};

struct WebConfig {
  std::string listen_address{kDefaultListenAddress};
};

struct Config {
  std::string path;  // the file it was read from
  GlobalConfig global;
  DatasourceConfig datasource;
  std::vector<std::string> rule_files;  // patterns, resolved against the file's directory
  WebConfig web;
  std::vector<RemoteWriteConfig> remote_write;
  // Routing and receivers; unset when the file has neither `alerting` nor
  // `alerting_config_file` (then no notifications are sent).
  std::optional<AlertmanagerConfig> alerting;

  // The external URL with its default applied.
  std::string external_url() const;
};

// Every problem is reported, each as FILE:LINE:COL: message. The alerting
// configuration's receivers may hold the integrations of `kinds`
// (notifiers::receiver_kinds()), as parse_alertmanager_config reads them.
std::expected<Config, std::vector<Error>> parse_config(const std::string& text,
                                                       const std::string& path,
                                                       const ReceiverKinds& kinds);
std::expected<Config, std::vector<Error>> load_config(const std::string& path,
                                                      const ReceiverKinds& kinds);

// A tocsin.yml, or a plain alertmanager.yml: a file with a top-level `route`.
// `check config` and `routes` take either.
using AnyConfig = std::variant<Config, AlertmanagerConfig>;
std::expected<AnyConfig, std::vector<Error>> load_any_config(const std::string& path,
                                                             const ReceiverKinds& kinds);

// The Alertmanager configuration that `path` holds: the whole file when it
// is an alertmanager.yml, else the `alerting` section or
// `alerting_config_file` of a tocsin.yml.
AlertmanagerConfigResult load_alerting_config(const std::string& path, const ReceiverKinds& kinds);

// The rule files the patterns name now, deduplicated, in pattern order.
Result<std::vector<std::string>> expand_rule_files(const Config& config);

}  // namespace tocsin::config
