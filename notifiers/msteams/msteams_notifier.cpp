#include "notifiers/msteams/msteams_notifier.h"

#include "notifiers/delivery/json_webhook_notifier.h"
#include "notifiers/msteams/msteams_message.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_msteams_notifier(const MsteamsConfig& config,
                                                                const NotifierSettings& settings) {
  return make_json_webhook_notifier(config, &render_msteams_message, settings);
}

}  // namespace tocsin::notifiers
