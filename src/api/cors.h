// Cross-origin headers, as each API tocsin imitates sets them (checked
// against the real programs in tests/integration/api):
//
//   - Alertmanager 0.25's API v2 is wrapped in rs/cors's default handler
//     (cors.Default(), v1.8): every origin, the methods GET, POST and HEAD,
//     the headers Origin, Accept, Content-Type and X-Requested-With.
//   - Alertmanager 0.25's API v1 sets a fixed set on every answer.
//   - Prometheus 2.42's API v1 sets its set when the request has an Origin
//     (--web.cors.origin's default '.*' allows every origin).
//
// Pure functions.
#pragma once

#include "web/http.h"

namespace tocsin::api {

// rs/cors's answer to the actual request, added before the handler's
// headers: always "Vary: Origin"; with an Origin and a method it allows
// (GET, POST, HEAD, and OPTIONS), "Access-Control-Allow-Origin: *".
void add_cors_headers(const web::Request& req, web::Response& res);

// A preflight: OPTIONS with an Access-Control-Request-Method header.
bool is_cors_preflight(const web::Request& req);
// rs/cors's whole answer to a preflight, which never reaches a handler:
// 200 with no body, three Vary headers, and only when the origin, the
// requested method and every requested header are allowed, Allow-Origin,
// Allow-Methods (the requested one) and Allow-Headers (the requested ones,
// canonicalised).
web::Response cors_preflight_response(const web::Request& req);

// Alertmanager 0.25's API v1 headers (its corsHeaders and no caching).
void add_alertmanager_v1_headers(web::Response& res);

// Prometheus 2.42's httputil.SetCORS, when the request has an Origin.
void add_prometheus_cors_headers(const web::Request& req, web::Response& res);

}  // namespace tocsin::api
