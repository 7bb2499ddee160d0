// How long one libcurl transfer of a notification may run: the
// integration's own timeout, cut to what is left before the notification's
// deadline (Alertmanager's context deadline: the group's next flush), and
// aborted at once when the notification is cancelled (tocsin stopping).
#pragma once

#include <optional>
#include <stop_token>

#include <curl/curl.h>

#include <tocsin/notify.h>
#include <tocsin/time.h>

namespace tocsin::notifiers {

// The time the transfer may take: `own` (zero: no limit), or less when
// context.deadline is set and nearer; nullopt once the deadline has passed.
std::optional<Duration> transfer_timeout(Duration own, const notify::Context& context);

// While alive, `handle`'s transfer aborts (CURLE_ABORTED_BY_CALLBACK) once
// context.stop is requested; the destructor leaves the handle as it was, so
// a pooled handle keeps no pointer into this frame.
class StopWatch {
 public:
  StopWatch(CURL* handle, const notify::Context& context);
  ~StopWatch();
  StopWatch(const StopWatch&) = delete;
  StopWatch& operator=(const StopWatch&) = delete;

 private:
  CURL* handle_;
  std::stop_token stop_;
};

}  // namespace tocsin::notifiers
