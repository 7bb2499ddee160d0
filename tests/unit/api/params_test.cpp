// The query and body binding of Alertmanager's API v2 (go-swagger's
// binders, swag.ConvertBool, go-openapi's consumer check).
#include "api/params.h"

#include <gtest/gtest.h>

#include "gocompat/url.h"

namespace tocsin::api {
namespace {

web::Request request(std::string_view query) {
  web::Request req;
  req.method = "GET";
  req.raw_query = std::string(query);
  req.params = gocompat::parse_query(query);
  return req;
}

TEST(Params, AlertsQueryBindsAsGoSwaggerBindsIt) {
  AlertsParams p = bind_alerts_params(
      request("filter=alertname=X&filter=a%3D%22b%22&silenced=Yes&inhibited=garbage&active="
              "&receiver=a&receiver=b"));
  // Go's url.ParseQuery splits a pair at its first '=': the filter is whole.
  EXPECT_EQ(p.filter, (std::vector<std::string>{"alertname=X", "a=\"b\""}));
  EXPECT_TRUE(p.silenced);     // swag.ConvertBool's words, any case
  EXPECT_FALSE(p.inhibited);   // anything else is false
  EXPECT_TRUE(p.active);       // empty keeps the default
  EXPECT_EQ(p.receiver, "b");  // a single value binds the last one

  AlertsParams none = bind_alerts_params(request(""));
  EXPECT_TRUE(none.filter.empty());
  EXPECT_TRUE(none.silenced && none.inhibited && none.active);
  EXPECT_EQ(none.receiver, "");
  for (const char* yes :
       {"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled", "TRUE"}) {
    EXPECT_TRUE(bind_alerts_params(request(std::string("active=") + yes)).active) << yes;
  }
  EXPECT_FALSE(bind_alerts_params(request("active=false")).active);
}

TEST(Params, FiltersAreMatchersOrAlertmanagersError) {
  std::vector<std::string> filters{R"(alertname="Down")", "job=~api.*"};
  auto parsed = parse_filter(filters);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(to_string(*parsed), R"({alertname="Down",job=~"api.*"})");
  std::vector<std::string> bad{"9a=b"};
  EXPECT_EQ(parse_filter(bad).error(), (ApiError{400, "bad matcher format: 9a=b", std::nullopt}));
}

TEST(Params, SilenceIdsMustBeUuids) {
  EXPECT_TRUE(check_silence_id("1b4e28ba-2fa1-41d2-883f-0016d3cca427").has_value());
  EXPECT_EQ(check_silence_id("abc").error().body(),
            R"({"code":601,"message":"silenceID in path must be of type uuid: \"abc\""})");
  EXPECT_EQ(check_silence_id("abc").error().status, 422);
}

TEST(Params, BodiesMustBeJson) {
  web::Request req = request("");
  req.body = "[]";
  EXPECT_EQ(
      check_json_body(req)->body(),
      R"({"code":415,"message":"unsupported media type \"application/octet-stream\", only [application/json] are allowed"})");
  req.headers.emplace("Content-Type", "Application/JSON; charset=utf-8");
  EXPECT_FALSE(check_json_body(req).has_value());
  req.headers = {{"Content-Type", "text/plain"}};
  EXPECT_EQ(check_json_body(req)->status, 415);
  req.body.clear();  // no body: nothing to consume, any type will do
  EXPECT_FALSE(check_json_body(req).has_value());
}

}  // namespace
}  // namespace tocsin::api
