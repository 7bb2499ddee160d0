#include "notifiers/email/mime_encoding.h"

#include "gocompat/utf8.h"

namespace tocsin::notifiers {
namespace {

constexpr std::string_view kUpperHex = "0123456789ABCDEF";
constexpr std::size_t kMaxLine = 76;  // quoted-printable's line limit, soft break included

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Go's quotedprintable.Writer state: the line being built and whether the
// last byte written was '\r' (whose '\n' is then already accounted for).
class QuotedPrintableWriter {
 public:
  void write(std::string_view body) {
    std::size_t plain_from = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
      auto b = static_cast<unsigned char>(body[i]);
      if ((b >= '!' && b <= '~' && b != '=') || is_blank(static_cast<char>(b)) || b == '\n' ||
          b == '\r') {
        continue;
      }
      write_plain(body.substr(plain_from, i - plain_from));
      encode(b);
      plain_from = i + 1;
    }
    write_plain(body.substr(plain_from));
  }

  std::string close() && {
    encode_trailing_blank();
    flush();
    return std::move(out_);
  }

 private:
  void write_plain(std::string_view bytes) {
    for (char b : bytes) {
      if (b == '\n' || b == '\r') {
        if (cr_ && b == '\n') {
          cr_ = false;
          continue;
        }
        if (b == '\r') cr_ = true;
        encode_trailing_blank();
        line_break();
        continue;
      }
      if (line_.size() == kMaxLine - 1) soft_line_break();
      line_ += b;
      cr_ = false;
    }
  }

  void encode(unsigned char b) {
    if (kMaxLine - 1 - line_.size() < 3) soft_line_break();
    line_ += '=';
    line_ += kUpperHex[b >> 4];
    line_ += kUpperHex[b & 0x0f];
  }

  // A space or tab must not end a line: it is encoded instead.
  void encode_trailing_blank() {
    if (line_.empty() || !is_blank(line_.back())) return;
    char b = line_.back();
    line_.pop_back();
    encode(static_cast<unsigned char>(b));
  }

  void soft_line_break() {
    line_ += '=';
    line_break();
  }

  void line_break() {
    line_ += "\r\n";
    flush();
  }

  void flush() {
    out_ += line_;
    line_.clear();
  }

  std::string out_;
  std::string line_;
  bool cr_ = false;
};

// Go's needsEncoding: any rune outside printable ASCII but tab.
bool needs_encoding(std::string_view s) {
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if ((b < ' ' || b > '~') && b != '\t') return true;
  }
  return false;
}

void write_q(std::string& out, std::string_view s) {
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b == ' ') {
      out += '_';
    } else if (b >= '!' && b <= '~' && b != '=' && b != '?' && b != '_') {
      out += c;
    } else {
      out += '=';
      out += kUpperHex[b >> 4];
      out += kUpperHex[b & 0x0f];
    }
  }
}

}  // namespace

std::string quoted_printable(std::string_view body) {
  QuotedPrintableWriter writer;
  writer.write(body);
  return std::move(writer).close();
}

std::string encode_header_word(std::string_view value) {
  if (!needs_encoding(value)) return std::string(value);
  constexpr std::string_view kOpen = "=?utf-8?q?";
  constexpr std::string_view kClose = "?=";
  // Room for content in a 75-character word (Go measures with "=?UTF-8?q?").
  constexpr std::size_t kMaxContent = 75 - kOpen.size() - kClose.size();

  std::string out(kOpen);
  std::size_t current = 0;
  for (std::size_t i = 0; i < value.size();) {
    auto b = static_cast<unsigned char>(value[i]);
    std::size_t rune_len = 1;
    std::size_t encoded_len = 1;
    if (!(b >= ' ' && b <= '~' && b != '=' && b != '?' && b != '_')) {
      char32_t r = 0;
      int size = gocompat::decode_utf8(value, i, r);
      rune_len = size == 0 ? 1 : static_cast<std::size_t>(size);
      encoded_len = 3 * rune_len;
    }
    if (current + encoded_len > kMaxContent) {
      out += kClose;
      out += ' ';
      out += kOpen;
      current = 0;
    }
    write_q(out, value.substr(i, rune_len));
    current += encoded_len;
    i += rune_len;
  }
  out += kClose;
  return out;
}

}  // namespace tocsin::notifiers
