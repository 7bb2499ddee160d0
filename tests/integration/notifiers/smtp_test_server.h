// A real SMTP server for one test: smtp_server.py (aiosmtpd) on a free
// 127.0.0.1 port, with STARTTLS or implicit TLS and AUTH as asked. Every
// message it accepts comes back parsed by Python's email package (an
// implementation independent of tocsin's MIME writer): see smtp_server.py
// for the fields. The destructor stops the server.
//
// Not thread-safe: the test's thread owns it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "http/host_port.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace tocsin::notifiers::testing {

enum class SmtpTls { kNone, kStartTls, kImplicit };

struct SmtpServerOptions {
  SmtpTls tls = SmtpTls::kNone;
  std::string cert_file{};  // PEM, for either kind of TLS
  std::string key_file{};
  std::string user{};
  std::string password{};  // for PLAIN and LOGIN
  std::string cram_secret{};
  std::vector<std::string> mechanisms{};  // AUTH mechanisms offered; none: no AUTH
};

class SmtpTestServer {
 public:
  static Result<std::unique_ptr<SmtpTestServer>> start(SmtpServerOptions options);
  ~SmtpTestServer();
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  int port() const { return port_; }
  http::HostPort smarthost() const;  // 127.0.0.1:<port>

  // The messages accepted so far, in order.
  std::vector<nlohmann::json> messages() const;
  // True once at least `count` messages have arrived.
  bool wait_for_messages(std::size_t count, Duration timeout) const;
  std::string log() const;  // the server's stderr

 private:
  SmtpTestServer() : dir_("smtp") {}

  test::TempDir dir_;
  int port_ = 0;
  std::optional<test::Process> process_;
};

}  // namespace tocsin::notifiers::testing
