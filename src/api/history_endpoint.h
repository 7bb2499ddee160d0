// GET /api/v1/history: what happened, newest first (store/store.h's
// history: alert state changes, notification attempts, silences, reloads),
// in the envelope of Prometheus's /api/v1.
//
//   filter=MATCHER    label matchers in Alertmanager's syntax, repeatable
//                     (alertname="X", severity=~"crit.*"); all must match
//   alertname, receiver, kind, state, fingerprint
//                     equal to the value
//   from, to          RFC 3339 or Unix seconds, both inclusive
//   limit             events per page, 1 to 1000 (default 100)
//   cursor            the `next` of the page before
//
//   200 {"status":"success","data":{"events":[EVENT...],"next":"CURSOR"}}
//   EVENT = {"id":N,"time":"RFC 3339","kind":"...","state":"...",
//            "fingerprint":"...","labels":{...},"receiver":"...",
//            "integration":"...","groupKey":"...","by":"...","details":{...}}
//   (empty fields left out; no `next` on the last page)
//   400 {"status":"error","errorType":"bad_data","error":"..."} for a bad
//   parameter, naming it; 503 when tocsin keeps no history.
//
// A page is bounded twice: by `limit`, and by the events one read may
// examine (store::HistoryQuery::max_examined), so a matcher that matches
// almost nothing cannot hold a server thread; a page cut short still has a
// `next`.
#pragma once

#include <functional>

#include <tocsin/error.h>

#include "api/httprouter_routes.h"
#include "store/store.h"
#include "web/http.h"

namespace tocsin::api {

using HistoryHook = std::function<Result<store::HistoryPage>(const store::HistoryQuery&)>;

// The query a request asks for; the error names the parameter.
Result<store::HistoryQuery> history_query(const web::Request& req);

// The 200 body for `page`.
std::string history_response(const store::HistoryPage& page);

// Serves GET /api/v1/history through `history`, called on a server thread.
void add_history_endpoint(HttpRouterRoutes& routes, HistoryHook history);

}  // namespace tocsin::api
