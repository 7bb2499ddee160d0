#include "notifiers/delivery/field_renderer.h"

#include <fmt/format.h>

namespace tocsin::notifiers {

template <typename Render>
std::string FieldRenderer::render(std::string_view field, Render render) {
  if (failure_) return {};
  Result<std::string> out = render();
  if (!out) {
    // The message is Go's error text, which names the template and where.
    failure_ = fmt::format("{}: {}", field, out.error().message());
    return {};
  }
  return std::move(*out);
}

std::string FieldRenderer::text(std::string_view field, std::string_view text) {
  return render(field, [&] { return templates_.text(text, data_); });
}

std::string FieldRenderer::html(std::string_view field, std::string_view text) {
  return render(field, [&] { return templates_.html(text, data_); });
}

notify::Failure FieldRenderer::failure(std::string_view context) const {
  return notify::Failure{fmt::format("{}: {}", context, failure_.value_or("")), false};
}

}  // namespace tocsin::notifiers
