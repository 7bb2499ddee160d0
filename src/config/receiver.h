// A receiver of alertmanager.yml and the integration sections it holds.
//
// config knows no integration itself: each section (one entry of a
// receiver's `slack_configs`, `webhook_configs`, ...) is an
// IntegrationConfig that its folder under notifiers/ defines, reads and
// writes back; the loader is handed the kinds it may read (ReceiverKinds,
// receiver_kinds.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::config {

class YamlWriter;

// One integration section, as its integration read it: every field
// defaulted, global fallbacks applied. Immutable once loaded.
class IntegrationConfig {
 public:
  virtual ~IntegrationConfig() = default;

  // "slack": names the section's key ("slack_configs"), its integrations
  // ("slack[0]") and the integration label of the metrics.
  virtual std::string_view kind() const = 0;

  // Writes the section's fields after `send_resolved` into the mapping
  // `out` has open, in Alertmanager's field order, defaults included and
  // every secret as "<secret>" (what /api/v2/status shows).
  virtual void write_redacted(YamlWriter& out) const = 0;

  bool send_resolved;
  SourcePosition position;  // of the section's mapping

 protected:
  // Whether resolved alerts are sent by default differs per integration.
  explicit IntegrationConfig(bool default_send_resolved) : send_resolved(default_send_resolved) {}
  IntegrationConfig(const IntegrationConfig&) = default;
  IntegrationConfig& operator=(const IntegrationConfig&) = default;
};

struct Receiver {
  std::string name;
  // Its integration sections, kind after kind in the order of the
  // ReceiverKinds it was read with, each kind's in the file's order.
  std::vector<std::shared_ptr<const IntegrationConfig>> integrations;
  SourcePosition position;

  // No integration: notifications routed here go nowhere (a "null" receiver).
  bool empty() const { return integrations.empty(); }

  // The sections of one integration type, in the file's order.
  template <typename Config>
  std::vector<const Config*> configs() const {
    std::vector<const Config*> out;
    for (const auto& integration : integrations) {
      if (auto* config = dynamic_cast<const Config*>(integration.get())) out.push_back(config);
    }
    return out;
  }
};

}  // namespace tocsin::config
