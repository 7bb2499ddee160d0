// The body Prometheus sends to POST /api/v2/alerts, read in one pass
// straight into alerts: the fast path of the busiest endpoint.
//
// It reads only a plain subset of what Alertmanager accepts, and only bodies
// Alertmanager would store without a word: an array of objects whose keys
// are exactly labels, annotations, startsAt, endsAt and generatorURL (each
// at most once, labels present); string values without \u escapes, in
// valid UTF-8; valid label and annotation names; times strfmt reads; a
// generatorURL that is a request URI. Anything else (null, another type,
// another key or spelling, a bad name or time) is not read here: the
// caller then decodes the body with decode_posted_alerts, which answers it
// as Alertmanager does, errors included. So this path never has to word an
// error, and tests hold it to giving what the full path gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/notify.h>

namespace tocsin::api {

// The alerts of a plain body, as to_alert builds them from the full
// decoder's items; nullopt when the body is not plain.
std::optional<std::vector<notify::Alert>> decode_plain_alerts(std::string_view body);

}  // namespace tocsin::api
