#include "template/html_sanitizers.h"

#include <stdexcept>

#include <fmt/format.h>

#include "gocompat/json.h"
#include "gocompat/time_format.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"
#include "template/arena.h"
#include "template/call_context.h"
#include "template/printf.h"
#include "template/time_methods.h"

namespace tocsin::tmpl::html {
namespace {

using Args = std::span<const Value>;

// Emitted in place of values that are unsafe where they land.
constexpr std::string_view kFilterFailsafe = "ZgotmplZ";

// A replacement table indexed by rune, as html/template declares them.
struct Table {
  const std::string_view* entries;
  std::size_t size;
  std::string_view operator[](char32_t r) const {
    return r < size ? entries[r] : std::string_view();
  }
};

template <std::size_t N>
constexpr std::array<std::string_view, N> table(
    std::initializer_list<std::pair<char32_t, std::string_view>> items) {
  std::array<std::string_view, N> t{};
  for (const auto& [r, s] : items) {
    if (r >= N) throw std::out_of_range("replacement table too small for its entries");
    t[r] = s;
  }
  return t;
}

const auto kHtmlReplacement = table<'>' + 1>({{0, "\xef\xbf\xbd"},
                                              {'"', "&#34;"},
                                              {'&', "&amp;"},
                                              {'\'', "&#39;"},
                                              {'+', "&#43;"},
                                              {'<', "&lt;"},
                                              {'>', "&gt;"}});
const auto kHtmlNormReplacement = table<'>' + 1>({{0, "\xef\xbf\xbd"},
                                                  {'"', "&#34;"},
                                                  {'\'', "&#39;"},
                                                  {'+', "&#43;"},
                                                  {'<', "&lt;"},
                                                  {'>', "&gt;"}});
const auto kHtmlNospaceReplacement = table<'`' + 1>({{0, "&#xfffd;"},
                                                     {'\t', "&#9;"},
                                                     {'\n', "&#10;"},
                                                     {'\v', "&#11;"},
                                                     {'\f', "&#12;"},
                                                     {'\r', "&#13;"},
                                                     {' ', "&#32;"},
                                                     {'"', "&#34;"},
                                                     {'&', "&amp;"},
                                                     {'\'', "&#39;"},
                                                     {'+', "&#43;"},
                                                     {'<', "&lt;"},
                                                     {'=', "&#61;"},
                                                     {'>', "&gt;"},
                                                     {'`', "&#96;"}});
const auto kHtmlNospaceNormReplacement = table<'`' + 1>({{0, "&#xfffd;"},
                                                         {'\t', "&#9;"},
                                                         {'\n', "&#10;"},
                                                         {'\v', "&#11;"},
                                                         {'\f', "&#12;"},
                                                         {'\r', "&#13;"},
                                                         {' ', "&#32;"},
                                                         {'"', "&#34;"},
                                                         {'\'', "&#39;"},
                                                         {'+', "&#43;"},
                                                         {'<', "&lt;"},
                                                         {'=', "&#61;"},
                                                         {'>', "&gt;"},
                                                         {'`', "&#96;"}});

// html/template's own JavaScript escaping (js.go's replacement tables and
// its replace): Go keeps it apart from encoding/json's string encoding, and
// so does tocsin. It escapes what a JS string or regexp literal inside HTML
// must not hold (quotes, '+', '/', '<', ...) and, unlike encoding/json,
// lets an invalid UTF-8 byte through as it is. A value spliced in as a
// whole JS value goes through encoding/json instead (js_val_escaper).
const auto kLowUnicodeReplacement = [] {
  std::array<std::string_view, 0x20> t{};
  static const std::array<std::string, 0x20> kHexes = [] {
    std::array<std::string, 0x20> h;
    for (std::size_t i = 0; i < h.size(); ++i) h[i] = fmt::format("\\u{:04x}", i);
    return h;
  }();
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = kHexes[i];
  t['\t'] = "\\t";
  t['\n'] = "\\n";
  t['\f'] = "\\f";
  t['\r'] = "\\r";
  return t;
}();
const auto kJsStrReplacement = table<'`' + 1>({{0, "\\u0000"},
                                               {'\t', "\\t"},
                                               {'\n', "\\n"},
                                               {'\v', "\\u000b"},
                                               {'\f', "\\f"},
                                               {'\r', "\\r"},
                                               {'"', "\\u0022"},
                                               {'`', "\\u0060"},
                                               {'&', "\\u0026"},
                                               {'\'', "\\u0027"},
                                               {'+', "\\u002b"},
                                               {'/', "\\/"},
                                               {'<', "\\u003c"},
                                               {'>', "\\u003e"},
                                               {'\\', "\\\\"}});
const auto kJsStrNormReplacement = table<'`' + 1>({{0, "\\u0000"},
                                                   {'\t', "\\t"},
                                                   {'\n', "\\n"},
                                                   {'\v', "\\u000b"},
                                                   {'\f', "\\f"},
                                                   {'\r', "\\r"},
                                                   {'"', "\\u0022"},
                                                   {'&', "\\u0026"},
                                                   {'\'', "\\u0027"},
                                                   {'`', "\\u0060"},
                                                   {'+', "\\u002b"},
                                                   {'/', "\\/"},
                                                   {'<', "\\u003c"},
                                                   {'>', "\\u003e"}});
const auto kJsRegexpReplacement = table<'}' + 1>(
    {{0, "\\u0000"}, {'\t', "\\t"},    {'\n', "\\n"},    {'\v', "\\u000b"}, {'\f', "\\f"},
     {'\r', "\\r"},  {'"', "\\u0022"}, {'$', "\\$"},     {'&', "\\u0026"},  {'\'', "\\u0027"},
     {'(', "\\("},   {')', "\\)"},     {'*', "\\*"},     {'+', "\\u002b"},  {'-', "\\-"},
     {'.', "\\."},   {'/', "\\/"},     {'<', "\\u003c"}, {'>', "\\u003e"},  {'?', "\\?"},
     {'[', "\\["},   {'\\', "\\\\"},   {']', "\\]"},     {'^', "\\^"},      {'{', "\\{"},
     {'|', "\\|"},   {'}', "\\}"}});
const auto kCssReplacement = table<'}' + 1>({{0, "\\0"},
                                             {'\t', "\\9"},
                                             {'\n', "\\a"},
                                             {'\f', "\\c"},
                                             {'\r', "\\d"},
                                             {'"', "\\22"},
                                             {'&', "\\26"},
                                             {'\'', "\\27"},
                                             {'(', "\\28"},
                                             {')', "\\29"},
                                             {'+', "\\2b"},
                                             {'/', "\\2f"},
                                             {':', "\\3a"},
                                             {';', "\\3b"},
                                             {'<', "\\3c"},
                                             {'>', "\\3e"},
                                             {'\\', "\\\\"},
                                             {'{', "\\7b"},
                                             {'}', "\\7d"}});

template <std::size_t N>
Table as_table(const std::array<std::string_view, N>& t) {
  return Table{t.data(), N};
}

// fmt.Sprint of the arguments, each dereferenced as indirectToStringerOrError
// does, leaving nil ones out when `skip_nil`.
std::string sprint(Args args, bool skip_nil) {
  std::string out;
  bool prev_string = false;
  bool first = true;
  for (const Value& v : args) {
    if (!v.valid() && skip_nil) continue;
    bool is_string = v.kind() == Kind::kString;
    if (!first && !is_string && !prev_string) out += ' ';
    if (v.valid()) {
      sprint_value(out, v, /*indirect=*/true);
    } else {
      out += "<nil>";
    }
    prev_string = is_string;
    first = false;
  }
  return out;
}

// Go's stringify: the text of the arguments and its content type.
std::pair<std::string, ContentType> stringify(Args args) {
  if (args.size() == 1 && args[0].kind() == Kind::kString) {
    ContentType t = content_type(args[0]);
    if (t != ContentType::kPlain || args[0].named() == nullptr) {
      return {std::string(args[0].as_string()), t};
    }
  }
  return {sprint(args, /*skip_nil=*/true), ContentType::kPlain};
}

// Go's htmlReplacer.
std::string html_replacer(std::string_view s, Table table, bool bad_runes) {
  std::string out;
  std::size_t written = 0;
  for (std::size_t i = 0; i < s.size();) {
    int w = 0;
    char32_t r = gocompat::decode_rune(s, i, w);
    std::size_t next = i + static_cast<std::size_t>(w);
    if (r < table.size) {
      if (std::string_view repl = table[r]; !repl.empty()) {
        out.append(s.substr(written, i - written));
        out += repl;
        written = next;
      }
    } else if (!bad_runes && ((r >= 0xfdd0 && r <= 0xfdef) || (r >= 0xfff0 && r <= 0xffff))) {
      out.append(s.substr(written, i - written));
      out += fmt::format("&#x{:x};", static_cast<std::uint32_t>(r));
      written = next;
    }
    i = next;
  }
  if (written == 0) return std::string(s);
  out.append(s.substr(written));
  return out;
}

// Go's replace, for the JS escapers.
std::string js_replace(std::string_view s, Table table) {
  std::string out;
  std::size_t written = 0;
  for (std::size_t i = 0; i < s.size();) {
    int w = 0;
    char32_t r = gocompat::decode_rune(s, i, w);
    std::size_t next = i + static_cast<std::size_t>(w);
    std::string_view repl;
    if (r < kLowUnicodeReplacement.size()) {
      repl = kLowUnicodeReplacement[r];
    } else if (r < table.size && !table[r].empty()) {
      repl = table[r];
    } else if (r == 0x2028) {
      repl = "\\u2028";
    } else if (r == 0x2029) {
      repl = "\\u2029";
    }
    if (!repl.empty()) {
      out.append(s.substr(written, i - written));
      out += repl;
      written = next;
    }
    i = next;
  }
  if (written == 0) return std::string(s);
  out.append(s.substr(written));
  return out;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_css_space(char c) {
  return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

// Go's processURLOnto: percent-encodes what a URL (part) must not hold.
bool process_url_onto(std::string_view s, bool norm, std::string& b) {
  std::size_t written = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '!':
      case '#':
      case '$':
      case '&':
      case '*':
      case '+':
      case ',':
      case '/':
      case ':':
      case ';':
      case '=':
      case '?':
      case '@':
      case '[':
      case ']':
        if (norm) continue;
        break;
      case '-':
      case '.':
      case '_':
      case '~':
        continue;
      case '%':
        if (norm && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) continue;
        break;
      default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    }
    b.append(s.substr(written, i - written));
    b += fmt::format("%{:02x}", static_cast<unsigned char>(c));
    written = i + 1;
  }
  b.append(s.substr(written));
  return written != 0;
}

std::string url_processor(bool norm, Args args) {
  auto [s, t] = stringify(args);
  if (t == ContentType::kURL) norm = true;
  std::string b;
  if (process_url_onto(s, norm, b)) return b;
  return s;
}

bool is_safe_url(std::string_view s) {
  std::size_t colon = s.find(':');
  if (colon != std::string_view::npos && s.substr(0, colon).find('/') == std::string_view::npos) {
    std::string protocol(s.substr(0, colon));
    for (char& c : protocol) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (protocol != "http" && protocol != "https" && protocol != "mailto") return false;
  }
  return true;
}

bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool is_html_space_or_ascii_alnum(char c) {
  return is_html_space(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

void filter_srcset_element(std::string_view s, std::size_t left, std::size_t right,
                           std::string& b) {
  std::size_t start = left;
  while (start < right && is_html_space(s[start])) ++start;
  std::size_t end = right;
  for (std::size_t i = start; i < right; ++i) {
    if (is_html_space(s[i])) {
      end = i;
      break;
    }
  }
  std::string_view url = s.substr(start, end - start);
  if (is_safe_url(url)) {
    bool metadata_ok = true;
    for (std::size_t i = end; i < right; ++i) {
      if (!is_html_space_or_ascii_alnum(s[i])) {
        metadata_ok = false;
        break;
      }
    }
    if (metadata_ok) {
      b.append(s.substr(left, start - left));
      process_url_onto(url, true, b);
      b.append(s.substr(end, right - end));
      return;
    }
  }
  b += '#';
  b += kFilterFailsafe;
}

// json.Marshal of a template value.
Status json_marshal(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::kInvalid:
      out += "null";
      return {};
    case Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      return {};
    case Kind::kInt:
      out += std::to_string(v.as_int());
      return {};
    case Kind::kUint:
      out += std::to_string(v.as_uint());
      return {};
    case Kind::kFloat: {
      auto number = gocompat::json_float(v.as_float());
      if (!number) return std::unexpected(number.error());
      out += *number;
      return {};
    }
    case Kind::kString:
      gocompat::append_json_string(out, v.as_string());
      return {};
    case Kind::kTime:
      // Time.MarshalJSON: RFC 3339 with nanoseconds.
      out += '"';
      out += format_time(v, gocompat::kRfc3339Nano);
      out += '"';
      return {};
    case Kind::kList: {
      const List& l = v.as_list();
      out += '[';
      for (std::size_t i = 0; i < l.size(); ++i) {
        if (i > 0) out += ',';
        if (auto s = json_marshal(out, l.at(i)); !s) return s;
      }
      out += ']';
      return {};
    }
    case Kind::kMap: {
      out += '{';
      bool first = true;
      Status status;
      auto visit = [&](std::string_view key, const Value& item) {
        if (!first) out += ',';
        first = false;
        gocompat::append_json_string(out, key);
        out += ':';
        status = json_marshal(out, item);
        return status.has_value();
      };
      v.as_map().for_each(visit);
      out += '}';
      return status;
    }
    case Kind::kStruct: {
      const Struct& st = v.as_struct();
      out += '{';
      for (std::size_t i = 0; i < st.field_count(); ++i) {
        if (i > 0) out += ',';
        gocompat::append_json_string(out, st.json_name(i));
        out += ':';
        if (auto s = json_marshal(out, st.field_at(i)); !s) return s;
      }
      out += '}';
      return {};
    }
    case Kind::kFunc:
      break;
  }
  return fail(fmt::format("json: unsupported type: {}", v.type_name()));
}

bool is_js_ident_part(char32_t r) {
  return r == '$' || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || r == '_' ||
         (r >= 'a' && r <= 'z');
}

std::string js_val_escaper(Args args) {
  Value a;
  std::string sprinted;
  if (args.size() == 1) {
    a = args[0];
    ContentType t = content_type(a);
    if (t == ContentType::kJS) return std::string(a.as_string());
    if (t == ContentType::kJSStr) return "\"" + std::string(a.as_string()) + "\"";
    // A fmt.Stringer that is not a json.Marshaler (time.Time is one) is
    // marshalled as its String().
    std::string str;
    if (a.kind() != Kind::kTime && a.valid() && a.stringer(str)) {
      sprinted = std::move(str);
      a = Value::string(sprinted);
    }
  } else {
    sprinted = sprint(args, /*skip_nil=*/false);
    a = Value::string(sprinted);
  }
  std::string b;
  if (auto s = json_marshal(b, a); !s) {
    std::string message = s.error().message();
    for (std::size_t p = message.find("*/"); p != std::string::npos; p = message.find("*/", p)) {
      message.replace(p, 2, "* /");
    }
    return fmt::format(" /* {} */null ", message);
  }
  if (b.empty()) return " null ";
  int w = 0;
  char32_t first = gocompat::decode_rune(b, 0, w);
  std::size_t last_start = b.size() - 1;
  while (last_start > 0 && (static_cast<unsigned char>(b[last_start]) & 0xc0) == 0x80) --last_start;
  char32_t last = gocompat::decode_rune(b, last_start, w);
  bool pad = is_js_ident_part(first) || is_js_ident_part(last);
  // encoding/json already writes U+2028 and U+2029 escaped.
  return pad ? " " + b + " " : b;
}

std::string css_escaper(Args args) {
  std::string s = stringify(args).first;
  std::string out;
  std::size_t written = 0;
  for (std::size_t i = 0; i < s.size();) {
    int w = 0;
    char32_t r = gocompat::decode_rune(s, i, w);
    std::size_t next = i + static_cast<std::size_t>(w);
    std::string_view repl = r < kCssReplacement.size() ? kCssReplacement[r] : std::string_view();
    if (!repl.empty()) {
      out.append(s.substr(written, i - written));
      out += repl;
      written = next;
      if (repl != "\\\\" &&
          (written == s.size() || is_hex(s[written]) || is_css_space(s[written]))) {
        out += ' ';
      }
    }
    i = next;
  }
  if (written == 0) return s;
  out.append(s.substr(written));
  return out;
}

bool is_css_nmchar(char32_t r) {
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' ||
         r == '_' || (r >= 0x80 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) ||
         (r >= 0x10000 && r <= 0x10ffff);
}

std::string css_value_filter(Args args) {
  auto [s, t] = stringify(args);
  if (t == ContentType::kCSS) return s;
  std::string b = decode_css(s);
  std::string id;
  for (std::size_t i = 0; i < b.size(); ++i) {
    char c = b[i];
    switch (c) {
      case 0:
      case '"':
      case '\'':
      case '(':
      case ')':
      case '/':
      case ';':
      case '@':
      case '[':
      case '\\':
      case ']':
      case '`':
      case '{':
      case '}':
        return std::string(kFilterFailsafe);
      case '-':
        if (i != 0 && b[i - 1] == '-') return std::string(kFilterFailsafe);
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x80 && is_css_nmchar(static_cast<unsigned char>(c))) {
          id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
  }
  if (id.find("expression") != std::string::npos || id.find("mozbinding") != std::string::npos) {
    return std::string(kFilterFailsafe);
  }
  return b;
}

std::string html_name_filter(Args args) {
  auto [raw, t] = stringify(args);
  if (t == ContentType::kHTMLAttr) return raw;
  if (raw.empty()) return std::string(kFilterFailsafe);
  std::string s;
  for (std::size_t i = 0; i < raw.size();) {
    int w = 0;
    gocompat::append_rune(s, gocompat::to_lower(gocompat::decode_rune(raw, i, w)));
    i += static_cast<std::size_t>(w);
  }
  if (attr_type(s) != ContentType::kPlain) return std::string(kFilterFailsafe);
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return std::string(kFilterFailsafe);
  }
  return s;
}

std::string srcset_escaper(Args args) {
  auto [s, t] = stringify(args);
  if (t == ContentType::kSrcset) return s;
  if (t == ContentType::kURL) {
    std::string b;
    if (process_url_onto(s, true, b)) s = b;
    std::string out;
    for (char c : s) {
      if (c == ',') {
        out += "%2c";
      } else {
        out += c;
      }
    }
    return out;
  }
  std::string b;
  std::size_t written = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') {
      filter_srcset_element(s, written, i, b);
      b += ',';
      written = i + 1;
    }
  }
  filter_srcset_element(s, written, s.size(), b);
  return b;
}

Callable escaper(std::string (*f)(Args)) {
  return make_function({Param::any()}, true, [f](CallContext& ctx, Args a) -> Result<Value> {
    return ctx.arena().string(f(a));
  });
}

FuncMap make_sanitizers() {
  FuncMap m;
  m.emplace("_html_template_attrescaper", escaper([](Args a) {
              auto [s, t] = stringify(a);
              if (t == ContentType::kHTML) {
                return html_replacer(strip_tags(s), as_table(kHtmlNormReplacement), true);
              }
              return html_replacer(s, as_table(kHtmlReplacement), true);
            }));
  m.emplace("_html_template_commentescaper", escaper([](Args) { return std::string(); }));
  m.emplace("_html_template_cssescaper", escaper(css_escaper));
  m.emplace("_html_template_cssvaluefilter", escaper(css_value_filter));
  m.emplace("_html_template_htmlnamefilter", escaper(html_name_filter));
  m.emplace("_html_template_htmlescaper", escaper([](Args a) {
              auto [s, t] = stringify(a);
              if (t == ContentType::kHTML) return s;
              return html_replacer(s, as_table(kHtmlReplacement), true);
            }));
  m.emplace("_html_template_jsregexpescaper", escaper([](Args a) {
              std::string s = js_replace(stringify(a).first, as_table(kJsRegexpReplacement));
              return s.empty() ? std::string("(?:)") : s;
            }));
  m.emplace("_html_template_jsstrescaper", escaper([](Args a) {
              auto [s, t] = stringify(a);
              if (t == ContentType::kJSStr) return js_replace(s, as_table(kJsStrNormReplacement));
              return js_replace(s, as_table(kJsStrReplacement));
            }));
  m.emplace("_html_template_jsvalescaper", escaper(js_val_escaper));
  m.emplace("_html_template_nospaceescaper", escaper([](Args a) {
              auto [s, t] = stringify(a);
              if (t == ContentType::kHTML) {
                return html_replacer(strip_tags(s), as_table(kHtmlNospaceNormReplacement), false);
              }
              return html_replacer(s, as_table(kHtmlNospaceReplacement), false);
            }));
  m.emplace("_html_template_rcdataescaper", escaper([](Args a) {
              auto [s, t] = stringify(a);
              if (t == ContentType::kHTML) {
                return html_replacer(s, as_table(kHtmlNormReplacement), true);
              }
              return html_replacer(s, as_table(kHtmlReplacement), true);
            }));
  m.emplace("_html_template_srcsetescaper", escaper(srcset_escaper));
  m.emplace("_html_template_urlescaper", escaper([](Args a) { return url_processor(false, a); }));
  m.emplace("_html_template_urlfilter", escaper([](Args a) {
              auto [s, t] = stringify(a);
              if (t != ContentType::kURL && !is_safe_url(s)) {
                return "#" + std::string(kFilterFailsafe);
              }
              return s;
            }));
  m.emplace("_html_template_urlnormalizer", escaper([](Args a) { return url_processor(true, a); }));
  m.emplace("_eval_args_", escaper([](Args a) {
              if (a.size() == 1 && a[0].kind() == Kind::kString && a[0].named() == nullptr) {
                return std::string(a[0].as_string());
              }
              return sprint(a, /*skip_nil=*/false);
            }));
  return m;
}

}  // namespace

const FuncMap& sanitizer_functions() {
  static const FuncMap funcs = make_sanitizers();
  return funcs;
}

ContentType content_type(const Value& v) {
  if (v.kind() != Kind::kString || v.named() == nullptr) return ContentType::kPlain;
  std::string_view name = v.named()->name;
  if (name == "template.HTML") return ContentType::kHTML;
  if (name == "template.CSS") return ContentType::kCSS;
  if (name == "template.HTMLAttr") return ContentType::kHTMLAttr;
  if (name == "template.JS") return ContentType::kJS;
  if (name == "template.JSStr") return ContentType::kJSStr;
  if (name == "template.URL") return ContentType::kURL;
  if (name == "template.Srcset") return ContentType::kSrcset;
  return ContentType::kPlain;
}

std::string strip_tags(std::string_view html) {
  std::string b;
  Context c;
  std::size_t i = 0;
  bool all_text = true;
  while (i != html.size()) {
    if (c.delim == Delim::kNone) {
      Context st = c;
      if (c.element != Element::kNone && !is_in_tag(c.state)) st.state = State::kRCDATA;
      auto [d, nread] = transition(st, html.substr(i));
      std::size_t i1 = i + nread;
      if (c.state == State::kText || c.state == State::kRCDATA) {
        std::size_t j = i1;
        if (d.state != c.state) {
          for (std::size_t j1 = j; j1 > i; --j1) {
            if (html[j1 - 1] == '<') {
              j = j1 - 1;
              break;
            }
          }
        }
        b.append(html.substr(i, j - i));
      } else {
        all_text = false;
      }
      c = d;
      i = i1;
      continue;
    }
    std::size_t i1 = html.find_first_of(delim_ends(c.delim), i);
    if (i1 == std::string_view::npos) break;
    if (c.delim != Delim::kSpaceOrTagEnd) ++i1;
    c = Context{.state = State::kTag, .element = c.element};
    i = i1;
  }
  if (all_text) return std::string(html);
  if (c.state == State::kText || c.state == State::kRCDATA) b.append(html.substr(i));
  return b;
}

}  // namespace tocsin::tmpl::html
