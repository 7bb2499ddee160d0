#include "http/easy_handle_pool.h"

namespace tocsin::http {

EasyHandlePool::EasyHandlePool(std::size_t max_idle)
    : share_(curl_share_init()), max_idle_(max_idle) {
  if (share_ == nullptr) return;  // handles then work unshared
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &EasyHandlePool::lock_share);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &EasyHandlePool::unlock_share);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

EasyHandlePool::~EasyHandlePool() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
  if (share_ != nullptr) curl_share_cleanup(share_);
}

EasyHandlePool::Lease EasyHandlePool::acquire() {
  CURL* handle = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      handle = idle_.back();
      idle_.pop_back();
    }
  }
  if (handle == nullptr) {
    handle = curl_easy_init();
  } else {
    // Forget the previous request's options (and its pointers into freed
    // memory); the connection, caches and share survive a reset.
    curl_easy_reset(handle);
  }
  if (handle != nullptr && share_ != nullptr) curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  return Lease(this, handle);
}

void EasyHandlePool::release(CURL* handle) {
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < max_idle_) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);
}

void EasyHandlePool::lock_share(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<EasyHandlePool*>(self)->share_locks_[static_cast<std::size_t>(data)].lock();
}

void EasyHandlePool::unlock_share(CURL*, curl_lock_data data, void* self) {
  static_cast<EasyHandlePool*>(self)->share_locks_[static_cast<std::size_t>(data)].unlock();
}

}  // namespace tocsin::http
