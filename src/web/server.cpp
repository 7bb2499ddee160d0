#include "web/server.h"

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "gocompat/url.h"

namespace tocsin::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A fixed pool of threads running handlers, fed by a bounded queue.
class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t max_queued) : max_queued_(max_queued) {
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
  }
  ~WorkerPool() { stop(); }

  // False when the queue is full or the pool stopped: the caller answers 503.
  bool submit(std::function<void()> job) {
    {
      std::lock_guard lock(mu_);
      if (stopped_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
  }

  // Drops what waits, lets what runs finish, joins the threads.
  void stop() {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
      queue_.clear();
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void run() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
        if (stopped_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  const std::size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

// RFC 7231's IMF-fixdate, as Go's server writes the Date header.
std::string http_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// An answer the server gives itself, before or instead of a handler.
Response plain(int status, std::string body) {
  Response res;
  res.status = status;
  res.set_content(std::move(body), "text/plain; charset=utf-8");
  return res;
}

Response too_large(std::size_t limit) {
  Response res;
  res.status = 413;
  res.set_content(
      fmt::format(R"({{"code":413,"message":"request body is larger than the limit of {} bytes"}})",
                  limit),
      "application/json");
  return res;
}

}  // namespace

class Session;

class Server::Impl {
 public:
  Impl(ServerOptions options, std::shared_ptr<const Router> router)
      : options_(std::move(options)),
        router_(std::move(router)),
        acceptor_(io_),
        pool_(std::max<std::size_t>(options_.workers, 1), options_.max_queued) {}

  ~Impl() { stop(); }

  Status listen();
  void run() {
    io_thread_ = std::thread([this] {
      accept();
      io_.run();
    });
  }
  void stop();

  const ServerOptions& options() const { return options_; }
  const Router& router() const { return *router_; }
  WorkerPool& pool() { return pool_; }
  asio::io_context& io() { return io_; }
  int port() const { return port_; }
  std::size_t connections() const { return connections_.load(); }
  // Set on the I/O thread when stop() begins: a session closes once its
  // answer is written instead of waiting for another request.
  bool stopping() const { return stopping_; }

  // Sessions register so that stop() can close them. A session leaves from
  // whichever thread drops its last reference.
  std::list<std::weak_ptr<Session>>::iterator enter(std::weak_ptr<Session> session) {
    std::lock_guard lock(sessions_mu_);
    ++connections_;
    return sessions_.insert(sessions_.end(), std::move(session));
  }
  void leave(std::list<std::weak_ptr<Session>>::iterator it) {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(it);
    --connections_;
  }

 private:
  void accept();
  void refuse(tcp::socket socket);
  void close_all();

  // Declared first, destroyed last: sessions leave the list as the I/O
  // context and the pool release them.
  std::mutex sessions_mu_;
  std::list<std::weak_ptr<Session>> sessions_;
  std::atomic<std::size_t> connections_{0};

  ServerOptions options_;
  std::shared_ptr<const Router> router_;
  asio::io_context io_{1};
  tcp::acceptor acceptor_;
  WorkerPool pool_;
  std::thread io_thread_;
  int port_ = 0;
  bool stopping_ = false;  // I/O thread only
  std::once_flag stopped_;
};

// One connection: reads a request, has it answered, writes the answer, and
// waits for the next. Every step runs on the I/O thread except the handler.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
  }

  ~Session() {
    if (registered_) server_.leave(self_in_list_);
  }

  void start() {
    self_in_list_ = server_.enter(weak_from_this());
    registered_ = true;
    await_request(server_.options().header_timeout);
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  // On stop, as Go's Server.Shutdown: a connection waiting for a request
  // closes now; one whose request is being answered closes once the answer
  // is written.
  void close_if_idle() {
    if (!answering_) close();
  }

 private:
  const ServerOptions& options() const { return server_.options(); }

  // Waits up to `timeout` for the first byte of the next request. The
  // header's own deadline starts with that byte.
  void await_request(Duration timeout) {
    if (buffer_.size() > 0) {
      read_header();
      return;
    }
    stream_.expires_after(timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    stream_.expires_after(options().header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return answer(plain(431, "431 Request Header Fields Too Large"), false);
    }
    // A Content-Length over the limit: refused before the body is read.
    if (ec == http::error::body_limit) return answer(too_large(options().max_body_bytes), false);
    if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec) return answer(plain(400, "400 Bad Request"), false);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, parser_->get().version());
      stream_.expires_after(options().write_timeout);
      http::async_write(stream_, *continue_,
                        [self = shared_from_this()](beast::error_code written, std::size_t) {
                          if (written) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(options().read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec == http::error::body_limit) {
                         return self->answer(too_large(self->options().max_body_bytes), false);
                       }
                       if (ec) return self->close();
                       self->dispatch();
                     });
  }

  void dispatch() {
    http::request<http::string_body> raw = parser_->release();
    parser_.reset();
    keep_alive_ = raw.keep_alive();
    head_ = raw.method() == http::verb::head;
    answering_ = true;
    Request req;
    req.method = std::string(raw.method_string());
    req.target = std::string(raw.target());
    std::string_view target = req.target;
    std::size_t question = target.find('?');
    if (!gocompat::path_unescape(target.substr(0, question), req.path)) {
      return answer(plain(400, "400 Bad Request"), false);
    }
    if (question != std::string_view::npos) {
      req.raw_query = std::string(target.substr(question + 1));
      req.params = gocompat::parse_query(req.raw_query);
    }
    for (const auto& field : raw) {
      req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    }
    req.body = std::move(raw.body());
    req.remote_address = remote_;

    Router::Match match = server_.router().match(req.method, req.path);
    req.path_params = std::move(match.path_params);
    if (match.runs == Runs::kInline) return answer(run(*match.handler, req), keep_alive_);

    // The connection waits for the handler without a deadline: the handler
    // is ours, and stop() closes the socket.
    stream_.expires_never();
    const Handler* handler = match.handler;
    bool queued =
        server_.pool().submit([self = shared_from_this(), handler, req = std::move(req)]() mutable {
          Response res = run(*handler, req);
          asio::post(self->server_.io(), [self, res = std::move(res)]() mutable {
            self->answer(std::move(res), self->keep_alive_);
          });
        });
    if (!queued) answer(plain(503, "503 Service Unavailable: too many requests waiting"), false);
  }

  static Response run(const Handler& handler, const Request& req) {
    Response res;
    try {
      handler(req, res);
    } catch (const std::exception& e) {
      log::error("HTTP handler failed", {{"path", req.path}, {"err", e.what()}});
      res = Response();
      res.status = 500;
      res.set_content(fmt::format(R"({{"status":"error","errorType":"internal","error":{}}})",
                                  nlohmann::json(e.what()).dump()),
                      "application/json");
    }
    return res;
  }

  void answer(Response res, bool keep_alive) {
    answering_ = true;
    response_.emplace(static_cast<http::status>(res.status), 11);
    for (auto& [name, value] : res.headers) response_->insert(name, value);
    if (!res.find_header("Date")) response_->set(http::field::date, http_date());
    response_->keep_alive(keep_alive);
    // As Go's server: no body for HEAD, 1xx, 204 and 304, and no length
    // either unless the handler set one.
    int status = res.status;
    bool bodyless = head_ || (status >= 100 && status < 200) || status == 204 || status == 304;
    head_ = false;
    if (!bodyless) {
      response_->body() = std::move(res.body);
      response_->prepare_payload();
    }
    stream_.expires_after(options().write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        self->response_.reset();
                        self->answering_ = false;
                        if (ec || !keep_alive || self->server_.stopping()) return self->close();
                        self->await_request(self->options().idle_timeout);
                      });
  }

  Server::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  bool keep_alive_ = true;
  bool head_ = false;       // the request being answered is a HEAD
  bool answering_ = false;  // from a complete request until its answer is written
  std::string remote_;
  std::list<std::weak_ptr<Session>>::iterator self_in_list_;
  bool registered_ = false;
};

Status Server::Impl::listen() {
  const std::string& address = options_.listen_address;
  auto colon = address.rfind(':');
  if (colon == std::string::npos) {
    return fail(fmt::format("listen address \"{}\" must be host:port", address));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string port_text = address.substr(colon + 1);
  beast::error_code ec;
  tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(host.empty() ? "0.0.0.0" : host, port_text,
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return fail(
        fmt::format("listen address \"{}\": {}", address, ec ? ec.message() : "no such address"));
  }
  tcp::endpoint endpoint = *endpoints.begin();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(fmt::format("cannot listen on {}: {}", address, ec.message()));
  port_ = acceptor_.local_endpoint().port();
  return {};
}

void Server::Impl::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      if (connections_.load() >= options_.max_connections) {
        refuse(std::move(socket));
      } else {
        std::make_shared<Session>(*this, std::move(socket))->start();
      }
    }
    accept();
  });
}

// One connection over the limit: a clear answer, then the socket closes.
void Server::Impl::refuse(tcp::socket socket) {
  static const std::string kRefusal =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Connection: close\r\nContent-Length: 26\r\n\r\ntoo many open connections\n";
  auto shared = std::make_shared<tcp::socket>(std::move(socket));
  asio::async_write(*shared, asio::buffer(kRefusal), [shared](beast::error_code, std::size_t) {
    beast::error_code ignored;
    shared->shutdown(tcp::socket::shutdown_both, ignored);
    shared->close(ignored);
  });
}

// On the I/O thread: no new connections, and every open one that waits
// for a request closed, which ends the operations it waits on.
void Server::Impl::close_all() {
  stopping_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mu_);
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->close_if_idle();
}

void Server::Impl::stop() {
  std::call_once(stopped_, [this] {
    if (!io_thread_.joinable()) return pool_.stop();
    // The I/O thread keeps running while handlers finish, though nothing
    // may be left for it to wait on in the meantime.
    auto busy = asio::make_work_guard(io_);
    asio::post(io_, [this] { close_all(); });
    // Handlers under way finish; their answers are written (within the
    // write timeout), then their connections close.
    pool_.stop();
    asio::post(io_, [this] { close_all(); });
    busy.reset();
    // With nothing left to wait on, the I/O thread's run() returns.
    io_thread_.join();
  });
}

Result<std::unique_ptr<Server>> Server::start(ServerOptions options,
                                              std::shared_ptr<const Router> router) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(router));
  if (Status listening = impl->listen(); !listening) return std::unexpected(listening.error());
  impl->run();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
}

int Server::port() const {
  return impl_->port();
}

std::size_t Server::connections() const {
  return impl_->connections();
}

void Server::stop() {
  impl_->stop();
}

}  // namespace tocsin::web
