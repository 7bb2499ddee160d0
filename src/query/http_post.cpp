#include "query/http_post.h"

#include <memory>

#include <fmt/format.h>

#include "query/curl_slist.h"

namespace tocsin::query {
namespace {

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

void set_tls_options(CURL* handle, const TlsConfig& tls) {
  if (!tls.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLCERT, tls.cert_file.c_str());
    curl_easy_setopt(handle, CURLOPT_SSLKEY, tls.key_file.c_str());
  }
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

QueryError transport_error(CURLcode code, const char* detail, const PostTarget& target) {
  std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return QueryError{std::string(error_type::kTimeout),
                      fmt::format("no answer from {} within {}: {}", target.shown_url,
                                  format_duration(target.timeout), why)};
  }
  return QueryError{std::string(error_type::kConnection),
                    fmt::format("cannot query {}: {}", target.shown_url, why)};
}

}  // namespace

PostOutcome post_form(CURL* handle, const PostTarget& target, const std::string& body,
                      const std::vector<std::string>& extra_headers) {
  PostOutcome outcome;
  StringList headers;
  bool headers_ok = append(headers, "Content-Type: application/x-www-form-urlencoded") &&
                    append(headers, "Accept: application/json") &&
                    append(headers, "Expect:");  // no 100-continue round trip for long queries
  for (const std::string& line : target.headers) headers_ok = headers_ok && append(headers, line);
  for (const std::string& line : extra_headers) headers_ok = headers_ok && append(headers, line);
  if (!headers_ok) {
    outcome.reply = std::unexpected(QueryError{std::string(error_type::kConnection),
                                               "out of memory building the request headers"});
    return outcome;
  }

  HttpReply reply;
  char detail[CURL_ERROR_SIZE] = "";
  curl_slist* connect_to = nullptr;
  if (!target.connect_to.empty())
    connect_to = curl_slist_append(nullptr, target.connect_to.c_str());
  StringList connect_to_owner(connect_to);

  curl_easy_setopt(handle, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // many threads; no SIGALRM for DNS timeouts
  // Like Prometheus (proxy_url only), never a proxy from *_proxy variables.
  curl_easy_setopt(handle, CURLOPT_PROXY, "");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(target.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(target.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decompress
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "tocsin");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  if (connect_to != nullptr) curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to);
  set_tls_options(handle, target.tls);
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &collect_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, detail);

  CURLcode code = curl_easy_perform(handle);
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &outcome.new_connections);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  // The lists and buffer die with this frame; the handle must not point at them.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_CONNECT_TO, nullptr);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);

  if (code != CURLE_OK) {
    outcome.reply = std::unexpected(transport_error(code, detail, target));
    return outcome;
  }
  reply.status = static_cast<int>(status);
  outcome.reply = std::move(reply);
  return outcome;
}

}  // namespace tocsin::query
