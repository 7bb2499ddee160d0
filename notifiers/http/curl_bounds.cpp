#include "notifiers/http/curl_bounds.h"

#include <algorithm>

namespace tocsin::notifiers {

std::optional<Duration> transfer_timeout(Duration own, const notify::Context& context) {
  if (context.deadline == Timestamp{}) return own;
  Duration left = context.deadline - context.clock->now();
  if (left <= Duration::zero()) return std::nullopt;
  return own <= Duration::zero() ? left : std::min(own, left);
}

namespace {

int abort_when_stopped(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::stop_token*>(data)->stop_requested() ? 1 : 0;
}

}  // namespace

StopWatch::StopWatch(CURL* handle, const notify::Context& context)
    : handle_(handle), stop_(context.stop) {
  if (!stop_.stop_possible()) return;
  curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &abort_when_stopped);
  curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, &stop_);
  curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L);
}

StopWatch::~StopWatch() {
  if (!stop_.stop_possible()) return;
  curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 1L);
  curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, nullptr);
  curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, nullptr);
}

}  // namespace tocsin::notifiers
