#include "api/openapi_response.h"

namespace tocsin::api {

web::Response json_ok(std::string document) {
  web::Response res;
  document += '\n';
  res.set_content(std::move(document), std::string(kJsonContentType));
  return res;
}

web::Response empty_ok() {
  return web::Response{};
}

}  // namespace tocsin::api
