#include "api/cors.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "gocompat/textproto.h"

namespace tocsin::api {
namespace {

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// rs/cors's isMethodAllowed with the default methods; OPTIONS always is.
bool method_allowed(std::string_view method) {
  std::string upper = to_upper(method);
  return upper == "GET" || upper == "POST" || upper == "HEAD" || upper == "OPTIONS";
}

// rs/cors's parseHeaderList: names split at spaces and commas, each in
// canonical form (upper case after the start and each '-'), characters
// other than letters, digits, '-', '_' and '.' dropped.
std::vector<std::string> parse_header_list(std::string_view list) {
  std::vector<std::string> headers;
  std::string h;
  bool upper = true;
  for (std::size_t i = 0; i < list.size(); ++i) {
    char b = list[i];
    if (b >= 'a' && b <= 'z') {
      h += upper ? static_cast<char>(b - 'a' + 'A') : b;
    } else if (b >= 'A' && b <= 'Z') {
      h += upper ? b : static_cast<char>(b - 'A' + 'a');
    } else if (b == '-' || b == '_' || b == '.' || (b >= '0' && b <= '9')) {
      h += b;
    }
    if (b == ' ' || b == ',' || i == list.size() - 1) {
      if (!h.empty()) {
        headers.push_back(std::move(h));
        h.clear();
        upper = true;
      }
    } else {
      upper = b == '-';
    }
  }
  return headers;
}

bool headers_allowed(const std::vector<std::string>& requested) {
  static constexpr std::array<std::string_view, 4> kAllowed = {"Origin", "Accept", "Content-Type",
                                                               "X-Requested-With"};
  return std::all_of(requested.begin(), requested.end(), [](const std::string& h) {
    return std::find(kAllowed.begin(), kAllowed.end(), gocompat::canonical_mime_header_key(h)) !=
           kAllowed.end();
  });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

void add_cors_headers(const web::Request& req, web::Response& res) {
  res.add_header("Vary", "Origin");
  if (req.header("Origin").empty() || !method_allowed(req.method)) return;
  res.set_header("Access-Control-Allow-Origin", "*");
}

bool is_cors_preflight(const web::Request& req) {
  return req.method == "OPTIONS" && !req.header("Access-Control-Request-Method").empty();
}

web::Response cors_preflight_response(const web::Request& req) {
  web::Response res;
  res.add_header("Vary", "Origin");
  res.add_header("Vary", "Access-Control-Request-Method");
  res.add_header("Vary", "Access-Control-Request-Headers");
  std::string method = req.header("Access-Control-Request-Method");
  std::vector<std::string> headers =
      parse_header_list(req.header("Access-Control-Request-Headers"));
  if (req.header("Origin").empty() || !method_allowed(method) || !headers_allowed(headers)) {
    return res;
  }
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Allow-Methods", to_upper(method));
  if (!headers.empty()) res.set_header("Access-Control-Allow-Headers", join(headers));
  return res;
}

void add_alertmanager_v1_headers(web::Response& res) {
  res.set_header("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
  res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Expose-Headers", "Date");
  res.set_header("Cache-Control", "no-cache, no-store, must-revalidate");
}

void add_prometheus_cors_headers(const web::Request& req, web::Response& res) {
  if (req.header("Origin").empty()) return;
  res.set_header("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
  res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  res.set_header("Access-Control-Expose-Headers", "Date");
  res.set_header("Vary", "Origin");
  res.set_header("Access-Control-Allow-Origin", "*");
}

}  // namespace tocsin::api
