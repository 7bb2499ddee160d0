#include "dispatch/replicas.h"

namespace tocsin::dispatch {

Replicas::Replicas(std::shared_ptr<store::Cluster> cluster) : cluster_(std::move(cluster)) {}

void Replicas::update(std::vector<store::ReplicaRow> live) {
  std::lock_guard lock(mu_);
  live_ = std::move(live);
}

std::vector<store::ReplicaRow> Replicas::live() const {
  std::lock_guard lock(mu_);
  return live_;
}

bool Replicas::preferred(std::string_view key) const {
  std::lock_guard lock(mu_);
  const std::string& me = self();
  std::string_view best = me;
  std::uint64_t best_weight = rendezvous_weight(me, key);
  for (const store::ReplicaRow& r : live_) {
    std::uint64_t w = rendezvous_weight(r.id, key);
    if (w > best_weight || (w == best_weight && r.id < best)) {
      best = r.id;
      best_weight = w;
    }
  }
  return best == me;
}

std::uint64_t rendezvous_weight(std::string_view replica, std::string_view key) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  mix(replica);
  mix(std::string_view("\xff", 1));
  mix(key);
  // FNV's low bits mix poorly for short keys: a final avalanche
  // (splitmix64's) spreads them.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace tocsin::dispatch
