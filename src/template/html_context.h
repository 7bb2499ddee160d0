// Where in an HTML document a template is writing, as Go's html/template
// tracks it (context.go and transition.go in Go 1.19): the parser state
// (text, tag, attribute, URL, JS, CSS, comment, ...), the attribute
// delimiter, the URL part, the JS lexical context, the attribute's kind and
// the special element around it. Template text moves the context forward;
// actions are escaped for the context they are in.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tocsin::tmpl::html {

enum class State : std::uint8_t {
  kText,
  kTag,
  kAttrName,
  kAfterName,
  kBeforeValue,
  kHTMLCmt,
  kRCDATA,
  kAttr,
  kURL,
  kSrcset,
  kJS,
  kJSDqStr,
  kJSSqStr,
  kJSBqStr,
  kJSRegexp,
  kJSBlockCmt,
  kJSLineCmt,
  kCSS,
  kCSSDqStr,
  kCSSSqStr,
  kCSSDqURL,
  kCSSSqURL,
  kCSSURL,
  kCSSBlockCmt,
  kCSSLineCmt,
  kError,
  kDead,
};

enum class Delim : std::uint8_t { kNone, kDoubleQuote, kSingleQuote, kSpaceOrTagEnd };
enum class UrlPart : std::uint8_t { kNone, kPreQuery, kQueryOrFrag, kUnknown };
enum class JsCtx : std::uint8_t { kRegexp, kDivOp, kUnknown };
enum class Element : std::uint8_t { kNone, kScript, kStyle, kTextarea, kTitle };
enum class Attr : std::uint8_t { kNone, kScript, kScriptType, kStyle, kURL, kSrcset };

// html/template's content types, from the Go type of a value.
enum class ContentType : std::uint8_t {
  kPlain,
  kCSS,
  kHTML,
  kHTMLAttr,
  kJS,
  kJSStr,
  kURL,
  kSrcset,
  kUnsafe,
};

// An escaping error: what html/template's *Error holds. `node` is the
// template node it is about (may be null), `line` its line when no node.
struct EscapeError {
  const void* node = nullptr;
  std::string name;
  int line = 0;
  std::string description;
};

struct Context {
  State state = State::kText;
  Delim delim = Delim::kNone;
  UrlPart url_part = UrlPart::kNone;
  JsCtx js_ctx = JsCtx::kRegexp;
  Attr attr = Attr::kNone;
  Element element = Element::kNone;
  const void* node = nullptr;            // the break/continue node, for range loops
  std::shared_ptr<EscapeError> error{};  // set in State::kError

  // Go's context.eq: everything but the node; errors by identity.
  bool operator==(const Context& o) const {
    return state == o.state && delim == o.delim && url_part == o.url_part && js_ctx == o.js_ctx &&
           attr == o.attr && element == o.element && error == o.error;
  }
  // Go's context.String(): "{stateText delimNone urlPartNone jsCtxRegexp attrNone elementNone
  // <nil>}".
  std::string to_string() const;
  // Go's context.mangle: the name of `name` specialised for this context.
  std::string mangle(std::string_view name) const;
};

Context error_context(std::string description, const void* node = nullptr, int line = 0);

bool is_comment(State s);
bool is_in_tag(State s);

// Go's contextAfterText: the context after consuming a prefix of `s`, and
// how many bytes were consumed (0 only at a special tag's end).
std::pair<Context, std::size_t> context_after_text(const Context& c, std::string_view s);
// One transition function (transitionFunc[state]); stripTags uses them.
std::pair<Context, std::size_t> transition(const Context& c, std::string_view s);
// The characters that end an attribute value with this delimiter.
std::string_view delim_ends(Delim d);

// Go's nudge: the context after an empty-string transition.
Context nudge(Context c);

// Go's attrType: the content type of an attribute's value.
ContentType attr_type(std::string_view name);

// Go's decodeCSS: the CSS escapes in `s` ("\\41 ", "\\\"") decoded.
std::string decode_css(std::string_view s);

}  // namespace tocsin::tmpl::html
