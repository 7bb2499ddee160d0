#include "api/plain_alerts.h"

#include <algorithm>
#include <deque>
#include <span>

#include <tocsin/labels.h>

#include "api/date_time.h"
#include "api/postable_alerts.h"
#include "gocompat/utf8.h"

namespace tocsin::api {
namespace {

// A cursor over the body that gives up (returns false or nullopt) at the
// first thing outside the plain subset; the caller then falls back.
class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool consume(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  bool at_end() {
    skip_space();
    return p_ == end_;
  }

  // A JSON string: a view of the body when it has no escapes, else of its
  // decoded copy in `scratch_`.
  std::optional<std::string_view> string() {
    if (!consume('"')) return std::nullopt;
    const char* start = p_;
    while (p_ != end_) {
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        std::string_view text(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return text;
      }
      if (c == '\\') return escaped_string(start);
      if (!plain_byte()) return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  // Steps over one character of a string that needs no decoding: a byte of
  // ASCII other than a control, or a whole valid UTF-8 sequence.
  bool plain_byte() {
    auto c = static_cast<unsigned char>(*p_);
    if (c < 0x20) return false;  // not JSON
    if (c < 0x80) {
      ++p_;
      return true;
    }
    char32_t code_point = 0;
    int n = gocompat::decode_utf8(std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0,
                                  code_point);
    if (n == 0) return false;  // Go would substitute U+FFFD: the full path's business
    p_ += n;
    return true;
  }

  // The rest of a string that has escapes, from `start` (after its quote).
  std::optional<std::string_view> escaped_string(const char* start) {
    std::string& out = scratch_.emplace_back(start, p_);
    while (p_ != end_) {
      char c = *p_;
      if (c == '"') {
        ++p_;
        return out;
      }
      if (c != '\\') {
        const char* from = p_;
        if (!plain_byte()) return std::nullopt;
        out.append(from, p_);
        continue;
      }
      if (end_ - p_ < 2) return std::nullopt;
      switch (p_[1]) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        default:
          return std::nullopt;  // \u (surrogates are Go's business) or not JSON
      }
      p_ += 2;
    }
    return std::nullopt;
  }

  const char* p_;
  const char* end_;
  std::deque<std::string> scratch_;  // decoded strings; a deque keeps them in place
};

// {"name": "value", ...} into `pairs` (cleared first).
bool read_string_map(Reader& in, std::vector<Label>& pairs) {
  pairs.clear();
  if (!in.consume('{')) return false;
  if (in.consume('}')) return true;
  do {
    auto name = in.string();
    if (!name || !in.consume(':')) return false;
    auto value = in.string();
    if (!value) return false;
    pairs.push_back(Label{*name, *value});
  } while (in.consume(','));
  return in.consume('}');
}

bool read_time(Reader& in, Timestamp& out) {
  auto text = in.string();
  if (!text) return false;
  auto t = parse_api_time(*text);
  if (!t) return false;
  out = *t == kGoZeroTime ? Timestamp{} : *t;
  return true;
}

enum Field : unsigned {
  kLabels = 1,
  kAnnotations = 2,
  kStartsAt = 4,
  kEndsAt = 8,
  kGenerator = 16
};

std::optional<Field> field_named(std::string_view key) {
  if (key == "labels") return kLabels;
  if (key == "annotations") return kAnnotations;
  if (key == "startsAt") return kStartsAt;
  if (key == "endsAt") return kEndsAt;
  if (key == "generatorURL") return kGenerator;
  return std::nullopt;  // another key, or one Go would match ignoring case
}

// One item. `pairs` is scratch space shared by the items.
bool read_alert(Reader& in, std::vector<Label>& pairs, notify::Alert& alert) {
  if (!in.consume('{')) return false;
  unsigned seen = 0;
  if (!in.consume('}')) {
    do {
      auto key = in.string();
      if (!key || !in.consume(':')) return false;
      auto field = field_named(*key);
      if (!field || (seen & *field) != 0) return false;
      seen |= *field;
      switch (*field) {
        case kLabels:
          if (!read_string_map(in, pairs)) return false;
          alert.labels = Labels::from_pairs(pairs);
          // Validate checks the names of the labels that are kept.
          for (Label l : alert.labels) {
            if (!is_valid_label_name(l.name)) return false;
          }
          break;
        case kAnnotations:
          if (!read_string_map(in, pairs)) return false;
          // ... and of every annotation, empty or not.
          for (const Label& l : pairs) {
            if (!is_valid_label_name(l.name)) return false;
          }
          alert.annotations = Labels::from_pairs(pairs);
          break;
        case kStartsAt:
          if (!read_time(in, alert.starts_at)) return false;
          break;
        case kEndsAt:
          if (!read_time(in, alert.ends_at)) return false;
          break;
        case kGenerator: {
          auto url = in.string();
          if (!url || (!url->empty() && !is_request_uri(*url))) return false;
          alert.generator_url = *url;
          break;
        }
      }
    } while (in.consume(','));
    if (!in.consume('}')) return false;
  }
  return (seen & kLabels) != 0;
}

}  // namespace

std::optional<std::vector<notify::Alert>> decode_plain_alerts(std::string_view body) {
  Reader in(body);
  std::vector<notify::Alert> alerts;
  // Room for as many alerts as the body could plausibly hold (Prometheus's
  // run to about 400 bytes each), so the batch is rarely moved as it grows.
  alerts.reserve(std::min<std::size_t>(body.size() / 256 + 1, 1024));
  if (!in.consume('[')) return std::nullopt;
  if (!in.consume(']')) {
    std::vector<Label> pairs;
    do {
      if (!read_alert(in, pairs, alerts.emplace_back())) return std::nullopt;
    } while (in.consume(','));
    if (!in.consume(']')) return std::nullopt;
  }
  if (!in.at_end()) return std::nullopt;
  return alerts;
}

}  // namespace tocsin::api
