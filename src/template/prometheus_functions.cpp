#include "template/prometheus_functions.h"

#include <algorithm>

#include <fmt/format.h>

#include "gocompat/net.h"
#include "gocompat/regexp.h"
#include "gocompat/strconv.h"
#include "gocompat/strings.h"
#include "gocompat/url.h"
#include "template/call_context.h"
#include "template/host_maps.h"
#include "template/humanize.h"
#include "template/time_methods.h"

namespace tocsin::tmpl {

// Prometheus's convertToFloat: float64, string (strconv.ParseFloat), int,
// uint, int64 and uint64; anything else is refused.
Result<double> convert_to_float(const Value& v) {
  if (v.named() == nullptr) {
    switch (v.kind()) {
      case Kind::kFloat:
        return v.as_float();
      case Kind::kString:
        return gocompat::parse_float(v.as_string());
      case Kind::kInt:
        return static_cast<double>(v.as_int());
      case Kind::kUint:
        return static_cast<double>(v.as_uint());
      default:
        break;
    }
  }
  return fail(fmt::format("can't convert {} to float", v.type_name()));
}

namespace {

using Args = std::span<const Value>;

constexpr std::string_view kSampleType = "*template.sample";
constexpr std::string_view kQueryResultType = "template.queryResult";
constexpr std::string_view kNilDereference =
    "runtime error: invalid memory address or nil pointer dereference";

const NamedType kHtmlType{"template.HTML"};
const Param kSampleParam = Param::of(Kind::kStruct, kSampleType);
const Param kQueryResultParam = Param::of(Kind::kList, kQueryResultType);

Result<Value> text(CallContext& ctx, std::string s) {
  return ctx.arena().string(s);
}

Callable float_function(std::function<Result<std::string>(double)> f) {
  return make_function({Param::any()}, false,
                       [f = std::move(f)](CallContext& ctx, Args a) -> Result<Value> {
                         auto v = convert_to_float(a[0]);
                         if (!v) return std::unexpected(v.error());
                         auto s = f(*v);
                         if (!s) return std::unexpected(s.error());
                         return text(ctx, std::move(*s));
                       });
}

// A query result element: Go's *template.sample{Labels, Value}.
class Sample final : public Struct {
 public:
  explicit Sample(const QuerySample& s) : labels_(s.metric), value_(s.value) {}
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Labels") return Value::map(&labels_);
    if (name == "Value") return Value::floating(value_);
    return std::nullopt;
  }
  std::size_t field_count() const override { return 2; }
  std::string_view field_name(std::size_t i) const override { return i == 0 ? "Labels" : "Value"; }
  Value field_at(std::size_t i) const override {
    return i == 0 ? Value::map(&labels_) : Value::floating(value_);
  }
  bool is_pointer() const override { return true; }
  std::string_view type_name() const override { return kSampleType; }
  std::string_view label(std::string_view name) const {
    auto v = labels_.find(name);
    return v ? v->as_string() : std::string_view();
  }
  double value() const { return value_; }

 private:
  LabelsView labels_;
  double value_;
};

const Sample* sample_of(const Value& v) {
  return v.valid() ? dynamic_cast<const Sample*>(&v.as_struct()) : nullptr;
}

Result<Value> query(CallContext& ctx, Args a) {
  const auto* prom = ctx.host().get<PrometheusContext>();
  if (prom == nullptr || prom->query == nullptr || !*prom->query) {
    return fail("no query function is available to this template");
  }
  auto result = (*prom->query)(a[0].as_string(), prom->time);
  if (!result) return std::unexpected(result.error());
  Arena& arena = ctx.arena();
  auto* samples = arena.make<std::vector<QuerySample>>(std::move(*result));
  auto* list = arena.make<ArenaList>(arena, kQueryResultType);
  list->items().reserve(samples->size());
  for (const QuerySample& s : *samples)
    list->items().push_back(Value::structure(arena.make<Sample>(s)));
  return Value::list(list);
}

Result<Value> sort_by_label(CallContext&, Args a) {
  if (!a[1].valid()) return a[1];
  // Go sorts the slice in place and returns it; query results are ours to sort.
  auto* list = const_cast<ArenaList*>(dynamic_cast<const ArenaList*>(&a[1].as_list()));
  if (list != nullptr) {
    std::string_view label = a[0].as_string();
    std::stable_sort(list->items().begin(), list->items().end(),
                     [&](const Value& x, const Value& y) {
                       const Sample* sx = sample_of(x);
                       const Sample* sy = sample_of(y);
                       return (sx ? sx->label(label) : "") < (sy ? sy->label(label) : "");
                     });
  }
  return a[1];
}

Result<Value> args(CallContext& ctx, Args a) {
  Arena& arena = ctx.arena();
  auto* map = arena.make<ArenaMap>(arena, "map[string]interface {}");
  for (std::size_t i = 0; i < a.size(); ++i) {
    map->insert(arena.copy(fmt::format("arg{}", i)), a[i]);
  }
  map->seal();
  return Value::map(map);
}

Result<Value> strip_domain(CallContext& ctx, Args a) {
  std::string_view hostport = a[0].as_string();
  std::string_view host = hostport, port;
  if (auto hp = gocompat::split_host_port(hostport)) {
    host = hp->host;
    port = hp->port;
  }
  if (gocompat::is_ip(host)) return a[0];
  host = host.substr(0, host.find('.'));
  if (!port.empty()) return text(ctx, gocompat::join_host_port(host, port));
  return text(ctx, std::string(host));
}

// The URL's path, as Go's url.URL.Path holds it (decoded).
std::string url_path(std::string_view url) {
  std::size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  std::size_t slash = scheme == std::string_view::npos ? 0 : rest.find('/');
  if (slash == std::string_view::npos) return "";
  std::string_view path = rest.substr(slash);
  path = path.substr(0, path.find_first_of("?#"));
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size() &&
        std::isxdigit(static_cast<unsigned char>(path[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(path[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(path.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += path[i];
    }
  }
  return out;
}

FuncMap make_text_functions() {
  const Param s = Param::string();
  FuncMap m;
  m.emplace("query", make_function({s}, false, query));
  m.emplace("first",
            make_function({kQueryResultParam}, false, [](CallContext&, Args a) -> Result<Value> {
              if (a[0].valid() && a[0].as_list().size() > 0) return a[0].as_list().at(0);
              return fail("first() called on vector with no elements");
            }));
  m.emplace("label",
            make_function({s, kSampleParam}, false, [](CallContext&, Args a) -> Result<Value> {
              const Sample* smp = sample_of(a[1]);
              if (smp == nullptr) return fail(std::string(kNilDereference));
              return Value::string(smp->label(a[0].as_string()));
            }));
  m.emplace("value",
            make_function({kSampleParam}, false, [](CallContext&, Args a) -> Result<Value> {
              const Sample* smp = sample_of(a[0]);
              if (smp == nullptr) return fail(std::string(kNilDereference));
              return Value::floating(smp->value());
            }));
  m.emplace("strvalue",
            make_function({kSampleParam}, false, [](CallContext&, Args a) -> Result<Value> {
              const Sample* smp = sample_of(a[0]);
              if (smp == nullptr) return fail(std::string(kNilDereference));
              return Value::string(smp->label("__value__"));
            }));
  m.emplace("args", make_function({Param::any()}, true, args));
  m.emplace("reReplaceAll",
            make_function({s, s, s}, false, [](CallContext& ctx, Args a) -> Result<Value> {
              auto re = gocompat::compile_regexp(a[0].as_string());
              // Prometheus uses MustCompile: the panic becomes the call's error.
              if (!re) return fail(gocompat::must_compile_message(a[0].as_string(), re.error()));
              return text(ctx,
                          gocompat::replace_all_string(**re, a[2].as_string(), a[1].as_string()));
            }));
  m.emplace("safeHtml", make_function({s}, false, [](CallContext&, Args a) -> Result<Value> {
              return Value::string(a[0].as_string(), &kHtmlType);
            }));
  m.emplace("match", make_function({s, s}, false, [](CallContext&, Args a) -> Result<Value> {
              auto re = gocompat::compile_regexp(a[0].as_string());
              if (!re) return std::unexpected(re.error());
              return Value::boolean(gocompat::match_string(**re, a[1].as_string()));
            }));
  m.emplace("title", make_function({s}, false, [](CallContext& ctx, Args a) {
              return text(ctx, gocompat::strings_title(a[0].as_string()));
            }));
  m.emplace("toUpper", make_function({s}, false, [](CallContext& ctx, Args a) {
              return text(ctx, gocompat::upper_string(a[0].as_string()));
            }));
  m.emplace("toLower", make_function({s}, false, [](CallContext& ctx, Args a) {
              return text(ctx, gocompat::lower_string(a[0].as_string()));
            }));
  m.emplace("graphLink", make_function({s}, false, [](CallContext& ctx, Args a) {
              return text(ctx, fmt::format("/graph?g0.expr={}&g0.tab=0",
                                           gocompat::query_escape(a[0].as_string())));
            }));
  m.emplace("tableLink", make_function({s}, false, [](CallContext& ctx, Args a) {
              return text(ctx, fmt::format("/graph?g0.expr={}&g0.tab=1",
                                           gocompat::query_escape(a[0].as_string())));
            }));
  m.emplace("sortByLabel", make_function({s, kQueryResultParam}, false, sort_by_label));
  m.emplace("stripPort", make_function({s}, false, [](CallContext&, Args a) -> Result<Value> {
              auto hp = gocompat::split_host_port(a[0].as_string());
              if (!hp) return a[0];
              return Value::string(hp->host);
            }));
  m.emplace("stripDomain", make_function({s}, false, strip_domain));
  m.emplace("humanize",
            float_function([](double v) -> Result<std::string> { return humanize(v); }));
  m.emplace("humanize1024",
            float_function([](double v) -> Result<std::string> { return humanize_1024(v); }));
  m.emplace("humanizeDuration",
            float_function([](double v) -> Result<std::string> { return humanize_duration(v); }));
  m.emplace("humanizePercentage",
            float_function([](double v) -> Result<std::string> { return humanize_percentage(v); }));
  m.emplace("humanizeTimestamp", float_function(humanize_timestamp));
  m.emplace("toTime",
            make_function({Param::any()}, false, [](CallContext&, Args a) -> Result<Value> {
              auto v = convert_to_float(a[0]);
              if (!v) return std::unexpected(v.error());
              FloatTime t{};
              switch (float_to_time(*v, t)) {
                case FloatTimeError::kNaNOrInf:
                  return fail("value is NaN or Inf");
                case FloatTimeError::kOverflow:
                  return fail(float_overflow_message(*v));
                case FloatTimeError::kNone:
                  break;
              }
              return Value::time(t.seconds, t.nanos).with_type(&kTimePointerType);
            }));
  m.emplace("pathPrefix", make_function({}, false, [](CallContext& ctx, Args) -> Result<Value> {
              const auto* prom = ctx.host().get<PrometheusContext>();
              return text(ctx, prom ? url_path(prom->external_url) : "");
            }));
  m.emplace("externalURL", make_function({}, false, [](CallContext& ctx, Args) -> Result<Value> {
              const auto* prom = ctx.host().get<PrometheusContext>();
              return Value::string(prom ? prom->external_url : "");
            }));
  m.emplace("parseDuration", make_function({s}, false, [](CallContext&, Args a) -> Result<Value> {
              std::string_view d = a[0].as_string();
              if (d.empty()) return fail("empty duration string");
              auto parsed = parse_duration(d);
              if (!parsed) return std::unexpected(parsed.error());
              // Go divides float64 nanoseconds by float64(time.Second).
              return Value::floating(static_cast<double>(parsed->count() * 1'000'000) / 1e9);
            }));
  return m;
}

}  // namespace

std::shared_ptr<const FuncMap> prometheus_functions() {
  static const auto funcs = std::make_shared<const FuncMap>(make_text_functions());
  return funcs;
}

std::shared_ptr<const FuncMap> prometheus_html_functions() {
  static const auto funcs = [] {
    FuncMap m = make_text_functions();
    m.emplace("tmpl", make_function({Param::string(), Param::any()}, false,
                                    [](CallContext& ctx, Args a) -> Result<Value> {
                                      auto out = ctx.execute_template(a[0].as_string(), a[1]);
                                      if (!out) return std::unexpected(out.error());
                                      return Value::string(*out, &kHtmlType);
                                    }));
    return std::make_shared<const FuncMap>(std::move(m));
  }();
  return funcs;
}

}  // namespace tocsin::tmpl
