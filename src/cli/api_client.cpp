#include "cli/api_client.h"

#include <fmt/format.h>

#include "http/http_client.h"

namespace tocsin::cli {

Result<nlohmann::json> api_get(const ApiTarget& target, std::string_view path_and_query) {
  auto client = http::HttpClient::create(
      http::HttpClientConfig{},
      http::ClientOptions{
          .timeout = target.timeout, .user_agent = "tocsin", .max_body = std::size_t{64} << 20});
  if (!client) return std::unexpected(client.error());
  std::string base = target.url;
  while (base.ends_with('/')) base.pop_back();
  std::string url = base + std::string(path_and_query);
  std::string_view path = path_and_query.substr(0, path_and_query.find('?'));
  auto response = (*client)->get(url, {});
  if (!response) return fail(fmt::format("GET {}: {}", path, response.error().to_string()));
  auto body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status < 200 || response->status > 299) {
    std::string why = response->body;
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
      why = body["error"].get<std::string>();
    }
    return fail(fmt::format("GET {}: {}: {}", path, response->status, why));
  }
  if (body.is_discarded()) return fail(fmt::format("GET {}: the answer is not JSON", path));
  return body;
}

}  // namespace tocsin::cli
