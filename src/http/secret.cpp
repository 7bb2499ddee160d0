#include "http/secret.h"

#include <ostream>

#include <nlohmann/json.hpp>

namespace tocsin::http {

std::ostream& operator<<(std::ostream& out, const Secret& secret) {
  return out << secret.redacted();
}

void to_json(nlohmann::json& out, const Secret& secret) {
  out = std::string(secret.redacted());
}

}  // namespace tocsin::http
