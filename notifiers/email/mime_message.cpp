#include "notifiers/email/mime_message.h"

#include <ctime>

#include <fmt/format.h>
#include <openssl/rand.h>

#include "notifiers/email/mime_encoding.h"

namespace tocsin::notifiers {
namespace {

// Random bytes for boundaries and Message-Ids. Uniqueness, not secrecy, is
// what they need; a failing RAND_bytes leaves the clock-derived rest.
void random_bytes(unsigned char* out, int size) {
  if (RAND_bytes(out, size) != 1) {
    auto seed =
        static_cast<std::uint64_t>(std::time(nullptr)) ^ reinterpret_cast<std::uintptr_t>(out);
    for (int i = 0; i < size; ++i) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      out[i] = static_cast<unsigned char>(seed >> 56);
    }
  }
}

}  // namespace

std::string write_mime_message(std::span<const MailHeader> headers, std::span<const MimePart> parts,
                               std::string_view boundary) {
  std::string out;
  for (const MailHeader& header : headers)
    out += fmt::format("{}: {}\r\n", header.name, header.value);
  // Two spaces after the semicolon, as Alertmanager writes it.
  out += fmt::format("Content-Type: multipart/alternative;  boundary={}\r\n", boundary);
  out += "MIME-Version: 1.0\r\n\r\n";

  bool first = true;
  for (const MimePart& part : parts) {
    out += first ? "--" : "\r\n--";
    out += boundary;
    out += "\r\n";
    first = false;
    // multipart.Writer writes part headers sorted by name.
    out += "Content-Transfer-Encoding: quoted-printable\r\n";
    out += fmt::format("Content-Type: {}\r\n\r\n", part.content_type);
    out += quoted_printable(part.body);
  }
  out += fmt::format("\r\n--{}--\r\n", boundary);
  return out;
}

std::string random_mime_boundary() {
  unsigned char bytes[30];
  random_bytes(bytes, sizeof bytes);
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::string make_message_id(Timestamp now, std::string_view hostname) {
  std::uint64_t random = 0;
  random_bytes(reinterpret_cast<unsigned char*>(&random), sizeof random);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  return fmt::format("<{}.{}@{}>", nanos, random, hostname);
}

std::string format_rfc1123z(Timestamp t) {
  static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm local{};
  localtime_r(&seconds, &local);
  long offset_minutes = local.tm_gmtoff / 60;
  char sign = offset_minutes < 0 ? '-' : '+';
  if (offset_minutes < 0) offset_minutes = -offset_minutes;
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}", kDays[local.tm_wday],
                     local.tm_mday, kMonths[local.tm_mon], local.tm_year + 1900, local.tm_hour,
                     local.tm_min, local.tm_sec, sign, offset_minutes / 60, offset_minutes % 60);
}

}  // namespace tocsin::notifiers
