// tocsin's HTTP/1.1 server: event-driven (Boost.Asio and Boost.Beast), so
// that thousands of idle or slow connections cost a socket and a buffer
// each, never a thread.
//
// Why not a thread per connection (cpp-httplib, which tocsin used before):
// eight clients sending one header line every few seconds held all eight of
// its threads, and the probes, Prometheus's alerts and the API all waited.
// Here one I/O thread reads every connection as bytes arrive; only a
// complete request reaches a handler, on a small pool of worker threads (or
// on the I/O thread itself for the probes, see Runs::kInline).
//
// Bounds, each answered as Go's net/http answers it where it has one:
//   - max_connections open at once; one more is answered 503 and closed;
//   - a new connection's first byte within header_timeout, and the request
//     header within header_timeout of its first byte (slowloris),
//     at most max_header_bytes (431);
//   - the body within read_timeout, at most max_body_bytes (413, JSON);
//   - a keep-alive connection idle longer than idle_timeout is closed;
//   - max_queued requests waiting for a worker; one more is answered 503.
//
// Threads: start() spawns the I/O thread and the workers; handlers run on
// either and must be thread-safe. stop(), as Go's Server.Shutdown, closes
// every connection that waits for a request, lets the handlers that run
// finish and their answers be written (then closes those connections too),
// and joins all threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "web/router.h"

namespace tocsin::web {

struct ServerOptions {
  std::string listen_address = "127.0.0.1:0";  // host:port; port 0 picks a free one
  std::size_t max_connections = 4096;
  std::size_t max_header_bytes = 1 << 20;  // Go's http.DefaultMaxHeaderBytes
  std::size_t max_body_bytes = 32 << 20;
  Duration header_timeout = std::chrono::seconds(30);
  Duration read_timeout = std::chrono::minutes(5);  // Prometheus's --web.read-timeout
  Duration write_timeout = std::chrono::minutes(5);
  Duration idle_timeout = std::chrono::minutes(5);
  std::size_t workers = 8;
  std::size_t max_queued = 1024;
};

class Server {
 public:
  // Binds, then serves `router` until stop(). The error names the address.
  static Result<std::unique_ptr<Server>> start(ServerOptions options,
                                               std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // Connections open now (for /metrics and tests).
  std::size_t connections() const;
  void stop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tocsin::web
