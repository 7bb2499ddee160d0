// The silences of Alertmanager 0.25's API v2: GET and POST
// /api/v2/silences, GET and DELETE /api/v2/silence/{silenceID}.
//
// The handlers run on a server thread with the configured service and
// "now" from its clock; the work each does on the silences is a function
// of its own, for tests.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <tocsin/time.h>

#include "api/api_error.h"
#include "dispatch/notification_service.h"
#include "dispatch/silences.h"
#include "web/http.h"

namespace tocsin::api {

// POST's work: parse and validate the body (silence_json.h), check its
// times, store it (a new silence, or a change to the one with its id). The
// id stored under on success.
std::expected<std::string, ApiError> add_silence(dispatch::Silences& silences,
                                                 std::string_view body, Timestamp now);

// DELETE's work: the id's format, then expire. An unknown id is 500 "silence
// not found", as Alertmanager 0.25 answers it; expiring twice is fine.
std::expected<void, ApiError> expire_silence(dispatch::Silences& silences, std::string_view id,
                                             Timestamp now);

// gettableSilences, filtered by the filter= matchers (params.h).
web::Response get_silences(const dispatch::NotificationService& service, const web::Request& req,
                           Timestamp now);
// {"silenceID":"..."}, or the error of add_silence; 415 for a body that is
// not JSON.
web::Response post_silences(dispatch::NotificationService& service, const web::Request& req,
                            Timestamp now);
// req.path_params[0] is the id: its gettableSilence, 404 with no body when
// there is none, 422 when it is not a UUID.
web::Response get_silence(const dispatch::NotificationService& service, const web::Request& req,
                          Timestamp now);
// 200 with no body once expired, or the error of expire_silence.
web::Response delete_silence(dispatch::NotificationService& service, const web::Request& req,
                             Timestamp now);

}  // namespace tocsin::api
