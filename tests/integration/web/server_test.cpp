// The HTTP server on loopback, driven by raw sockets so that a test can be
// the slow, idle, oversized or impatient client that the server must
// survive.
#include "web/server.h"

#include <atomic>
#include <future>
#include <latch>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/wait.h"

namespace tocsin::web {
namespace {

using namespace std::chrono_literals;

// A client socket that writes exactly what a test says.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // One response: the status line and headers, then Content-Length bytes.
  // "" when the connection closed (or 10 s passed) first.
  std::string read_response() {
    while (true) {
      std::size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        std::size_t at = lower(buffer_.substr(0, end)).find("content-length: ");
        if (at != std::string::npos) length = std::stoul(buffer_.substr(at + 16));
        if (buffer_.size() >= end + 4 + length) {
          std::string response = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return response;
        }
      }
      if (!fill()) return "";
    }
  }

  // True once the server closed the connection (reads end).
  bool closed_by_server() {
    while (fill()) {
    }
    return eof_;
  }

 private:
  static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  bool fill() {
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) eof_ = true;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

std::string body_of(const std::string& response) {
  std::size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

// A router that echoes what it was asked.
std::shared_ptr<Router> echo_router() {
  auto router = std::make_shared<Router>();
  router->add(
      "GET", "/-/healthy",
      [](const Request&, Response& res) { res.set_content("ok\n", "text/plain"); }, Runs::kInline);
  auto echo = [](const Request& req, Response& res) {
    std::string out = fmt::format("{} {} body={}", req.method, req.path, req.body);
    for (const auto& [k, v] : req.params) out += fmt::format(" [{}]=[{}]", k, v);
    for (const auto& p : req.path_params) out += fmt::format(" <{}>", p);
    res.set_content(out, "text/plain");
  };
  router->add("GET", "/echo(?:/([^/]+))?", echo);
  router->add("POST", "/echo", echo);
  router->add("GET", "/throw", [](const Request&, Response&) { throw std::runtime_error("boom"); });
  return router;
}

std::unique_ptr<Server> start(ServerOptions options, std::shared_ptr<const Router> router) {
  auto server = Server::start(std::move(options), std::move(router));
  EXPECT_TRUE(server.has_value()) << server.error().to_string();
  return server ? std::move(*server) : nullptr;
}

TEST(WebServer, AnswersAndKeepsTheConnectionForTheNextRequest) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send("GET /echo/a%20b HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string response = client.read_response();
    EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK");
    EXPECT_EQ(body_of(response), "GET /echo/a b body= <a b>");
    EXPECT_NE(response.find("\r\nDate: "), std::string::npos) << response;
  }
}

TEST(WebServer, ReadsTheQueryAsGoDoes) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  // An unencoded '=' in a value stays in the value (Go splits at the first).
  ASSERT_TRUE(
      client.send("GET /echo?filter=alertname=X&filter=a%3D%22b%22&x=1+2&bad=%zz&semi=a;b&empty "
                  "HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(body_of(client.read_response()),
            "GET /echo body= [empty]=[] [filter]=[alertname=X] [filter]=[a=\"b\"] [x]=[1 2] <>");
}

TEST(WebServer, ABodylessPostReachesTheHandler) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string response = client.read_response();
  EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK");
  EXPECT_EQ(body_of(response), "POST /echo body=");
}

TEST(WebServer, AnswersExpectContinueThenReadsTheBody) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(status_line(client.read_response()), "HTTP/1.1 100 Continue");
  ASSERT_TRUE(client.send("hello"));
  EXPECT_EQ(body_of(client.read_response()), "POST /echo body=hello");
}

TEST(WebServer, ChunkedBodiesAreRead) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(
      client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  EXPECT_EQ(body_of(client.read_response()), "POST /echo body=abcde");
}

TEST(WebServer, BodiesOverTheLimitGet413) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  auto server = start(options, echo_router());
  ASSERT_TRUE(server);
  const std::string expected =
      R"({"code":413,"message":"request body is larger than the limit of 1000 bytes"})";
  {  // Declared too large: refused before the body is read.
    RawClient client(server->port());
    ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n"));
    std::string response = client.read_response();
    EXPECT_EQ(status_line(response), "HTTP/1.1 413 Payload Too Large");
    EXPECT_EQ(body_of(response), expected);
    EXPECT_TRUE(client.closed_by_server());
  }
  {  // Chunked, found too large while reading.
    RawClient client(server->port());
    std::string chunk(600, 'x');
    ASSERT_TRUE(
        client.send(fmt::format("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                "chunked\r\n\r\n258\r\n{}\r\n258\r\n{}\r\n",
                                chunk, chunk)));
    std::string response = client.read_response();
    EXPECT_EQ(status_line(response), "HTTP/1.1 413 Payload Too Large");
    EXPECT_EQ(body_of(response), expected);
  }
  {  // At the limit: served.
    RawClient client(server->port());
    ASSERT_TRUE(
        client.send(fmt::format("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{}",
                                std::string(1000, 'y'))));
    EXPECT_EQ(status_line(client.read_response()), "HTTP/1.1 200 OK");
  }
}

TEST(WebServer, HeadersOverTheLimitGet431) {
  ServerOptions options;
  options.max_header_bytes = 4096;
  auto server = start(options, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') +
                          "\r\n\r\n"));
  EXPECT_EQ(status_line(client.read_response()), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST(WebServer, GarbageGets400AndTheConnectionCloses) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("NOT HTTP AT ALL\r\n\r\n"));
  EXPECT_EQ(status_line(client.read_response()), "HTTP/1.1 400 Bad Request");
  EXPECT_TRUE(client.closed_by_server());
}

TEST(WebServer, AHandlerThatThrowsGets500) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string response = client.read_response();
  EXPECT_EQ(status_line(response), "HTTP/1.1 500 Internal Server Error");
  EXPECT_EQ(body_of(response), R"({"status":"error","errorType":"internal","error":"boom"})");
}

TEST(WebServer, UnknownPathsGet404) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("DELETE /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string response = client.read_response();
  EXPECT_EQ(status_line(response), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(body_of(response), "404 page not found\n");
}

// A client that sends a header line every so often must not hold its
// connection (or anything else) past the header deadline.
TEST(WebServer, ASlowHeaderIsCutOffAtTheDeadline) {
  ServerOptions options;
  options.header_timeout = 300ms;
  auto server = start(options, echo_router());
  ASSERT_TRUE(server);
  RawClient slow(server->port());
  ASSERT_TRUE(slow.send("GET /echo HTTP/1.1\r\n"));
  bool cut = test::wait_until(
      [&] {
        slow.send("X-Trickle: 1\r\n");
        return server->connections() == 0;
      },
      10s);
  EXPECT_TRUE(cut) << "the slow client still holds its connection";
}

TEST(WebServer, AnIdleKeepAliveConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout = 200ms;
  auto server = start(options, echo_router());
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(status_line(client.read_response()), "HTTP/1.1 200 OK");
  EXPECT_TRUE(client.closed_by_server());
}

TEST(WebServer, ConnectionsOverTheLimitAreRefusedClearly) {
  ServerOptions options;
  options.max_connections = 5;
  auto server = start(options, echo_router());
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 5; ++i) held.push_back(std::make_unique<RawClient>(server->port()));
  ASSERT_TRUE(test::wait_until([&] { return server->connections() == 5; }, 10s));
  RawClient extra(server->port());
  std::string response = extra.read_response();
  EXPECT_EQ(status_line(response), "HTTP/1.1 503 Service Unavailable");
  EXPECT_EQ(body_of(response), "too many open connections\n");
  held.clear();
  ASSERT_TRUE(test::wait_until([&] { return server->connections() == 0; }, 10s));
  RawClient later(server->port());
  ASSERT_TRUE(later.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(status_line(later.read_response()), "HTTP/1.1 200 OK");
}

// Hundreds of idle and slow connections cost no thread: requests on other
// connections are answered while they are held.
TEST(WebServer, IdleAndSlowClientsStarveNobody) {
  ServerOptions options;
  options.workers = 2;
  auto server = start(options, echo_router());
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 300; ++i) {
    held.push_back(std::make_unique<RawClient>(server->port()));
    if (i % 10 == 0) held.back()->send("GET /echo HTTP/1.1\r\nX-Slow: 1\r\n");
  }
  ASSERT_TRUE(test::wait_until([&] { return server->connections() == 300; }, 10s));
  for (int i = 0; i < 20; ++i) {
    RawClient probe(server->port());
    ASSERT_TRUE(probe.send("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(status_line(probe.read_response()), "HTTP/1.1 200 OK");
    RawClient api(server->port());
    ASSERT_TRUE(api.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"));
    EXPECT_EQ(body_of(api.read_response()), "POST /echo body=hi");
  }
}

// The probes run on the I/O thread: busy workers do not hold them up.
TEST(WebServer, InlineHandlersAnswerWhileEveryWorkerIsBusy) {
  std::latch release(1);
  std::atomic<int> blocked{0};
  auto router = echo_router();
  router->add("GET", "/block", [&](const Request&, Response& res) {
    ++blocked;
    release.wait();
    res.set_content("released", "text/plain");
  });
  ServerOptions options;
  options.workers = 1;
  auto server = start(options, router);
  ASSERT_TRUE(server);
  RawClient blocker(server->port());
  ASSERT_TRUE(blocker.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(test::wait_until([&] { return blocked.load() == 1; }, 10s));
  RawClient probe(server->port());
  ASSERT_TRUE(probe.send("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(body_of(probe.read_response()), "ok\n");
  release.count_down();
  EXPECT_EQ(body_of(blocker.read_response()), "released");
}

TEST(WebServer, StopsPromptlyWithConnectionsOpen) {
  auto server = start({}, echo_router());
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 50; ++i) held.push_back(std::make_unique<RawClient>(server->port()));
  held[0]->send("GET /echo HTTP/1.1\r\n");
  ASSERT_TRUE(test::wait_until([&] { return server->connections() == 50; }, 10s));
  auto stopped = std::async(std::launch::async, [&] { server->stop(); });
  EXPECT_EQ(stopped.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(held[0]->closed_by_server());
}

// As Go's server: HEAD, 204 and 304 answers carry no body (nor a length),
// whatever the handler wrote, and the connection stays usable.
TEST(WebServer, HeadAndNoContentAnswersCarryNoBody) {
  auto router = echo_router();
  auto chatty = [](const Request&, Response& res) { res.set_content("body", "text/plain"); };
  router->add("HEAD", "/echo", chatty);
  router->add("POST", "/nothing", [](const Request&, Response& res) {
    res.status = 204;
    res.body = "not sent";
  });
  auto server = start({}, router);
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.send("HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string head = client.read_response();
  EXPECT_EQ(status_line(head), "HTTP/1.1 200 OK");
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  ASSERT_TRUE(client.send("POST /nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
  std::string none = client.read_response();
  EXPECT_EQ(status_line(none), "HTTP/1.1 204 No Content");
  EXPECT_EQ(none.find("Content-Length"), std::string::npos) << none;
  ASSERT_TRUE(client.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(body_of(client.read_response()), "GET /echo body= <>");
}

// As Go's Server.Shutdown: stopping closes the connections that wait for a
// request, but an answer under way is still written.
TEST(WebServer, StopLetsTheAnswersUnderWayBeWritten) {
  std::latch release(1);
  std::atomic<int> blocked{0};
  auto router = echo_router();
  router->add("GET", "/block", [&](const Request&, Response& res) {
    ++blocked;
    release.wait();
    res.set_content("released", "text/plain");
  });
  auto server = start({}, router);
  ASSERT_TRUE(server);
  RawClient idle(server->port());
  RawClient busy(server->port());
  ASSERT_TRUE(busy.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(test::wait_until([&] { return blocked.load() == 1; }, 10s));
  auto stopped = std::async(std::launch::async, [&] { server->stop(); });
  EXPECT_TRUE(idle.closed_by_server());
  release.count_down();
  EXPECT_EQ(body_of(busy.read_response()), "released");
  EXPECT_TRUE(busy.closed_by_server());
  EXPECT_EQ(stopped.wait_for(10s), std::future_status::ready);
}

TEST(WebServer, ABadListenAddressIsAnError) {
  ServerOptions options;
  options.listen_address = "no-port";
  auto server = Server::start(options, echo_router());
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().message(), "listen address \"no-port\" must be host:port");
}

}  // namespace
}  // namespace tocsin::web
