// A real Prometheus (the Debian 2.42 binary) for one test, on 127.0.0.1.
//
// The constructor picks a free port and a private directory holding the
// config and the TSDB (data_dir()), so data can be loaded with promtool
// before start(). stop() and start() may be called again: Prometheus comes
// back on the SAME port with the SAME data, as after a crash or an upgrade.
// The destructor stops it.
//
// Not thread-safe: the test's thread owns it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace tocsin::test {

struct PrometheusOptions {
  // YAML for the list under `scrape_configs:` ("- job_name: ..."), indented
  // as a top-level list; "" scrapes nothing.
  std::string scrape_configs{};
  Duration scrape_interval = std::chrono::seconds(1);
  Duration evaluation_interval = std::chrono::seconds(1);
  std::vector<std::string> rule_files{};  // paths for `rule_files:`
  // "host:port" of Alertmanagers (or a tocsin) to send alerts to; empty: none.
  std::vector<std::string> alertmanagers{};
  std::vector<std::string> extra_args{};  // more command-line flags
  bool enable_lifecycle = true;           // --web.enable-lifecycle (/-/reload for tests)
  Duration ready_timeout = std::chrono::seconds(60);
};

class PrometheusServer {
 public:
  explicit PrometheusServer(PrometheusOptions options = {});
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  // Writes the config, starts Prometheus and waits until /-/ready answers
  // 200. Fails (with the end of Prometheus's log) if it exits or is not ready
  // within options.ready_timeout.
  Status start();
  // SIGTERM (Prometheus shuts down cleanly), SIGKILL after a grace period.
  ExitStatus stop();
  bool running();

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:<port>"
  const std::string& data_dir() const { return data_dir_; }
  const std::string& config_path() const { return config_path_; }
  const TempDir& dir() const { return dir_; }
  std::string log() const;  // everything Prometheus printed, across restarts

 private:
  std::string config_yaml() const;

  PrometheusOptions options_;
  TempDir dir_;
  int port_;
  std::string data_dir_;
  std::string config_path_;
  std::string log_path_;
  std::optional<Process> process_;
};

}  // namespace tocsin::test
