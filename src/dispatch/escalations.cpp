#include "dispatch/escalations.h"

namespace tocsin::dispatch {

void Escalations::restore(const std::vector<store::EscalationRow>& rows) {
  std::lock_guard lock(mu_);
  for (const store::EscalationRow& r : rows) episodes_.insert_or_assign(r.group_key, r.first_fired);
}

Escalations::Episode Escalations::start(std::string_view group_key, Timestamp now) {
  std::lock_guard lock(mu_);
  if (auto it = episodes_.find(group_key); it != episodes_.end()) return {it->second, 0};
  episodes_.emplace(std::string(group_key), now);
  store::Writer::Sequence stored = 0;
  if (journal_) {
    stored = journal_->submit({store::PutEscalation{{std::string(group_key), now}}});
  }
  return {now, stored};
}

std::optional<Timestamp> Escalations::first_fired(std::string_view group_key) const {
  std::lock_guard lock(mu_);
  auto it = episodes_.find(group_key);
  if (it == episodes_.end()) return std::nullopt;
  return it->second;
}

void Escalations::end(std::string_view group_key) {
  std::lock_guard lock(mu_);
  auto it = episodes_.find(group_key);
  if (it == episodes_.end()) return;
  episodes_.erase(it);
  if (journal_) journal_->submit({store::DeleteEscalation{std::string(group_key)}});
}

}  // namespace tocsin::dispatch
