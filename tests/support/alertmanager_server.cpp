#include "support/alertmanager_server.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/http.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/wait.h"

namespace tocsin::test {

AlertmanagerServer::AlertmanagerServer(std::string config_yaml, std::string external_url,
                                       std::string log_level)
    : config_yaml_(std::move(config_yaml)),
      external_url_(std::move(external_url)),
      log_level_(std::move(log_level)),
      dir_("alertmanager"),
      port_(free_port()),
      log_path_(dir_.file("alertmanager.log")) {
  // Its own gossip port, never its HTTP one (nothing listens on either yet).
  do cluster_port_ = free_port();
  while (cluster_port_ == port_ && port_ != 0);
}

AlertmanagerServer::~AlertmanagerServer() {
  stop();
}

std::string AlertmanagerServer::url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

Status AlertmanagerServer::start() {
  if (port_ == 0) return std::unexpected(Error("no free loopback port for Alertmanager"));
  std::string binary = alertmanager_binary();
  if (binary.empty()) {
    return std::unexpected(Error(
        "prometheus-alertmanager not found: install Debian's prometheus-alertmanager package"));
  }
  std::string config = dir_.write("alertmanager.yml", config_yaml_);
  ProcessOptions options;
  options.argv = {binary,
                  "--config.file=" + config,
                  "--storage.path=" + dir_.file("data"),
                  fmt::format("--web.listen-address=127.0.0.1:{}", port_),
                  "--web.external-url=" + external_url_,
                  "--log.level=" + log_level_};
  if (peers_) {
    // Gossip on loopback only; settled (and so sending) within seconds.
    options.argv.push_back("--cluster.listen-address=" + cluster_address());
    options.argv.push_back("--cluster.advertise-address=" + cluster_address());
    options.argv.push_back("--cluster.settle-timeout=5s");
    for (const std::string& peer : *peers_) options.argv.push_back("--cluster.peer=" + peer);
  } else {
    options.argv.push_back("--cluster.listen-address=");  // no gossip: only loopback HTTP
  }
  options.cwd = dir_.path();
  options.stdout_path = log_path_;
  options.stderr_path = log_path_;
  auto process = Process::start(std::move(options));
  if (!process) return std::unexpected(process.error());
  process_.emplace(std::move(*process));
  bool ready = wait_until(
      [&] {
        return !process_->alive() ||
               http_get(url() + "/-/ready", {}, std::chrono::seconds(2)).status == 200;
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50));
  if (!ready || !process_->alive()) {
    process_->stop();
    return std::unexpected(
        Error(fmt::format("alertmanager on port {} did not become ready; log:\n{}", port_, log())));
  }
  return {};
}

void AlertmanagerServer::join_cluster(std::vector<std::string> peers) {
  peers_ = std::move(peers);
}

std::string AlertmanagerServer::cluster_address() const {
  return fmt::format("127.0.0.1:{}", cluster_port_);
}

ExitStatus AlertmanagerServer::kill() {
  if (!process_) return ExitStatus{};
  ExitStatus status = process_->kill();
  process_.reset();
  return status;
}

ExitStatus AlertmanagerServer::stop() {
  if (!process_) return ExitStatus{};
  ExitStatus status = process_->stop(std::chrono::seconds(15));
  process_.reset();
  return status;
}

std::string AlertmanagerServer::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace tocsin::test
