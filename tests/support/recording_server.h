// An HTTP(S) server on 127.0.0.1 that records every request and answers with
// canned responses: the stand-in for Slack, PagerDuty, webhook receivers and
// a misbehaving Prometheus.
//
// Listening when the constructor returns; stopped by the destructor (a
// response that is still being delayed is cut short). Keep-alive stays on
// for many requests, so a client's connection reuse shows in
// RecordedRequest::remote_port. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include <tocsin/time.h>

namespace tocsin::test {

struct RecordedRequest {
  std::string method;
  std::string path;    // without the query string
  std::string target;  // path?query as sent
  std::string body;
  httplib::Headers headers;  // names compare case-insensitively
  int remote_port = 0;       // one value per client connection

  std::string header(const std::string& name) const;  // first value, "" if absent
  std::size_t header_count(const std::string& name) const;
};

struct CannedResponse {
  int status = 200;
  std::string body{};
  std::string content_type = "application/json";
  httplib::Headers headers{};
  Duration delay{0};  // wait this long before answering (or until the server stops)
};

// PEM files for an HTTPS server; with client_ca_file, clients must present
// a certificate signed by it.
struct TlsServerFiles {
  std::string cert_file{};
  std::string key_file{};
  std::string client_ca_file{};
};

class RecordingServer {
 public:
  using Handler = std::function<CannedResponse(const RecordedRequest&)>;

  RecordingServer();  // plain HTTP
  explicit RecordingServer(const TlsServerFiles& tls);
  ~RecordingServer();
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  // False if the server could not listen (bad certificate, no port).
  bool listening() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url() const;  // "http(s)://127.0.0.1:<port>"

  // Answers for requests to exactly `path` (any method); others get the
  // default (200 with an empty body unless changed).
  void respond(const std::string& path, CannedResponse response);
  void respond_default(CannedResponse response);
  // Computes every answer instead (takes precedence over the canned ones).
  void respond_with(Handler handler);

  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  // True once at least `count` requests have arrived.
  bool wait_for_requests(std::size_t count, Duration timeout);
  void clear();

  void stop();

 private:
  void start();
  void handle(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<httplib::Server> server_;
  std::string scheme_;
  int port_ = 0;
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable changed_;  // a request arrived, or stopping_
  bool stopping_ = false;
  std::vector<RecordedRequest> requests_;
  std::map<std::string, CannedResponse> by_path_;
  CannedResponse default_response_;
  Handler handler_;
};

// A port that accepts TCP connections (the kernel completes the handshake)
// but never reads or answers: a server that hangs. Closed by the destructor.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  int port() const { return port_; }
  std::string url() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace tocsin::test
