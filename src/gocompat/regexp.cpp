#include "gocompat/regexp.h"

#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "gocompat/strconv.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::gocompat {
namespace {

// Go's regexp/syntax error codes for RE2's (RE2's parser is Go's twin).
std::string_view go_error_code(re2::RE2::ErrorCode code) {
  switch (code) {
    case re2::RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass:
      return "invalid character class";
    case re2::RE2::ErrorBadCharRange:
      return "invalid character class range";
    case re2::RE2::ErrorMissingBracket:
      return "missing closing ]";
    case re2::RE2::ErrorMissingParen:
      return "missing closing )";
    case re2::RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case re2::RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      break;
  }
  // RE2 versions with ErrorUnexpectedParen report it with this text.
  return "unexpected )";
}

// `s` backquoted when it can be, else strconv.Quote'd: how Go's regexp
// package shows a pattern in its errors.
std::string backquote_or_quote(std::string_view s) {
  return can_backquote(s) ? "`" + std::string(s) + "`" : quote(s);
}

class Cache {
 public:
  std::shared_ptr<const RE2> get(std::string_view pattern) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(std::string(pattern));
    return it == entries_.end() ? nullptr : it->second;
  }
  void put(std::string_view pattern, std::shared_ptr<const RE2> re) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // crude, bounded
    entries_.emplace(std::string(pattern), std::move(re));
  }

 private:
  static constexpr std::size_t kMaxEntries = 512;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const RE2>> entries_;
};

Cache& cache() {
  static Cache c;
  return c;
}

// Go's extract(): the name after '$' (letters, digits, '_'), or {name}.
struct Reference {
  std::string_view name;
  int num = -1;            // group number, or -1 for a name
  std::size_t length = 0;  // bytes consumed after '$'
};
std::optional<Reference> extract(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool brace = s[0] == '{';
  std::size_t start = brace ? 1 : 0;
  std::size_t i = start;
  while (i < s.size()) {
    int w = 0;
    char32_t r = decode_rune(s, i, w);
    if (!is_letter(r) && !is_digit(r) && r != '_') break;
    i += w;
  }
  if (i == start) return std::nullopt;
  Reference ref;
  ref.name = s.substr(start, i - start);
  if (brace) {
    if (i >= s.size() || s[i] != '}') return std::nullopt;
    ++i;
  }
  int num = 0;
  for (char c : ref.name) {
    if (c < '0' || c > '9' || num >= 100'000'000) {
      num = -1;
      break;
    }
    num = num * 10 + (c - '0');
  }
  if (ref.name[0] == '0' && ref.name.size() > 1) num = -1;
  ref.num = num;
  ref.length = i;
  return ref;
}

void expand(std::string& dst, std::string_view tmpl, const std::vector<std::string_view>& groups,
            const std::map<std::string, int>& names) {
  while (!tmpl.empty()) {
    std::size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    dst += tmpl.substr(0, dollar);
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      dst += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    auto ref = extract(tmpl);
    if (!ref) {
      dst += '$';
      continue;
    }
    tmpl.remove_prefix(ref->length);
    int index = ref->num;
    if (index < 0) {
      auto it = names.find(std::string(ref->name));
      if (it == names.end()) continue;
      index = it->second;
    }
    if (static_cast<std::size_t>(index) < groups.size() && groups[index].data() != nullptr) {
      dst += groups[index];
    }
  }
  dst += tmpl;
}

}  // namespace

Result<std::shared_ptr<const RE2>> compile_regexp(std::string_view pattern) {
  if (auto cached = cache().get(pattern)) return cached;
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return fail(regexp_syntax_error(*re));
  }
  cache().put(pattern, re);
  return re;
}

std::string regexp_syntax_error(const RE2& re) {
  return fmt::format("error parsing regexp: {}: {}", go_error_code(re.error_code()),
                     backquote_or_quote(re.error_arg()));
}

std::string must_compile_message(std::string_view pattern, const Error& error) {
  return fmt::format("regexp: Compile({}): {}", backquote_or_quote(pattern), error.message());
}

bool match_string(const RE2& re, std::string_view text) {
  return re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                  nullptr, 0);
}

std::string replace_all_string(const RE2& re, std::string_view src, std::string_view repl) {
  int ngroups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(ngroups));
  std::vector<std::string_view> groups(static_cast<std::size_t>(ngroups));
  const auto& names = re.NamedCapturingGroups();
  re2::StringPiece text(src.data(), src.size());
  std::string out;
  std::size_t last_end = 0;
  std::size_t search = 0;
  while (search <= src.size()) {
    if (!re.Match(text, search, src.size(), RE2::UNANCHORED, pieces.data(), ngroups)) break;
    auto begin = static_cast<std::size_t>(pieces[0].data() - src.data());
    std::size_t end = begin + pieces[0].size();
    out += src.substr(last_end, begin - last_end);
    // No replacement for an empty match right after a previous match.
    if (end > last_end || begin == 0) {
      for (int g = 0; g < ngroups; ++g) {
        groups[g] = pieces[g].data() == nullptr
                        ? std::string_view()
                        : std::string_view(pieces[g].data(), pieces[g].size());
      }
      expand(out, repl, groups, names);
    }
    last_end = end;
    int width = 0;
    if (search < src.size()) decode_rune(src, search, width);
    if (search + width > end) {
      search += width;
    } else if (search + 1 > end) {
      ++search;
    } else {
      search = end;
    }
  }
  out += src.substr(last_end);
  return out;
}

}  // namespace tocsin::gocompat
