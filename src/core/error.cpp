#include <fmt/format.h>

#include <tocsin/error.h>

namespace tocsin {

std::string Error::to_string() const {
  if (position_.file.empty() && !position_.known()) return message_;
  std::string out = position_.file;
  if (position_.known()) {
    if (!out.empty()) out += ':';
    out += fmt::format("{}:{}", position_.line, position_.column);
  }
  out += ": ";
  out += message_;
  return out;
}

Error Error::wrap(std::string_view context) const {
  return Error(position_, fmt::format("{}: {}", context, message_));
}

Error Error::in_file(const std::string& file) const {
  if (!position_.file.empty()) return *this;
  SourcePosition pos = position_;
  pos.file = file;
  return Error(std::move(pos), message_);
}

}  // namespace tocsin
