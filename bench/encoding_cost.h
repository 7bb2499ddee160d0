// What Prometheus spends answering one of the rules' queries, depending on
// the Accept-Encoding asked for. tocsin's client lets libcurl offer every
// encoding it can decode (CURLOPT_ACCEPT_ENCODING ""), so Prometheus
// gzips even a 1 KiB answer; this measures what that costs Prometheus
// against an uncompressed answer, over one keep-alive connection each, with
// the same request bodies tocsin's client sends.
#pragma once

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "support/prometheus_server.h"
#include "synthetic_workload.h"

namespace tocsin::bench {

struct EncodingCost {
  int queries = 0;              // per encoding
  double gzip_cpu_seconds = 0;  // Prometheus's process CPU over those queries
  double identity_cpu_seconds = 0;
  double gzip_wall_seconds = 0;
  double identity_wall_seconds = 0;
};

// Sends `queries` rule queries with each encoding, alternating in halves
// (gzip, identity, gzip, identity) so a change in background load hits both.
Result<EncodingCost> measure_encoding_cost(test::PrometheusServer& prometheus,
                                           const WorkloadShape& shape, Timestamp data_time,
                                           int queries);

}  // namespace tocsin::bench
