#include "cli/api_client.h"

#include <fmt/format.h>

#include "http/http_client.h"

namespace tocsin::cli {
namespace {

enum class Method { kGet, kPost, kDelete };

Result<nlohmann::json> call(const ApiTarget& target, Method method, std::string_view path_and_query,
                            const nlohmann::json* body) {
  auto client = http::HttpClient::create(
      http::HttpClientConfig{},
      http::ClientOptions{
          .timeout = target.timeout, .user_agent = "tocsin", .max_body = std::size_t{64} << 20});
  if (!client) return std::unexpected(client.error());
  std::string base = target.url;
  while (base.ends_with('/')) base.pop_back();
  std::string url = base + std::string(path_and_query);
  std::string_view path = path_and_query.substr(0, path_and_query.find('?'));
  std::string_view name = method == Method::kGet    ? "GET"
                          : method == Method::kPost ? "POST"
                                                    : "DELETE";
  auto response = method == Method::kGet ? (*client)->get(url, {})
                  : method == Method::kPost
                      ? (*client)->post(url, "application/json", body ? body->dump() : "{}", {})
                      : (*client)->del(url, {});
  if (!response) return fail(fmt::format("{} {}: {}", name, path, response.error().to_string()));
  auto answer = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status < 200 || response->status > 299) {
    std::string why = response->body;
    if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
      why = answer["error"].get<std::string>();
    }
    return fail(fmt::format("{} {}: {}: {}", name, path, response->status, why));
  }
  if (answer.is_discarded()) return fail(fmt::format("{} {}: the answer is not JSON", name, path));
  return answer;
}

}  // namespace

Result<nlohmann::json> api_get(const ApiTarget& target, std::string_view path_and_query) {
  return call(target, Method::kGet, path_and_query, nullptr);
}

Result<nlohmann::json> api_post(const ApiTarget& target, std::string_view path,
                                const nlohmann::json& body) {
  return call(target, Method::kPost, path, &body);
}

Result<nlohmann::json> api_delete(const ApiTarget& target, std::string_view path_and_query) {
  return call(target, Method::kDelete, path_and_query, nullptr);
}

}  // namespace tocsin::cli
