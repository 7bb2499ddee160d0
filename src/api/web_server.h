// tocsin's HTTP server: Prometheus's rule and alert API, Alertmanager's API
// v2 (alertmanager_api.h), the lifecycle endpoints (/-/healthy, /-/ready,
// /-/reload) and /metrics.
//
// The server knows nothing of how rules run: what it serves comes in
// through `WebHooks`, each called on a server thread (so each must be
// thread-safe).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <tocsin/error.h>

#include "api/alertmanager_api.h"
#include "api/prometheus_api.h"

namespace httplib {
class Server;
}

namespace tocsin::api {

struct WebHooks {
  std::function<Groups()> rule_groups;
  std::function<Status()> reload;        // runs a reload; the error is shown to the caller
  std::function<bool()> ready;           // true once the first configuration loaded
  std::function<std::string()> metrics;  // Prometheus text exposition
  // The notification side Alertmanager's API serves; unset or null: those
  // endpoints answer 503 (see alertmanager_api.h).
  NotificationsHook notifications;
};

class WebServer {
 public:
  // Binds `listen_address` ("host:port"; port 0 picks a free one) and starts
  // serving on background threads.
  static Result<std::unique_ptr<WebServer>> start(const std::string& listen_address,
                                                  WebHooks hooks);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  int port() const { return port_; }
  void stop();

 private:
  WebServer(std::unique_ptr<httplib::Server> server, int port, WebHooks hooks);
  void route();

  std::unique_ptr<httplib::Server> server_;
  int port_;
  WebHooks hooks_;
  std::thread thread_;
};

}  // namespace tocsin::api
