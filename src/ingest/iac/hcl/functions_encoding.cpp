// Encoding and hash built-ins: base64, CSV, URL query escaping, YAML decoding, digests
// (OpenSSL) and name-based UUIDs.

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <string>
#include <utility>

#include "ingest/iac/document.h"
#include "ingest/iac/hcl/builtins.h"
#include "ingest/iac/hcl/functions.h"
#include "ingest/iac/hcl/number.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Go's base64.StdEncoding: padding required, line breaks ignored, nothing else allowed.
std::optional<std::string> Base64Decode(std::string_view text) {
  std::string clean;
  for (char ch : text) {
    if (ch != '\r' && ch != '\n') clean.push_back(ch);
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  auto value = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < clean.size(); i += 4) {
    int pad = 0;
    uint32_t v = 0;
    for (size_t j = 0; j < 4; ++j) {
      char ch = clean[i + j];
      if (ch == '=') {
        // Padding only at the very end, and at most two.
        if (i + 4 != clean.size() || j < 2) return std::nullopt;
        ++pad;
        v <<= 6;
        continue;
      }
      if (pad > 0) return std::nullopt;
      int d = value(ch);
      if (d < 0) return std::nullopt;
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<char>(v >> 16));
    if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(v & 0xFF));
  }
  return out;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    DecodedRune r = DecodeUtf8(s, i);
    if (!r.valid) return false;
    i += r.length;
  }
  return true;
}

Result<Value> Base64EncodeFn(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Grow(0, s.size() / 3 * 4 + 4)) return Value::Unknown(*why);
  return Value::String(Base64Encode(s));
}

Result<Value> Base64DecodeFn(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  std::optional<std::string> bytes = Base64Decode(s);
  if (!bytes) return c.Fail("failed to decode base64 data");
  if (!ValidUtf8(*bytes)) {
    return c.Fail("the result of decoding the provided string is not valid UTF-8");
  }
  return Value::String(std::move(*bytes));
}

// textencodebase64 and textdecodebase64 for UTF-8 only: other encodings are not converted.
// The Unknown for an encoding other than UTF-8, or nothing.
std::optional<Value> OtherEncoding(const Call& c) {
  const Value& e = c.args[1];
  std::string encoding = e.kind() == Value::Kind::kString ? e.string_value() : "";
  if (encoding == "UTF-8" || encoding == "utf-8" || encoding == "UTF8" || encoding == "utf8") {
    return std::nullopt;
  }
  return Value::Unknown(
      fmt::format("{}() with encoding \"{}\" is not evaluated statically", c.name, encoding));
}

Result<Value> TextEncodeBase64(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (std::optional<Value> other = OtherEncoding(c)) return *other;
  return Value::String(Base64Encode(s));
}

Result<Value> TextDecodeBase64(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (std::optional<Value> other = OtherEncoding(c)) return *other;
  std::optional<std::string> bytes = Base64Decode(s);
  if (!bytes) return c.Fail("the given value is has an invalid base64 symbol");
  if (!ValidUtf8(*bytes)) return c.Fail("the result is not valid UTF-8");
  return Value::String(std::move(*bytes));
}

// Go's url.QueryEscape.
Result<Value> UrlEncode(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Grow(0, s.size() * 3)) return Value::Unknown(*why);
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else if (ch == ' ') {
      out.push_back('+');
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return Value::String(std::move(out));
}

// csvdecode(): RFC 4180 as Go's encoding/csv reads it; the first row names the fields.
Result<Value> CsvDecode(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Build(s.size(), s.size() * 2 + Value::kElementSize * s.size())) {
    return Value::Unknown(*why);
  }
  std::vector<std::vector<std::string>> rows;
  size_t i = 0, line = 1;
  while (i < s.size()) {
    // Empty lines are skipped.
    if (s[i] == '\n' || (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
      i += s[i] == '\r' ? 2 : 1;
      ++line;
      continue;
    }
    std::vector<std::string> row;
    while (true) {
      std::string field;
      if (i < s.size() && s[i] == '"') {
        ++i;
        while (true) {
          if (i >= s.size()) {
            return c.Fail(
                fmt::format("parse error on line {}: extraneous or missing \" in "
                            "quoted-field",
                            line));
          }
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
          if (s[i] == '\n') ++line;
          field.push_back(s[i++]);
        }
        if (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
          return c.Fail(
              fmt::format("parse error on line {}: extraneous or missing \" in "
                          "quoted-field",
                          line));
        }
      } else {
        while (i < s.size() && s[i] != ',' && s[i] != '\n' &&
               !(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
          if (s[i] == '"') {
            return c.Fail(fmt::format("parse error on line {}: bare \" in non-quoted-field", line));
          }
          field.push_back(s[i++]);
        }
      }
      row.push_back(std::move(field));
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < s.size()) {
        i += s[i] == '\r' ? 2 : 1;
        ++line;
      }
      break;
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return c.Fail("missing header line");
  const std::vector<std::string>& header = rows[0];
  std::vector<Value> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != header.size()) {
      return c.Fail(fmt::format("record on line {}: wrong number of fields", r + 1));
    }
    std::vector<Value::Attribute> attrs;
    for (size_t f = 0; f < header.size(); ++f) {
      attrs.emplace_back(header[f], Value::String(rows[r][f]));
    }
    out.push_back(Value::Object(std::move(attrs)));
  }
  return Value::Tuple(std::move(out));
}

Result<Value> FromYaml(const Call& c, const iac::Node& n) {
  switch (n.kind) {
    case iac::Node::Kind::kNull:
      return Value::Null();
    case iac::Node::Kind::kBool:
      return Value::Bool(n.boolean);
    case iac::Node::Kind::kInt:
    case iac::Node::Kind::kFloat: {
      std::string text = n.text;
      if (!text.empty() && text[0] == '+') text.erase(0, 1);
      if (NormalizeDecimal(text)) return Value::Number(std::move(text));
      std::string_view digits = text;
      bool negative = digits.starts_with('-');
      if (negative) digits.remove_prefix(1);
      int base = digits.starts_with("0x") ? 16 : digits.starts_with("0o") ? 8 : 0;
      if (base == 0) return c.Fail(fmt::format("the number {} is not supported", n.text));
      errno = 0;
      char* end = nullptr;
      std::string body(digits.substr(2));
      long long v = std::strtoll(body.c_str(), &end, base);
      if (errno != 0 || end == body.c_str() || *end != '\0') {
        return c.Fail(fmt::format("the number {} is not supported", n.text));
      }
      return Value::Integer(negative ? -v : v);
    }
    case iac::Node::Kind::kString:
      return Value::String(n.text);
    case iac::Node::Kind::kList: {
      std::vector<Value> out;
      for (const iac::Node& item : n.items) {
        ASSIGN_OR_RETURN(Value v, FromYaml(c, item));
        out.push_back(std::move(v));
      }
      return Value::Tuple(std::move(out));
    }
    case iac::Node::Kind::kMap: {
      std::vector<Value::Attribute> out;
      for (size_t i = 0; i < n.items.size(); ++i) {
        ASSIGN_OR_RETURN(Value v, FromYaml(c, n.items[i]));
        out.emplace_back(n.keys[i], std::move(v));
      }
      return Value::Object(std::move(out));
    }
    case iac::Node::Kind::kUnknown:
      break;
  }
  return c.Fail("unsupported YAML value");
}

Result<Value> YamlDecode(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  if (auto why = c.Grow(0, s.size())) return Value::Unknown(*why);
  Result<iac::Node> doc = iac::ParseYaml(s);
  if (!doc.ok()) return c.Fail(doc.error().ToString());
  return FromYaml(c, *doc);
}

std::string Digest(const EVP_MD* md, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out.data()), n);
}

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

template <const EVP_MD* (*kMd)(), bool kBase64>
Result<Value> Hash(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  ASSIGN_OR_RETURN(std::string s, c.String(0));
  std::string digest = Digest(kMd(), s);
  return Value::String(kBase64 ? Base64Encode(digest) : Hex(digest));
}

// uuidv5(namespace, name): RFC 4122 name-based UUID with SHA-1.
Result<Value> UuidV5(const Call& c) {
  RETURN_IF_ERROR(c.Arity(2, 2));
  ASSIGN_OR_RETURN(std::string ns, c.String(0));
  ASSIGN_OR_RETURN(std::string name, c.String(1));
  static const std::pair<std::string_view, std::string_view> kNamespaces[] = {
      {"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
      {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
      {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
      {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"},
  };
  std::string uuid = ns;
  for (const auto& [short_name, id] : kNamespaces) {
    if (ns == short_name) uuid = id;
  }
  std::string hex;
  for (char ch : uuid) {
    if (ch != '-') hex.push_back(ch);
  }
  if (hex.size() != 32 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return c.Fail(fmt::format("uuidv5() doesn't support namespace {}", ns));
  }
  std::string bytes;
  for (size_t i = 0; i < 32; i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  std::string h = Digest(EVP_sha1(), bytes + name).substr(0, 16);
  h[6] = static_cast<char>((h[6] & 0x0F) | 0x50);
  h[8] = static_cast<char>((h[8] & 0x3F) | 0x80);
  std::string x = Hex(h);
  return Value::String(fmt::format("{}-{}-{}-{}-{}", x.substr(0, 8), x.substr(8, 4),
                                   x.substr(12, 4), x.substr(16, 4), x.substr(20)));
}

// Functions whose bytes depend on Go's implementation (gzip's compressor).
Result<Value> NotReproduced(const Call& c) {
  return Value::Unknown(fmt::format(
      "{}() is not evaluated statically: its output depends on Terraform's implementation",
      c.name));
}

// yamlencode() writes what go-yaml's emitter writes for Terraform: block style, keys sorted and
// double-quoted, strings double-quoted (with its escapes) or, when they hold line breaks, as a
// literal block. Where the emitter would fold a long line or pick a form not reproduced here,
// the result is Unknown (kUnsupported carries the reason).
class YamlWriter {
 public:
  Result<void> Document(const Value& v) {
    if (IsBlock(v)) return Items(v, 0, false);
    ASSIGN_OR_RETURN(std::string text, Scalar(v, 0, 0));
    out_ += text;
    out_ += '\n';
    // A plain scalar at the root leaves the document open: the emitter ends it.
    if (v.kind() == Value::Kind::kNull || v.kind() == Value::Kind::kBool ||
        v.kind() == Value::Kind::kNumber) {
      out_ += "...\n";
    }
    return Ok{};
  }
  std::string& out() { return out_; }

 private:
  static bool IsBlock(const Value& v) {
    return (v.kind() == Value::Kind::kObject && !v.attributes().empty()) ||
           (v.kind() == Value::Kind::kTuple && !v.elements().empty());
  }
  static bool Printable(char32_t c) {
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
  }
  // What YAML counts as a line break; escaped in double quotes.
  static bool LineBreak(char32_t c) {
    return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }
  static Error Unsupported(std::string_view why) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("yamlencode() is not evaluated statically: {}", why));
  }

  static std::string DoubleQuoted(std::string_view s) {
    std::string out = "\"";
    for (size_t i = 0; i < s.size();) {
      DecodedRune r = DecodeUtf8(s, i);
      char32_t c = r.code_point;
      if (r.valid && Printable(c) && !LineBreak(c) && c != '"' && c != '\\') {
        out.append(s.substr(i, r.length));
      } else {
        switch (c) {
          case 0:
            out += "\\0";
            break;
          case 7:
            out += "\\a";
            break;
          case 8:
            out += "\\b";
            break;
          case 9:
            out += "\\t";
            break;
          case 0xA:
            out += "\\n";
            break;
          case 0xB:
            out += "\\v";
            break;
          case 0xC:
            out += "\\f";
            break;
          case 0xD:
            out += "\\r";
            break;
          case 0x1B:
            out += "\\e";
            break;
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case 0x85:
            out += "\\N";
            break;
          case 0xA0:
            out += "\\_";
            break;
          case 0x2028:
            out += "\\L";
            break;
          case 0x2029:
            out += "\\P";
            break;
          default:
            if (c <= 0xFF) {
              out += fmt::format("\\x{:02X}", static_cast<uint32_t>(c));
            } else if (c <= 0xFFFF) {
              out += fmt::format("\\u{:04X}", static_cast<uint32_t>(c));
            } else {
              out += fmt::format("\\U{:08X}", static_cast<uint32_t>(c));
            }
        }
      }
      i += r.length;
    }
    return out + "\"";
  }

  // A string with line breaks as a literal block whose lines are indented by `indent`, when the
  // emitter allows one (printable text, no space before a break, no trailing space).
  static std::optional<std::string> Literal(std::string_view s, size_t indent) {
    if (s.find('\n') == std::string_view::npos || s.back() == ' ' ||
        s.find(" \n") != std::string_view::npos) {
      return std::nullopt;
    }
    for (size_t i = 0; i < s.size();) {
      DecodedRune r = DecodeUtf8(s, i);
      if (!r.valid || !Printable(r.code_point)) return std::nullopt;
      i += r.length;
    }
    size_t last = s.find_last_not_of('\n');
    size_t trailing = last == std::string_view::npos ? s.size() : s.size() - last - 1;
    bool keep = trailing >= 2 || trailing == s.size();
    std::string out = "|";
    if (s[0] == ' ' || s[0] == '\n') out += "2";
    out += trailing == 0 ? "-" : keep ? "+" : "";
    out += '\n';
    bool at_line_start = true;
    for (char ch : s) {
      if (ch == '\n') {
        out += '\n';
        at_line_start = true;
        continue;
      }
      if (at_line_start) {
        out.append(indent, ' ');
        at_line_start = false;
      }
      out += ch;
    }
    if (!s.empty() && s.back() == '\n') out.pop_back();  // the caller ends the line
    return out;
  }

  // A scalar (or an empty collection) written at `column`; literal blocks indent by `indent`.
  static Result<std::string> Scalar(const Value& v, size_t indent, size_t column) {
    switch (v.kind()) {
      case Value::Kind::kNull:
        return std::string("null");
      case Value::Kind::kBool:
        return std::string(v.bool_value() ? "true" : "false");
      case Value::Kind::kNumber:
        return v.number_decimal();
      case Value::Kind::kTuple:
        return std::string("[]");
      case Value::Kind::kObject:
        return std::string("{}");
      case Value::Kind::kString: {
        const std::string& s = v.string_value();
        if (s.find('\n') != std::string::npos &&
            (s.find('\r') != std::string::npos || s.find("\xC2\x85") != std::string::npos ||
             s.find("\xE2\x80\xA8") != std::string::npos ||
             s.find("\xE2\x80\xA9") != std::string::npos)) {
          return Unsupported("a string with line breaks other than \\n");
        }
        if (std::optional<std::string> block = Literal(s, indent + 2)) {
          return *block;
        }
        std::string quoted = DoubleQuoted(s);
        if (s.find(' ') != std::string::npos && column + CountCodePoints(quoted) > 80) {
          return Unsupported("a long string would be folded over lines");
        }
        return quoted;
      }
      case Value::Kind::kUnknown:
        break;
    }
    return Unsupported("an unknown value");
  }

  // The entries of a non-empty map or sequence at `indent`; with `inline_first`, the first one
  // continues the line already written ("- ").
  Result<void> Items(const Value& v, size_t indent, bool inline_first) {
    bool first = true;
    auto entry = [&](std::string_view prefix, const Value& child) -> Result<void> {
      if (!(first && inline_first)) out_.append(indent, ' ');
      first = false;
      out_ += prefix;
      return Child(child, indent, indent + CountCodePoints(prefix) + 1, prefix == "-");
    };
    if (v.kind() == Value::Kind::kObject) {
      for (const auto& [k, child] : v.attributes()) {
        std::string key = DoubleQuoted(k);
        if (k.find('\n') != std::string::npos || key.size() > 128) {
          return Unsupported("a key that is not a simple key");
        }
        RETURN_IF_ERROR(entry(key + ":", child));
      }
    } else {
      for (const Value& child : v.elements()) RETURN_IF_ERROR(entry("-", child));
    }
    return Ok{};
  }

  // The value after a key or dash written at `indent`, the line now at `column`.
  Result<void> Child(const Value& v, size_t indent, size_t column, bool after_dash) {
    if (v.kind() == Value::Kind::kObject && IsBlock(v)) {
      out_ += after_dash ? " " : "\n";
      return Items(v, indent + 2, after_dash);
    }
    if (v.kind() == Value::Kind::kTuple && IsBlock(v)) {
      out_ += after_dash ? " " : "\n";
      return Items(v, after_dash ? indent + 2 : indent, after_dash);
    }
    ASSIGN_OR_RETURN(std::string text, Scalar(v, indent, column));
    out_ += ' ';
    out_ += text;
    out_ += '\n';
    return Ok{};
  }

  std::string out_;
};

Result<Value> YamlEncode(const Call& c) {
  RETURN_IF_ERROR(c.Arity(1, 1));
  // Checked before writing (the text is about the value's size, elements counting 64 bytes)
  // and after (deep nesting adds indentation).
  if (auto why = c.Grow(0, c.args[0].size())) return Value::Unknown(*why);
  YamlWriter writer;
  Result<void> done = writer.Document(c.args[0]);
  if (!done.ok()) return Value::Unknown(done.error().message());
  size_t written = writer.out().size();
  if (auto why = c.Grow(c.args[0].size(), written - std::min(written, c.args[0].size()))) {
    return Value::Unknown(*why);
  }
  return Value::String(std::move(writer.out()));
}

constexpr Entry kEncodingBuiltins[] = {
    {"base64decode", Base64DecodeFn},
    {"base64encode", Base64EncodeFn},
    {"base64gzip", NotReproduced},
    {"base64sha256", Hash<EVP_sha256, true>},
    {"base64sha512", Hash<EVP_sha512, true>},
    {"csvdecode", CsvDecode},
    {"md5", Hash<EVP_md5, false>},
    {"sha1", Hash<EVP_sha1, false>},
    {"sha256", Hash<EVP_sha256, false>},
    {"sha512", Hash<EVP_sha512, false>},
    {"textdecodebase64", TextDecodeBase64},
    {"textencodebase64", TextEncodeBase64},
    {"urlencode", UrlEncode},
    {"uuidv5", UuidV5},
    {"yamldecode", YamlDecode},
    {"yamlencode", YamlEncode},
};

}  // namespace

std::span<const Entry> EncodingBuiltins() { return kEncodingBuiltins; }

}  // namespace ecsguard::ingest::hcl
