#include "ingest/iac/hcl/json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "ingest/iac/hcl/number.h"
#include "ingest/iac/hcl/unicode.h"

namespace ecsguard::ingest::hcl {
namespace {

Result<void> Encode(const Value& v, std::string* out) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      *out += "null";
      return Ok{};
    case Value::Kind::kBool:
      *out += v.bool_value() ? "true" : "false";
      return Ok{};
    case Value::Kind::kNumber: {
      std::optional<std::string> plain = NormalizeDecimal(v.number_text());
      if (!plain) {
        return Error(ErrorCode::kInvalidArgument,
                     fmt::format("number {} cannot be written as JSON", v.number_text()));
      }
      *out += *plain;
      return Ok{};
    }
    case Value::Kind::kString:
      AppendJsonString(v.string_value(), out);
      return Ok{};
    case Value::Kind::kTuple: {
      out->push_back('[');
      bool first = true;
      for (const Value& e : v.elements()) {
        if (!first) out->push_back(',');
        first = false;
        RETURN_IF_ERROR(Encode(e, out));
      }
      out->push_back(']');
      return Ok{};
    }
    case Value::Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, e] : v.attributes()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(key, out);
        out->push_back(':');
        RETURN_IF_ERROR(Encode(e, out));
      }
      out->push_back('}');
      return Ok{};
    }
    case Value::Kind::kUnknown:
      return Error(ErrorCode::kInvalidArgument,
                   "cannot encode a value that is not known statically: " + v.unknown_reason());
  }
  return Ok{};
}

// Builds a Value from nlohmann's SAX events, keeping number text and bounding depth.
class ValueBuilder {
 public:
  using json = nlohmann::json;
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit ValueBuilder(size_t max_depth) : max_depth_(max_depth) {}

  bool null() { return Add(Value::Null()); }
  bool boolean(bool b) { return Add(Value::Bool(b)); }
  bool number_integer(number_integer_t n) { return Add(Value::Integer(n)); }
  bool number_unsigned(number_unsigned_t n) { return Add(Value::Number(std::to_string(n))); }
  bool number_float(number_float_t, const string_t& text) { return Add(Value::Number(text)); }
  bool string(string_t& s) { return Add(Value::String(std::move(s))); }
  bool binary(binary_t&) { return false; }
  bool start_object(std::size_t) { return Open(true); }
  bool key(string_t& k) {
    stack_.back().key = std::move(k);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(false); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error_position_ = position;
    error_ = e.what();
    return false;
  }

  bool too_deep() const { return too_deep_; }
  size_t error_position() const { return error_position_; }
  const std::string& error() const { return error_; }
  Value TakeResult() { return std::move(result_); }

 private:
  struct Frame {
    bool object;
    std::vector<Value> elements;
    std::vector<Value::Attribute> attributes;
    std::string key;
  };

  bool Add(Value v) {
    if (stack_.empty()) {
      result_ = std::move(v);
    } else if (stack_.back().object) {
      stack_.back().attributes.emplace_back(std::move(stack_.back().key), std::move(v));
    } else {
      stack_.back().elements.push_back(std::move(v));
    }
    return true;
  }
  bool Open(bool object) {
    if (stack_.size() >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    stack_.push_back(Frame{object, {}, {}, {}});
    return true;
  }
  bool Close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    return Add(frame.object ? Value::Object(std::move(frame.attributes))
                            : Value::Tuple(std::move(frame.elements)));
  }

  size_t max_depth_;
  std::vector<Frame> stack_;
  Value result_;
  bool too_deep_ = false;
  size_t error_position_ = 0;
  std::string error_;
};

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      DecodedRune r = DecodeUtf8(s, i);
      if (!r.valid) {
        *out += "\\ufffd";
      } else if (r.code_point == 0x2028 || r.code_point == 0x2029) {
        *out += r.code_point == 0x2028 ? "\\u2028" : "\\u2029";
      } else {
        out->append(s.substr(i, r.length));
      }
      i += r.length;
      continue;
    }
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '<':
      case '>':
      case '&':
        *out += "\\u00";
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

Result<std::string> EncodeJson(const Value& value) {
  std::string out;
  RETURN_IF_ERROR(Encode(value, &out));
  return out;
}

Result<Value> DecodeJson(std::string_view text, size_t max_depth) {
  ValueBuilder builder(max_depth);
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder,
                                      nlohmann::json::input_format_t::json, true);
  if (ok) return builder.TakeResult();
  if (builder.too_deep()) {
    return Error(ErrorCode::kParse, fmt::format("JSON nested deeper than {} levels", max_depth));
  }
  size_t pos =
      std::min(builder.error_position() > 0 ? builder.error_position() - 1 : 0, text.size());
  LineColumn lc = LineColumnAt(text, pos);
  std::string message = builder.error();
  // nlohmann prefixes its own position; keep just the explanation.
  if (size_t colon = message.find(": "); colon != std::string::npos) {
    message = message.substr(colon + 2);
  }
  return Error(ErrorCode::kParse, "invalid JSON: " + message,
               SourceLocation{"", lc.line, lc.column});
}

}  // namespace ecsguard::ingest::hcl
