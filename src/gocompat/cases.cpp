#include "gocompat/cases.h"

#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::gocompat {
namespace {

// Word-break MidLetter, MidNumLet and Single_Quote: x/text's "mid" runes.
bool is_mid(char32_t r) {
  switch (r) {
    case 0x27:
    case 0x2e:
    case 0x3a:
    case 0xb7:
    case 0x387:
    case 0x55f:
    case 0x5f4:
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0x2027:
    case 0xfe13:
    case 0xfe52:
    case 0xfe55:
    case 0xff07:
    case 0xff0e:
    case 0xff1a:
      return true;
    default:
      return false;
  }
}

bool is_cased(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  return is_letter(r) && (to_lower(r) != r || to_upper(r) != r || to_title(r) != r);
}

// Combining marks, joiners and format characters: word-break Extend,
// Format and ZWJ.
bool is_extend_or_format(char32_t r) {
  return (r >= 0x300 && r <= 0x36f) || (r >= 0x483 && r <= 0x489) || (r >= 0x591 && r <= 0x5c7) ||
         (r >= 0x610 && r <= 0x61a) || (r >= 0x64b && r <= 0x65f) || r == 0xad ||
         (r >= 0x1ab0 && r <= 0x1aff) || (r >= 0x1dc0 && r <= 0x1dff) ||
         (r >= 0x200c && r <= 0x200f) || (r >= 0x2060 && r <= 0x2064) ||
         (r >= 0x20d0 && r <= 0x20ff) || (r >= 0xfe00 && r <= 0xfe0f) ||
         (r >= 0xfe20 && r <= 0xfe2f) || r == 0xfeff;
}

// Scripts whose letters are not word-break ALetter (ideographs, kana,
// South-East Asian scripts): each is a word of its own.
bool is_non_aletter_script(char32_t r) {
  return (r >= 0x0e00 && r <= 0x0eff) || (r >= 0x1000 && r <= 0x109f) ||
         (r >= 0x1780 && r <= 0x17ff) || (r >= 0x2e80 && r <= 0x2fdf) ||
         (r >= 0x3040 && r <= 0x30ff) || (r >= 0x3400 && r <= 0x4dbf) ||
         (r >= 0x4e00 && r <= 0x9fff) || (r >= 0xf900 && r <= 0xfaff) ||
         (r >= 0xff66 && r <= 0xff9f) || (r >= 0x20000 && r <= 0x3ffff);
}

// Whether `r` ends a word (x/text's isBreak).
bool is_break(char32_t r) {
  if (r < 0x80) {
    bool word = (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
                r == '_' || is_mid(r);
    return !word;
  }
  if (is_cased(r) || is_mid(r) || is_extend_or_format(r) || is_digit(r)) return false;
  if (r == 0x203f || r == 0x2040 || r == 0x2054 || r == 0xfe33 || r == 0xfe34 ||
      (r >= 0xfe4d && r <= 0xfe4f) || r == 0xff3f) {
    return false;  // ExtendNumLet, like '_'
  }
  return !(is_letter(r) && !is_non_aletter_script(r));
}

// Title-case mapping, with the full mappings that expand to several runes.
void append_title(std::string& out, char32_t r) {
  switch (r) {
    case 0xdf:
      out += "Ss";
      return;
    case 0x149:
      out += "\xca\xbcN";
      return;
    case 0xfb00:
      out += "Ff";
      return;
    case 0xfb01:
      out += "Fi";
      return;
    case 0xfb02:
      out += "Fl";
      return;
    case 0xfb03:
      out += "Ffi";
      return;
    case 0xfb04:
      out += "Ffl";
      return;
    case 0xfb05:
    case 0xfb06:
      out += "St";
      return;
    default:
      append_rune(out, to_title(r));
  }
}

}  // namespace

std::string title_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool mid_word = false;
  bool was_mid = false;
  for (std::size_t i = 0; i < s.size();) {
    int w = 0;
    char32_t r = decode_rune(s, i, w);
    if (was_mid && is_mid(r)) mid_word = false;
    was_mid = is_mid(r);
    if (is_cased(r)) {
      if (!mid_word) {
        append_title(out, r);
        mid_word = true;
      } else if (r == 0x130) {
        out += "i\xcc\x87";  // İ lowers to i + combining dot above
      } else if (r == 0x3a3) {
        // Final sigma: ς unless a cased letter follows (past case-ignorables).
        bool cased_follows = false;
        for (std::size_t j = i + static_cast<std::size_t>(w); j < s.size();) {
          int wj = 0;
          char32_t next = decode_rune(s, j, wj);
          if (is_mid(next) || is_extend_or_format(next)) {
            j += static_cast<std::size_t>(wj);
            continue;
          }
          cased_follows = is_cased(next);
          break;
        }
        out += cased_follows ? "\xcf\x83" : "\xcf\x82";
      } else {
        append_rune(out, to_lower(r));
      }
    } else {
      out.append(s.substr(i, static_cast<std::size_t>(w)));
      if (is_break(r)) mid_word = false;
    }
    i += static_cast<std::size_t>(w);
  }
  return out;
}

}  // namespace tocsin::gocompat
