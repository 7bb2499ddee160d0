// tocsin's web server (every route of api/web_routes.h) with a
// NotificationService behind it, in the test's own process, on a free
// 127.0.0.1 port: what the Alertmanager API tests talk to (the daemon wires
// the same two together). Receivers get no integrations, so nothing is ever
// sent anywhere; a reload does nothing.
//
// Not thread-safe: the test's thread owns it; the server's threads only
// read through the API.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <prometheus/registry.h>

#include <tocsin/error.h>

#include "api/date_time.h"
#include "api/web_routes.h"
#include "dispatch/notification_service.h"
#include "web/server.h"

namespace tocsin::test {

// Now, to the millisecond the API's times carry, and a time as the API
// writes it: what the tests put in the alerts and silences they post.
inline Timestamp now_ms() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}
inline std::string api_time(Timestamp t) {
  return api::format_api_time(t);
}

class ApiTestServer {
 public:
  // Applies `alertmanager_yml` (which must load) and starts serving.
  // `configured` false: the server runs with no NotificationService at all.
  // `lifecycle` false: as without --web.enable-lifecycle.
  static Result<std::unique_ptr<ApiTestServer>> start(const std::string& alertmanager_yml,
                                                      bool configured = true,
                                                      bool lifecycle = true);
  ~ApiTestServer();

  std::string url() const;  // "http://127.0.0.1:<port>"
  int port() const { return web_->port(); }
  dispatch::NotificationService& service() { return *service_; }
  // Where the service's metrics go.
  prometheus::Registry& registry() { return *registry_; }
  // The value of a counter or gauge in registry(), 0 when absent.
  double metric(const std::string& name, const std::map<std::string, std::string>& labels = {});

 private:
  ApiTestServer() = default;
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  std::unique_ptr<dispatch::NotificationService> service_;
  std::unique_ptr<web::Server> web_;
};

}  // namespace tocsin::test
