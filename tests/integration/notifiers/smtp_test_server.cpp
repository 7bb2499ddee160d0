#include "smtp_test_server.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "support/ports.h"
#include "support/wait.h"

namespace tocsin::notifiers::testing {
namespace {

// Debian's interpreter, where python3-aiosmtpd lives (PATH may name another).
constexpr std::string_view kPython = "/usr/bin/python3";
constexpr int kStartAttempts = 3;  // another process may take the port first

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string_view tls_flag(SmtpTls tls) {
  switch (tls) {
    case SmtpTls::kStartTls:
      return "starttls";
    case SmtpTls::kImplicit:
      return "implicit";
    case SmtpTls::kNone:
      break;
  }
  return "none";
}

}  // namespace

Result<std::unique_ptr<SmtpTestServer>> SmtpTestServer::start(SmtpServerOptions options) {
  std::unique_ptr<SmtpTestServer> server(new SmtpTestServer());
  std::string mechanisms;
  for (const std::string& m : options.mechanisms) mechanisms += (mechanisms.empty() ? "" : ",") + m;
  std::string ready = server->dir_.file("mail/ready");
  std::filesystem::create_directories(server->dir_.file("mail"));

  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    server->port_ = test::free_port();
    test::ProcessOptions process;
    process.argv = {std::string(kPython),
                    TOCSIN_SMTP_SERVER_SCRIPT,
                    "--port",
                    std::to_string(server->port_),
                    "--maildir",
                    server->dir_.file("mail"),
                    "--tls",
                    std::string(tls_flag(options.tls)),
                    "--mechanisms",
                    mechanisms};
    for (auto [flag, value] :
         {std::pair<std::string, const std::string&>{"--cert", options.cert_file},
          {"--key", options.key_file},
          {"--user", options.user},
          {"--password", options.password},
          {"--cram-secret", options.cram_secret}}) {
      if (!value.empty()) {
        process.argv.push_back(flag);
        process.argv.push_back(value);
      }
    }
    process.stdout_path = server->dir_.file("server.log");
    process.stderr_path = server->dir_.file("server.log");
    process.append_output = true;
    auto started = test::Process::start(std::move(process));
    if (!started) return std::unexpected(started.error());
    server->process_.emplace(std::move(*started));
    bool up = test::wait_until(
        [&] { return std::filesystem::exists(ready) || !server->process_->alive(); },
        std::chrono::seconds(30));
    if (up && server->process_->alive()) return server;
    server->process_->stop();
    server->process_.reset();
  }
  return fail(fmt::format("the SMTP test server did not start; its log:\n{}", server->log()));
}

SmtpTestServer::~SmtpTestServer() {
  if (process_) process_->stop();
}

http::HostPort SmtpTestServer::smarthost() const {
  return http::HostPort{"127.0.0.1", std::to_string(port_)};
}

std::vector<nlohmann::json> SmtpTestServer::messages() const {
  std::vector<nlohmann::json> out;
  for (int i = 1;; ++i) {
    std::string path = dir_.file(fmt::format("mail/message-{}.json", i));
    if (!std::filesystem::exists(path)) break;
    out.push_back(nlohmann::json::parse(read_file(path), nullptr, /*allow_exceptions=*/false));
  }
  return out;
}

bool SmtpTestServer::wait_for_messages(std::size_t count, Duration timeout) const {
  return test::wait_until([&] { return messages().size() >= count; }, timeout);
}

std::string SmtpTestServer::log() const {
  return read_file(dir_.file("server.log"));
}

}  // namespace tocsin::notifiers::testing
