// GET /api/v2/receivers: the names of the running configuration's
// receivers, in the order it lists them.
#pragma once

#include "dispatch/notification_service.h"
#include "web/http.h"

namespace tocsin::api {

web::Response get_receivers(const dispatch::NotificationService& service);

}  // namespace tocsin::api
