// Small blocking HTTP calls for tests (cpp-httplib's client), with the
// outcome as a value: a failed connection is status 0 with `error` set.
#pragma once

#include <chrono>
#include <string>

#include <httplib.h>

#include <tocsin/time.h>

namespace tocsin::test {

struct HttpResponse {
  int status = 0;  // 0: no response
  std::string body;
  std::string error;  // why there was no response
  httplib::Headers headers;

  std::string header(const std::string& name) const;  // first value, "" if absent
};

// `url` is a full URL: "http://127.0.0.1:9090/-/ready".
HttpResponse http_get(const std::string& url, const httplib::Headers& headers = {},
                      Duration timeout = std::chrono::seconds(10));
HttpResponse http_post(const std::string& url, const std::string& body,
                       const std::string& content_type = "application/json",
                       const httplib::Headers& headers = {},
                       Duration timeout = std::chrono::seconds(10));

// Any method, any body: DELETE, PUT, OPTIONS, or a POST with the content
// type a test chooses (cpp-httplib sends text/plain for a body without one).
HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::string& body = "", const std::string& content_type = "",
                          const httplib::Headers& headers = {},
                          Duration timeout = std::chrono::seconds(10));

// Sends `request` byte for byte to 127.0.0.1:`port` and reads the answer
// until the server closes the connection (send "Connection: close"): for
// requests cpp-httplib will not make, such as a body without a Content-Type.
HttpResponse http_raw(int port, const std::string& request,
                      Duration timeout = std::chrono::seconds(10));

}  // namespace tocsin::test
