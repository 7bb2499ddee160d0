#include "core/files.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace tocsin::files {
namespace {

TEST(Files, ReadsAWholeFile) {
  std::string path = ::testing::TempDir() + "files_test.txt";
  std::ofstream(path, std::ios::binary) << std::string(200000, 'x') << "end";
  auto text = read(path);
  ASSERT_TRUE(text.has_value()) << text.error().to_string();
  EXPECT_EQ(text->size(), 200003u);
  EXPECT_TRUE(text->ends_with("xend"));
  std::remove(path.c_str());
}

TEST(Files, AnEndlessFileStopsAtTheLimit) {
  auto text = read("/dev/zero", 1024 * 1024);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().to_string(), "/dev/zero: file is larger than the limit of 1048576 bytes");
}

TEST(Files, AMissingFileNamesThePath) {
  auto text = read("/nonexistent/tocsin.yml");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().to_string(),
            "/nonexistent/tocsin.yml: cannot read file: No such file or directory");
}

}  // namespace
}  // namespace tocsin::files
