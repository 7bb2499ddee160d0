#include "support/remote_write.h"

#include <fmt/format.h>
#include <snappy.h>

#include "remote/remote_write.pb.h"
#include "remote/write_request.h"

namespace tocsin::test {

Result<std::vector<SeriesSample>> decode_remote_write(std::string_view body) {
  std::string raw;
  if (!snappy::Uncompress(body.data(), body.size(), &raw)) return fail("not a snappy block");
  remote::wire::WriteRequest request;
  if (!request.ParseFromString(raw)) return fail("not a WriteRequest");
  std::vector<SeriesSample> out;
  for (const auto& ts : request.timeseries()) {
    LabelsBuilder b;
    for (const auto& l : ts.labels()) b.set(l.name(), l.value());
    Labels labels = b.labels();
    for (const auto& s : ts.samples()) {
      out.push_back(
          SeriesSample{labels, Timestamp(std::chrono::milliseconds(s.timestamp())), s.value()});
    }
  }
  return out;
}

Status push_remote_write(const std::string& url, std::span<const SeriesSample> samples,
                         std::size_t batch) {
  for (std::size_t i = 0; i < samples.size(); i += batch) {
    auto part = samples.subspan(i, std::min(batch, samples.size() - i));
    HttpResponse response =
        http_post(url, remote::encode_write_request(part), "application/x-protobuf",
                  {{"Content-Encoding", "snappy"}, {"X-Prometheus-Remote-Write-Version", "0.1.0"}},
                  std::chrono::seconds(30));
    if (response.status / 100 != 2) {
      return fail(fmt::format("remote write to {}: {} {}{}", url, response.status, response.body,
                              response.error));
    }
  }
  return {};
}

}  // namespace tocsin::test
