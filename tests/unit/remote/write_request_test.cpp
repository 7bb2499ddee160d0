#include "remote/write_request.h"

#include <bit>
#include <cmath>

#include <gtest/gtest.h>
#include <snappy.h>

#include "remote/remote_write.pb.h"

namespace tocsin::remote {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp(1'700'000'000'123ms);

// What a receiver does: snappy block decompression, then protobuf.
wire::WriteRequest decode(const std::string& body) {
  std::string raw;
  EXPECT_TRUE(snappy::Uncompress(body.data(), body.size(), &raw));
  wire::WriteRequest request;
  EXPECT_TRUE(request.ParseFromString(raw));
  return request;
}

std::vector<std::pair<std::string, std::string>> labels_of(const wire::TimeSeries& ts) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const wire::Label& l : ts.labels()) out.emplace_back(l.name(), l.value());
  return out;
}

TEST(WriteRequest, TheWireBytesAreTheProtocolsFieldNumbersAndTypes) {
  // Hand-encoded from the remote-write 1.0 specification, independent of
  // remote_write.proto: WriteRequest.timeseries = 1, TimeSeries.labels = 1,
  // .samples = 2, Label.name = 1, .value = 2, Sample.value = 1 (double),
  // .timestamp = 2 (varint int64).
  SeriesSample s{Labels{{"__name__", "a"}}, Timestamp(2ms), 1.0};
  const std::string expected(
      "\x0a\x1c"                              // timeseries, 28 bytes
      "\x0a\x0d"                              // labels, 13 bytes
      "\x0a\x08__name__\x12\x01"              // name, value
      "a"                                     //
      "\x12\x0b"                              // samples, 11 bytes
      "\x09\x00\x00\x00\x00\x00\x00\xf0\x3f"  // value 1.0, little-endian double
      "\x10\x02",                             // timestamp 2
      30);
  EXPECT_EQ(serialize_write_request(std::span(&s, 1)), expected);
}

TEST(WriteRequest, BodyIsOneSnappyBlockOfTheSerializedRequest) {
  std::vector<SeriesSample> samples = {{Labels{{"__name__", "up"}, {"job", "api"}}, kT0, 1}};
  std::string body = encode_write_request(samples);
  std::string raw;
  ASSERT_TRUE(snappy::Uncompress(body.data(), body.size(), &raw));
  EXPECT_EQ(raw, serialize_write_request(samples));
}

TEST(WriteRequest, SamplesOfOneSeriesShareATimeSeriesInOrder) {
  Labels a{{"__name__", "job:rate5m"}, {"job", "api"}};
  Labels b{{"__name__", "job:rate5m"}, {"job", "db"}};
  std::vector<SeriesSample> samples = {
      {a, kT0, 1.5}, {b, kT0, 2.5}, {a, kT0 + 1min, 3.5}, {b, kT0 + 1min, 4.5}};
  wire::WriteRequest request = decode(encode_write_request(samples));
  ASSERT_EQ(request.timeseries_size(), 2);
  EXPECT_EQ(labels_of(request.timeseries(0)), (std::vector<std::pair<std::string, std::string>>{
                                                  {"__name__", "job:rate5m"}, {"job", "api"}}));
  EXPECT_EQ(labels_of(request.timeseries(1)), (std::vector<std::pair<std::string, std::string>>{
                                                  {"__name__", "job:rate5m"}, {"job", "db"}}));
  const wire::TimeSeries& first = request.timeseries(0);
  ASSERT_EQ(first.samples_size(), 2);
  EXPECT_EQ(first.samples(0).value(), 1.5);
  EXPECT_EQ(first.samples(0).timestamp(), 1'700'000'000'123);
  EXPECT_EQ(first.samples(1).value(), 3.5);
  EXPECT_EQ(first.samples(1).timestamp(), 1'700'000'060'123);
  EXPECT_EQ(request.timeseries(1).samples(1).value(), 4.5);
}

TEST(WriteRequest, LabelsGoSortedByName) {
  LabelsBuilder b;
  b.set("zone", "eu").set("__name__", "ALERTS").set("alertname", "Down").set("Instance", "x");
  std::vector<SeriesSample> samples = {{b.labels(), kT0, 1}};
  wire::WriteRequest request = decode(encode_write_request(samples));
  EXPECT_EQ(labels_of(request.timeseries(0)),
            (std::vector<std::pair<std::string, std::string>>{
                {"Instance", "x"}, {"__name__", "ALERTS"}, {"alertname", "Down"}, {"zone", "eu"}}));
}

TEST(WriteRequest, StaleMarkersAndSpecialValuesKeepTheirBits) {
  Labels l{{"__name__", "x"}};
  std::vector<SeriesSample> samples = {{l, kT0, stale_nan()},
                                       {l, kT0 + 1s, std::nan("")},
                                       {l, kT0 + 2s, -INFINITY},
                                       {l, kT0 + 3s, -0.0},
                                       {l, kT0 + 4s, 1e308}};
  wire::WriteRequest request = decode(encode_write_request(samples));
  ASSERT_EQ(request.timeseries(0).samples_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(request.timeseries(0).samples(i).value()),
              std::bit_cast<std::uint64_t>(samples[static_cast<std::size_t>(i)].value))
        << i;
  }
  EXPECT_TRUE(is_stale_nan(request.timeseries(0).samples(0).value()));
  EXPECT_FALSE(is_stale_nan(request.timeseries(0).samples(1).value()));
}

TEST(WriteRequest, TimestampsBeforeTheEpochAndUtf8Values) {
  Labels l{{"__name__", "x"}, {"city", "Zürich 東京"}};
  std::vector<SeriesSample> samples = {{l, Timestamp(-1500ms), 7}};
  wire::WriteRequest request = decode(encode_write_request(samples));
  EXPECT_EQ(request.timeseries(0).samples(0).timestamp(), -1500);
  EXPECT_EQ(request.timeseries(0).labels(1).value(), "Zürich 東京");
}

TEST(WriteRequest, NoSamplesIsAnEmptyRequest) {
  wire::WriteRequest request = decode(encode_write_request({}));
  EXPECT_EQ(request.timeseries_size(), 0);
}

}  // namespace
}  // namespace tocsin::remote
