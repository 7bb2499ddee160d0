// notify::Alert for tests, built field by field:
//
//   test::AlertBuilder({{"alertname", "Down"}}).starts(t - 1h).updated(t).build()
//
// Unset times stay unset (Timestamp{}), as in a posted alert without them.
#pragma once

#include <string>
#include <utility>

#include <tocsin/labels.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

namespace tocsin::test {

class AlertBuilder {
 public:
  explicit AlertBuilder(Labels labels) { alert_.labels = std::move(labels); }

  AlertBuilder& annotations(Labels annotations) {
    alert_.annotations = std::move(annotations);
    return *this;
  }
  AlertBuilder& starts(Timestamp t) {
    alert_.starts_at = t;
    return *this;
  }
  AlertBuilder& ends(Timestamp t) {
    alert_.ends_at = t;
    return *this;
  }
  AlertBuilder& updated(Timestamp t) {
    alert_.updated_at = t;
    return *this;
  }
  AlertBuilder& generator_url(std::string url) {
    alert_.generator_url = std::move(url);
    return *this;
  }
  AlertBuilder& timeout(bool timed_out = true) {
    alert_.timeout = timed_out;
    return *this;
  }

  notify::Alert build() const { return alert_; }
  operator notify::Alert() const { return alert_; }  // NOLINT: a builder reads best unwrapped

 private:
  notify::Alert alert_;
};

}  // namespace tocsin::test
