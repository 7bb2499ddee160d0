// One alerting-rule label or annotation template, expanded as Prometheus
// 2.42 expands it (rules/alerting.go): the text runs after the definitions
//   {{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
//   {{$externalURL := .ExternalURL}}{{$value := .Value}}
// as template "__alert_<alert name>" with missingkey=zero and Prometheus's
// text-mode functions; a failure expands to
//   "<error expanding template: error executing template __alert_X: ...>".
//
// Parsed once (parse), expanded for every alert on every evaluation
// (expand). An AlertTemplate is immutable and expand() is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/time.h>

#include "template/prometheus_functions.h"
#include "template/template.h"

namespace tocsin::tmpl {

// What a rule's templates see as `.`: Prometheus's AlertTemplateData.
struct AlertTemplateData {
  const Labels& labels;                                       // $labels (the series' labels)
  const std::map<std::string, std::string>& external_labels;  // $externalLabels
  const std::string& external_url;                            // $externalURL
  double value = 0;                                           // $value
};

// Counts expansions, as Prometheus's prometheus_template_text_expansions_total
// and prometheus_template_text_expansion_failures_total do. Thread-safe.
struct ExpansionCounters {
  std::atomic<std::uint64_t> total{0};
  std::atomic<std::uint64_t> failures{0};
};

class AlertTemplate {
 public:
  // Parses `text` for the alert `alert_name`. A parse error reads as Go's
  // ("template: __alert_X:LINE: message") and its position is relative to
  // `text` itself: line 1 columns do not count the definitions prefix.
  static Result<AlertTemplate> parse(std::string_view text, std::string_view alert_name);

  // The text as written in the rule.
  const std::string& source() const { return source_; }
  // True when the text has no action at all (expansion returns it as is).
  bool is_literal() const { return set_ == nullptr; }

  // Expands for one alert. `query` runs the template's query calls at
  // `eval_time`; `counters`, when given, count the expansion and any failure.
  std::string expand(const AlertTemplateData& data, Timestamp eval_time,
                     const QueryFunc& query = QueryFunc(),
                     ExpansionCounters* counters = nullptr) const;

  // Adapts any query callable returning an expected<range of samples with
  // .metric and .value, error> (e.g. tocsin's query::QueryFunc), so callers
  // need no glue. The error's to_string() (or message()) is what the
  // template reports after "error calling query: ".
  template <typename Query>
  requires(!std::is_convertible_v<const Query&, const QueryFunc&> &&
           std::is_invocable_v<const Query&, std::string_view, Timestamp>) std::string
      expand(const AlertTemplateData& data, Timestamp eval_time, const Query& query,
             ExpansionCounters* counters = nullptr)
  const {
    QueryFunc adapted = [&query](std::string_view expr,
                                 Timestamp ts) -> Result<std::vector<QuerySample>> {
      auto result = query(expr, ts);
      if (!result) {
        if constexpr (requires { result.error().to_string(); }) {
          return fail(std::string(result.error().to_string()));
        } else {
          return fail(std::string(result.error().message()));
        }
      }
      std::vector<QuerySample> samples;
      samples.reserve(result->size());
      for (const auto& s : *result) samples.push_back(QuerySample{s.metric, s.value});
      return samples;
    };
    return expand(data, eval_time, adapted, counters);
  }

  // The process-wide counters that expand() uses when none are given.
  static ExpansionCounters& default_counters();

 private:
  AlertTemplate(std::string source, std::string name, std::shared_ptr<const TemplateSet> set)
      : source_(std::move(source)), name_(std::move(name)), set_(std::move(set)) {}

  std::string source_;
  std::string name_;                        // "__alert_<alert name>"
  std::shared_ptr<const TemplateSet> set_;  // null for literal text
};

}  // namespace tocsin::tmpl
