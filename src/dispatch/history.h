// The history events the notification side records (store::HistoryRow),
// built here so that each kind has one shape. `details` is a JSON object
// with the API's camelCase keys and RFC 3339 times; GET /api/v1/history
// prints it as it is.
//
//   kind          state                      details
//   alert         firing, resolved           source, startsAt, endsAt, generatorURL
//   notification  sent, failed               attempt, alerts (fingerprints),
//                                            firing, resolved, durationSeconds, error,
//                                            action ("acknowledge"; absent: notify),
//                                            reply (of a success: "HTTP 200")
//   acknowledgement  created, removed,       id, comment, covered, expiresAt
//                    ended, expired          (acknowledgements.h)
//   silence       created, updated, expired  id, matchers, startsAt, endsAt, comment
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "dispatch/notification_log.h"
#include "dispatch/silence.h"
#include "store/store.h"

namespace tocsin::dispatch {

// A posted alert started firing or resolved; `source` is "api" or "rule".
store::HistoryRow alert_event(const notify::Alert& alert, std::string_view state, Timestamp at,
                              std::string_view source);

// One attempt at sending one notification, recorded when it ended (so
// that events are in the order tocsin learnt of them).
struct Attempt {
  int number = 1;            // 1 for the first try
  bool sent = false;         // the receiver took it
  std::string error;         // why not, as the integration said it (HTTP status, SMTP reply)
  double seconds = 0;        // how long the attempt took
  bool acknowledge = false;  // told the receiver of an acknowledgement, not of the alerts
  std::string reply;         // what the receiver answered a success ("HTTP 200", "SMTP 250")
};
store::HistoryRow notification_event(const NotificationTarget& target,
                                     const notify::Context& context,
                                     std::span<const notify::Alert> alerts, const Attempt& attempt,
                                     Timestamp at);

// A silence was created, changed or expired, by `by` (empty: unknown; the
// expire endpoint names nobody).
store::HistoryRow silence_event(const Silence& silence, std::string_view state, Timestamp at,
                                std::string_view by);

}  // namespace tocsin::dispatch
