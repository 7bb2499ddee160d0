#include "notifiers/common/http_delivery.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<http::HttpClient>> make_http_client(const http::HttpClientConfig& config,
                                                           const NotifierSettings& settings) {
  auto client = http::HttpClient::create(
      config, {.timeout = settings.request_timeout, .user_agent = settings.user_agent});
  if (!client) return std::unexpected(client.error().wrap("http_config"));
  return client;
}

std::expected<http::Response, notify::Failure> post_json(const http::HttpClient& client,
                                                         const std::string& url,
                                                         std::string_view body,
                                                         const std::vector<std::string>& secrets,
                                                         const notify::Context& context) {
  auto response =
      client.post(url, "application/json", body, secrets,
                  {.deadline = context.deadline, .stop = context.stop, .clock = context.clock});
  if (!response) {
    return std::unexpected(
        notify::Failure{response.error().to_string(), response.error().retryable()});
  }
  return std::move(*response);
}

}  // namespace tocsin::notifiers
