#include "query/prometheus_client.h"

#include <fmt/format.h>

#include "query/credentials.h"
#include "query/curl_global.h"
#include "query/query_form.h"
#include "query/query_response.h"
#include "query/url.h"

namespace tocsin::query {
namespace {

constexpr std::string_view kQueryPath = "/api/v1/query";

// Idle handles (each with its connection) kept between calls: more than the
// rule groups that usually evaluate at the same moment.
constexpr std::size_t kMaxIdleConnections = 64;

PostTarget make_target(const ClientConfig& config, const BaseUrl& base) {
  PostTarget target;
  target.shown_url = base.endpoint(kQueryPath);
  target.url = target.shown_url;
  target.timeout = config.timeout;
  if (base.scheme == "https") target.tls = config.tls;
  if (base.scheme == "https" && !config.tls.server_name.empty()) {
    // libcurl sends SNI and verifies the certificate for the URL's host, so
    // the URL names server_name, CONNECT_TO dials the real host, and the
    // Host header keeps the configured one (as Go's tls.Config.ServerName).
    target.url = base.endpoint_at(config.tls.server_name, kQueryPath);
    target.connect_to =
        fmt::format("{}:{}:{}:{}", config.tls.server_name, base.port, base.host, base.port);
    target.headers.push_back("Host: " + base.host_header());
  }
  for (const auto& [name, value] : config.headers) {
    target.headers.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  return target;
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

// Text from the server may quote our request; strip every secret from it.
QueryError redacted(QueryError error, const std::vector<std::string>& a,
                    const std::vector<std::string>& b) {
  error.message = redact(redact(std::move(error.message), a), b);
  return error;
}

}  // namespace

Result<std::unique_ptr<PrometheusClient>> PrometheusClient::create(ClientConfig config) {
  if (auto ok = validate(config); !ok) return std::unexpected(ok.error());
  if (auto ok = ensure_curl_initialized(); !ok) return std::unexpected(ok.error());
  auto base = parse_base_url(config.url);
  if (!base) return std::unexpected(base.error());
  PostTarget target = make_target(config, *base);
  return std::unique_ptr<PrometheusClient>(
      new PrometheusClient(std::move(config), std::move(target)));
}

PrometheusClient::PrometheusClient(ClientConfig config, PostTarget target)
    : config_(std::move(config)),
      target_(std::move(target)),
      header_secrets_(secret_header_values(config_.headers)),
      pool_(kMaxIdleConnections) {}

QueryResult PrometheusClient::instant_query(std::string_view expr, Timestamp at) {
  auto auth = resolve_authorization(config_);
  if (!auth) return std::unexpected(auth.error());
  std::vector<std::string> extra_headers;
  if (!auth->header.empty()) extra_headers.push_back(auth->header);

  EasyHandlePool::Lease handle = pool_.acquire();
  if (!handle) {
    return std::unexpected(
        QueryError{std::string(error_type::kConnection), "libcurl could not create a handle"});
  }
  PostOutcome outcome = post_form(handle.get(), target_,
                                  instant_query_form(expr, at, config_.timeout), extra_headers);
  connections_opened_ += static_cast<std::uint64_t>(outcome.new_connections);
  if (!outcome.reply) {
    return std::unexpected(redacted(outcome.reply.error(), auth->secrets, header_secrets_));
  }
  QueryResult result = decode_query_response(outcome.reply->status, outcome.reply->body);
  if (!result) return std::unexpected(redacted(result.error(), auth->secrets, header_secrets_));
  return result;
}

QueryFunc PrometheusClient::as_query_func() {
  return [this](std::string_view expr, Timestamp at) { return instant_query(expr, at); };
}

}  // namespace tocsin::query
