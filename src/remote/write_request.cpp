#include "remote/write_request.h"

#include <unordered_map>

#include <google/protobuf/arena.h>
#include <snappy.h>

#include "remote/remote_write.pb.h"

namespace tocsin::remote {
namespace {

// Label sets compared by content.
struct LabelsPtrHash {
  std::size_t operator()(const Labels* l) const {
    return static_cast<std::size_t>(l->table_hash());
  }
};
struct LabelsPtrEqual {
  bool operator()(const Labels* a, const Labels* b) const { return *a == *b; }
};

}  // namespace

std::string serialize_write_request(std::span<const SeriesSample> samples) {
  // One arena for the whole message: its many small strings and messages
  // cost no malloc and free each.
  google::protobuf::Arena arena;
  wire::WriteRequest& request = *google::protobuf::Arena::CreateMessage<wire::WriteRequest>(&arena);
  std::unordered_map<const Labels*, wire::TimeSeries*, LabelsPtrHash, LabelsPtrEqual> series;
  series.reserve(samples.size());
  for (const SeriesSample& sample : samples) {
    auto [it, added] = series.try_emplace(&sample.labels, nullptr);
    if (added) {
      wire::TimeSeries* ts = request.add_timeseries();
      for (Label l : sample.labels) {
        wire::Label* label = ts->add_labels();
        label->set_name(l.name.data(), l.name.size());
        label->set_value(l.value.data(), l.value.size());
      }
      it->second = ts;
    }
    wire::Sample* s = it->second->add_samples();
    s->set_value(sample.value);
    s->set_timestamp(sample.timestamp.time_since_epoch().count());
  }
  return request.SerializeAsString();
}

std::string encode_write_request(std::span<const SeriesSample> samples) {
  std::string raw = serialize_write_request(samples);
  std::string compressed;
  snappy::Compress(raw.data(), raw.size(), &compressed);
  return compressed;
}

}  // namespace tocsin::remote
