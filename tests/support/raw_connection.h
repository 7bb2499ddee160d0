// A TCP connection to 127.0.0.1 that writes exactly what it is told and
// nothing more: the idle, slow ("slowloris") and half-finished clients a
// server must survive, for tests and the load bench.
//
// Not thread-safe: one thread uses a connection at a time.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::test {

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False once the connection is gone (the server closed it, or never let it in).
  bool send(std::string_view data);
  // True while the server has neither closed the connection nor answered
  // on it; never blocks.
  bool open_and_silent();

 private:
  int fd_ = -1;
};

}  // namespace tocsin::test
