// A Prometheus scrape target whose values the test sets: the "service" a
// rule watches. Serves /metrics in the text format on 127.0.0.1; a test can
// also make scrapes fail (Prometheus then records up == 0).
//
// Listening when constructed; stopped by the destructor. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>

namespace tocsin::test {

class FixtureExporter {
 public:
  FixtureExporter();
  ~FixtureExporter();
  FixtureExporter(const FixtureExporter&) = delete;
  FixtureExporter& operator=(const FixtureExporter&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>", for a scrape config's targets.
  std::string target() const;

  // Sets the sample `series` (e.g. `errors_total{job="api"}`) to `value`.
  void set(const std::string& series, double value);
  void remove(const std::string& series);
  // While failing, scrapes get HTTP 500.
  void fail_scrapes(bool failing);
  std::size_t scrapes() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, double> series_;  // guarded by mu_
  bool failing_ = false;                  // guarded by mu_
  std::size_t scrapes_ = 0;               // guarded by mu_
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace tocsin::test
