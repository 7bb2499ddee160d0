#include "notifiers/msteams/msteams_message.h"

#include "gocompat/json_writer.h"
#include "notifiers/delivery/group_status.h"

namespace tocsin::notifiers {

std::expected<std::string, notify::Failure> render_msteams_message(
    const MsteamsConfig& c, const notify::Context& context, std::span<const notify::Alert> alerts,
    FieldRenderer& render) {
  std::string title = render.text("title", c.title);
  std::string text = render.text("text", c.text);
  if (render.failed()) return std::unexpected(render.failure("failed to template Teams message"));

  // A notification always holds an alert; Alertmanager's grey for none is
  // never seen.
  const bool firing = any_firing(alerts, context.now);
  gocompat::JsonWriter json;
  json.begin_object();
  json.field("@context", "http://schema.org/extensions");
  json.field("type", "MessageCard");
  json.field("title", title);
  json.field("text", text);
  json.field("themeColor", firing ? kMsteamsFiringColor : kMsteamsResolvedColor);
  json.end_object();
  return std::move(json).finish();
}

}  // namespace tocsin::notifiers
