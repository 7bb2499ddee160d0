// Go's encoding/json of an `omitempty` slice of structs, as the Slack and
// PagerDuty messages hold them: nothing when the slice is empty, else
// "key":[{...},...], each object's fields written by write(json, item).
#pragma once

#include <string_view>
#include <vector>

#include "gocompat/json_writer.h"

namespace tocsin::notifiers {

template <typename T, typename Write>
void write_objects_omitempty(gocompat::JsonWriter& json, std::string_view key,
                             const std::vector<T>& items, Write write) {
  if (items.empty()) return;
  json.key(key);
  json.begin_array();
  for (const T& item : items) {
    json.begin_object();
    write(json, item);
    json.end_object();
  }
  json.end_array();
}

// The same for structs of text fields only (config::StringField<T>s), each
// always written.
template <typename T, typename Fields>
void write_texts_omitempty(gocompat::JsonWriter& json, std::string_view key,
                           const std::vector<T>& items, const Fields& fields) {
  write_objects_omitempty(json, key, items, [&](gocompat::JsonWriter& out, const T& item) {
    for (const auto& field : fields) out.field(field.key, item.*field.member);
  });
}

}  // namespace tocsin::notifiers
