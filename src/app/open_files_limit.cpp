#include "app/open_files_limit.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <sys/resource.h>

namespace tocsin::app {

Status raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return fail(fmt::format("getrlimit(RLIMIT_NOFILE): {}", std::strerror(errno)));
  }
  if (limit.rlim_cur == limit.rlim_max) return {};
  rlim_t soft = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return fail(fmt::format("setrlimit(RLIMIT_NOFILE) from {} to {}: {}", soft, limit.rlim_max,
                            std::strerror(errno)));
  }
  return {};
}

}  // namespace tocsin::app
