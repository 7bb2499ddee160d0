// The parts every rule shares: its identity, its expression, and its health
// as the last evaluation left it.
//
// Threads: a rule is evaluated only by its group's thread; the API reads its
// health and alerts from other threads, so that state sits behind `mu_`.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/time.h>

#include "query/prometheus_client.h"

namespace tocsin::rules {

enum class RuleHealth { kUnknown, kGood, kBad };

// "unknown", "ok", "err": the words Prometheus's API uses.
std::string_view to_string(RuleHealth health);

// What an evaluation needs from outside the rule. Owned by the caller.
struct EvalContext {
  const query::QueryFunc& query;
  const std::map<std::string, std::string>& external_labels;
  const std::string& external_url;
  std::int64_t limit = 0;    // alerts per rule; 0 is no limit
  Duration query_offset{0};  // queries run at ts - query_offset
};

// A point-in-time copy of a rule's health, for readers on other threads.
struct RuleStatus {
  RuleHealth health = RuleHealth::kUnknown;
  std::string last_error;
  Timestamp last_evaluation{};  // wall time the last evaluation started
  std::chrono::nanoseconds evaluation_time{0};
};

class Rule {
 public:
  Rule(std::string name, std::string expr) : name_(std::move(name)), expr_(std::move(expr)) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  const std::string& name() const { return name_; }
  const std::string& expr() const { return expr_; }
  virtual bool alerting() const = 0;

  // The rule's identity across reloads: its name and its (unexpanded) labels.
  virtual std::string identity() const = 0;

  RuleStatus status() const;

  // Records the outcome of an evaluation that started at wall time `started`.
  // Called by the rule's group after each evaluation.
  void record_evaluation(const Status& outcome, Timestamp started, std::chrono::nanoseconds took);

 protected:
  mutable std::mutex mu_;

 private:
  const std::string name_;
  const std::string expr_;
  RuleStatus status_;  // guarded by mu_
};

}  // namespace tocsin::rules
