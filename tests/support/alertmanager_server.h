// A real Alertmanager (Debian's prometheus-alertmanager, 0.25) for one test:
// the oracle tocsin's notification side is compared with. Clustering off
// unless join_cluster says otherwise (gossip on another free 127.0.0.1
// port), a private storage directory, a free 127.0.0.1 port; the destructor
// stops it.
//
// Not thread-safe: the test's thread owns it.
#pragma once

#include <optional>
#include <string>

#include <tocsin/error.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace tocsin::test {

class AlertmanagerServer {
 public:
  // `config_yaml`: its alertmanager.yml. `external_url`: what it puts in
  // notifications as its own address. `log_level`: debug for tests (what it
  // did is in log()), info for benchmarks (debug logs every alert).
  AlertmanagerServer(std::string config_yaml, std::string external_url,
                     std::string log_level = "debug");
  ~AlertmanagerServer();
  AlertmanagerServer(const AlertmanagerServer&) = delete;
  AlertmanagerServer& operator=(const AlertmanagerServer&) = delete;

  // Gossips with `peers` (their cluster_address()) from the next start on,
  // as one member of an Alertmanager cluster.
  void join_cluster(std::vector<std::string> peers);
  // Where it gossips ("127.0.0.1:<port>"), cluster or not.
  std::string cluster_address() const;

  // Starts it and waits until /-/ready answers 200.
  Status start();
  ExitStatus stop();
  // SIGKILL at once, as a crash ends it.
  ExitStatus kill();

  int port() const { return port_; }
  // The running process's id; -1 when not running.
  int pid() const { return process_ ? process_->pid() : -1; }
  std::string url() const;  // "http://127.0.0.1:<port>"
  const TempDir& dir() const { return dir_; }
  std::string log() const;

 private:
  std::string config_yaml_;
  std::string external_url_;
  std::string log_level_;
  TempDir dir_;
  int port_;
  int cluster_port_ = 0;
  std::optional<std::vector<std::string>> peers_;  // set: a cluster member
  std::string log_path_;
  std::optional<Process> process_;
};

}  // namespace tocsin::test
