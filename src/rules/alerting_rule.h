// An alerting rule and the alerts it owns, with Prometheus's semantics
// (rules/alerting.go): an alert is pending from the first evaluation that
// returned its series until the condition has held for `for`, then firing;
// it resolves when its series disappears (after `keep_firing_for`, if set);
// resolved alerts are kept for 15 minutes so that the resolution reaches the
// notifier. A failed query leaves every alert as it was.
//
// Threads: `eval`, `collect_changes` and `collect_all` run on the group's
// thread (or on the manager's while the group is stopped); everything else
// may be called from any thread.
#pragma once

#include <array>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <tocsin/alert.h>
#include <tocsin/series.h>

#include "rules/rule.h"
#include "rules/rule_file.h"
#include "store/store.h"
#include "template/alert_template.h"

namespace tocsin::rules {

// How long a resolved alert is kept, and so re-sent as resolved.
inline constexpr Duration kResolvedRetention = std::chrono::minutes(15);

class AlertingRule final : public Rule {
 public:
  // Parses the rule's label and annotation templates. Every template that
  // does not parse is reported at the position of its value, as
  // `annotation "summary": template: ...`.
  static std::expected<std::unique_ptr<AlertingRule>, std::vector<Error>> build(
      const RuleSpec& spec);

  bool alerting() const override { return true; }
  std::string identity() const override;

  Duration hold_duration() const { return hold_; }
  Duration keep_firing_for() const { return keep_firing_for_; }
  // The unexpanded label and annotation templates, as written.
  const Labels& labels() const { return label_texts_; }
  const Labels& annotations() const { return annotation_texts_; }

  // Runs the query at `ts` (minus the query offset) and advances every
  // alert's state to `ts`. On error the alerts are left untouched, except
  // that exceeding `limit` drops them all, as Prometheus does.
  Status eval(Timestamp ts, const EvalContext& context);

  // The series Prometheus's rule manager writes for this rule's pending and
  // firing alerts after an evaluation, stamped `at` (the evaluation's time
  // minus the query offset), appended to `out`: ALERTS{alertname,
  // alertstate="pending"|"firing", the alert's labels} = 1 and
  // ALERTS_FOR_STATE{alertname, the alert's labels} = activeAt in whole Unix
  // seconds. As in Prometheus, the rule's label templates, unexpanded, lie
  // under the alert's labels, so one that expanded to nothing shows as
  // written.
  void append_series(Timestamp at, std::vector<SeriesSample>& out) const;

  // The highest state of any alert: firing > pending > inactive.
  AlertState state() const;
  // Pending and firing alerts, resolved ones left out (Prometheus's ActiveAlerts).
  std::vector<Alert> active_alerts() const;
  // Every alert held, resolved ones included.
  std::vector<Alert> all_alerts() const;
  std::size_t alert_count() const;
  // Unresolved alerts per state, indexed by AlertState.
  std::array<std::size_t, 3> alerts_by_state() const;

  // The alerts due for the notifier at `ts`: firing ones not sent within
  // `resend_delay`, and ones resolved since they were last sent. Marks them
  // sent and stamps valid_until = ts + 4 * max(resend_delay, interval).
  std::vector<Alert> take_alerts_to_send(Timestamp ts, Duration resend_delay, Duration interval);

  // Adopts the alerts of the rule this one replaces on reload.
  void copy_state_from(const AlertingRule& previous);

  // Adopts alerts restored from the store (restore.h), at start.
  void restore(std::vector<Alert> alerts);
  // Replaces every alert with `alerts`, as the store holds them (a replica
  // taking the rule's group over from another): what collect_changes
  // compares with next.
  void take_over(std::vector<Alert> alerts);
  // Whether any alert is pending.
  bool has_pending() const;

  using ExternalLabels = std::map<std::string, std::string>;

  // Appends to `batch` what changed since the last call: a put for each
  // alert whose state or times changed (a new value or annotations alone
  // are not a change, so an unchanged alert costs no write), a delete for
  // each alert gone, and a history event for each new state ("pending",
  // "firing", "resolved", and "inactive" for a pending alert whose
  // condition cleared), with the labels the alert is sent with (external
  // labels added). `group_key` and `rule_key` name this rule in the store.
  void collect_changes(const std::string& group_key, const std::string& rule_key,
                       const ExternalLabels& external_labels, store::Batch& batch);
  // Appends a put for every alert, as when the store's rows of the group
  // are written anew (start, reload).
  void collect_all(const std::string& group_key, const std::string& rule_key, store::Batch& batch);

 private:
  struct Template {
    std::string name;
    tmpl::AlertTemplate text;
  };

  AlertingRule(const RuleSpec& spec, std::vector<Template> labels,
               std::vector<Template> annotations);

  const Duration hold_;
  const Duration keep_firing_for_;
  const std::vector<Template> label_templates_;       // sorted by name
  const std::vector<Template> annotation_templates_;  // sorted by name
  const Labels label_texts_;
  const Labels annotation_texts_;

  // What the store holds of an alert, as last written: enough to tell
  // whether its state changed since.
  struct Stored {
    AlertState state;
    Timestamp active_at;
    Timestamp fired_at;
    Timestamp resolved_at;
    Timestamp keep_firing_since;
    bool operator==(const Stored&) const = default;
  };
  static Stored stored_view(const Alert& alert);
  store::HistoryRow history_event(const Alert& alert, std::string_view state, Timestamp at,
                                  const std::string& group_key,
                                  const ExternalLabels& external_labels) const;

  std::unordered_map<std::uint64_t, Alert> active_;  // by label fingerprint; guarded by mu_
  // The labels of each active alert's ALERTS and ALERTS_FOR_STATE series,
  // built when its state last changed (append_series); guarded by mu_.
  struct SeriesLabels {
    AlertState state;
    Labels alerts;
    Labels for_state;
  };
  mutable std::unordered_map<std::uint64_t, SeriesLabels> series_labels_;
  std::unordered_map<std::uint64_t, Stored> stored_;  // by label fingerprint; guarded by mu_
  // Pending alerts the last evaluation dropped (resolved_at: when), for
  // collect_changes's history; guarded by mu_.
  std::vector<Alert> cleared_;
};

}  // namespace tocsin::rules
