// tocsin's acknowledgements API (dispatch/acknowledgements.h), in the
// envelope of Prometheus's /api/v1:
//
//   POST /api/v1/acknowledgements with a JSON body naming exactly one of
//        {"fingerprint":"16 hex digits"}   that firing alert,
//        {"groupKey":"..."}                that aggregation group,
//        {"groupOf":"16 hex digits"}       every group holding that firing
//                                          alert (with "receiver": only the
//                                          group of that receiver's route),
//        and optionally "by", "comment" and "expiresAt" (RFC 3339; absent:
//        until what it covers has resolved)
//   GET /api/v1/acknowledgements          those in force, oldest first
//   DELETE /api/v1/acknowledgements/ID[?by=NAME]   un-acknowledge
//
//   200 {"status":"success","data":[ACK...]} (POST: those it made; DELETE:
//   the one it ended)
//   ACK = {"id","fingerprint" (an alert's) or "groupKey" (a group's),
//          "covered":[fingerprints],"labels":{..},"by","comment",
//          "createdAt","expiresAt" (when set)}
//   400 a bad body, naming the field; 404 no such firing alert, group or
//   acknowledgement; 429 too many; 500 not yet stored; 503 before the
//   notification side runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tocsin/error.h>

#include "api/alertmanager_api.h"
#include "api/httprouter_routes.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {

// What a POST asks for: the request and, for "groupOf", the alert whose
// groups to acknowledge and the receiver that picks one.
struct AcknowledgementPost {
  dispatch::NotificationService::AcknowledgeRequest request;
  std::uint64_t group_of = 0;
  std::string receiver;
};
// The body read; the error names the field (the fuzz target's entry).
Result<AcknowledgementPost> parse_acknowledgement_post(std::string_view body);

void add_acknowledgements_endpoints(HttpRouterRoutes& routes, NotificationsHook notifications);

}  // namespace tocsin::api
