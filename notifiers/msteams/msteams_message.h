// The Microsoft Teams message exactly as Alertmanager 0.26 posts it to an
// incoming webhook: a MessageCard (@context, type, title, text,
// themeColor), title and text rendered as templates, the color by the
// group's status (red while any alert fires, green once all resolved),
// encoded as Go's json.Encoder does.
#pragma once

#include <expected>
#include <span>
#include <string>
#include <string_view>

#include <tocsin/notify.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/msteams/msteams_config.h"

namespace tocsin::notifiers {

// themeColor by status, as Alertmanager 0.26 has them.
inline constexpr std::string_view kMsteamsFiringColor = "8C1A1A";
inline constexpr std::string_view kMsteamsResolvedColor = "2DC72D";

// The body, ending in "\n"; the first template that fails is the
// (non-retryable) failure.
std::expected<std::string, notify::Failure> render_msteams_message(
    const MsteamsConfig& config, const notify::Context& context,
    std::span<const notify::Alert> alerts, FieldRenderer& render);

}  // namespace tocsin::notifiers
