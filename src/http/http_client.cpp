#include "http/http_client.h"

#include <algorithm>

#include <curl/curl.h>
#include <fmt/format.h>

#include "http/curl_global.h"
#include "http/curl_slist.h"
#include "http/curl_target.h"
#include "http/curl_tls.h"
#include "http/redact.h"

namespace tocsin::http {
namespace {

constexpr long kMaxRedirects = 10;  // where Go's client stops following

// Where a response's body goes: at most `limit` bytes of it.
struct BodySink {
  std::string body{};
  std::size_t limit = 0;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  auto* sink = static_cast<BodySink*>(out);
  std::size_t n = size * count;
  if (sink->body.size() < sink->limit) {
    sink->body.append(data, std::min(n, sink->limit - sink->body.size()));
  }
  return n;  // the rest is read too, so the connection stays reusable
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

bool RequestFailure::retryable() const {
  return kind != FailureKind::kBadUrl && kind != FailureKind::kBadCredentials;
}

std::string RequestFailure::to_string() const {
  switch (kind) {
    case FailureKind::kDeadlineExceeded:
      return fmt::format("POST {}: context deadline exceeded", origin);
    case FailureKind::kTimedOut:
      return fmt::format("POST {}: no response within {}: {}", origin, format_duration(timeout),
                         detail);
    case FailureKind::kCanceled:
      return fmt::format("POST {}: context canceled", origin);
    case FailureKind::kTransport:
      return fmt::format("POST {}: {}", origin, detail);
    default:
      return detail;
  }
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(HttpClientConfig config,
                                                       ClientOptions options) {
  if (config.oauth2) return fail("oauth2 is not supported by tocsin");
  if (auto ok = check_tls_config(config.tls_config); !ok) return std::unexpected(ok.error());
  std::vector<std::string> proxy_secrets;
  if (!config.proxy_url.empty()) {
    auto proxy = make_curl_target(config.proxy_url, "");
    if (!proxy) return std::unexpected(proxy.error().wrap("proxy_url"));
    proxy_secrets = proxy->secrets;
  }
  if (auto ok = ensure_curl_initialized(); !ok) return std::unexpected(ok.error());
  return std::unique_ptr<HttpClient>(
      new HttpClient(std::move(config), std::move(options), std::move(proxy_secrets)));
}

HttpClient::HttpClient(HttpClientConfig config, ClientOptions options,
                       std::vector<std::string> secrets)
    : config_(std::move(config)),
      options_(std::move(options)),
      proxy_secrets_(std::move(secrets)),
      pool_(options_.max_idle_connections) {}

std::expected<Response, RequestFailure> HttpClient::post(const std::string& url,
                                                         std::string_view content_type,
                                                         std::string_view body,
                                                         const std::vector<std::string>& secrets,
                                                         const TransferBounds& bounds) const {
  return send(Method::kPost, url, content_type, body, secrets, bounds);
}

std::expected<Response, RequestFailure> HttpClient::del(const std::string& url,
                                                        const std::vector<std::string>& secrets,
                                                        const TransferBounds& bounds) const {
  return send(Method::kDelete, url, "", "", secrets, bounds);
}

std::expected<Response, RequestFailure> HttpClient::get(const std::string& url,
                                                        const std::vector<std::string>& secrets,
                                                        const TransferBounds& bounds) const {
  return send(Method::kGet, url, "", "", secrets, bounds);
}

std::expected<Response, RequestFailure> HttpClient::send(Method method, const std::string& url,
                                                         std::string_view content_type,
                                                         std::string_view body,
                                                         const std::vector<std::string>& secrets,
                                                         const TransferBounds& bounds) const {
  auto target = make_curl_target(url, config_.tls_config.server_name);
  if (!target) {
    return std::unexpected(
        RequestFailure{.kind = FailureKind::kBadUrl,
                       .detail = redact(target.error().message(), with(secrets, proxy_secrets_))});
  }
  auto failed = [&](FailureKind kind, std::string detail) {
    return std::unexpected(
        RequestFailure{.kind = kind, .origin = target->origin, .detail = std::move(detail)});
  };
  auto auth = resolve_request_auth(config_, options_.credentials_file_name);
  if (!auth) {
    return failed(
        auth.error().unreadable ? FailureKind::kUnreadableFile : FailureKind::kBadCredentials,
        auth.error().message);
  }
  Response response;
  response.secrets = with(with(with(secrets, proxy_secrets_), auth->secrets), target->secrets);
  auto hidden = [&](std::string text) { return redact(std::move(text), response.secrets); };

  const bool post = method == Method::kPost;
  StringList headers;
  bool ok = !post || (append(headers, fmt::format("Content-Type: {}", content_type)) &&
                      append(headers, "Expect:"));  // no 100-continue round trip for large bodies
  for (const std::string& line : options_.headers) ok = ok && append(headers, line);
  if (!auth->header.empty()) ok = ok && append(headers, auth->header);
  if (!target->host_header.empty()) ok = ok && append(headers, target->host_header);
  StringList connect_to;
  if (!target->connect_to.empty()) ok = ok && append(connect_to, target->connect_to);
  if (!ok) return failed(FailureKind::kNoResources, "out of memory building the request");

  std::optional<Duration> timeout =
      transfer_timeout(options_.timeout, bounds.deadline, bounds.clock->now());
  if (!timeout) return failed(FailureKind::kDeadlineExceeded, "");
  EasyHandlePool::Lease lease = pool_.acquire();
  if (!lease) return failed(FailureKind::kNoResources, "libcurl could not create a handle");
  CURL* handle = lease.get();
  BodySink sink{.body = {}, .limit = options_.max_body};
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
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout->count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout->count()));
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, options_.accept_encoding.c_str());
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  if (connect_to) curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.get());
  apply_tls_config(handle, config_.tls_config);
  if (post) {
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);  // also undoes a pooled handle's POST
  }
  // Set or cleared: a pooled handle keeps it.
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method == Method::kDelete ? "DELETE" : nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &collect_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, detail);

  CURLcode code = [&] {
    StopWatch watch(handle, bounds.stop);
    return curl_easy_perform(handle);
  }();
  long new_connections = 0;
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &new_connections);
  connections_opened_ += static_cast<std::uint64_t>(new_connections);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // The lists and buffers die with this frame; the pooled handle must not
  // point at them.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_CONNECT_TO, nullptr);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);

  if (code != CURLE_OK) {
    std::string why = hidden(detail[0] != '\0' ? detail : curl_easy_strerror(code));
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return std::unexpected(RequestFailure{.kind = FailureKind::kTimedOut,
                                            .origin = target->origin,
                                            .detail = std::move(why),
                                            .timeout = *timeout});
    }
    if (code == CURLE_ABORTED_BY_CALLBACK) return failed(FailureKind::kCanceled, "");
    return failed(FailureKind::kTransport, std::move(why));
  }
  response.status = static_cast<int>(status);
  response.body = std::move(sink.body);
  for (const std::string& name : options_.response_headers) {
    curl_header* header = nullptr;
    // The last response's headers (after redirects), its last value.
    if (curl_easy_header(handle, name.c_str(), 0, CURLH_HEADER, -1, &header) == CURLHE_OK) {
      std::size_t amount = header->amount;
      curl_easy_header(handle, name.c_str(), amount - 1, CURLH_HEADER, -1, &header);
      response.headers[name] = header->value;
    }
  }
  // A failure's body goes into error messages, and servers echo requests.
  if (response.status / 100 != 2) {
    response.body = hidden(std::move(response.body));
    for (auto& [name, value] : response.headers) value = hidden(std::move(value));
  }
  return response;
}

}  // namespace tocsin::http
