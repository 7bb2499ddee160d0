#include "rules/alerting_rule.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rules/restore.h"

namespace tocsin::rules {
namespace {

template <typename Entries>
Labels texts_of(const Entries& entries) {
  LabelsBuilder b;
  for (const auto& e : entries) b.set(e.name, e.text.source());
  return b.labels();
}

bool is_set(Timestamp t) {
  return t != Timestamp{};
}

}  // namespace

std::expected<std::unique_ptr<AlertingRule>, std::vector<Error>> AlertingRule::build(
    const RuleSpec& spec) {
  std::vector<Error> errors;
  auto compile = [&](const std::vector<yaml::StringEntry>& entries, std::string_view what) {
    std::vector<Template> out;
    for (const auto& e : entries) {
      auto parsed = tmpl::AlertTemplate::parse(e.value, spec.name);
      if (!parsed) {
        errors.emplace_back(e.value_position,
                            fmt::format("{} \"{}\": {}", what, e.key, parsed.error().message()));
        continue;
      }
      out.push_back(Template{e.key, std::move(*parsed)});
    }
    std::sort(out.begin(), out.end(),
              [](const Template& a, const Template& b) { return a.name < b.name; });
    return out;
  };
  auto labels = compile(spec.labels, "label");
  auto annotations = compile(spec.annotations, "annotation");
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return std::unique_ptr<AlertingRule>(
      new AlertingRule(spec, std::move(labels), std::move(annotations)));
}

AlertingRule::AlertingRule(const RuleSpec& spec, std::vector<Template> labels,
                           std::vector<Template> annotations)
    : Rule(spec.name, spec.expr),
      hold_(spec.for_duration),
      keep_firing_for_(spec.keep_firing_for),
      label_templates_(std::move(labels)),
      annotation_templates_(std::move(annotations)),
      label_texts_(texts_of(label_templates_)),
      annotation_texts_(texts_of(annotation_templates_)) {}

std::string AlertingRule::identity() const {
  return name() + label_texts_.to_string();
}

Status AlertingRule::eval(Timestamp ts, const EvalContext& context) {
  auto result = context.query(expr(), ts - context.query_offset);
  if (!result) return fail(result.error().to_string());

  // Build the alerts this evaluation returned, outside the lock.
  std::unordered_map<std::uint64_t, Alert> returned;
  returned.reserve(result->size());
  for (const query::Sample& sample : *result) {
    tmpl::AlertTemplateData data{sample.metric, context.external_labels, context.external_url,
                                 sample.value};
    auto expand = [&](const tmpl::AlertTemplate& t) { return t.expand(data, ts, context.query); };
    LabelsBuilder labels(sample.metric);
    labels.del(kMetricNameLabel);
    for (const Template& t : label_templates_) labels.set(t.name, expand(t.text));
    labels.set(kAlertNameLabel, name());
    LabelsBuilder annotations;
    for (const Template& t : annotation_templates_) annotations.set(t.name, expand(t.text));

    Alert alert;
    alert.labels = labels.labels();
    alert.annotations = annotations.labels();
    alert.active_at = ts;
    alert.state = AlertState::kPending;
    alert.value = sample.value;
    std::uint64_t fp = alert.labels.fingerprint();
    if (!returned.emplace(fp, std::move(alert)).second) {
      return fail("vector contains metrics with the same labelset after applying alert labels");
    }
  }

  std::lock_guard lock(mu_);
  cleared_.clear();  // collect_changes has taken the last evaluation's
  for (auto& [fp, alert] : returned) {
    auto it = active_.find(fp);
    if (it != active_.end() && it->second.state != AlertState::kInactive) {
      it->second.value = alert.value;
      it->second.annotations = std::move(alert.annotations);
      continue;
    }
    active_.insert_or_assign(fp, std::move(alert));
  }

  std::int64_t active_or_pending = 0;
  for (auto it = active_.begin(); it != active_.end();) {
    Alert& a = it->second;
    if (!returned.contains(it->first)) {
      bool keep_firing = false;
      if (a.state == AlertState::kFiring && keep_firing_for_ > Duration(0)) {
        if (!is_set(a.keep_firing_since)) a.keep_firing_since = ts;
        keep_firing = ts - a.keep_firing_since < keep_firing_for_;
      }
      if (a.state == AlertState::kPending ||
          (a.resolved() && ts - a.resolved_at > kResolvedRetention)) {
        if (a.state == AlertState::kPending) {
          Alert& gone = cleared_.emplace_back();
          gone.labels = std::move(a.labels);
          gone.value = a.value;
          gone.active_at = a.active_at;
          gone.resolved_at = ts;
        }
        it = active_.erase(it);
        continue;
      }
      if (!keep_firing) {
        if (a.state != AlertState::kInactive) {
          a.state = AlertState::kInactive;
          a.resolved_at = ts;
        }
        ++it;
        continue;
      }
    } else {
      a.keep_firing_since = Timestamp{};
    }
    ++active_or_pending;
    if (a.state == AlertState::kPending && ts - a.active_at >= hold_) {
      a.state = AlertState::kFiring;
      a.fired_at = ts;
    }
    ++it;
  }

  if (context.limit > 0 && active_or_pending > context.limit) {
    active_.clear();
    return fail(
        fmt::format("exceeded limit of {} with {} alerts", context.limit, active_or_pending));
  }
  return {};
}

void AlertingRule::append_series(Timestamp at, std::vector<SeriesSample>& out) const {
  static constexpr std::string_view kAlertsMetric = "ALERTS";
  static constexpr std::string_view kForStateMetric = "ALERTS_FOR_STATE";
  static constexpr std::string_view kAlertStateLabel = "alertstate";
  std::lock_guard lock(mu_);
  std::erase_if(series_labels_, [&](const auto& item) {
    auto it = active_.find(item.first);
    return it == active_.end() || it->second.state != item.second.state;
  });
  std::vector<Label> base;
  std::vector<Label> pairs;
  for (const auto& [fp, a] : active_) {
    if (a.state == AlertState::kInactive) continue;
    auto cached = series_labels_.find(fp);
    if (cached == series_labels_.end()) {
      // The rule's label templates, the alert's labels over them, then the
      // series' own: Labels::from_pairs keeps the last of each name (and
      // sorts the pairs it is given).
      base.clear();
      for (Label l : label_texts_) base.push_back(l);
      for (Label l : a.labels) base.push_back(l);
      base.push_back({kAlertNameLabel, name()});
      SeriesLabels built{a.state, {}, {}};
      pairs = base;
      pairs.push_back({kMetricNameLabel, kAlertsMetric});
      pairs.push_back({kAlertStateLabel, to_string(a.state)});
      built.alerts = Labels::from_pairs(pairs);
      pairs = base;
      pairs.push_back({kMetricNameLabel, kForStateMetric});
      built.for_state = Labels::from_pairs(pairs);
      cached = series_labels_.emplace(fp, std::move(built)).first;
    }
    out.push_back(SeriesSample{cached->second.alerts, at, 1});
    // time.Time.Unix(): whole seconds, rounded down.
    auto active_at = std::chrono::floor<std::chrono::seconds>(a.active_at.time_since_epoch());
    out.push_back(
        SeriesSample{cached->second.for_state, at, static_cast<double>(active_at.count())});
  }
}

AlertState AlertingRule::state() const {
  std::lock_guard lock(mu_);
  AlertState max = AlertState::kInactive;
  for (const auto& [fp, a] : active_) max = std::max(max, a.state);
  return max;
}

std::vector<Alert> AlertingRule::active_alerts() const {
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  out.reserve(active_.size());
  for (const auto& [fp, a] : active_) {
    if (!a.resolved()) out.push_back(a);
  }
  return out;
}

std::vector<Alert> AlertingRule::all_alerts() const {
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  out.reserve(active_.size());
  for (const auto& [fp, a] : active_) out.push_back(a);
  return out;
}

std::size_t AlertingRule::alert_count() const {
  std::lock_guard lock(mu_);
  return active_.size();
}

std::array<std::size_t, 3> AlertingRule::alerts_by_state() const {
  std::lock_guard lock(mu_);
  std::array<std::size_t, 3> counts{};
  for (const auto& [fp, a] : active_) {
    if (!a.resolved()) ++counts[static_cast<int>(a.state)];
  }
  return counts;
}

std::vector<Alert> AlertingRule::take_alerts_to_send(Timestamp ts, Duration resend_delay,
                                                     Duration interval) {
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  for (auto& [fp, a] : active_) {
    if (a.state == AlertState::kPending) continue;
    bool due = a.resolved_at > a.last_sent_at || a.last_sent_at + resend_delay < ts;
    if (!due) continue;
    a.last_sent_at = ts;
    a.valid_until = ts + 4 * std::max(resend_delay, interval);
    out.push_back(a);
  }
  return out;
}

void AlertingRule::copy_state_from(const AlertingRule& previous) {
  if (&previous == this) return;
  std::scoped_lock lock(mu_, previous.mu_);
  for (const auto& [fp, a] : previous.active_) active_.insert_or_assign(fp, a);
}

void AlertingRule::restore(std::vector<Alert> alerts) {
  std::lock_guard lock(mu_);
  for (Alert& a : alerts) {
    std::uint64_t fp = a.labels.fingerprint();
    active_.insert_or_assign(fp, std::move(a));
  }
}

void AlertingRule::take_over(std::vector<Alert> alerts) {
  std::lock_guard lock(mu_);
  active_.clear();
  stored_.clear();
  cleared_.clear();
  for (Alert& a : alerts) {
    std::uint64_t fp = a.labels.fingerprint();
    stored_.insert_or_assign(fp, stored_view(a));
    active_.insert_or_assign(fp, std::move(a));
  }
}

bool AlertingRule::has_pending() const {
  std::lock_guard lock(mu_);
  return std::ranges::any_of(
      active_, [](const auto& item) { return item.second.state == AlertState::kPending; });
}

AlertingRule::Stored AlertingRule::stored_view(const Alert& a) {
  return Stored{a.state, a.active_at, a.fired_at, a.resolved_at, a.keep_firing_since};
}

store::HistoryRow AlertingRule::history_event(const Alert& a, std::string_view state, Timestamp at,
                                              const std::string& group_key,
                                              const ExternalLabels& external_labels) const {
  LabelsBuilder labels(a.labels);
  for (const auto& [label, value] : external_labels) {
    if (!a.labels.has(label)) labels.set(label, value);
  }
  store::HistoryRow row;
  row.at = at;
  row.kind = "alert";
  row.state = std::string(state);
  row.labels = labels.labels();
  row.fingerprint = row.labels.fingerprint();
  nlohmann::json details = {{"source", "rule"},
                            {"rule", name()},
                            {"group", group_key},
                            {"activeAt", format_rfc3339(a.active_at)}};
  if (!std::isnan(a.value)) details["value"] = a.value;
  row.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return row;
}

void AlertingRule::collect_changes(const std::string& group_key, const std::string& rule_key,
                                   const ExternalLabels& external_labels, store::Batch& batch) {
  std::lock_guard lock(mu_);
  for (const auto& [fp, a] : active_) {
    Stored view = stored_view(a);
    auto it = stored_.find(fp);
    if (it != stored_.end() && it->second == view) continue;
    // A new state is an event; new times alone (keep_firing_since) are not.
    std::optional<AlertState> was;
    if (it != stored_.end()) was = it->second.state;
    if (was != a.state) {
      switch (a.state) {
        case AlertState::kPending:
          batch.push_back(store::AppendHistory{
              history_event(a, "pending", a.active_at, group_key, external_labels)});
          break;
        case AlertState::kFiring:
          batch.push_back(store::AppendHistory{
              history_event(a, "firing", is_set(a.fired_at) ? a.fired_at : a.active_at, group_key,
                            external_labels)});
          break;
        case AlertState::kInactive:
          if (was) {
            batch.push_back(store::AppendHistory{
                history_event(a, "resolved", a.resolved_at, group_key, external_labels)});
          }
          break;
      }
    }
    batch.push_back(store::PutRuleAlert{alert_row(group_key, rule_key, name(), a)});
    stored_.insert_or_assign(fp, view);
  }
  // Pending alerts whose condition cleared before `for` passed.
  for (const Alert& gone : cleared_) {
    if (stored_.contains(gone.labels.fingerprint())) {
      batch.push_back(store::AppendHistory{
          history_event(gone, "inactive", gone.resolved_at, group_key, external_labels)});
    }
  }
  cleared_.clear();
  for (auto it = stored_.begin(); it != stored_.end();) {
    if (active_.contains(it->first)) {
      ++it;
      continue;
    }
    batch.push_back(store::DeleteRuleAlert{group_key, rule_key, it->first});
    it = stored_.erase(it);
  }
}

void AlertingRule::collect_all(const std::string& group_key, const std::string& rule_key,
                               store::Batch& batch) {
  std::lock_guard lock(mu_);
  stored_.clear();
  for (const auto& [fp, a] : active_) {
    batch.push_back(store::PutRuleAlert{alert_row(group_key, rule_key, name(), a)});
    stored_.emplace(fp, stored_view(a));
  }
}

}  // namespace tocsin::rules
