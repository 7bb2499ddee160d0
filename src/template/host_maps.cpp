#include "template/host_maps.h"

namespace tocsin::tmpl {

std::optional<Value> StringMapView::find(std::string_view key) const {
  // A scan instead of map::find(std::string): no allocation, and these maps are small.
  for (const auto& [k, v] : *map_) {
    if (k == key) return Value::string(v);
    if (k > key) break;
  }
  return std::nullopt;
}

void StringMapView::for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const {
  for (const auto& [k, v] : *map_) {
    if (!visit(k, Value::string(v))) return;
  }
}

std::optional<Value> LabelsView::find(std::string_view key) const {
  auto v = labels_->get(key);
  if (!v) return std::nullopt;
  return Value::string(*v);
}

void LabelsView::for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const {
  for (Label l : *labels_) {
    if (!visit(l.name, Value::string(l.value))) return;
  }
}

}  // namespace tocsin::tmpl
