#include "config/receiver_config.h"

namespace tocsin::config {
namespace {

// RFC 7230 token characters: a key with anything else is left as written.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

std::string canonical_mime_header_key(std::string_view key) {
  for (char c : key) {
    if (!is_token_char(c)) return std::string(key);
  }
  std::string out(key);
  bool upper = true;
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    upper = c == '-';
  }
  return out;
}

std::map<std::string, std::string> EmailConfig::effective_headers() const {
  std::map<std::string, std::string> out = headers;
  out.emplace("Subject", default_template::kEmailSubject);
  out.emplace("To", to);
  out.emplace("From", from);
  return out;
}

}  // namespace tocsin::config
