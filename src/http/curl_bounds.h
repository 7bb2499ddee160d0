// How long one libcurl transfer may run: the client's own timeout, cut to
// what is left before the caller's deadline (Go's context deadline: for a
// notification, its group's next flush), and aborted at once when the
// caller cancels (tocsin stopping).
#pragma once

#include <optional>
#include <stop_token>

#include <curl/curl.h>

#include <tocsin/time.h>

namespace tocsin::http {

// What bounds a transfer besides its own timeout: `deadline` (none when
// zero) and `stop`. Alertmanager's context.
struct TransferBounds {
  Timestamp deadline{};
  std::stop_token stop{};
  const Clock* clock = &Clock::system();  // what `deadline` is measured on; never null
};

// The time the transfer may take: `own` (zero: no limit), or less when
// `deadline` is set and nearer than `now`; nullopt once it has passed.
std::optional<Duration> transfer_timeout(Duration own, Timestamp deadline, Timestamp now);

// While alive, `handle`'s transfer aborts (CURLE_ABORTED_BY_CALLBACK) once
// `stop` is requested; the destructor leaves the handle as it was, so a
// pooled handle keeps no pointer into this frame.
class StopWatch {
 public:
  StopWatch(CURL* handle, std::stop_token stop);
  ~StopWatch();
  StopWatch(const StopWatch&) = delete;
  StopWatch& operator=(const StopWatch&) = delete;

 private:
  CURL* handle_;
  std::stop_token stop_;
};

}  // namespace tocsin::http
