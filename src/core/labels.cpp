#include <algorithm>
#include <ostream>

#include <xxhash.h>

#include <tocsin/labels.h>

#include "gocompat/strconv.h"
#include "gocompat/utf8.h"

namespace tocsin {
namespace {

void put_varint(std::string& out, std::size_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

std::size_t varint_size(std::size_t n) {
  std::size_t bytes = 1;
  for (; n >= 0x80; n >>= 7) ++bytes;
  return bytes;
}

std::size_t get_varint(const char*& p) {
  std::size_t n = 0;
  int shift = 0;
  while (true) {
    auto byte = static_cast<unsigned char>(*p++);
    n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return n;
    shift += 7;
  }
}

void append_label(std::string& out, std::string_view name, std::string_view value) {
  put_varint(out, name.size());
  out.append(name);
  put_varint(out, value.size());
  out.append(value);
}

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
constexpr unsigned char kSeparator = 0xff;

std::uint64_t fnv_add(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}
std::uint64_t fnv_add_byte(std::uint64_t h, unsigned char c) {
  h ^= c;
  return h * kFnvPrime;
}

}  // namespace

void Labels::Iterator::decode() {
  if (pos_ == end_) {
    next_ = pos_;
    return;
  }
  const char* p = pos_;
  std::size_t n = get_varint(p);
  current_.name = std::string_view(p, n);
  p += n;
  n = get_varint(p);
  current_.value = std::string_view(p, n);
  next_ = p + n;
}

Labels::Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  LabelsBuilder b;
  for (const auto& [name, value] : pairs) b.set(name, value);
  *this = b.labels();
}

Labels Labels::from_map(const std::map<std::string, std::string>& map) {
  std::vector<Label> pairs;
  pairs.reserve(map.size());
  for (const auto& [name, value] : map) pairs.push_back(Label{name, value});
  return from_pairs(pairs);  // already sorted: one pass of the sort
}

Labels Labels::from_pairs(std::span<Label> pairs) {
  // Insertion sort: stable (so the last of equal names stays last), and the
  // sets are small, where it beats std::stable_sort and its scratch buffer.
  for (std::size_t i = 1; i < pairs.size(); ++i) {
    Label moving = pairs[i];
    std::size_t j = i;
    for (; j > 0 && moving.name < pairs[j - 1].name; --j) pairs[j] = pairs[j - 1];
    pairs[j] = moving;
  }
  auto kept = [&](std::size_t i) {
    bool overridden = i + 1 < pairs.size() && pairs[i + 1].name == pairs[i].name;
    return !overridden && !pairs[i].value.empty();
  };
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (kept(i))
      bytes += varint_size(pairs[i].name.size()) + pairs[i].name.size() +
               varint_size(pairs[i].value.size()) + pairs[i].value.size();
  }
  Labels l;
  l.data_.reserve(bytes);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (kept(i)) append_label(l.data_, pairs[i].name, pairs[i].value);
  }
  l.data_.shrink_to_fit();  // a small reserve rounds the capacity up
  return l;
}

std::size_t Labels::size() const {
  return static_cast<std::size_t>(std::distance(begin(), end()));
}

std::optional<std::string_view> Labels::get(std::string_view name) const {
  for (Label l : *this) {
    if (l.name == name) return l.value;
  }
  return std::nullopt;
}

std::uint64_t Labels::fingerprint() const {
  std::uint64_t h = kFnvOffset;
  for (Label l : *this) {
    h = fnv_add(h, l.name);
    h = fnv_add_byte(h, kSeparator);
    h = fnv_add(h, l.value);
    h = fnv_add_byte(h, kSeparator);
  }
  return h;
}

std::uint64_t Labels::hash() const {
  // The bytes hashed are never longer than data_ (a varint of at least one
  // byte becomes one separator): most sets fit on the stack, and the hash
  // costs no allocation (it keys the series sets of rule groups).
  char small[512];
  std::string large;
  char* out = small;
  if (data_.size() > sizeof small) {
    large.resize(data_.size());
    out = large.data();
  }
  char* p = out;
  for (Label l : *this) {
    p = std::copy(l.name.begin(), l.name.end(), p);
    *p++ = static_cast<char>(kSeparator);
    p = std::copy(l.value.begin(), l.value.end(), p);
    *p++ = static_cast<char>(kSeparator);
  }
  return XXH64(out, static_cast<std::size_t>(p - out), 0);
}

std::uint64_t Labels::table_hash() const {
  return XXH3_64bits(data_.data(), data_.size());
}

std::string Labels::to_string() const {
  std::string out = "{";
  bool first = true;
  for (Label l : *this) {
    if (!first) out += ", ";
    first = false;
    out.append(l.name);
    out += '=';
    out += gocompat::quote(l.value);
  }
  out += '}';
  return out;
}

std::map<std::string, std::string> Labels::to_map() const {
  std::map<std::string, std::string> m;
  for (Label l : *this) m.emplace(l.name, l.value);
  return m;
}

std::strong_ordering Labels::operator<=>(const Labels& other) const {
  auto a = begin(), ae = end(), b = other.begin(), be = other.end();
  for (; a != ae && b != be; ++a, ++b) {
    if (auto c = a->name <=> b->name; c != 0) return c;
    if (auto c = a->value <=> b->value; c != 0) return c;
  }
  if (a == ae && b == be) return std::strong_ordering::equal;
  return a == ae ? std::strong_ordering::less : std::strong_ordering::greater;
}

LabelsBuilder::LabelsBuilder(const Labels& base) {
  for (Label l : base) pairs_.emplace_back(l.name, l.value);
}

LabelsBuilder& LabelsBuilder::set(std::string_view name, std::string_view value) {
  if (value.empty()) return del(name);
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), name,
                             [](const auto& p, std::string_view n) { return p.first < n; });
  if (it != pairs_.end() && it->first == name) {
    it->second = value;
  } else {
    pairs_.emplace(it, std::string(name), std::string(value));
  }
  return *this;
}

LabelsBuilder& LabelsBuilder::del(std::string_view name) {
  std::erase_if(pairs_, [&](const auto& p) { return p.first == name; });
  return *this;
}

Labels LabelsBuilder::labels() const {
  Labels l;
  std::size_t n = 0;
  for (const auto& [name, value] : pairs_) n += name.size() + value.size() + 4;
  l.data_.reserve(n);
  for (const auto& [name, value] : pairs_) append_label(l.data_, name, value);
  l.data_.shrink_to_fit();
  return l;
}

std::ostream& operator<<(std::ostream& out, const Labels& labels) {
  return out << labels.to_string();
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool is_valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view s) {
  return gocompat::valid_utf8(s);
}

}  // namespace tocsin
