// Delivers one message over SMTP with libcurl, the way Alertmanager 0.25's
// email notifier talks to its smarthost:
//   - implicit TLS (smtps, Alertmanager's port 465), without asking for
//     STARTTLS inside it; otherwise plain TCP, upgraded with STARTTLS when
//     require_tls is set (and refused when the server does not offer it);
//     tls_config applies to either, server_name defaulting to the
//     smarthost's host;
//   - EHLO with `hello` ("localhost" when empty, as Go's smtp client);
//   - AUTH only when a username is set and the server offers AUTH: LOGIN or
//     PLAIN with the password, else CRAM-MD5 with the secret. PLAIN is not
//     offered over an unencrypted connection to another host than
//     localhost, as Go's smtp.PlainAuth refuses it;
//   - MAIL FROM, one RCPT TO per recipient, DATA, QUIT. One connection per
//     message.
// Every failure is worth a retry, as Alertmanager treats SMTP errors.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "http/client_config.h"
#include "http/host_port.h"

namespace tocsin::notifiers {

struct SmtpSession {
  http::HostPort smarthost;
  bool implicit_tls = false;  // smtps: TLS from the first byte
  std::string hello;
  bool require_tls = true;
  http::TlsConfig tls;
  std::string username;  // "": no AUTH
  std::string password;  // for LOGIN and PLAIN
  std::string secret;    // for CRAM-MD5, used when there is no password
  std::string identity;  // PLAIN's authorization identity
  Duration timeout{0};   // the whole session
};

struct SmtpEnvelope {
  std::string from;             // addr-spec
  std::vector<std::string> to;  // addr-specs
};

// `message` is the whole message with CRLF line ends (libcurl adds the
// dot-stuffing). Failure messages name the smarthost, never credentials.
// The session gives up at context.deadline and when context.stop is requested.
std::expected<notify::Delivery, notify::Failure> send_mail(const SmtpSession& session,
                                                           const SmtpEnvelope& envelope,
                                                           std::string_view message,
                                                           const notify::Context& context);

}  // namespace tocsin::notifiers
