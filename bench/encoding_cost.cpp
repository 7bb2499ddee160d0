#include "encoding_cost.h"

#include <chrono>

#include <fmt/format.h>
#include <httplib.h>

#include "metrics_page.h"
#include "query/query_form.h"

namespace tocsin::bench {
namespace {

struct Pass {
  double cpu_seconds = 0;
  double wall_seconds = 0;
};

Result<Pass> run_pass(httplib::Client& client, const std::string& url, const WorkloadShape& shape,
                      Timestamp data_time, const char* encoding, int first, int count) {
  auto before = read_metrics(url);
  if (!before) return std::unexpected(before.error());
  auto start = std::chrono::steady_clock::now();
  httplib::Headers headers = {{"Accept-Encoding", encoding}};
  for (int i = first; i < first + count; ++i) {
    int rule = i % shape.rules();
    std::string body =
        query::instant_query_form(rule_expr(rule, data_time), data_time, std::chrono::minutes(2));
    auto reply = client.Post("/api/v1/query", headers, body, "application/x-www-form-urlencoded");
    if (!reply || reply->status != 200) {
      return fail(
          fmt::format("query with Accept-Encoding {} failed: {}", encoding,
                      reply ? std::to_string(reply->status) : httplib::to_string(reply.error())));
    }
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto after = read_metrics(url);
  if (!after) return std::unexpected(after.error());
  return Pass{after->sum("process_cpu_seconds_total") - before->sum("process_cpu_seconds_total"),
              wall};
}

}  // namespace

Result<EncodingCost> measure_encoding_cost(test::PrometheusServer& prometheus,
                                           const WorkloadShape& shape, Timestamp data_time,
                                           int queries) {
  httplib::Client client("127.0.0.1", prometheus.port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle delay
  client.set_decompress(false);  // the answer's bytes are not looked at
  EncodingCost cost;
  cost.queries = queries;
  int half = queries / 2;
  for (int round = 0; round < 2; ++round) {
    for (bool gzip : {true, false}) {
      auto pass = run_pass(client, prometheus.url(), shape, data_time, gzip ? "gzip" : "identity",
                           round * half, half);
      if (!pass) return std::unexpected(pass.error());
      (gzip ? cost.gzip_cpu_seconds : cost.identity_cpu_seconds) += pass->cpu_seconds;
      (gzip ? cost.gzip_wall_seconds : cost.identity_wall_seconds) += pass->wall_seconds;
    }
  }
  cost.queries = 2 * half;
  return cost;
}

}  // namespace tocsin::bench
