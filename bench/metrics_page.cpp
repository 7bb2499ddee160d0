#include "metrics_page.h"

#include <cstdlib>

#include <fmt/format.h>

#include "support/http.h"

namespace tocsin::bench {
namespace {

// The end of a `{...}` label block starting at `open`, skipping quoted values.
std::size_t closing_brace(std::string_view line, std::size_t open) {
  bool quoted = false;
  for (std::size_t i = open + 1; i < line.size(); ++i) {
    if (quoted && line[i] == '\\') {
      ++i;
    } else if (line[i] == '"') {
      quoted = !quoted;
    } else if (!quoted && line[i] == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

MetricsPage MetricsPage::parse(std::string_view text) {
  MetricsPage page;
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty() || line[0] == '#') continue;

    std::size_t name_end = line.find_first_of("{ ");
    if (name_end == std::string_view::npos) continue;
    Sample sample;
    sample.name = std::string(line.substr(0, name_end));
    std::size_t rest = name_end;
    if (line[name_end] == '{') {
      std::size_t close = closing_brace(line, name_end);
      if (close == std::string_view::npos) continue;
      sample.labels = std::string(line.substr(name_end + 1, close - name_end - 1));
      rest = close + 1;
    }
    std::string value(line.substr(rest));  // " 1.5" or " 1.5 1700000000000"
    char* end = nullptr;
    sample.value = std::strtod(value.c_str(), &end);
    if (end == value.c_str()) continue;
    page.samples_.push_back(std::move(sample));
  }
  return page;
}

double MetricsPage::sum(std::string_view name, std::string_view label_pair) const {
  double total = 0;
  for (const Sample& s : samples_) {
    if (s.name == name && s.labels.find(label_pair) != std::string::npos) total += s.value;
  }
  return total;
}

std::size_t MetricsPage::count(std::string_view name) const {
  std::size_t n = 0;
  for (const Sample& s : samples_) n += s.name == name ? 1 : 0;
  return n;
}

std::optional<double> MetricsPage::value(std::string_view name, std::string_view label_pair) const {
  for (const Sample& s : samples_) {
    if (s.name == name && s.labels.find(label_pair) != std::string::npos) return s.value;
  }
  return std::nullopt;
}

Result<MetricsPage> read_metrics(const std::string& base_url) {
  test::HttpResponse response = test::http_get(base_url + "/metrics");
  if (response.status != 200) {
    return fail(
        fmt::format("GET {}/metrics: HTTP {} {}", base_url, response.status, response.error));
  }
  return MetricsPage::parse(response.body);
}

}  // namespace tocsin::bench
