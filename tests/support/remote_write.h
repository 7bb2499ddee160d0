// Remote write for tests: decoding what tocsin sent to a recording server,
// and pushing samples into a real Prometheus started with
// --web.enable-remote-write-receiver (how the remote-write tests load data
// at timestamps they choose, into two Prometheus servers alike).
#pragma once

#include <span>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/series.h>

#include "support/http.h"

namespace tocsin::test {

// A remote-write request body (snappy block, protobuf WriteRequest) as its
// samples, series after series; an error when it is not one.
Result<std::vector<SeriesSample>> decode_remote_write(std::string_view body);

// POSTs `samples` to `url` (".../api/v1/write") as tocsin's client sends
// them, in requests of at most `batch` samples; fails with the first
// non-2xx answer.
Status push_remote_write(const std::string& url, std::span<const SeriesSample> samples,
                         std::size_t batch = 10'000);

}  // namespace tocsin::test
