// The email wire format against Go's, byte for byte: quoted-printable
// (mime/quotedprintable), RFC 2047 header words (mime.QEncoding), the
// multipart/alternative message Alertmanager writes, addresses as
// net/mail reads them, Message-Id and Date. Expected values were produced
// by Go 1.19's standard library, the one Alertmanager 0.25 is built with.
#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "notifiers/email/mail_address.h"
#include "notifiers/email/mime_encoding.h"
#include "notifiers/email/mime_message.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using testutil::at;

struct Case {
  std::string input;
  std::string expected;
};

TEST(QuotedPrintable, EncodesAsGosWriter) {
  const std::string z74(74, 'z');
  const std::string z75(75, 'z');
  const std::string z80(80, 'x');
  const std::vector<Case> cases = {
      {"plain text", "plain text"},
      {"a=b", "a=3Db"},
      {"trailing space \nnext\t", "trailing space=20\r\nnext=09"},
      {"lf\nline\r\nx\ry", "lf\r\nline\r\nx\r\ny"},
      {"caf\xc3\xa9 \xe2\x98\x83", "caf=C3=A9 =E2=98=83"},
      {z80, std::string(75, 'x') + "=\r\n" + "xxxxx"},
      {z74 + "==", z74 + "=\r\n=3D=3D"},
      {z74 + "\xc3\xa9", z74 + "=\r\n=C3=A9"},
      {z75, z75},
      {z75 + "z", z75 + "=\r\nz"},
      // A '\r' followed by an encoded byte still swallows the next '\n', as in Go.
      {"\r\xc3\xa9\n", "\r\n=C3=A9"},
      {"end \t", "end =09"},
      {std::string("\x00\x7f", 2), "=00=7F"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(quoted_printable(c.input), c.expected) << c.input;
}

TEST(HeaderWord, PrintableAsciiIsLeftAlone) {
  EXPECT_EQ(encode_header_word("Plain ASCII subject"), "Plain ASCII subject");
  EXPECT_EQ(encode_header_word("tab\there"), "tab\there");
  EXPECT_EQ(encode_header_word(""), "");
}

TEST(HeaderWord, EncodesAsGosQEncoding) {
  EXPECT_EQ(encode_header_word("[FIRING:1] Disk f\xc3\xbcll on host_1?"),
            "=?utf-8?q?[FIRING:1]_Disk_f=C3=BCll_on_host=5F1=3F?=");
  EXPECT_EQ(encode_header_word("inv\xff"
                               "alid"),
            "=?utf-8?q?inv=FFalid?=");
}

TEST(HeaderWord, LineBreaksCannotStartANewHeader) {
  EXPECT_EQ(encode_header_word("new\r\nBcc: x@example.com"),
            "=?utf-8?q?new=0D=0ABcc:_x@example.com?=");
}

TEST(HeaderWord, LongValuesSplitIntoWordsOfAtMost75WithoutCuttingCharacters) {
  std::string thirty;
  for (int i = 0; i < 30; ++i) thirty += "\xc3\xa9";
  std::string ten_encoded;
  for (int i = 0; i < 10; ++i) ten_encoded += "=C3=A9";
  const std::string word = "=?utf-8?q?" + ten_encoded + "?=";
  std::string encoded = encode_header_word(thirty);
  EXPECT_EQ(encoded, word + " " + word + " " + word);
}

TEST(MimeMessage, WritesHeadersThenMultipartAlternativeAsAlertmanager) {
  std::vector<MailHeader> headers = {{"From", "tocsin <alerts@tocsin.test>"},
                                     {"Subject", "=?utf-8?q?f=C3=BCr?="},
                                     {"Message-Id", "<1.2@host>"},
                                     {"Date", "Wed, 01 May 2024 12:00:00 +0000"}};
  std::vector<MimePart> parts = {
      {"text/plain; charset=UTF-8",
       "Line one\nline two = sign, trailing space \n" + std::string(82, 'z')},
      {"text/html; charset=UTF-8", "<p>caf\xc3\xa9 &amp; more</p>"}};
  std::string message = write_mime_message(headers, parts, "b0undary");
  EXPECT_EQ(message,
            "From: tocsin <alerts@tocsin.test>\r\n"
            "Subject: =?utf-8?q?f=C3=BCr?=\r\n"
            "Message-Id: <1.2@host>\r\n"
            "Date: Wed, 01 May 2024 12:00:00 +0000\r\n"
            "Content-Type: multipart/alternative;  boundary=b0undary\r\n"
            "MIME-Version: 1.0\r\n"
            "\r\n"
            // From here on, Go's multipart.Writer with SetBoundary("b0undary").
            "--b0undary\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "\r\n"
            "Line one\r\n"
            "line two =3D sign, trailing space=20\r\n" +
                std::string(75, 'z') + "=\r\n" + std::string(7, 'z') +
                "\r\n"
                "--b0undary\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n"
                "Content-Type: text/html; charset=UTF-8\r\n"
                "\r\n"
                "<p>caf=C3=A9 &amp; more</p>\r\n"
                "--b0undary--\r\n");
}

TEST(MimeMessage, WithoutPartsTheMultipartIsStillClosed) {
  std::string message = write_mime_message({}, {}, "b");
  EXPECT_EQ(message,
            "Content-Type: multipart/alternative;  boundary=b\r\n"
            "MIME-Version: 1.0\r\n\r\n"
            "\r\n--b--\r\n");
}

TEST(MimeMessage, BoundariesAreSixtyRandomHexDigits) {
  std::string a = random_mime_boundary();
  std::string b = random_mime_boundary();
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{60}"))) << a;
  EXPECT_NE(a, b);
}

TEST(MimeMessage, MessageIdNamesTheTimeAndTheHost) {
  std::string id = make_message_id(at("2024-05-01T12:00:00.5Z"), "mail.example");
  EXPECT_TRUE(std::regex_match(id, std::regex(R"(<1714564800500000000\.[0-9]+@mail\.example>)")))
      << id;
  EXPECT_NE(id, make_message_id(at("2024-05-01T12:00:00.5Z"), "mail.example"));
}

// Sets TZ for one test and puts the old value back.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

TEST(MimeMessage, DateIsRfc1123ZInTheLocalZone) {
  {
    ScopedTimeZone utc("UTC0");
    EXPECT_EQ(format_rfc1123z(at("2024-05-01T12:00:00.999Z")), "Wed, 01 May 2024 12:00:00 +0000");
  }
  {
    ScopedTimeZone berlin("CET-1CEST,M3.5.0,M10.5.0/3");
    EXPECT_EQ(format_rfc1123z(at("2024-05-01T12:00:00Z")), "Wed, 01 May 2024 14:00:00 +0200");
  }
  {
    ScopedTimeZone newfoundland("NST3:30");
    EXPECT_EQ(format_rfc1123z(at("2024-01-02T03:04:05Z")), "Mon, 01 Jan 2024 23:34:05 -0330");
  }
}

struct AddressCase {
  std::string list;
  std::vector<std::string> addresses;  // empty: an error
  std::string error;
};

TEST(MailAddress, ParsesListsAsGosNetMail) {
  const std::vector<AddressCase> cases = {
      {"a@example.com", {"a@example.com"}, ""},
      {R"(Jane Doe <jane@example.com>, "Doe, John" <john@example.com>)",
       {"jane@example.com", "john@example.com"},
       ""},
      {"ops@example.com (on call)", {"ops@example.com"}, ""},
      {"a@example.com,,b@example.com", {"a@example.com", "b@example.com"}, ""},
      {R"("quoted local"@example.com)", {"quoted local@example.com"}, ""},
      {"a@b, ", {"a@b"}, ""},
      {"<a@b>", {"a@b"}, ""},
      {"tocsin <alerts@tocsin.test>", {"alerts@tocsin.test"}, ""},
      {"not an address", {}, "mail: no angle-addr"},
      {"Jane <jane@example.com", {}, "mail: unclosed angle-addr"},
      {"", {}, "mail: no address"},
  };
  for (const AddressCase& c : cases) {
    auto parsed = parse_address_list(c.list);
    if (c.addresses.empty()) {
      ASSERT_FALSE(parsed.has_value()) << c.list;
      EXPECT_EQ(parsed.error().message(), c.error) << c.list;
    } else {
      ASSERT_TRUE(parsed.has_value()) << c.list << ": " << parsed.error().message();
      EXPECT_EQ(*parsed, c.addresses) << c.list;
    }
  }
}

}  // namespace
}  // namespace tocsin::notifiers
