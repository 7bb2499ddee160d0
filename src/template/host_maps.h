// Read-only map views over the string maps tocsin already holds, so that
// template data is built without copying: both read as Go's map[string]string.
// The viewed object must outlive every execution that uses the view.
#pragma once

#include <map>
#include <string>

#include <tocsin/labels.h>

#include "template/value.h"

namespace tocsin::tmpl {

inline constexpr std::string_view kStringMapType = "map[string]string";

class StringMapView final : public Map {
 public:
  explicit StringMapView(const std::map<std::string, std::string>& map) : map_(&map) {}
  std::size_t size() const override { return map_->size(); }
  std::optional<Value> find(std::string_view key) const override;
  void for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const override;
  Value zero() const override { return Value::string(""); }
  std::string_view type_name() const override { return kStringMapType; }

 private:
  const std::map<std::string, std::string>* map_;
};

class LabelsView final : public Map {
 public:
  explicit LabelsView(const Labels& labels) : labels_(&labels) {}
  std::size_t size() const override { return labels_->size(); }
  std::optional<Value> find(std::string_view key) const override;
  void for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const override;
  Value zero() const override { return Value::string(""); }
  std::string_view type_name() const override { return kStringMapType; }

 private:
  const Labels* labels_;
};

}  // namespace tocsin::tmpl
