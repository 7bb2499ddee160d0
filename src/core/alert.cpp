#include <tocsin/alert.h>

namespace tocsin {

std::string_view to_string(AlertState state) {
  switch (state) {
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
    case AlertState::kInactive:
      break;
  }
  return "inactive";
}

}  // namespace tocsin
