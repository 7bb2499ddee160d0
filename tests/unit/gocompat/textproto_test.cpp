// net/textproto's CanonicalMIMEHeaderKey and html.EscapeString, as Go 1.19
// documents and answers them.
#include "gocompat/textproto.h"

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

TEST(CanonicalMimeHeaderKey, UpperCaseAfterEachDashLowerCaseElsewhere) {
  EXPECT_EQ(canonical_mime_header_key("subject"), "Subject");
  EXPECT_EQ(canonical_mime_header_key("x-MAILER-id"), "X-Mailer-Id");
  EXPECT_EQ(canonical_mime_header_key("content-type"), "Content-Type");
  EXPECT_EQ(canonical_mime_header_key("ACCEPT-ENCODING"), "Accept-Encoding");
  EXPECT_EQ(canonical_mime_header_key("-x--y-"), "-X--Y-");
  EXPECT_EQ(canonical_mime_header_key(""), "");
}

TEST(CanonicalMimeHeaderKey, AKeyThatIsNoTokenIsReturnedAsItIs) {
  EXPECT_EQ(canonical_mime_header_key("Reply To"), "Reply To");
  EXPECT_EQ(canonical_mime_header_key("x-a:b"), "x-a:b");
  EXPECT_EQ(canonical_mime_header_key("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(HtmlEscapeString, EscapesTheFiveCharactersOnly) {
  EXPECT_EQ(html_escape_string(R"(<a href="x?a=1&b='2'">)"),
            "&lt;a href=&#34;x?a=1&amp;b=&#39;2&#39;&#34;&gt;");
  EXPECT_EQ(html_escape_string("caf\xc3\xa9 + \x01"), "caf\xc3\xa9 + \x01");
}

}  // namespace
}  // namespace tocsin::gocompat
