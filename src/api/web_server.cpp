#include "api/web_server.h"

#include <charconv>

#include <fmt/format.h>
#include <httplib.h>

#include "core/log.h"

namespace tocsin::api {
namespace {

// Requests served on one keep-alive connection before it is closed.
constexpr std::size_t kKeepAliveMaxRequests = 1000;

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

}  // namespace

Result<std::unique_ptr<WebServer>> WebServer::start(const std::string& listen_address,
                                                    WebHooks hooks) {
  auto colon = listen_address.rfind(':');
  if (colon == std::string::npos) {
    return fail(fmt::format("listen address \"{}\" must be host:port", listen_address));
  }
  std::string host = listen_address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  int port = 0;
  std::string_view port_text = std::string_view(listen_address).substr(colon + 1);
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return fail(fmt::format("listen address \"{}\" has an invalid port", listen_address));
  }

  auto server = std::make_unique<httplib::Server>();
  // cpp-httplib closes a keep-alive connection after 5 requests by default;
  // Go's server (what Prometheus expects on the other end) never does. A
  // Prometheus sending many batches would otherwise reconnect every 5.
  server->set_keep_alive_max_count(kKeepAliveMaxRequests);
  if (port == 0) {
    port = server->bind_to_any_port(host);
    if (port < 0) return fail(fmt::format("cannot listen on {}", listen_address));
  } else if (!server->bind_to_port(host, port)) {
    return fail(
        fmt::format("cannot listen on {}: address in use or not available", listen_address));
  }
  std::unique_ptr<WebServer> web(new WebServer(std::move(server), port, std::move(hooks)));
  web->route();
  web->thread_ = std::thread([s = web->server_.get()] { s->listen_after_bind(); });
  return web;
}

WebServer::WebServer(std::unique_ptr<httplib::Server> server, int port, WebHooks hooks)
    : server_(std::move(server)), port_(port), hooks_(std::move(hooks)) {}

WebServer::~WebServer() {
  stop();
}

void WebServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

void WebServer::route() {
  httplib::Server& s = *server_;

  s.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("tocsin is Healthy.\n", "text/plain; charset=utf-8");
  });
  s.Get("/-/ready", [this](const httplib::Request&, httplib::Response& res) {
    if (hooks_.ready && hooks_.ready()) {
      res.set_content("tocsin is Ready.\n", "text/plain; charset=utf-8");
    } else {
      res.status = 503;
      res.set_content("Service Unavailable\n", "text/plain; charset=utf-8");
    }
  });
  auto reload = [this](const httplib::Request&, httplib::Response& res) {
    Status outcome = hooks_.reload ? hooks_.reload() : Status{};
    if (outcome) {
      res.set_content("", "text/plain; charset=utf-8");
    } else {
      res.status = 500;
      res.set_content(fmt::format("failed to reload config: {}\n", outcome.error().to_string()),
                      "text/plain; charset=utf-8");
    }
  };
  s.Post("/-/reload", reload);
  s.Put("/-/reload", reload);

  s.Get("/api/v1/rules", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = rules_response(hooks_.rule_groups ? hooks_.rule_groups() : Groups{},
                               req.get_param_value("type"));
    if (!body) {
      send_json(res, 400, error_response("bad_data", body.error().message()));
      return;
    }
    send_json(res, 200, *body);
  });
  s.Get("/api/v1/alerts", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, alerts_response(hooks_.rule_groups ? hooks_.rule_groups() : Groups{}));
  });
  serve_alertmanager_api(
      s, [this] { return hooks_.notifications ? hooks_.notifications() : nullptr; });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(hooks_.metrics ? hooks_.metrics() : std::string(),
                    "text/plain; version=0.0.4; charset=utf-8");
  });

  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::error("HTTP handler failed", {{"path", req.path}, {"err", what}});
        send_json(res, 500, error_response("internal", what));
      });
}

}  // namespace tocsin::api
