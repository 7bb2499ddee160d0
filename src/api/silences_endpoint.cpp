#include "api/silences_endpoint.h"

#include "api/openapi_response.h"
#include "api/params.h"
#include "api/silence_json.h"
#include "gocompat/json_writer.h"

namespace tocsin::api {

std::expected<std::string, ApiError> add_silence(dispatch::Silences& silences,
                                                 std::string_view body, Timestamp now) {
  auto silence = parse_postable_silence(body);
  if (!silence) return std::unexpected(silence.error());
  if (auto ok = check_postable_silence(*silence, now); !ok) return std::unexpected(ok.error());
  auto id = silences.set(*silence, now);
  if (!id) return std::unexpected(post_error(id.error()));
  return std::move(*id);
}

std::expected<void, ApiError> expire_silence(dispatch::Silences& silences, std::string_view id,
                                             Timestamp now) {
  if (auto ok = check_silence_id(id); !ok) return ok;
  if (auto ok = silences.expire(id, now); !ok) {
    return std::unexpected(handler_error(500, ok.error().message));
  }
  return {};
}

web::Response get_silences(const dispatch::NotificationService& service, const web::Request& req,
                           Timestamp now) {
  auto matchers = parse_filter(bind_silences_filter(req));
  if (!matchers) return error_response(matchers.error());
  dispatch::SilenceQuery query;
  query.filter = std::move(*matchers);
  return json_ok(gettable_silences_json(service.silences().query(query, now), now));
}

web::Response post_silences(dispatch::NotificationService& service, const web::Request& req,
                            Timestamp now) {
  if (auto refused = check_json_body(req)) return error_response(*refused);
  auto id = add_silence(service.silences(), req.body, now);
  if (!id) return error_response(id.error());
  // payload.PostSilencesOKBody is a plain model: the Encoder, not escaped.
  gocompat::JsonWriter json(/*escape_html=*/false);
  json.begin_object();
  json.field("silenceID", *id);
  json.end_object();
  return json_ok(std::move(json).marshal());
}

web::Response get_silence(const dispatch::NotificationService& service, const web::Request& req,
                          Timestamp now) {
  const std::string& id = req.path_params.at(0);
  if (auto ok = check_silence_id(id); !ok) return error_response(ok.error());
  auto silence = service.silences().get(id);
  if (!silence) {
    web::Response missing;
    missing.status = 404;
    return missing;
  }
  return json_ok(gettable_silence_json(*silence, now));
}

web::Response delete_silence(dispatch::NotificationService& service, const web::Request& req,
                             Timestamp now) {
  if (auto ok = expire_silence(service.silences(), req.path_params.at(0), now); !ok) {
    return error_response(ok.error());
  }
  return empty_ok();
}

}  // namespace tocsin::api
