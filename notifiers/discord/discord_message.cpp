#include "notifiers/discord/discord_message.h"

#include "gocompat/json_writer.h"
#include "notifiers/delivery/group_status.h"

namespace tocsin::notifiers {

std::expected<std::string, notify::Failure> render_discord_message(
    const DiscordConfig& c, const notify::Context& context, std::span<const notify::Alert> alerts,
    FieldRenderer& render) {
  std::string title = render.text("title", c.title);
  std::string description = render.text("message", c.message);
  if (render.failed()) return std::unexpected(render.failure("failed to template Discord message"));
  const bool firing = any_firing(alerts, context.now);

  gocompat::JsonWriter json;
  json.begin_object();
  json.field("content", "");  // not omitempty in Alertmanager's struct
  json.key("embeds");
  json.begin_array();
  json.begin_object();
  json.field("title", title);
  json.field("description", description);
  json.key("color");
  json.integer(firing ? kDiscordFiringColor : kDiscordResolvedColor);
  json.end_object();
  json.end_array();
  json.end_object();
  return std::move(json).finish();
}

}  // namespace tocsin::notifiers
