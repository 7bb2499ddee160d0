#include "support/tocsin_server.h"

#include <csignal>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/http.h"
#include "support/ports.h"
#include "support/wait.h"

namespace tocsin::test {

std::string tocsin_binary() {
  if (const char* env = std::getenv("TOCSIN_BINARY"); env != nullptr && *env != '\0') return env;
  return TOCSIN_BINARY_PATH;
}

TocsinServer::TocsinServer()
    : dir_("tocsin"), port_(free_port()), log_path_(dir_.file("tocsin.log")) {}

TocsinServer::~TocsinServer() {
  stop();
}

std::string TocsinServer::url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

Status TocsinServer::start(std::string_view config, std::vector<std::string> flags) {
  ProcessOptions options;
  options.argv = {tocsin_binary(),
                  "--log.level=debug",
                  "run",
                  "--config",
                  dir_.file(config),
                  "--web.listen-address",
                  fmt::format("127.0.0.1:{}", port_)};
  options.argv.insert(options.argv.end(), flags.begin(), flags.end());
  options.cwd = dir_.path();
  options.stdout_path = log_path_;
  options.stderr_path = log_path_;
  options.append_output = true;
  auto process = Process::start(std::move(options));
  if (!process) return std::unexpected(process.error());
  process_.emplace(std::move(*process));
  bool ready =
      wait_until([&] { return !process_->alive() || http_get(url() + "/-/ready").status == 200; },
                 std::chrono::seconds(30));
  if (!ready || !process_->alive()) {
    return fail(fmt::format("tocsin did not become ready; its log:\n{}", log()));
  }
  return {};
}

ExitStatus TocsinServer::stop(Duration grace) {
  if (!process_) return ExitStatus{};
  ExitStatus status = process_->stop(grace);
  process_.reset();
  return status;
}

ExitStatus TocsinServer::kill() {
  if (!process_) return ExitStatus{};
  ExitStatus status = process_->kill();
  process_.reset();
  return status;
}

std::optional<ExitStatus> TocsinServer::wait_for_exit(Duration timeout) {
  if (!process_) return std::nullopt;
  return process_->wait(timeout);
}

void TocsinServer::signal_reload() {
  if (process_) ::kill(process_->pid(), SIGHUP);
}

std::optional<nlohmann::json> TocsinServer::get_json(const std::string& path) const {
  HttpResponse r = http_get(url() + path);
  if (r.status == 0) return std::nullopt;
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (doc.is_discarded()) return std::nullopt;
  return doc;
}

bool TocsinServer::store_is_idle() const {
  return http_get(url() + "/metrics").body.find("\ntocsin_store_pending_changes 0\n") !=
         std::string::npos;
}

std::optional<double> TocsinServer::metric(std::string_view series) const {
  std::string text = "\n" + http_get(url() + "/metrics").body;
  std::string key = "\n" + std::string(series) + " ";
  auto at = text.find(key);
  if (at == std::string::npos) return std::nullopt;
  auto start = at + key.size();
  auto end = text.find('\n', start);
  try {
    return std::stod(text.substr(start, end - start));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string TocsinServer::log() const {
  std::ifstream in(log_path_);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace tocsin::test
