// The samples tocsin writes out, as Prometheus's rule manager appends them
// to its storage: what recording rules record, and the ALERTS and
// ALERTS_FOR_STATE series of alerting rules. Rule evaluation produces them;
// remote write sends them (remote/remote_storage.h).
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/time.h>

namespace tocsin {

struct SeriesSample {
  Labels labels;  // __name__ included
  Timestamp timestamp{};
  double value = 0;
};

// Prometheus's staleness marker (model/value.StaleNaN): a NaN with this
// exact bit pattern, written when a series the last evaluation produced is
// gone. A query at or after it finds the series absent instead of looking
// back five minutes. Any other NaN is an ordinary value.
inline constexpr std::uint64_t kStaleNaNBits = 0x7ff0000000000002;

inline double stale_nan() {
  return std::bit_cast<double>(kStaleNaNBits);
}
inline bool is_stale_nan(double value) {
  return std::bit_cast<std::uint64_t>(value) == kStaleNaNBits;
}

// Where a rule group hands the samples one evaluation produced, in rule
// order, each rule's stale markers after its samples. Must not block on
// anything slow (a network): evaluation waits for it.
using SeriesAppender = std::function<void(std::vector<SeriesSample> samples)>;

}  // namespace tocsin
