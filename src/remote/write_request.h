// One remote-write request body, as Prometheus's remote-write 1.0 protocol
// carries it: a WriteRequest (remote_write.proto) serialised by protobuf,
// then compressed as one snappy block (not snappy's framed format). The
// client sends it with Content-Encoding: snappy (write_client.h).
//
// Pure functions, thread-safe.
#pragma once

#include <span>
#include <string>

#include <tocsin/series.h>

namespace tocsin::remote {

// The serialised WriteRequest: one TimeSeries per distinct label set, in
// the order each first appears, holding its samples in the order given
// (callers give each series' samples in timestamp order).
std::string serialize_write_request(std::span<const SeriesSample> samples);

// The request body: serialize_write_request compressed with snappy.
std::string encode_write_request(std::span<const SeriesSample> samples);

}  // namespace tocsin::remote
