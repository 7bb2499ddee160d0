#include "template/alert_template.h"

#include "template/host_maps.h"

namespace tocsin::tmpl {
namespace {

// Prepended to every rule template by Prometheus (rules/alerting.go).
constexpr std::string_view kDefinitions =
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
    "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

// Prometheus's AlertTemplateData is an anonymous struct; Go names it by its fields.
constexpr std::string_view kDataType =
    "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; "
    "Value float64 }";

class RuleAlertData final : public Struct {
 public:
  explicit RuleAlertData(const AlertTemplateData& d)
      : labels_(d.labels), external_labels_(d.external_labels), data_(d) {}

  std::size_t field_count() const override { return 4; }
  std::string_view field_name(std::size_t i) const override {
    static constexpr std::string_view kNames[] = {"Labels", "ExternalLabels", "ExternalURL",
                                                  "Value"};
    return kNames[i];
  }
  Value field_at(std::size_t i) const override {
    switch (i) {
      case 0:
        return Value::map(&labels_);
      case 1:
        return Value::map(&external_labels_);
      case 2:
        return Value::string(data_.external_url);
      default:
        return Value::floating(data_.value);
    }
  }
  std::string_view type_name() const override { return kDataType; }

 private:
  LabelsView labels_;
  StringMapView external_labels_;
  const AlertTemplateData& data_;
};

}  // namespace

ExpansionCounters& AlertTemplate::default_counters() {
  static ExpansionCounters counters;
  return counters;
}

Result<AlertTemplate> AlertTemplate::parse(std::string_view text, std::string_view alert_name) {
  std::string name = "__alert_" + std::string(alert_name);
  if (text.find("{{") == std::string_view::npos) {
    return AlertTemplate(std::string(text), std::move(name), nullptr);
  }
  Options options;
  options.missing_key = MissingKey::kZero;
  auto set = std::make_shared<TemplateSet>(name, prometheus_functions(), options);
  std::string full(kDefinitions);
  full += text;
  if (auto parsed = set->parse(name, full); !parsed) {
    SourcePosition pos = parsed.error().position();
    if (pos.line == 1) pos.column = std::max(1, pos.column - static_cast<int>(kDefinitions.size()));
    return fail(pos, parsed.error().message());
  }
  return AlertTemplate(std::string(text), std::move(name), std::move(set));
}

std::string AlertTemplate::expand(const AlertTemplateData& data, Timestamp eval_time,
                                  const QueryFunc& query, ExpansionCounters* counters) const {
  ExpansionCounters& count = counters != nullptr ? *counters : default_counters();
  count.total.fetch_add(1, std::memory_order_relaxed);
  if (set_ == nullptr) return source_;
  PrometheusContext context{&query, eval_time, data.external_url};
  RuleAlertData root(data);
  std::string out;
  out.reserve(source_.size() + 16);
  auto status = set_->execute(out, name_, Value::structure(&root), Host::of(context));
  if (!status) {
    count.failures.fetch_add(1, std::memory_order_relaxed);
    return "<error expanding template: error executing template " + name_ + ": " +
           status.error().message() + ">";
  }
  return out;
}

}  // namespace tocsin::tmpl
