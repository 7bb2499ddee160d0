#include "support/recording_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/wait.h"

namespace tocsin::test {
namespace {

constexpr std::size_t kWorkerThreads = 32;  // connections served at once
constexpr std::size_t kKeepAliveRequests = 100000;
constexpr time_t kKeepAliveSeconds = 30;

}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::size_t RecordedRequest::header_count(const std::string& name) const {
  return headers.count(name);
}

RecordingServer::RecordingServer() : server_(std::make_unique<httplib::Server>()), scheme_("http") {
  start();
}

RecordingServer::RecordingServer(const TlsServerFiles& tls) : scheme_("https") {
  auto server = std::make_unique<httplib::SSLServer>(
      tls.cert_file.c_str(), tls.key_file.c_str(),
      tls.client_ca_file.empty() ? nullptr : tls.client_ca_file.c_str());
  if (!server->is_valid()) return;  // listening() stays false
  server_ = std::move(server);
  start();
}

RecordingServer::~RecordingServer() {
  stop();
}

void RecordingServer::start() {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_max_count(kKeepAliveRequests);
  server_->set_keep_alive_timeout(kKeepAliveSeconds);
  // Headers and body go out in two writes: without this, Nagle's algorithm
  // and the client's delayed ACK add 40ms to every answer.
  server_->set_tcp_nodelay(true);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  const std::string any = ".*";
  server_->Get(any, handler);
  server_->Post(any, handler);
  server_->Put(any, handler);
  server_->Patch(any, handler);
  server_->Delete(any, handler);
  server_->Options(any, handler);
  int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) return;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  if (!wait_until([this] { return server_->is_running(); }, std::chrono::seconds(10),
                  std::chrono::milliseconds(1))) {
    stop();
    return;
  }
  port_ = port;
}

void RecordingServer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string RecordingServer::url() const {
  return fmt::format("{}://127.0.0.1:{}", scheme_, port_);
}

void RecordingServer::handle(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest recorded;
  recorded.method = req.method;
  recorded.path = req.path;
  recorded.target = req.target;
  recorded.body = req.body;
  recorded.headers = req.headers;
  recorded.remote_port = req.remote_port;

  CannedResponse response;
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(recorded);
    auto it = by_path_.find(req.path);
    response = it != by_path_.end() ? it->second : default_response_;
    handler = handler_;
  }
  changed_.notify_all();
  if (handler) response = handler(recorded);
  if (response.delay > Duration(0)) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, response.delay, [this] { return stopping_; });
  }
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  res.set_content(response.body, response.content_type);
}

void RecordingServer::respond(const std::string& path, CannedResponse response) {
  std::lock_guard lock(mu_);
  by_path_[path] = std::move(response);
}

void RecordingServer::respond_default(CannedResponse response) {
  std::lock_guard lock(mu_);
  default_response_ = std::move(response);
}

void RecordingServer::respond_with(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> RecordingServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t RecordingServer::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool RecordingServer::wait_for_requests(std::size_t count, Duration timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

void RecordingServer::clear() {
  std::lock_guard lock(mu_);
  requests_.clear();
}

SilentListener::SilentListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd_, 64) == 0 &&
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port_ = ntohs(addr.sin_port);
  }
}

SilentListener::~SilentListener() {
  if (fd_ >= 0) ::close(fd_);
}

std::string SilentListener::url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

}  // namespace tocsin::test
