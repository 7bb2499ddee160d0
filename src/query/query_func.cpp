#include "query/query_func.h"

#include <fmt/format.h>

namespace tocsin::query {

std::string QueryError::to_string() const {
  return fmt::format("{}: {}", type, message);
}

}  // namespace tocsin::query
