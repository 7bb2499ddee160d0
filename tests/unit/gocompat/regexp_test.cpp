// Go's regexp on RE2: compile errors worded as Go's regexp.Compile words them.
#include "gocompat/regexp.h"

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

TEST(Regexp, CompileErrorsReadAsGo) {
  auto error_of = [](std::string_view pattern) {
    auto re = compile_regexp(pattern);
    return re ? std::string("ok") : re.error().message();
  };
  EXPECT_EQ(error_of("(a"), "error parsing regexp: missing closing ): `(a`");
  EXPECT_EQ(error_of("a)"), "error parsing regexp: unexpected ): `a)`");
  EXPECT_EQ(error_of("[z-a]"), "error parsing regexp: invalid character class range: `z-a`");
  EXPECT_EQ(error_of("\\8"), "error parsing regexp: invalid escape sequence: `\\8`");
  EXPECT_EQ(error_of("[a"), "error parsing regexp: missing closing ]: `[a`");
}

}  // namespace
}  // namespace tocsin::gocompat
