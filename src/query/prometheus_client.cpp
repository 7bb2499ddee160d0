#include "query/prometheus_client.h"

#include <limits>

#include <fmt/format.h>

#include "http/redact.h"
#include "http/url.h"
#include "query/query_form.h"
#include "query/query_response.h"

namespace tocsin::query {
namespace {

constexpr std::string_view kQueryPath = "/api/v1/query";

// Idle handles (each with its connection) kept between calls: more than the
// rule groups that usually evaluate at the same moment.
constexpr std::size_t kMaxIdleConnections = 64;

http::ClientOptions client_options(const ClientConfig& config) {
  http::ClientOptions options{
      .timeout = config.timeout,
      .user_agent = "tocsin",
      .headers = {"Accept: application/json"},
      .accept_encoding = "",  // whatever libcurl can decompress
      .max_body = std::numeric_limits<std::size_t>::max(),
      .max_idle_connections = kMaxIdleConnections,
      // tocsin.yml has no authorization: its credentials_file is bearer_token_file.
      .credentials_file_name = "bearer token file",
  };
  for (const auto& [name, value] : config.headers) {
    options.headers.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  return options;
}

// Configured header values long enough to be a key or token. Shorter ones
// ("1", "json") cannot hide anything and would garble every message.
std::vector<std::string> secret_header_values(const std::map<std::string, std::string>& headers) {
  constexpr std::size_t kMinSecretLength = 8;
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (value.size() >= kMinSecretLength) out.push_back(value);
  }
  return out;
}

// A request that got no answer, typed as the rule evaluator reports it.
QueryError query_error(const http::RequestFailure& failure, const std::string& endpoint) {
  switch (failure.kind) {
    case http::FailureKind::kTimedOut:
      return QueryError{std::string(error_type::kTimeout),
                        fmt::format("no answer from {} within {}: {}", endpoint,
                                    format_duration(failure.timeout), failure.detail)};
    case http::FailureKind::kUnreadableFile:
    case http::FailureKind::kBadCredentials:
      return QueryError{std::string(error_type::kCredentials), failure.detail};
    case http::FailureKind::kTransport:
      return QueryError{std::string(error_type::kConnection),
                        fmt::format("cannot query {}: {}", endpoint, failure.detail)};
    default:
      return QueryError{std::string(error_type::kConnection), failure.to_string()};
  }
}

}  // namespace

Result<std::unique_ptr<PrometheusClient>> PrometheusClient::create(ClientConfig config) {
  if (auto ok = config::validate(config); !ok) return std::unexpected(ok.error());
  auto base = http::parse_base_url(config.url);
  if (!base) return std::unexpected(base.error());
  auto http = http::HttpClient::create(config.http_config, client_options(config));
  if (!http) return std::unexpected(http.error());
  std::string endpoint = base->endpoint(kQueryPath);
  return std::unique_ptr<PrometheusClient>(
      new PrometheusClient(std::move(config), std::move(endpoint), std::move(*http)));
}

PrometheusClient::PrometheusClient(ClientConfig config, std::string endpoint,
                                   std::unique_ptr<http::HttpClient> http)
    : config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      header_secrets_(secret_header_values(config_.headers)),
      http_(std::move(http)) {}

QueryResult PrometheusClient::instant_query(std::string_view expr, Timestamp at) {
  auto reply = http_->post(endpoint_, "application/x-www-form-urlencoded",
                           instant_query_form(expr, at, config_.timeout), header_secrets_);
  if (!reply) return std::unexpected(query_error(reply.error(), endpoint_));
  QueryResult result = decode_query_response(reply->status, reply->body);
  // Text from the server may quote our request, escaped as JSON until now.
  if (!result)
    result.error().message = http::redact(std::move(result.error().message), reply->secrets);
  return result;
}

QueryFunc PrometheusClient::as_query_func() {
  return [this](std::string_view expr, Timestamp at) { return instant_query(expr, at); };
}

}  // namespace tocsin::query
