// What the HTTP integrations (webhook, Slack, PagerDuty, Telegram) add to
// http::HttpClient: one client per integration from its http_config and the
// notifier settings, and a JSON post bounded by the notification's context
// (its deadline, tocsin stopping) that fails as a notify::Failure.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "http/http_client.h"
#include "notifiers/delivery/notifier_settings.h"

namespace tocsin::notifiers {

// Configuration errors name "http_config", as the receiver's YAML does.
Result<std::unique_ptr<http::HttpClient>> make_http_client(const http::HttpClientConfig& config,
                                                           const NotifierSettings& settings);

// Any HTTP status is a response. A request that got none fails, worth a
// retry unless the URL or the credentials can never work; `secrets` are
// redacted from the failure besides the client's own.
std::expected<http::Response, notify::Failure> post_json(const http::HttpClient& client,
                                                         const std::string& url,
                                                         std::string_view body,
                                                         const std::vector<std::string>& secrets,
                                                         const notify::Context& context);

}  // namespace tocsin::notifiers
