// Label sets: the identity of every series and alert.
//
// `Labels` is an immutable, sorted set of name/value pairs stored in one
// compact buffer (one allocation per set), because tocsin keeps hundreds of
// thousands of them alive. Build one with `LabelsBuilder`.
//
// Two hashes are offered, each matching the Go code tocsin must agree with:
//   fingerprint(): FNV-1a 64 over sorted names and values, separated by
//                  0xff, as prometheus/common's model.LabelSet.Fingerprint
//                  computes it (Alertmanager's alert identity);
//   hash():        xxHash64 as Prometheus's labels.Labels.Hash() computes it
//                  (used for rule-group evaluation offsets).
#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tocsin {

struct Label {
  std::string_view name;
  std::string_view value;
};

class Labels {
 public:
  class Iterator {
   public:
    using value_type = Label;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const char* pos, const char* end) : pos_(pos), end_(end) { decode(); }
    Label operator*() const { return current_; }
    const Label* operator->() const { return &current_; }
    Iterator& operator++() {
      pos_ = next_;
      decode();
      return *this;
    }
    Iterator operator++(int) {
      Iterator copy = *this;
      ++*this;
      return copy;
    }
    bool operator==(const Iterator& other) const { return pos_ == other.pos_; }

   private:
    void decode();
    const char* pos_ = nullptr;
    const char* end_ = nullptr;
    const char* next_ = nullptr;
    Label current_;
  };

  Labels() = default;
  // Convenience for tests and literals; later duplicates win.
  Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs);
  static Labels from_map(const std::map<std::string, std::string>& map);
  // From pairs in any order, as a Go map would take them: a later duplicate
  // name wins, and names with an empty value are left out. Sorts `pairs` in
  // place; allocates once.
  static Labels from_pairs(std::span<Label> pairs);

  Iterator begin() const { return Iterator(data_.data(), data_.data() + data_.size()); }
  Iterator end() const {
    return Iterator(data_.data() + data_.size(), data_.data() + data_.size());
  }

  bool empty() const { return data_.empty(); }
  std::size_t size() const;
  std::optional<std::string_view> get(std::string_view name) const;
  // The value of `name`, or "" when it is not set (Prometheus's Get).
  std::string_view value_of(std::string_view name) const { return get(name).value_or(""); }
  bool has(std::string_view name) const { return get(name).has_value(); }

  std::uint64_t fingerprint() const;
  std::uint64_t hash() const;
  // A hash for tocsin's own in-memory tables (XXH3 over the stored bytes in
  // one pass): much cheaper than hash(), and no one else's number.
  std::uint64_t table_hash() const;

  // {name="value", ...} with Go-quoted values, as Prometheus prints label sets.
  std::string to_string() const;
  std::map<std::string, std::string> to_map() const;

  // Bytes held by this set beyond sizeof(Labels); for memory accounting.
  std::size_t heap_bytes() const { return data_.capacity(); }

  bool operator==(const Labels& other) const { return data_ == other.data_; }
  // Orders label sets as Prometheus's labels.Compare does.
  std::strong_ordering operator<=>(const Labels& other) const;

 private:
  friend class LabelsBuilder;
  std::string data_;  // [varint len][name][varint len][value]... sorted by name
};

// Accumulates changes to a label set; `labels()` produces the sorted result.
// Setting an empty value removes the label, as in Prometheus.
class LabelsBuilder {
 public:
  LabelsBuilder() = default;
  explicit LabelsBuilder(const Labels& base);

  LabelsBuilder& set(std::string_view name, std::string_view value);
  LabelsBuilder& del(std::string_view name);
  Labels labels() const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;  // kept sorted by name
};

// Prints to_string(); also what GoogleTest shows for a Labels value.
std::ostream& operator<<(std::ostream& out, const Labels& labels);

// Prometheus's naming rules (the "legacy" validation of Prometheus 2.x).
bool is_valid_label_name(std::string_view name);
bool is_valid_metric_name(std::string_view name);
bool is_valid_utf8(std::string_view text);

inline constexpr std::string_view kMetricNameLabel = "__name__";
inline constexpr std::string_view kAlertNameLabel = "alertname";

}  // namespace tocsin
