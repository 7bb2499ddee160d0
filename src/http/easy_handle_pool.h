// A pool of libcurl easy handles, each keeping its own keep-alive connection.
//
// A libcurl easy handle (and its connection) may be used by one thread at a
// time, and libcurl's shared connection cache is documented as not safe
// across concurrent threads. So a caller leases a whole handle: the most
// recently returned one first, whose connection is the likeliest to be warm,
// or a new one when all are busy. Concurrency is therefore never limited; at
// most `max_idle` handles (and connections) are kept between calls. DNS
// results and TLS sessions are shared between the handles under locks.
//
// Thread-safe. All leases must be returned before the pool is destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <vector>

#include <curl/curl.h>

namespace tocsin::http {

class EasyHandlePool {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), handle_(other.handle_) {
      other.handle_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (handle_ != nullptr) pool_->release(handle_);
    }

    CURL* get() const { return handle_; }  // null if libcurl could not make one
    explicit operator bool() const { return handle_ != nullptr; }

   private:
    friend class EasyHandlePool;
    Lease(EasyHandlePool* pool, CURL* handle) : pool_(pool), handle_(handle) {}
    EasyHandlePool* pool_;
    CURL* handle_;
  };

  // Call ensure_curl_initialized() first.
  explicit EasyHandlePool(std::size_t max_idle);
  ~EasyHandlePool();
  EasyHandlePool(const EasyHandlePool&) = delete;
  EasyHandlePool& operator=(const EasyHandlePool&) = delete;

  // A handle with default options and this pool's share attached; the caller
  // sets every option it needs.
  Lease acquire();

 private:
  void release(CURL* handle);
  static void lock_share(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock_share(CURL*, curl_lock_data data, void* self);

  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;  // one per kind of shared data
  CURLSH* share_;
  std::size_t max_idle_;
  std::mutex mu_;
  std::vector<CURL*> idle_;  // guarded by mu_; back() is the most recently used
};

}  // namespace tocsin::http
