#include "dispatch/inhibitor.h"

#include <algorithm>
#include <mutex>

namespace tocsin::dispatch {
namespace {

bool firing_at(Timestamp ends_at, Timestamp now) {
  // notify::Alert::resolved_at, for the one field the cache keeps.
  return ends_at == Timestamp{} || ends_at > now;
}

}  // namespace

Inhibitor::Inhibitor(std::span<const config::InhibitRule> rules) {
  rules_.reserve(rules.size());
  for (const config::InhibitRule& r : rules) {
    Rule rule{
        .source = r.source_matchers, .target = r.target_matchers, .equal = r.equal, .sources = {}};
    std::ranges::sort(rule.equal);
    auto dup = std::ranges::unique(rule.equal);  // Alertmanager holds them as a set
    rule.equal.erase(dup.begin(), dup.end());
    rules_.push_back(std::move(rule));
  }
}

std::string Inhibitor::equal_key(const Rule& rule, const Labels& labels) {
  // Label values are UTF-8, which never holds the byte 0xff.
  std::string key;
  for (const std::string& name : rule.equal) {
    key += labels.value_of(name);
    key += '\xff';
  }
  return key;
}

void Inhibitor::observe(const notify::Alert& alert) {
  observe(std::span(&alert, 1));
}

void Inhibitor::observe(std::span<const notify::Alert> alerts) {
  if (rules_.empty()) return;
  std::unique_lock lock(mu_);
  for (const notify::Alert& alert : alerts) observe_locked(alert);
}

void Inhibitor::observe(std::span<const AlertPtr> alerts) {
  if (rules_.empty()) return;
  std::unique_lock lock(mu_);
  for (const AlertPtr& alert : alerts) observe_locked(*alert);
}

void Inhibitor::observe_locked(const notify::Alert& alert) {
  for (Rule& rule : rules_) {
    if (!matches_all(rule.source, alert.labels)) continue;
    rule.sources[equal_key(rule, alert.labels)].insert_or_assign(
        alert.fingerprint(), Source{alert.ends_at, matches_all(rule.target, alert.labels)});
  }
}

std::optional<std::uint64_t> Inhibitor::find_source(const Rule& rule, const Labels& labels,
                                                    bool exclude_two_sided, Timestamp now) {
  auto candidates = rule.sources.find(equal_key(rule, labels));
  if (candidates == rule.sources.end()) return std::nullopt;
  for (const auto& [fingerprint, source] : candidates->second) {
    if (!firing_at(source.ends_at, now)) continue;  // the cache may hold resolved alerts
    if (exclude_two_sided && source.matches_target) continue;
    return fingerprint;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Inhibitor::inhibited_by(const Labels& labels, Timestamp now) const {
  std::shared_lock lock(mu_);
  for (const Rule& rule : rules_) {
    if (!matches_all(rule.target, labels)) continue;
    bool two_sided = matches_all(rule.source, labels);
    if (auto fingerprint = find_source(rule, labels, two_sided, now)) return fingerprint;
  }
  return std::nullopt;
}

std::vector<std::uint64_t> Inhibitor::mutes(const Labels& labels, Timestamp now) const {
  if (auto fingerprint = inhibited_by(labels, now)) return {*fingerprint};
  return {};
}

std::size_t Inhibitor::collect_garbage(Timestamp now) {
  std::unique_lock lock(mu_);
  std::size_t removed = 0;
  for (Rule& rule : rules_) {
    for (auto it = rule.sources.begin(); it != rule.sources.end();) {
      removed += std::erase_if(
          it->second, [&](const auto& item) { return !firing_at(item.second.ends_at, now); });
      it = it->second.empty() ? rule.sources.erase(it) : std::next(it);
    }
  }
  return removed;
}

}  // namespace tocsin::dispatch
