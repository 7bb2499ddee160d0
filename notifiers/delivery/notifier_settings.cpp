#include "notifiers/delivery/notifier_settings.h"

#include <climits>

#include <unistd.h>

namespace tocsin::notifiers {

std::string NotifierSettings::default_user_agent() {
  return "tocsin/" TOCSIN_VERSION;
}

std::string local_hostname() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name) != 0 || name[0] == '\0') return "localhost.localdomain";
  name[HOST_NAME_MAX] = '\0';
  return name;
}

}  // namespace tocsin::notifiers
