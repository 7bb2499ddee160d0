#include "http/redact.h"

#include <string_view>

namespace tocsin::http {

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  constexpr std::string_view kMask = "***";
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + kMask.size())) {
      text.replace(pos, secret.size(), kMask);
    }
  }
  return text;
}

}  // namespace tocsin::http
