// The Prometheus HTTP API client the rule evaluator queries through:
// POST /api/v1/query with the evaluation time, over keep-alive connections.
//
// Thread-safe: ~100 rule groups call instant_query from their own threads.
// Each call leases a libcurl handle with its own warm connection (see
// http::HttpClient), so calls never wait for each other. The client must
// outlive every call in flight.
//
// Secrets (password, token, header values) never appear in an error: they
// are not put in messages, and text that came from the server is redacted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "config/datasource_config.h"
#include "http/http_client.h"
#include "query/query_func.h"

namespace tocsin::query {

// What a client is built from: tocsin.yml's datasource section.
using ClientConfig = config::DatasourceConfig;

class PrometheusClient {
 public:
  // Validates `config` (see config::validate()) and initialises libcurl once.
  static Result<std::unique_ptr<PrometheusClient>> create(ClientConfig config);

  PrometheusClient(const PrometheusClient&) = delete;
  PrometheusClient& operator=(const PrometheusClient&) = delete;

  // Evaluates `expr` at `at` (sent as the `time` parameter, so a late call
  // still gets the instant it asked for), with config.timeout both as
  // Prometheus's query timeout and as the deadline of the whole request.
  QueryResult instant_query(std::string_view expr, Timestamp at);

  // Adapts instant_query to the QueryFunc rules and templates take. The
  // client must outlive the function.
  QueryFunc as_query_func();

  // New TCP connections opened so far (the sum of CURLINFO_NUM_CONNECTS);
  // with keep-alive it stays near the number of concurrent callers.
  std::uint64_t connections_opened() const { return http_->connections_opened(); }

  const ClientConfig& config() const { return config_; }

 private:
  PrometheusClient(ClientConfig config, std::string endpoint,
                   std::unique_ptr<http::HttpClient> http);

  const ClientConfig config_;
  const std::string endpoint_;                     // the query URL, as errors name it too
  const std::vector<std::string> header_secrets_;  // configured header values to redact
  const std::unique_ptr<http::HttpClient> http_;
};

}  // namespace tocsin::query
