// An owned libcurl string list (headers, recipients, CONNECT_TO entries).
#pragma once

#include <memory>
#include <string>

#include <curl/curl.h>

namespace tocsin::http {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using StringList = std::unique_ptr<curl_slist, SlistDeleter>;

// Appends `line`; false if libcurl could not copy it (the list is unchanged).
inline bool append(StringList& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) return false;
  list.release();
  list.reset(grown);
  return true;
}

}  // namespace tocsin::http
