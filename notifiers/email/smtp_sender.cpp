#include "notifiers/email/smtp_sender.h"

#include <algorithm>
#include <memory>

#include <curl/curl.h>
#include <fmt/format.h>

#include "http/curl_bounds.h"
#include "http/curl_slist.h"
#include "http/curl_target.h"
#include "http/curl_tls.h"
#include "http/redact.h"

namespace tocsin::notifiers {
using http::append;
using http::StringList;

namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* source) {
  auto* upload = static_cast<Upload*>(source);
  std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::copy_n(upload->data.data() + upload->offset, n, buffer);
  upload->offset += n;
  return n;
}

// Go's smtp.PlainAuth sends credentials in the clear only to these.
bool is_localhost(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

// CURLOPT_LOGIN_OPTIONS naming the mechanisms libcurl may choose from.
std::string auth_options(const SmtpSession& s, bool encrypted) {
  if (!s.password.empty()) {
    return encrypted || is_localhost(s.smarthost.host) ? "AUTH=LOGIN;AUTH=PLAIN" : "AUTH=LOGIN";
  }
  return "AUTH=CRAM-MD5";
}

std::string failure_message(CURLcode code, const char* detail, const SmtpSession& s,
                            Duration timeout) {
  std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  std::string where = s.smarthost.to_string();
  switch (code) {
    case CURLE_USE_SSL_FAILED:
      return fmt::format(
          "'require_tls' is true (default) but \"{}\" does not advertise the STARTTLS extension",
          where);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return fmt::format("establish connection to server {}: {}", where, why);
    case CURLE_OPERATION_TIMEDOUT:
      return fmt::format("SMTP session with {} took longer than {}: {}", where,
                         format_duration(timeout), why);
    case CURLE_ABORTED_BY_CALLBACK:
      return fmt::format("send mail through {}: context canceled", where);
    case CURLE_LOGIN_DENIED:
      return fmt::format("authenticate to {}: {}", where, why);
    default:
      return fmt::format("send mail through {}: {}", where, why);
  }
}

}  // namespace

std::expected<notify::Delivery, notify::Failure> send_mail(const SmtpSession& s,
                                                           const SmtpEnvelope& envelope,
                                                           std::string_view message,
                                                           const notify::Context& context) {
  const bool implicit_tls = s.implicit_tls;
  const bool encrypted = implicit_tls || s.require_tls;
  const std::vector<std::string> secrets = {s.password, s.secret};
  auto failed = [&](std::string text) {
    return std::unexpected(notify::Failure{http::redact(std::move(text), secrets), true});
  };

  std::unique_ptr<CURL, EasyDeleter> owner(curl_easy_init());
  CURL* handle = owner.get();
  if (handle == nullptr) return failed("libcurl could not create a handle");
  char* hello = curl_easy_escape(handle, s.hello.empty() ? "localhost" : s.hello.c_str(), 0);
  if (hello == nullptr) return failed("out of memory building the SMTP URL");
  std::string url =
      fmt::format("{}://{}/{}", implicit_tls ? "smtps" : "smtp", s.smarthost.to_string(), hello);
  curl_free(hello);
  auto target = http::make_curl_target(url, encrypted ? s.tls.server_name : "");
  if (!target)
    return failed(
        fmt::format("smarthost {}: {}", s.smarthost.to_string(), target.error().message()));

  StringList recipients;
  StringList connect_to;
  bool ok = true;
  for (const std::string& to : envelope.to) ok = ok && append(recipients, "<" + to + ">");
  if (!target->connect_to.empty()) ok = ok && append(connect_to, target->connect_to);
  if (!ok) return failed("out of memory building the SMTP envelope");
  std::string from = "<" + envelope.from + ">";
  Upload upload{message};
  char detail[CURL_ERROR_SIZE] = "";

  curl_easy_setopt(handle, CURLOPT_URL, target->url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_FORBID_REUSE, 1L);  // a session per message, as Alertmanager
  std::optional<Duration> timeout =
      http::transfer_timeout(s.timeout, context.deadline, context.clock->now());
  if (!timeout) {
    return failed(
        fmt::format("send mail through {}: context deadline exceeded", s.smarthost.to_string()));
  }
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout->count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout->count()));
  if (connect_to) curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.get());
  if (encrypted) http::apply_tls_config(handle, s.tls);
  if (!implicit_tls) {
    curl_easy_setopt(handle, CURLOPT_USE_SSL,
                     static_cast<long>(s.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  }
  if (!s.username.empty() && (!s.password.empty() || !s.secret.empty())) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD,
                     s.password.empty() ? s.secret.c_str() : s.password.c_str());
    curl_easy_setopt(handle, CURLOPT_LOGIN_OPTIONS, auth_options(s, encrypted).c_str());
    if (!s.identity.empty()) curl_easy_setopt(handle, CURLOPT_SASL_AUTHZID, s.identity.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, detail);

  CURLcode code = [&] {
    http::StopWatch watch(handle, context.stop);
    return curl_easy_perform(handle);
  }();
  if (code != CURLE_OK) return failed(failure_message(code, detail, s, *timeout));
  long reply = 0;  // the server's last: its answer to the message's end
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  return notify::Delivery{fmt::format("SMTP {}", reply)};
}

}  // namespace tocsin::notifiers
