// An email as Alertmanager 0.25's email notifier writes it: the header
// lines in the order given, then
//   Content-Type: multipart/alternative;  boundary=<boundary>
//   MIME-Version: 1.0
// a blank line, and a multipart body as Go's mime/multipart.Writer writes
// it, each part quoted-printable with its Content-Transfer-Encoding and
// Content-Type headers (the text part first, the preferred HTML part last,
// RFC 2046 5.1.4). Lines end in CRLF.
//
// Pure functions, apart from the random boundary and Message-Id.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <tocsin/time.h>

namespace tocsin::notifiers {

struct MailHeader {
  std::string name;
  std::string value;  // as it goes on the wire: see encode_header_word
};

struct MimePart {
  std::string content_type;  // "text/plain; charset=UTF-8"
  std::string body;          // not yet encoded
};

std::string write_mime_message(std::span<const MailHeader> headers, std::span<const MimePart> parts,
                               std::string_view boundary);

// 30 random bytes in lower-case hex, as multipart.Writer chooses a boundary.
std::string random_mime_boundary();

// "<unix nanoseconds>.<random uint64>@<hostname>", as Alertmanager makes
// Message-Ids (with the notification's time rather than the wall clock).
std::string make_message_id(Timestamp now, std::string_view hostname);

// Go's time.RFC1123Z in the local time zone: "Mon, 02 Jan 2006 15:04:05 -0700".
std::string format_rfc1123z(Timestamp t);

}  // namespace tocsin::notifiers
