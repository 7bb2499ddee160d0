#include "notifiers/http/http_client.h"

#include <memory>

#include <curl/curl.h>
#include <fmt/format.h>

#include "notifiers/http/curl_bounds.h"
#include "notifiers/http/curl_target.h"
#include "notifiers/http/curl_tls.h"
#include "notifiers/http/request_auth.h"
#include "query/credentials.h"
#include "query/curl_global.h"
#include "query/curl_slist.h"

namespace tocsin::notifiers {
using query::append;
using query::StringList;

namespace {

// Idle handles (each with its connection) kept between notifications of
// one integration: more than usually run at once.
constexpr std::size_t kMaxIdleConnections = 8;
constexpr std::size_t kMaxKeptBody = 64 * 1024;
constexpr long kMaxRedirects = 10;  // where Go's client stops following

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  std::size_t n = size * count;
  if (body->size() < kMaxKeptBody) body->append(data, std::min(n, kMaxKeptBody - body->size()));
  return n;  // the rest is read too, so the connection stays reusable
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::create(config::HttpClientConfig config,
                                                       HttpClientOptions options) {
  if (config.oauth2) return fail("http_config: oauth2 is not supported by tocsin");
  if (auto ok = check_tls_config(config.tls_config); !ok) {
    return std::unexpected(ok.error().wrap("http_config"));
  }
  std::vector<std::string> proxy_secrets;
  if (!config.proxy_url.empty()) {
    auto proxy = make_curl_target(config.proxy_url, "");
    if (!proxy) return std::unexpected(proxy.error().wrap("http_config: proxy_url"));
    proxy_secrets = proxy->secrets;
  }
  if (auto ok = query::ensure_curl_initialized(); !ok) return std::unexpected(ok.error());
  return std::unique_ptr<HttpClient>(
      new HttpClient(std::move(config), std::move(options), std::move(proxy_secrets)));
}

HttpClient::HttpClient(config::HttpClientConfig config, HttpClientOptions options,
                       std::vector<std::string> secrets)
    : config_(std::move(config)),
      options_(std::move(options)),
      proxy_secrets_(std::move(secrets)),
      pool_(kMaxIdleConnections) {}

std::expected<HttpResponse, notify::Failure> HttpClient::post(
    const std::string& url, std::string_view content_type, std::string_view body,
    const std::vector<std::string>& secrets, const notify::Context& context) const {
  auto target = make_curl_target(url, config_.tls_config.server_name);
  if (!target) {
    return std::unexpected(notify::Failure{
        query::redact(target.error().message(), with(secrets, proxy_secrets_)), false});
  }
  auto auth = resolve_request_auth(config_);
  if (!auth) return std::unexpected(auth.error());
  const std::vector<std::string> hidden =
      with(with(with(secrets, proxy_secrets_), auth->secrets), target->secrets);
  auto failed = [&](std::string message, bool retryable) {
    return std::unexpected(notify::Failure{query::redact(std::move(message), hidden), retryable});
  };

  StringList headers;
  bool ok = append(headers, fmt::format("Content-Type: {}", content_type)) &&
            append(headers, "Expect:");  // no 100-continue round trip for large bodies
  if (!auth->header.empty()) ok = ok && append(headers, auth->header);
  if (!target->host_header.empty()) ok = ok && append(headers, target->host_header);
  StringList connect_to;
  if (!target->connect_to.empty()) ok = ok && append(connect_to, target->connect_to);
  if (!ok) return failed("out of memory building the request", true);

  query::EasyHandlePool::Lease lease = pool_.acquire();
  if (!lease) return failed("libcurl could not create a handle", true);
  CURL* handle = lease.get();
  HttpResponse response;
  char detail[CURL_ERROR_SIZE] = "";

  curl_easy_setopt(handle, CURLOPT_URL, target->url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // many threads; no SIGALRM for DNS
  // Only proxy_url, never *_proxy variables: prometheus/common 0.38 reads none.
  curl_easy_setopt(handle, CURLOPT_PROXY, config_.proxy_url.c_str());
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, config_.follow_redirects ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION,
                   config_.enable_http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  std::optional<Duration> timeout = transfer_timeout(options_.timeout, context);
  if (!timeout) {
    return failed(fmt::format("POST {}: context deadline exceeded", target->origin), true);
  }
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout->count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout->count()));
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "gzip");  // as Go's transport asks
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  if (connect_to) curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.get());
  apply_tls_config(handle, config_.tls_config);
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &collect_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, detail);

  CURLcode code = [&] {
    StopWatch watch(handle, context);
    return curl_easy_perform(handle);
  }();
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // The lists and buffers die with this frame; the pooled handle must not
  // point at them.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_CONNECT_TO, nullptr);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);

  if (code != CURLE_OK) {
    std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return failed(fmt::format("POST {}: no response within {}: {}", target->origin,
                                format_duration(*timeout), why),
                    true);
    }
    if (code == CURLE_ABORTED_BY_CALLBACK) {
      return failed(fmt::format("POST {}: context canceled", target->origin), true);
    }
    return failed(fmt::format("POST {}: {}", target->origin, why), true);
  }
  response.status = static_cast<int>(status);
  // A failure's body goes into error messages, and servers echo requests.
  if (response.status / 100 != 2) response.body = query::redact(std::move(response.body), hidden);
  return response;
}

}  // namespace tocsin::notifiers
