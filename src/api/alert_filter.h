// Which stored alerts GET /api/v2/alerts and /api/v2/alerts/groups show:
// Alertmanager 0.25's alertFilter and matchFilterLabels, and the receiver
// regular expression, built from the bound query (params.h).
//
// Immutable once built; safe to share between threads.
#pragma once

#include <expected>
#include <memory>
#include <string_view>

#include <re2/re2.h>

#include <tocsin/matcher.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "api/api_error.h"
#include "api/params.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {

class AlertFilter {
 public:
  // The filter's matchers and receiver parsed; a bad one is 400 with Go's
  // words ("bad matcher format: ...", "failed to parse receiver param: ...").
  static std::expected<AlertFilter, ApiError> from(const AlertsParams& params);

  // No receiver asked for, or `name` matches the whole expression.
  bool receiver_matches(std::string_view name) const;
  // alertFilter: an ended alert never shows; then the state flags, then
  // the matchers, where an = or =~ matcher with an empty value also passes
  // when the label is missing, and a != or !~ one with an empty value when
  // it is present.
  bool passes(const notify::Alert& alert, const dispatch::AlertStatus& status, Timestamp now) const;
  bool has_receiver() const { return receiver_ != nullptr; }

 private:
  AlertFilter() = default;

  Matchers matchers_;
  bool silenced_ = true;
  bool inhibited_ = true;
  bool active_ = true;
  std::shared_ptr<const RE2> receiver_;  // anchored; null: every receiver
};

}  // namespace tocsin::api
