#include <gtest/gtest.h>
#include <xxhash.h>

#include <tocsin/labels.h>

namespace tocsin {
namespace {

// Vectors from prometheus/common's model/signature_test.go: the fingerprint
// Alertmanager shows for an alert must be the same number.
TEST(Labels, FingerprintMatchesPrometheusModel) {
  EXPECT_EQ(Labels().fingerprint(), 14695981039346656037ULL);
  EXPECT_EQ((Labels{{"name", "garland, briggs"}, {"fear", "love is not enough"}}).fingerprint(),
            5799056148416392346ULL);
  EXPECT_EQ((Labels{{"first-label", "first-label-value"}}).fingerprint(), 5146282821936882169ULL);
  EXPECT_EQ((Labels{{"first-label", "first-label-value"}, {"second-label", "second-label-value"}})
                .fingerprint(),
            3195800080984914717ULL);
  EXPECT_EQ((Labels{{"first-label", "first-label-value"},
                    {"second-label", "second-label-value"},
                    {"third-label", "third-label-value"}})
                .fingerprint(),
            13843036195897128121ULL);
}

TEST(Labels, FingerprintDoesNotDependOnInsertionOrder) {
  Labels a{{"a", "b"}, {"c", "d"}};
  Labels b{{"c", "d"}, {"a", "b"}};
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.hash(), b.hash());
}

// Prometheus's labels.Hash: xxHash64 over name, 0xff, value, 0xff, label
// after label; short sets and ones longer than any stack buffer alike.
TEST(Labels, HashIsXxHash64OverNamesAndValuesWithSeparators) {
  auto expected = [](const Labels& l) {
    std::string bytes;
    for (Label label : l) {
      bytes.append(label.name).push_back('\xff');
      bytes.append(label.value).push_back('\xff');
    }
    return XXH64(bytes.data(), bytes.size(), 0);
  };
  Labels small{{"__name__", "up"}, {"job", "api"}};
  Labels large{{"__name__", "up"}, {"description", std::string(2000, 'x')}, {"job", "api"}};
  EXPECT_EQ(small.hash(), expected(small));
  EXPECT_EQ(large.hash(), expected(large));
  EXPECT_EQ(Labels().hash(), expected(Labels()));
}

TEST(Labels, IteratesSortedByName) {
  Labels l{{"zone", "eu"}, {"alertname", "Down"}, {"job", "api"}};
  std::vector<std::string> names;
  for (Label label : l) names.emplace_back(label.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alertname", "job", "zone"}));
  EXPECT_EQ(l.size(), 3u);
  EXPECT_EQ(l.value_of("job"), "api");
  EXPECT_FALSE(l.get("missing").has_value());
}

TEST(Labels, BuilderSetOverridesAndEmptyValueDeletes) {
  Labels base{{"a", "1"}, {"b", "2"}};
  Labels out = LabelsBuilder(base).set("b", "3").set("c", "4").set("a", "").labels();
  EXPECT_EQ(out, (Labels{{"b", "3"}, {"c", "4"}}));
}

TEST(Labels, FromPairsTakesAGoMapsView) {
  std::string long_value(300, 'v');  // a two-byte length
  std::vector<Label> pairs{{"zone", "eu"}, {"job", "api"},    {"zone", "us"}, {"empty", ""},
                           {"a", "first"}, {"k", long_value}, {"a", ""},      {"b", "kept"}};
  Labels l = Labels::from_pairs(pairs);
  // Sorted; the later "zone" wins; a later empty "a" removes the earlier one.
  EXPECT_EQ(l, (Labels{{"b", "kept"}, {"job", "api"}, {"k", long_value}, {"zone", "us"}}));
  EXPECT_EQ(
      l.heap_bytes(),
      (Labels{{"b", "kept"}, {"job", "api"}, {"k", long_value}, {"zone", "us"}}).heap_bytes());
  std::vector<Label> none;
  EXPECT_TRUE(Labels::from_pairs(none).empty());
}

TEST(Labels, LongValuesSurviveTheCompactEncoding) {
  std::string long_value(1000, 'x');
  Labels l{{"k", long_value}, {"j", "short"}};
  EXPECT_EQ(l.value_of("k"), long_value);
  EXPECT_EQ(l.value_of("j"), "short");
}

TEST(Labels, ToStringQuotesValuesLikeGo) {
  Labels l{{"job", "api"}, {"msg", "say \"hi\"\n"}};
  EXPECT_EQ(l.to_string(), R"({job="api", msg="say \"hi\"\n"})");
  EXPECT_EQ(Labels().to_string(), "{}");
}

TEST(Labels, OrderingComparesNamesThenValues) {
  EXPECT_LT((Labels{{"a", "1"}}), (Labels{{"a", "2"}}));
  EXPECT_LT((Labels{{"a", "1"}}), (Labels{{"a", "1"}, {"b", "1"}}));
  EXPECT_LT((Labels{{"a", "9"}}), (Labels{{"b", "1"}}));
}

TEST(Labels, NameValidation) {
  EXPECT_TRUE(is_valid_label_name("severity"));
  EXPECT_TRUE(is_valid_label_name("_x9"));
  EXPECT_FALSE(is_valid_label_name("9x"));
  EXPECT_FALSE(is_valid_label_name("a-b"));
  EXPECT_FALSE(is_valid_label_name(""));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_TRUE(is_valid_metric_name("job:rate5m"));
  EXPECT_FALSE(is_valid_metric_name("5m"));
  EXPECT_FALSE(is_valid_metric_name("a b"));
  EXPECT_TRUE(is_valid_utf8("héllo"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));  // overlong
}

}  // namespace
}  // namespace tocsin
