#include "template/html_context.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "gocompat/strconv.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::tmpl::html {
namespace {

constexpr std::string_view kStateNames[] = {
    "stateText",       "stateTag",       "stateAttrName", "stateAfterName",   "stateBeforeValue",
    "stateHTMLCmt",    "stateRCDATA",    "stateAttr",     "stateURL",         "stateSrcset",
    "stateJS",         "stateJSDqStr",   "stateJSSqStr",  "stateJSBqStr",     "stateJSRegexp",
    "stateJSBlockCmt", "stateJSLineCmt", "stateCSS",      "stateCSSDqStr",    "stateCSSSqStr",
    "stateCSSDqURL",   "stateCSSSqURL",  "stateCSSURL",   "stateCSSBlockCmt", "stateCSSLineCmt",
    "stateError",      "stateDead"};
constexpr std::string_view kDelimNames[] = {"delimNone", "delimDoubleQuote", "delimSingleQuote",
                                            "delimSpaceOrTagEnd"};
constexpr std::string_view kUrlPartNames[] = {"urlPartNone", "urlPartPreQuery",
                                              "urlPartQueryOrFrag", "urlPartUnknown"};
constexpr std::string_view kJsCtxNames[] = {"jsCtxRegexp", "jsCtxDivOp", "jsCtxUnknown"};
constexpr std::string_view kAttrNames[] = {"attrNone",  "attrScript", "attrScriptType",
                                           "attrStyle", "attrURL",    "attrSrcset"};
constexpr std::string_view kElementNames[] = {"elementNone", "elementScript", "elementStyle",
                                              "elementTextarea", "elementTitle"};

template <typename E, std::size_t N>
std::string_view name_of(E e, const std::string_view (&names)[N]) {
  return names[static_cast<std::size_t>(e)];
}

using Step = std::pair<Context, std::size_t>;

// Go's %q of a byte string, and %.32q (at most 32 runes of it).
std::string quoted(std::string_view s, std::size_t max_runes = std::string_view::npos) {
  std::size_t i = 0;
  for (std::size_t n = 0; i < s.size() && n < max_runes; ++n) {
    int w = 0;
    gocompat::decode_rune(s, i, w);
    i += static_cast<std::size_t>(w);
  }
  return gocompat::quote(s.substr(0, i));
}

std::size_t index_any(std::string_view s, std::string_view chars, std::size_t from = 0) {
  return s.find_first_of(chars, from);
}

bool ascii_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool ascii_alnum(char c) {
  return ascii_alpha(c) || (c >= '0' && c <= '9');
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool equal_fold(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower(a) == lower(b);
}

std::size_t eat_whitespace(std::string_view s, std::size_t i) {
  for (std::size_t j = i; j < s.size(); ++j) {
    switch (s[j]) {
      case ' ':
      case '\t':
      case '\n':
      case '\f':
      case '\r':
        break;
      default:
        return j;
    }
  }
  return s.size();
}

// Go's eatAttrName; npos with `error` set when s[i:] cannot start one.
std::size_t eat_attr_name(std::string_view s, std::size_t i, std::string& error) {
  for (std::size_t j = i; j < s.size(); ++j) {
    switch (s[j]) {
      case ' ':
      case '\t':
      case '\n':
      case '\f':
      case '\r':
      case '=':
      case '>':
        return j;
      case '\'':
      case '"':
      case '<':
        error = fmt::format("{} in attribute name: {}", quoted(s.substr(j, 1)), quoted(s, 32));
        return std::string_view::npos;
      default:
        break;
    }
  }
  return s.size();
}

std::pair<std::size_t, Element> eat_tag_name(std::string_view s, std::size_t i) {
  if (i == s.size() || !ascii_alpha(s[i])) return {i, Element::kNone};
  std::size_t j = i + 1;
  while (j < s.size()) {
    char x = s[j];
    if (ascii_alnum(x)) {
      ++j;
      continue;
    }
    // Allow "x-y" or "x:y" but not "x-", "-y", or "x--y".
    if ((x == ':' || x == '-') && j + 1 < s.size() && ascii_alnum(s[j + 1])) {
      j += 2;
      continue;
    }
    break;
  }
  std::string name = lower(s.substr(i, j - i));
  Element e = Element::kNone;
  if (name == "script") e = Element::kScript;
  if (name == "style") e = Element::kStyle;
  if (name == "textarea") e = Element::kTextarea;
  if (name == "title") e = Element::kTitle;
  return {j, e};
}

Step t_text(Context c, std::string_view s) {
  std::size_t k = 0;
  while (true) {
    std::size_t i = s.find('<', k);
    if (i == std::string_view::npos || i + 1 == s.size()) return {c, s.size()};
    if (s.substr(i).starts_with("<!--")) return {Context{.state = State::kHTMLCmt}, i + 4};
    ++i;
    bool end = false;
    if (s[i] == '/') {
      if (i + 1 == s.size()) return {c, s.size()};
      end = true;
      ++i;
    }
    auto [j, e] = eat_tag_name(s, i);
    if (j != i) {
      if (end) e = Element::kNone;
      return {Context{.state = State::kTag, .element = e}, j};
    }
    k = j;
  }
}

State element_content_type(Element e) {
  switch (e) {
    case Element::kScript:
      return State::kJS;
    case Element::kStyle:
      return State::kCSS;
    case Element::kTextarea:
    case Element::kTitle:
      return State::kRCDATA;
    case Element::kNone:
      break;
  }
  return State::kText;
}

Step t_tag(Context c, std::string_view s) {
  std::size_t i = eat_whitespace(s, 0);
  if (i == s.size()) return {c, s.size()};
  if (s[i] == '>') {
    return {Context{.state = element_content_type(c.element), .element = c.element}, i + 1};
  }
  std::string error;
  std::size_t j = eat_attr_name(s, i, error);
  if (j == std::string_view::npos) return {error_context(error), s.size()};
  if (i == j) {
    return {error_context(fmt::format("expected space, attr name, or end of tag, but got {}",
                                      quoted(s.substr(i)))),
            s.size()};
  }
  std::string name = lower(s.substr(i, j - i));
  Attr attr = Attr::kNone;
  if (c.element == Element::kScript && name == "type") {
    attr = Attr::kScriptType;
  } else {
    switch (attr_type(name)) {
      case ContentType::kURL:
        attr = Attr::kURL;
        break;
      case ContentType::kCSS:
        attr = Attr::kStyle;
        break;
      case ContentType::kJS:
        attr = Attr::kScript;
        break;
      case ContentType::kSrcset:
        attr = Attr::kSrcset;
        break;
      default:
        break;
    }
  }
  State state = j == s.size() ? State::kAttrName : State::kAfterName;
  return {Context{.state = state, .attr = attr, .element = c.element}, j};
}

Step t_attr_name(Context c, std::string_view s) {
  std::string error;
  std::size_t i = eat_attr_name(s, 0, error);
  if (i == std::string_view::npos) return {error_context(error), s.size()};
  if (i != s.size()) c.state = State::kAfterName;
  return {c, i};
}

Step t_after_name(Context c, std::string_view s) {
  std::size_t i = eat_whitespace(s, 0);
  if (i == s.size()) return {c, s.size()};
  if (s[i] != '=') {
    // The tag's end '>' or a valueless attribute.
    c.state = State::kTag;
    return {c, i};
  }
  c.state = State::kBeforeValue;
  return {c, i + 1};
}

State attr_start_state(Attr a) {
  switch (a) {
    case Attr::kScript:
      return State::kJS;
    case Attr::kStyle:
      return State::kCSS;
    case Attr::kURL:
      return State::kURL;
    case Attr::kSrcset:
      return State::kSrcset;
    case Attr::kNone:
    case Attr::kScriptType:
      break;
  }
  return State::kAttr;
}

Step t_before_value(Context c, std::string_view s) {
  std::size_t i = eat_whitespace(s, 0);
  if (i == s.size()) return {c, s.size()};
  Delim delim = Delim::kSpaceOrTagEnd;
  if (s[i] == '\'') {
    delim = Delim::kSingleQuote;
    ++i;
  } else if (s[i] == '"') {
    delim = Delim::kDoubleQuote;
    ++i;
  }
  c.state = attr_start_state(c.attr);
  c.delim = delim;
  return {c, i};
}

Step t_html_cmt(Context c, std::string_view s) {
  std::size_t i = s.find("-->");
  if (i != std::string_view::npos) return {Context{}, i + 3};
  return {c, s.size()};
}

std::string_view special_tag_end_marker(Element e) {
  switch (e) {
    case Element::kScript:
      return "script";
    case Element::kStyle:
      return "style";
    case Element::kTextarea:
      return "textarea";
    case Element::kTitle:
      return "title";
    case Element::kNone:
      break;
  }
  return "";
}

// Go's indexTagEnd: where "</tag" followed by a separator starts, or npos.
std::size_t index_tag_end(std::string_view s, std::string_view tag) {
  std::size_t res = 0;
  while (!s.empty()) {
    std::size_t i = s.find("</");
    if (i == std::string_view::npos) return i;
    s.remove_prefix(i + 2);
    if (tag.size() <= s.size() && equal_fold(tag, s.substr(0, tag.size()))) {
      s.remove_prefix(tag.size());
      if (!s.empty() && std::string_view("> \t\n\f/").find(s[0]) != std::string_view::npos) {
        return res + i;
      }
      res += tag.size();
    }
    res += i + 2;
  }
  return std::string_view::npos;
}

Step t_special_tag_end(Context c, std::string_view s) {
  if (c.element != Element::kNone) {
    std::size_t i = index_tag_end(s, special_tag_end_marker(c.element));
    if (i != std::string_view::npos) return {Context{}, i};
  }
  return {c, s.size()};
}

Step t_attr(Context c, std::string_view s) {
  return {c, s.size()};
}

Step t_url(Context c, std::string_view s) {
  if (s.find_first_of("#?") != std::string_view::npos) {
    c.url_part = UrlPart::kQueryOrFrag;
  } else if (s.size() != eat_whitespace(s, 0) && c.url_part == UrlPart::kNone) {
    c.url_part = UrlPart::kPreQuery;
  }
  return {c, s.size()};
}

bool is_js_ident_part(char32_t r) {
  return r == '$' || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || r == '_' ||
         (r >= 'a' && r <= 'z');
}

// Go's nextJSCtx: whether a '/' after `s` starts a regexp or a division.
JsCtx next_js_ctx(std::string_view s, JsCtx preceding) {
  // Trim "\t\n\f\r \u2028\u2029" from the right.
  while (!s.empty()) {
    char c = s.back();
    if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ') {
      s.remove_suffix(1);
    } else if (s.ends_with("\xe2\x80\xa8") || s.ends_with("\xe2\x80\xa9")) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  if (s.empty()) return preceding;
  char c = s.back();
  std::size_t n = s.size();
  switch (c) {
    case '+':
    case '-': {
      std::size_t start = n - 1;
      while (start > 0 && s[start - 1] == c) --start;
      return ((n - start) & 1) == 1 ? JsCtx::kRegexp : JsCtx::kDivOp;
    }
    case '.':
      if (n != 1 && s[n - 2] >= '0' && s[n - 2] <= '9') return JsCtx::kDivOp;
      return JsCtx::kRegexp;
    case ',':
    case '<':
    case '>':
    case '=':
    case '*':
    case '%':
    case '&':
    case '|':
    case '^':
    case '?':
    case '!':
    case '~':
    case '(':
    case '[':
    case ':':
    case ';':
    case '{':
    case '}':
      return JsCtx::kRegexp;
    default: {
      std::size_t j = n;
      while (j > 0 && is_js_ident_part(static_cast<unsigned char>(s[j - 1]))) --j;
      static constexpr std::string_view kKeywords[] = {
          "break", "case",       "continue", "delete", "do",  "else",   "finally",
          "in",    "instanceof", "return",   "throw",  "try", "typeof", "void"};
      std::string_view word = s.substr(j);
      for (std::string_view k : kKeywords) {
        if (word == k) return JsCtx::kRegexp;
      }
    }
  }
  return JsCtx::kDivOp;
}

Step t_js(Context c, std::string_view s) {
  std::size_t i = index_any(s, "\"`'/");
  if (i == std::string_view::npos) {
    c.js_ctx = next_js_ctx(s, c.js_ctx);
    return {c, s.size()};
  }
  c.js_ctx = next_js_ctx(s.substr(0, i), c.js_ctx);
  switch (s[i]) {
    case '"':
      c.state = State::kJSDqStr;
      c.js_ctx = JsCtx::kRegexp;
      break;
    case '\'':
      c.state = State::kJSSqStr;
      c.js_ctx = JsCtx::kRegexp;
      break;
    case '`':
      c.state = State::kJSBqStr;
      c.js_ctx = JsCtx::kRegexp;
      break;
    default:  // '/'
      if (i + 1 < s.size() && s[i + 1] == '/') {
        c.state = State::kJSLineCmt;
        ++i;
      } else if (i + 1 < s.size() && s[i + 1] == '*') {
        c.state = State::kJSBlockCmt;
        ++i;
      } else if (c.js_ctx == JsCtx::kRegexp) {
        c.state = State::kJSRegexp;
      } else if (c.js_ctx == JsCtx::kDivOp) {
        c.js_ctx = JsCtx::kRegexp;
      } else {
        return {error_context(fmt::format("'/' could start a division or regexp: {}",
                                          quoted(s.substr(i), 32))),
                s.size()};
      }
  }
  return {c, i + 1};
}

Step t_js_delimited(Context c, std::string_view s) {
  std::string_view specials = "\\\"";
  switch (c.state) {
    case State::kJSSqStr:
      specials = "\\'";
      break;
    case State::kJSBqStr:
      specials = "`\\";
      break;
    case State::kJSRegexp:
      specials = "\\/[]";
      break;
    default:
      break;
  }
  std::size_t k = 0;
  bool in_charset = false;
  while (true) {
    std::size_t i = index_any(s, specials, k);
    if (i == std::string_view::npos) break;
    switch (s[i]) {
      case '\\':
        ++i;
        if (i == s.size()) {
          return {
              error_context(fmt::format("unfinished escape sequence in JS string: {}", quoted(s))),
              s.size()};
        }
        break;
      case '[':
        in_charset = true;
        break;
      case ']':
        in_charset = false;
        break;
      default:
        // The end delimiter.
        if (!in_charset) {
          c.state = State::kJS;
          c.js_ctx = JsCtx::kDivOp;
          return {c, i + 1};
        }
    }
    k = i + 1;
  }
  if (in_charset) {
    return {error_context(fmt::format("unfinished JS regexp charset: {}", quoted(s))), s.size()};
  }
  return {c, s.size()};
}

Step t_block_cmt(Context c, std::string_view s) {
  std::size_t i = s.find("*/");
  if (i == std::string_view::npos) return {c, s.size()};
  c.state = c.state == State::kJSBlockCmt ? State::kJS : State::kCSS;
  return {c, i + 2};
}

Step t_line_cmt(Context c, std::string_view s) {
  std::size_t i = std::string_view::npos;
  State end = State::kJS;
  if (c.state == State::kJSLineCmt) {
    i = std::min({s.find('\n'), s.find('\r'), s.find("\xe2\x80\xa8"), s.find("\xe2\x80\xa9")});
  } else {
    end = State::kCSS;
    i = index_any(s, "\n\f\r");
  }
  if (i == std::string_view::npos) return {c, s.size()};
  c.state = end;
  // The line terminator is not part of the comment.
  return {c, i};
}

bool is_css_nmchar(char32_t r) {
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' ||
         r == '_' || (r >= 0x80 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) ||
         (r >= 0x10000 && r <= 0x10ffff);
}

bool ends_with_css_keyword(std::string_view b, std::string_view kw) {
  if (b.size() < kw.size()) return false;
  std::size_t i = b.size() - kw.size();
  if (i != 0) {
    // The rune before the keyword must not be a name character.
    std::size_t start = i - 1;
    while (start > 0 && (static_cast<unsigned char>(b[start]) & 0xc0) == 0x80) --start;
    int w = 0;
    char32_t r = gocompat::decode_rune(b, start, w);
    if (start + static_cast<std::size_t>(w) != i) r = 0xfffd;
    if (is_css_nmchar(r)) return false;
  }
  return lower(b.substr(i)) == kw;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

Step t_css(Context c, std::string_view s) {
  std::size_t k = 0;
  while (true) {
    std::size_t i = index_any(s, "(\"'/", k);
    if (i == std::string_view::npos) return {c, s.size()};
    switch (s[i]) {
      case '(': {
        // Look for url to the left.
        std::string_view p = s.substr(0, i);
        while (!p.empty() &&
               std::string_view("\t\n\f\r ").find(p.back()) != std::string_view::npos) {
          p.remove_suffix(1);
        }
        if (ends_with_css_keyword(p, "url")) {
          std::size_t j = i + 1;
          while (j < s.size() &&
                 std::string_view("\t\n\f\r ").find(s[j]) != std::string_view::npos) {
            ++j;
          }
          if (j != s.size() && s[j] == '"') {
            c.state = State::kCSSDqURL;
            ++j;
          } else if (j != s.size() && s[j] == '\'') {
            c.state = State::kCSSSqURL;
            ++j;
          } else {
            c.state = State::kCSSURL;
          }
          return {c, j};
        }
        break;
      }
      case '/':
        if (i + 1 < s.size()) {
          if (s[i + 1] == '/') {
            c.state = State::kCSSLineCmt;
            return {c, i + 2};
          }
          if (s[i + 1] == '*') {
            c.state = State::kCSSBlockCmt;
            return {c, i + 2};
          }
        }
        break;
      case '"':
        c.state = State::kCSSDqStr;
        return {c, i + 1};
      case '\'':
        c.state = State::kCSSSqStr;
        return {c, i + 1};
      default:
        break;
    }
    k = i + 1;
  }
}

Step t_css_str(Context c, std::string_view s) {
  std::string_view end_and_esc;
  switch (c.state) {
    case State::kCSSDqStr:
    case State::kCSSDqURL:
      end_and_esc = "\\\"";
      break;
    case State::kCSSSqStr:
    case State::kCSSSqURL:
      end_and_esc = "\\'";
      break;
    default:  // kCSSURL: unquoted URLs end at a space or ')'.
      end_and_esc = "\\\t\n\f\r )";
  }
  std::size_t k = 0;
  while (true) {
    std::size_t i = index_any(s, end_and_esc, k);
    if (i == std::string_view::npos) {
      // As Go does, count the decoded bytes as consumed.
      std::string decoded = decode_css(s.substr(k));
      auto [c1, n] = t_url(c, decoded);
      return {c1, k + n};
    }
    if (s[i] == '\\') {
      ++i;
      if (i == s.size()) {
        return {
            error_context(fmt::format("unfinished escape sequence in CSS string: {}", quoted(s))),
            s.size()};
      }
    } else {
      c.state = State::kCSS;
      return {c, i + 1};
    }
    c = t_url(c, decode_css(s.substr(0, i + 1))).first;
    k = i + 1;
  }
}

Step t_error(Context c, std::string_view s) {
  return {c, s.size()};
}

// html.UnescapeString for the entities that matter to context tracking:
// numeric references and the common named ones.
std::string unescape_entities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  static const std::map<std::string_view, std::string_view> kNamed = {
      {"amp", "&"},         {"lt", "<"},     {"gt", ">"},       {"quot", "\""},  {"apos", "'"},
      {"nbsp", "\xc2\xa0"}, {"sol", "/"},    {"num", "#"},      {"quest", "?"},  {"lpar", "("},
      {"rpar", ")"},        {"colon", ":"},  {"semi", ";"},     {"equals", "="}, {"bsol", "\\"},
      {"grave", "`"},       {"Tab", "\t"},   {"NewLine", "\n"}, {"excl", "!"},   {"comma", ","},
      {"period", "."},      {"lsqb", "["},   {"rsqb", "]"},     {"lbrack", "["}, {"rbrack", "]"},
      {"lcub", "{"},        {"rcub", "}"},   {"lbrace", "{"},   {"rbrace", "}"}, {"ast", "*"},
      {"plus", "+"},        {"percnt", "%"}, {"dollar", "$"},   {"commat", "@"}, {"Hat", "^"},
      {"verbar", "|"},      {"vert", "|"},   {"lowbar", "_"},   {"hyphen", "-"}, {"dash", "-"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    std::size_t j = i + 1;
    if (j < s.size() && s[j] == '#') {
      ++j;
      bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
      if (hex) ++j;
      std::size_t digits = j;
      char32_t r = 0;
      while (j < s.size() && (hex ? is_hex(s[j]) : (s[j] >= '0' && s[j] <= '9'))) {
        char d = s[j];
        r = r * (hex ? 16 : 10) + static_cast<char32_t>(d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        if (r > 0x10ffff) r = 0x110000;
        ++j;
      }
      if (j == digits) {
        out += s[i++];
        continue;
      }
      if (j < s.size() && s[j] == ';') ++j;
      if (r == 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
      gocompat::append_rune(out, r);
      i = j;
      continue;
    }
    while (j < s.size() && ascii_alnum(s[j])) ++j;
    auto it = kNamed.find(s.substr(i + 1, j - i - 1));
    if (it == kNamed.end()) {
      out += s[i++];
      continue;
    }
    out += it->second;
    i = j < s.size() && s[j] == ';' ? j + 1 : j;
  }
  return out;
}

bool is_js_type(std::string_view mime) {
  mime = mime.substr(0, mime.find(';'));
  std::string m = lower(mime);
  std::string_view t = m;
  while (!t.empty() && gocompat::is_space(static_cast<unsigned char>(t.front())))
    t.remove_prefix(1);
  while (!t.empty() && gocompat::is_space(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  static constexpr std::string_view kTypes[] = {"application/ecmascript",
                                                "application/javascript",
                                                "application/json",
                                                "application/ld+json",
                                                "application/x-ecmascript",
                                                "application/x-javascript",
                                                "module",
                                                "text/ecmascript",
                                                "text/javascript",
                                                "text/javascript1.0",
                                                "text/javascript1.1",
                                                "text/javascript1.2",
                                                "text/javascript1.3",
                                                "text/javascript1.4",
                                                "text/javascript1.5",
                                                "text/jscript",
                                                "text/livescript",
                                                "text/x-ecmascript",
                                                "text/x-javascript"};
  return std::find(std::begin(kTypes), std::end(kTypes), t) != std::end(kTypes);
}

}  // namespace

std::string decode_css(std::string_view s) {
  std::string b;
  b.reserve(s.size());
  while (!s.empty()) {
    std::size_t i = s.find('\\');
    if (i == std::string_view::npos) i = s.size();
    b.append(s.substr(0, i));
    s.remove_prefix(i);
    if (s.size() < 2) break;
    if (is_hex(s[1])) {
      std::size_t j = 2;
      while (j < s.size() && j < 7 && is_hex(s[j])) ++j;
      char32_t r = 0;
      for (std::size_t h = 1; h < j; ++h) {
        char d = s[h];
        r = r << 4 | static_cast<char32_t>(d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
      }
      if (r > 0x10ffff) {
        r /= 16;
        --j;
      }
      gocompat::append_rune(b, r);
      s.remove_prefix(j);
      // skipCSSSpace
      if (!s.empty()) {
        if (s[0] == '\t' || s[0] == '\n' || s[0] == '\f' || s[0] == ' ') {
          s.remove_prefix(1);
        } else if (s[0] == '\r') {
          s.remove_prefix(s.size() >= 2 && s[1] == '\n' ? 2 : 1);
        }
      }
    } else {
      int w = 0;
      gocompat::decode_rune(s, 1, w);
      b.append(s.substr(1, static_cast<std::size_t>(w)));
      s.remove_prefix(1 + static_cast<std::size_t>(w));
    }
  }
  return b;
}

std::string Context::to_string() const {
  std::string err = "<nil>";
  if (error != nullptr) {
    // Go prints the *Error with its Error() text.
    err = "html/template:";
    if (!error->name.empty()) err += error->name + ":";
    if (error->line != 0) err += fmt::format("{}:", error->line);
    err = (err == "html/template:" ? "html/template: " : err + " ") + error->description;
  }
  return fmt::format("{{{} {} {} {} {} {} {}}}", name_of(state, kStateNames),
                     name_of(delim, kDelimNames), name_of(url_part, kUrlPartNames),
                     name_of(js_ctx, kJsCtxNames), name_of(attr, kAttrNames),
                     name_of(element, kElementNames), err);
}

std::string Context::mangle(std::string_view name) const {
  if (state == State::kText) return std::string(name);
  std::string s = std::string(name) + "$htmltemplate_" + std::string(name_of(state, kStateNames));
  if (delim != Delim::kNone) s += "_" + std::string(name_of(delim, kDelimNames));
  if (url_part != UrlPart::kNone) s += "_" + std::string(name_of(url_part, kUrlPartNames));
  if (js_ctx != JsCtx::kRegexp) s += "_" + std::string(name_of(js_ctx, kJsCtxNames));
  if (attr != Attr::kNone) s += "_" + std::string(name_of(attr, kAttrNames));
  if (element != Element::kNone) s += "_" + std::string(name_of(element, kElementNames));
  return s;
}

Context error_context(std::string description, const void* node, int line) {
  Context c;
  c.state = State::kError;
  c.error = std::make_shared<EscapeError>();
  c.error->node = node;
  c.error->line = line;
  c.error->description = std::move(description);
  return c;
}

bool is_comment(State s) {
  switch (s) {
    case State::kHTMLCmt:
    case State::kJSBlockCmt:
    case State::kJSLineCmt:
    case State::kCSSBlockCmt:
    case State::kCSSLineCmt:
      return true;
    default:
      return false;
  }
}

bool is_in_tag(State s) {
  switch (s) {
    case State::kTag:
    case State::kAttrName:
    case State::kAfterName:
    case State::kBeforeValue:
    case State::kAttr:
      return true;
    default:
      return false;
  }
}

std::pair<Context, std::size_t> transition(const Context& c, std::string_view s) {
  switch (c.state) {
    case State::kText:
      return t_text(c, s);
    case State::kTag:
      return t_tag(c, s);
    case State::kAttrName:
      return t_attr_name(c, s);
    case State::kAfterName:
      return t_after_name(c, s);
    case State::kBeforeValue:
      return t_before_value(c, s);
    case State::kHTMLCmt:
      return t_html_cmt(c, s);
    case State::kRCDATA:
      return t_special_tag_end(c, s);
    case State::kAttr:
      return t_attr(c, s);
    case State::kURL:
    case State::kSrcset:
      return t_url(c, s);
    case State::kJS:
      return t_js(c, s);
    case State::kJSDqStr:
    case State::kJSSqStr:
    case State::kJSBqStr:
    case State::kJSRegexp:
      return t_js_delimited(c, s);
    case State::kJSBlockCmt:
    case State::kCSSBlockCmt:
      return t_block_cmt(c, s);
    case State::kJSLineCmt:
    case State::kCSSLineCmt:
      return t_line_cmt(c, s);
    case State::kCSS:
      return t_css(c, s);
    case State::kCSSDqStr:
    case State::kCSSSqStr:
    case State::kCSSDqURL:
    case State::kCSSSqURL:
    case State::kCSSURL:
      return t_css_str(c, s);
    case State::kError:
    case State::kDead:
      break;
  }
  return t_error(c, s);
}

std::string_view delim_ends(Delim d) {
  switch (d) {
    case Delim::kDoubleQuote:
      return "\"";
    case Delim::kSingleQuote:
      return "'";
    case Delim::kSpaceOrTagEnd:
      return " \t\n\f\r>";
    case Delim::kNone:
      break;
  }
  return "";
}

std::pair<Context, std::size_t> context_after_text(const Context& c, std::string_view s) {
  if (c.delim == Delim::kNone) {
    auto [c1, i] = t_special_tag_end(c, s);
    // A special end tag (`</script>`) with everything before it consumed.
    if (i == 0) return {c1, 0};
    // Consider all content up to any end tag.
    return transition(c, s.substr(0, i));
  }
  // Inside an attribute value.
  std::size_t i = index_any(s, delim_ends(c.delim));
  if (i == std::string_view::npos) i = s.size();
  if (c.delim == Delim::kSpaceOrTagEnd) {
    // Characters browsers disagree on in unquoted values.
    std::size_t j = index_any(s.substr(0, i), "\"'<=`");
    if (j != std::string_view::npos) {
      return {error_context(fmt::format("{} in unquoted attr: {}", quoted(s.substr(j, 1)),
                                        quoted(s.substr(0, i)))),
              s.size()};
    }
  }
  if (i == s.size()) {
    // Stay inside the attribute; decode entities so the other states see
    // `alert(&quot;Hi!&quot;)` as JS does.
    Context cur = c;
    std::string u = unescape_entities(s);
    std::string_view rest = u;
    while (!rest.empty()) {
      auto [c1, n] = transition(cur, rest);
      cur = c1;
      rest.remove_prefix(n);
    }
    return {cur, s.size()};
  }
  Element element = c.element;
  // A "type" attribute of a script that is not JS: its body is not JS.
  if (c.state == State::kAttr && c.element == Element::kScript && c.attr == Attr::kScriptType &&
      !is_js_type(s.substr(0, i))) {
    element = Element::kNone;
  }
  if (c.delim != Delim::kSpaceOrTagEnd) ++i;  // the closing quote
  // Leaving an attribute keeps only the state and the element.
  return {Context{.state = State::kTag, .element = element}, i};
}

Context nudge(Context c) {
  switch (c.state) {
    case State::kTag:
      // In `<foo {{.}}`, the action emits an attribute.
      c.state = State::kAttrName;
      break;
    case State::kBeforeValue:
      // In `<foo bar={{.}}`, the action is an unquoted value.
      c.state = attr_start_state(c.attr);
      c.delim = Delim::kSpaceOrTagEnd;
      c.attr = Attr::kNone;
      break;
    case State::kAfterName:
      // In `<foo bar {{.}}`, the action is an attribute name.
      c.state = State::kAttrName;
      c.attr = Attr::kNone;
      break;
    default:
      break;
  }
  return c;
}

ContentType attr_type(std::string_view name) {
  using CT = ContentType;
  static const std::map<std::string_view, CT> kTypes = {
      {"accept", CT::kPlain},       {"accept-charset", CT::kUnsafe},
      {"action", CT::kURL},         {"alt", CT::kPlain},
      {"archive", CT::kURL},        {"async", CT::kUnsafe},
      {"autocomplete", CT::kPlain}, {"autofocus", CT::kPlain},
      {"autoplay", CT::kPlain},     {"background", CT::kURL},
      {"border", CT::kPlain},       {"checked", CT::kPlain},
      {"cite", CT::kURL},           {"challenge", CT::kUnsafe},
      {"charset", CT::kUnsafe},     {"class", CT::kPlain},
      {"classid", CT::kURL},        {"codebase", CT::kURL},
      {"cols", CT::kPlain},         {"colspan", CT::kPlain},
      {"content", CT::kUnsafe},     {"contenteditable", CT::kPlain},
      {"contextmenu", CT::kPlain},  {"controls", CT::kPlain},
      {"coords", CT::kPlain},       {"crossorigin", CT::kUnsafe},
      {"data", CT::kURL},           {"datetime", CT::kPlain},
      {"default", CT::kPlain},      {"defer", CT::kUnsafe},
      {"dir", CT::kPlain},          {"dirname", CT::kPlain},
      {"disabled", CT::kPlain},     {"draggable", CT::kPlain},
      {"dropzone", CT::kPlain},     {"enctype", CT::kUnsafe},
      {"for", CT::kPlain},          {"form", CT::kUnsafe},
      {"formaction", CT::kURL},     {"formenctype", CT::kUnsafe},
      {"formmethod", CT::kUnsafe},  {"formnovalidate", CT::kUnsafe},
      {"formtarget", CT::kPlain},   {"headers", CT::kPlain},
      {"height", CT::kPlain},       {"hidden", CT::kPlain},
      {"high", CT::kPlain},         {"href", CT::kURL},
      {"hreflang", CT::kPlain},     {"http-equiv", CT::kUnsafe},
      {"icon", CT::kURL},           {"id", CT::kPlain},
      {"ismap", CT::kPlain},        {"keytype", CT::kUnsafe},
      {"kind", CT::kPlain},         {"label", CT::kPlain},
      {"lang", CT::kPlain},         {"language", CT::kUnsafe},
      {"list", CT::kPlain},         {"longdesc", CT::kURL},
      {"loop", CT::kPlain},         {"low", CT::kPlain},
      {"manifest", CT::kURL},       {"max", CT::kPlain},
      {"maxlength", CT::kPlain},    {"media", CT::kPlain},
      {"mediagroup", CT::kPlain},   {"method", CT::kUnsafe},
      {"min", CT::kPlain},          {"multiple", CT::kPlain},
      {"name", CT::kPlain},         {"novalidate", CT::kUnsafe},
      {"open", CT::kPlain},         {"optimum", CT::kPlain},
      {"pattern", CT::kUnsafe},     {"placeholder", CT::kPlain},
      {"poster", CT::kURL},         {"profile", CT::kURL},
      {"preload", CT::kPlain},      {"pubdate", CT::kPlain},
      {"radiogroup", CT::kPlain},   {"readonly", CT::kPlain},
      {"rel", CT::kUnsafe},         {"required", CT::kPlain},
      {"reversed", CT::kPlain},     {"rows", CT::kPlain},
      {"rowspan", CT::kPlain},      {"sandbox", CT::kUnsafe},
      {"spellcheck", CT::kPlain},   {"scope", CT::kPlain},
      {"scoped", CT::kPlain},       {"seamless", CT::kPlain},
      {"selected", CT::kPlain},     {"shape", CT::kPlain},
      {"size", CT::kPlain},         {"sizes", CT::kPlain},
      {"span", CT::kPlain},         {"src", CT::kURL},
      {"srcdoc", CT::kHTML},        {"srclang", CT::kPlain},
      {"srcset", CT::kSrcset},      {"start", CT::kPlain},
      {"step", CT::kPlain},         {"style", CT::kCSS},
      {"tabindex", CT::kPlain},     {"target", CT::kPlain},
      {"title", CT::kPlain},        {"type", CT::kUnsafe},
      {"usemap", CT::kURL},         {"value", CT::kUnsafe},
      {"width", CT::kPlain},        {"wrap", CT::kPlain},
      {"xmlns", CT::kURL}};
  if (name.starts_with("data-")) {
    name.remove_prefix(5);
  } else if (std::size_t colon = name.find(':'); colon != std::string_view::npos) {
    if (name.substr(0, colon) == "xmlns") return CT::kURL;
    name.remove_prefix(colon + 1);
  }
  if (auto it = kTypes.find(name); it != kTypes.end()) return it->second;
  if (name.starts_with("on")) return CT::kJS;
  if (name.find("src") != std::string_view::npos || name.find("uri") != std::string_view::npos ||
      name.find("url") != std::string_view::npos) {
    return CT::kURL;
  }
  return CT::kPlain;
}

}  // namespace tocsin::tmpl::html
