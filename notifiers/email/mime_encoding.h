// The two MIME encodings Alertmanager's email notifier uses, byte for byte
// as Go writes them:
//   quoted_printable: mime/quotedprintable.Writer (text mode) over a whole
//     body, lines of at most 76 characters, CRLF line breaks;
//   encode_header_word: mime.QEncoding.Encode("utf-8", value) for header
//     values: unchanged when printable ASCII, otherwise RFC 2047
//     encoded-words of at most 75 characters, never splitting a character.
//
// Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::notifiers {

std::string quoted_printable(std::string_view body);

std::string encode_header_word(std::string_view value);

}  // namespace tocsin::notifiers
