#include "notifiers/email/email_notifier.h"

#include <fmt/format.h>

#include "core/files.h"
#include "http/curl_global.h"
#include "http/curl_tls.h"
#include "notifiers/email/mail_address.h"
#include "notifiers/email/mime_encoding.h"
#include "notifiers/email/smtp_sender.h"

namespace tocsin::notifiers {
namespace {

constexpr std::string_view kTemplateFailure = "failed to template email";

class EmailNotifier final : public notify::Notifier {
 public:
  EmailNotifier(EmailConfig config, const NotifierSettings& settings)
      : config_(std::move(config)),
        templates_(settings.templates),
        timeout_(settings.request_timeout),
        smtps_port_(settings.smtps_port),
        hostname_(settings.hostname.empty() ? local_hostname() : settings.hostname) {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    auto data = templates_->data(context, alerts);
    FieldRenderer render(*templates_, *data);
    auto message = render_email_message(config_, render, make_message_id(context.now, hostname_),
                                        format_rfc1123z(context.now));
    if (!message) return std::unexpected(message.error());

    SmtpSession session{.smarthost = config_.smarthost,
                        .implicit_tls = config_.smarthost.port == smtps_port_,
                        .hello = config_.hello,
                        .require_tls = config_.require_tls,
                        .tls = config_.tls_config,
                        .username = config_.auth_username,
                        .password = config_.auth_password.reveal(),
                        .secret = config_.auth_secret.reveal(),
                        .identity = config_.auth_identity,
                        .timeout = timeout_};
    if (!config_.auth_username.empty() && !config_.auth_password_file.empty()) {
      // Read as it is, untrimmed, as Alertmanager 0.25 reads it.
      auto password = files::read(config_.auth_password_file);
      if (!password) {
        return std::unexpected(
            notify::Failure{fmt::format("could not read {}: {}", config_.auth_password_file,
                                        password.error().message()),
                            true});
      }
      session.password = std::move(*password);
    }
    return send_mail(session, {message->from, message->to},
                     write_mime_message(message->headers, message->parts, random_mime_boundary()),
                     context);
  }

  std::string_view kind() const override { return "email"; }
  bool send_resolved() const override { return config_.send_resolved; }

 private:
  const EmailConfig config_;
  const std::shared_ptr<const tmpl::NotificationTemplates> templates_;
  const Duration timeout_;
  const std::string smtps_port_;
  const std::string hostname_;
};

}  // namespace

std::expected<EmailMessage, notify::Failure> render_email_message(const EmailConfig& config,
                                                                  FieldRenderer& render,
                                                                  const std::string& message_id,
                                                                  const std::string& date) {
  EmailMessage out;
  std::string from = render.text("from", config.from);
  std::string to = render.text("to", config.to);
  std::map<std::string, std::string> headers = config.effective_headers();
  for (const auto& [name, text] : headers) {
    out.headers.push_back(
        MailHeader{name, encode_header_word(render.text(fmt::format("headers.{}", name), text))});
  }
  if (!config.text.empty()) {
    out.parts.push_back(MimePart{"text/plain; charset=UTF-8", render.text("text", config.text)});
  }
  if (!config.html.empty()) {
    out.parts.push_back(MimePart{"text/html; charset=UTF-8", render.html("html", config.html)});
  }
  if (render.failed()) return std::unexpected(render.failure(kTemplateFailure));

  auto senders = parse_address_list(from);
  if (!senders) {
    return std::unexpected(notify::Failure{
        fmt::format("parse 'from' addresses: {}", senders.error().message()), false});
  }
  if (senders->size() != 1) {
    return std::unexpected(notify::Failure{
        fmt::format("must be exactly one 'from' address (got: {})", senders->size()), false});
  }
  out.from = std::move(senders->front());
  auto recipients = parse_address_list(to);
  if (!recipients) {
    return std::unexpected(notify::Failure{
        fmt::format("parse 'to' addresses: {}", recipients.error().message()), false});
  }
  out.to = std::move(*recipients);

  if (!headers.contains("Message-Id")) out.headers.push_back(MailHeader{"Message-Id", message_id});
  out.headers.push_back(MailHeader{"Date", date});
  return out;
}

Result<std::unique_ptr<notify::Notifier>> make_email_notifier(const EmailConfig& config,
                                                              const NotifierSettings& settings) {
  if (config.smarthost.empty()) return fail("email_config: no smarthost");
  if (auto ok = http::check_tls_config(config.tls_config); !ok) {
    return std::unexpected(ok.error().wrap("email_config"));
  }
  if (auto ok = http::ensure_curl_initialized(); !ok) return std::unexpected(ok.error());
  return std::make_unique<EmailNotifier>(config, settings);
}

}  // namespace tocsin::notifiers
