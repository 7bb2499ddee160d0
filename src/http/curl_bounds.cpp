#include "http/curl_bounds.h"

#include <algorithm>
#include <utility>

namespace tocsin::http {

std::optional<Duration> transfer_timeout(Duration own, Timestamp deadline, Timestamp now) {
  if (deadline == Timestamp{}) return own;
  Duration left = deadline - now;
  if (left <= Duration::zero()) return std::nullopt;
  return own <= Duration::zero() ? left : std::min(own, left);
}

namespace {

int abort_when_stopped(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::stop_token*>(data)->stop_requested() ? 1 : 0;
}

}  // namespace

StopWatch::StopWatch(CURL* handle, std::stop_token stop) : handle_(handle), stop_(std::move(stop)) {
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

}  // namespace tocsin::http
