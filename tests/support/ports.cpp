#include "support/ports.h"

#include <fstream>
#include <random>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tocsin::test {
namespace {

// Binds 127.0.0.1:`port` (0: any) and returns the port bound, or 0.
int try_bind(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  int bound = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      bound = ntohs(addr.sin_port);
  }
  ::close(fd);
  return bound;
}

// The lowest port the kernel hands to outgoing connections.
int ephemeral_low() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768, high = 60999;
  in >> low >> high;
  return low;
}

}  // namespace

int free_port() {
  constexpr int kLowest = 20000;
  int highest = ephemeral_low() - 1;
  if (highest > kLowest + 1000) {
    static thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_int_distribution<int> pick(kLowest, highest);
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (int port = try_bind(pick(random)); port != 0) return port;
    }
  }
  return try_bind(0);
}

}  // namespace tocsin::test
