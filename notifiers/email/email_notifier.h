// The email integration (email_configs): renders from, to, every header
// (Subject, To and From defaulted), the text and HTML bodies, writes the
// MIME message as Alertmanager does (mime_message.h) and sends it through
// the smarthost (smtp_sender.h). Template and address errors are final;
// SMTP errors are worth a retry.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/email/email_config.h"
#include "notifiers/email/mime_message.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_email_notifier(const EmailConfig& config,
                                                              const NotifierSettings& settings);

// One rendered email, before it goes on the wire.
struct EmailMessage {
  std::string from;                 // the envelope sender (addr-spec)
  std::vector<std::string> to;      // the envelope recipients
  std::vector<MailHeader> headers;  // rendered and encoded; Message-Id and Date included
  std::vector<MimePart> parts;      // text, then HTML
};

// Renders `config` for one notification. `message_id` is used unless the
// config sets a Message-Id header; `date` is the Date header's value.
std::expected<EmailMessage, notify::Failure> render_email_message(const EmailConfig& config,
                                                                  FieldRenderer& render,
                                                                  const std::string& message_id,
                                                                  const std::string& date);

}  // namespace tocsin::notifiers
