#include "support/prometheus_server.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/http.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

// The last lines of a log, for an error message.
std::string tail(const std::string& text, std::size_t max_bytes = 3000) {
  if (text.size() <= max_bytes) return text;
  return "..." + text.substr(text.size() - max_bytes);
}

std::string indent(const std::string& text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix;
    out += text.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

PrometheusServer::PrometheusServer(PrometheusOptions options)
    : options_(std::move(options)),
      dir_("prometheus"),
      port_(free_port()),
      data_dir_(dir_.file("data")),
      config_path_(dir_.file("prometheus.yml")),
      log_path_(dir_.file("prometheus.log")) {
  std::filesystem::create_directories(data_dir_);
}

PrometheusServer::~PrometheusServer() {
  stop();
}

std::string PrometheusServer::url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

std::string PrometheusServer::config_yaml() const {
  std::string yaml = fmt::format("global:\n  scrape_interval: {}\n  evaluation_interval: {}\n",
                                 format_duration(options_.scrape_interval),
                                 format_duration(options_.evaluation_interval));
  if (!options_.rule_files.empty()) {
    yaml += "rule_files:\n";
    for (const std::string& file : options_.rule_files) yaml += fmt::format("  - \"{}\"\n", file);
  }
  if (!options_.alertmanagers.empty()) {
    yaml +=
        "alerting:\n  alertmanagers:\n    - api_version: v2\n      static_configs:\n"
        "        - targets:\n";
    for (const std::string& target : options_.alertmanagers) {
      yaml += fmt::format("            - \"{}\"\n", target);
    }
  }
  yaml += "scrape_configs:";
  yaml += options_.scrape_configs.empty() ? " []\n" : "\n" + indent(options_.scrape_configs, "  ");
  return yaml;
}

Status PrometheusServer::start() {
  if (running()) return {};
  std::string binary = prometheus_binary();
  if (binary.empty()) {
    return fail(
        "prometheus not found: install Debian's prometheus package or set TOCSIN_PROMETHEUS");
  }
  if (port_ == 0) return fail("no free loopback port for Prometheus");
  dir_.write("prometheus.yml", config_yaml());

  ProcessOptions options;
  options.argv = {binary, "--config.file=" + config_path_, "--storage.tsdb.path=" + data_dir_,
                  fmt::format("--web.listen-address=127.0.0.1:{}", port_), "--log.level=info"};
  if (options_.enable_lifecycle) options.argv.push_back("--web.enable-lifecycle");
  options.argv.insert(options.argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  options.cwd = dir_.path();
  options.stdout_path = log_path_;
  options.stderr_path = log_path_;
  options.append_output = true;
  auto process = Process::start(std::move(options));
  if (!process) return std::unexpected(process.error());
  process_.emplace(std::move(*process));

  std::string ready_url = url() + "/-/ready";
  bool ready = wait_until(
      [&] {
        return !process_->alive() || http_get(ready_url, {}, std::chrono::seconds(2)).status == 200;
      },
      options_.ready_timeout, std::chrono::milliseconds(50));
  if (!process_->alive()) {
    ExitStatus status = process_->stop();
    return fail(fmt::format("prometheus on port {} exited ({}) before it was ready; log:\n{}",
                            port_, status.to_string(), tail(log())));
  }
  if (!ready) {
    process_->stop();
    return fail(fmt::format("prometheus on port {} was not ready within {}; log:\n{}", port_,
                            format_duration(options_.ready_timeout), tail(log())));
  }
  return {};
}

ExitStatus PrometheusServer::stop() {
  if (!process_) return ExitStatus{};
  ExitStatus status = process_->stop(std::chrono::seconds(15));
  process_.reset();
  return status;
}

bool PrometheusServer::running() {
  return process_ && process_->alive();
}

std::string PrometheusServer::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace tocsin::test
