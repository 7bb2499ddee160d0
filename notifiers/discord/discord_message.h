// The Discord webhook message exactly as Alertmanager 0.25 posts it
// (notify/discord): an empty "content" and one embed of the rendered title,
// the rendered message as its description, and a color by the group's
// status, encoded as Go's json.Encoder does.
//
// Alertmanager 0.25 cuts neither text to Discord's limits (256 characters
// of title, 4096 of description; 0.27 does): a longer one is posted as it
// is and Discord refuses it with a 400, which is final.
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>

#include <tocsin/notify.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/discord/discord_config.h"

namespace tocsin::notifiers {

// Alertmanager's embed colors (0xRRGGBB): red while any alert of the group
// fires, green once all are resolved. (Its third, grey, is for a status
// that is neither, which a group never has.)
inline constexpr std::int64_t kDiscordFiringColor = 0x992D22;
inline constexpr std::int64_t kDiscordResolvedColor = 0x2ECC71;

// The body, ending in "\n". Statuses are as of context.now. The first
// template that fails is the (non-retryable) failure.
std::expected<std::string, notify::Failure> render_discord_message(
    const DiscordConfig& config, const notify::Context& context,
    std::span<const notify::Alert> alerts, FieldRenderer& render);

}  // namespace tocsin::notifiers
