// A YAML document as JSON, for comparing two YAML texts as documents rather
// than as bytes (yaml-cpp and Go's yaml.v2 lay out the same document
// differently): every scalar a string, mappings in their order.
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace tocsin::test {

nlohmann::ordered_json yaml_to_json(const YAML::Node& node);

}  // namespace tocsin::test
