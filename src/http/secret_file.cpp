#include "http/secret_file.h"

#include "core/files.h"

namespace tocsin::http {

std::string trim_space(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(kSpace) - first + 1));
}

Result<std::string> read_trimmed_secret_file(const std::string& path) {
  auto content = files::read(path);
  if (!content) return std::unexpected(content.error());
  return trim_space(*content);
}

}  // namespace tocsin::http
