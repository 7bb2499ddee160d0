#include "support/fixture_exporter.h"

#include <cstdlib>

#include <fmt/format.h>

#include "gocompat/strconv.h"

namespace tocsin::test {

FixtureExporter::FixtureExporter() {
  server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mu_);
    ++scrapes_;
    if (failing_) {
      res.status = 500;
      res.set_content("scrape failed on purpose\n", "text/plain");
      return;
    }
    std::string body;
    for (const auto& [series, value] : series_) {
      body += fmt::format("{} {}\n", series, gocompat::format_float(value, 'g', -1));
    }
    res.set_content(body, "text/plain; version=0.0.4");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    fmt::print(stderr, "FixtureExporter: cannot listen on 127.0.0.1\n");
    std::abort();
  }
  // bind_to_any_port already listens: scrapes queue until the loop accepts them.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

FixtureExporter::~FixtureExporter() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string FixtureExporter::target() const {
  return fmt::format("127.0.0.1:{}", port_);
}

void FixtureExporter::set(const std::string& series, double value) {
  std::lock_guard lock(mu_);
  series_[series] = value;
}

void FixtureExporter::remove(const std::string& series) {
  std::lock_guard lock(mu_);
  series_.erase(series);
}

void FixtureExporter::fail_scrapes(bool failing) {
  std::lock_guard lock(mu_);
  failing_ = failing;
}

std::size_t FixtureExporter::scrapes() const {
  std::lock_guard lock(mu_);
  return scrapes_;
}

}  // namespace tocsin::test
