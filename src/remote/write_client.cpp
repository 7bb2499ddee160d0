#include "remote/write_client.h"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace tocsin::remote {
namespace {

// Prometheus quotes at most this much of an error response (maxErrMsgLen).
constexpr std::size_t kMaxErrorBytes = 1024;

#ifndef TOCSIN_VERSION
#define TOCSIN_VERSION "unknown"
#endif

std::string first_line(std::string_view body) {
  body = body.substr(0, kMaxErrorBytes);
  return std::string(body.substr(0, body.find('\n')));
}

}  // namespace

Duration retry_after_delay(std::string_view value, Timestamp now) {
  if (value.empty()) return Duration(0);
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    return seconds > 0 ? std::chrono::duration_cast<Duration>(std::chrono::seconds(seconds))
                       : Duration(0);
  }
  // Go's http.TimeFormat: "Mon, 02 Jan 2006 15:04:05 GMT".
  std::tm tm{};
  std::string text(value);
  const char* parsed = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (parsed == nullptr || *parsed != '\0') return Duration(0);
  Timestamp at{std::chrono::duration_cast<Duration>(std::chrono::seconds(timegm(&tm)))};
  return at > now ? at - now : Duration(0);
}

Result<std::unique_ptr<WriteClient>> WriteClient::create(const config::RemoteWriteConfig& config) {
  http::ClientOptions options;
  options.timeout = config.remote_timeout;
  options.user_agent = "tocsin/" TOCSIN_VERSION;
  options.headers = {"Content-Encoding: snappy", "X-Prometheus-Remote-Write-Version: 0.1.0"};
  for (const auto& [name, value] : config.headers) {
    options.headers.push_back(fmt::format("{}: {}", name, value));
  }
  options.max_body = kMaxErrorBytes;
  options.max_idle_connections = 1;  // one sender per target
  options.response_headers = {"Retry-After"};
  auto client = http::HttpClient::create(config.http_config, std::move(options));
  if (!client) {
    return std::unexpected(
        client.error().wrap(fmt::format("remote_write {}", config::remote_write_name(config))));
  }
  return std::unique_ptr<WriteClient>(
      new WriteClient(config.url, config.queue_config.retry_on_http_429, std::move(*client)));
}

WriteClient::WriteClient(std::string url, bool retry_on_429,
                         std::unique_ptr<http::HttpClient> client)
    : url_(std::move(url)), retry_on_429_(retry_on_429), client_(std::move(client)) {}

SendOutcome WriteClient::store(std::string_view body, const http::TransferBounds& bounds) const {
  auto response = client_->post(url_, "application/x-protobuf", body, {}, bounds);
  if (!response) {
    // No response: worth another try (Prometheus retries every failed
    // round trip), unless the request itself cannot be made.
    const http::RequestFailure& failure = response.error();
    return SendOutcome{failure.retryable() ? SendOutcome::Kind::kRetry : SendOutcome::Kind::kFailed,
                       failure.to_string()};
  }
  int status = response->status;
  if (status / 100 == 2) return SendOutcome{};
  std::string error =
      fmt::format("server returned HTTP status {}: {}", status, first_line(response->body));
  if (status / 100 == 5) return SendOutcome{SendOutcome::Kind::kRetry, std::move(error)};
  if (status == 429 && retry_on_429_) {
    auto header = response->headers.find("Retry-After");
    Duration delay = header == response->headers.end()
                         ? Duration(0)
                         : retry_after_delay(header->second, bounds.clock->now());
    return SendOutcome{SendOutcome::Kind::kRetry, std::move(error), delay};
  }
  return SendOutcome{SendOutcome::Kind::kFailed, std::move(error)};
}

}  // namespace tocsin::remote
