#include "gocompat/unicode.h"

#include <cwctype>

#include <locale.h>

namespace tocsin::gocompat {
namespace {

// The C library's Unicode tables, independent of the process locale.
locale_t unicode_locale() {
  static const locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return l != static_cast<locale_t>(nullptr) ? l : newlocale(LC_CTYPE_MASK, "C", nullptr);
  }();
  return loc;
}

// Space separators, format characters and private use: printable for the C
// library, not for Go.
bool is_go_unprintable_above_ascii(char32_t r) {
  if (r >= 0x80 && r < 0xa0) return true;
  switch (r) {
    case 0xa0:
    case 0xad:
    case 0x061c:
    case 0x06dd:
    case 0x070f:
    case 0x08e2:
    case 0x1680:
    case 0x180e:
    case 0x202f:
    case 0x205f:
    case 0x3000:
    case 0xfeff:
    case 0x110bd:
    case 0x110cd:
    case 0xe0001:
      return true;
    default:
      break;
  }
  return (r >= 0x0600 && r <= 0x0605) || (r >= 0x2000 && r <= 0x200f) ||
         (r >= 0x2028 && r <= 0x202e) || (r >= 0x2060 && r <= 0x206f) ||
         (r >= 0xfff9 && r <= 0xfffb) || (r >= 0xe000 && r <= 0xf8ff) ||
         (r >= 0x13430 && r <= 0x13438) || (r >= 0x1bca0 && r <= 0x1bca3) ||
         (r >= 0x1d173 && r <= 0x1d17a) || (r >= 0xe0020 && r <= 0xe007f) || r >= 0xf0000;
}

}  // namespace

bool is_print(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r > 0x10ffff || is_go_unprintable_above_ascii(r)) return false;
  return iswprint_l(static_cast<wint_t>(r), unicode_locale()) != 0;
}

bool is_letter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  return iswalpha_l(static_cast<wint_t>(r), unicode_locale()) != 0;
}

bool is_digit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return iswdigit_l(static_cast<wint_t>(r), unicode_locale()) != 0;
}

bool is_space(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200a;
  }
}

char32_t to_upper(char32_t r) {
  if (r < 0x80) return r >= 'a' && r <= 'z' ? r - 32 : r;
  return static_cast<char32_t>(towupper_l(static_cast<wint_t>(r), unicode_locale()));
}

char32_t to_lower(char32_t r) {
  if (r < 0x80) return r >= 'A' && r <= 'Z' ? r + 32 : r;
  return static_cast<char32_t>(towlower_l(static_cast<wint_t>(r), unicode_locale()));
}

char32_t to_title(char32_t r) {
  // Title case differs from upper case only for the Latin digraphs and Georgian.
  if (r >= 0x1c4 && r <= 0x1c6) return 0x1c5;
  if (r >= 0x1c7 && r <= 0x1c9) return 0x1c8;
  if (r >= 0x1ca && r <= 0x1cc) return 0x1cb;
  if (r >= 0x1f1 && r <= 0x1f3) return 0x1f2;
  if ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff)) return r;
  return to_upper(r);
}

}  // namespace tocsin::gocompat
