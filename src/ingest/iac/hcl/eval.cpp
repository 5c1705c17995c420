#include "ingest/iac/hcl/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "ingest/iac/hcl/functions.h"
#include "ingest/iac/hcl/json.h"
#include "ingest/iac/hcl/number.h"

namespace ecsguard::ingest::hcl {

std::optional<Value> MapScope::Lookup(std::string_view name) const {
  auto it = roots_.find(name);
  if (it == roots_.end()) return std::nullopt;
  return it->second;
}

namespace {

namespace fs = std::filesystem;

// Files larger than this are not read: file() of a multi-gigabyte file would exhaust memory.
constexpr uintmax_t kMaxFileBytes = uintmax_t{64} << 20;
// Folders with more files than this are not listed (fileset() of /).
constexpr size_t kMaxListedFiles = 100'000;

std::string Bytes(size_t n) {
  if (n % (size_t{1} << 20) == 0) return fmt::format("{} MiB", n >> 20);
  return fmt::format("{} bytes", n);
}

// Whether `p` (canonical or weakly canonical) is `root` or inside it.
bool Inside(const fs::path& p, const fs::path& root) {
  fs::path rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

DiskFileReader::DiskFileReader(std::string base_dir, std::string confine_to)
    : base_dir_(std::move(base_dir)) {
  std::error_code ec;
  fs::path root = confine_to.empty() ? fs::current_path(ec) : fs::path(confine_to);
  root_ = fs::weakly_canonical(root, ec).string();
}

Result<fs::path> DiskFileReader::Resolve(std::string_view path) const {
  auto refuse = [&](std::string_view why) {
    return Error(ErrorCode::kUnsupported, fmt::format("\"{}\" is not read: {}", path, why));
  };
  if (path.starts_with("~")) return refuse("a home folder path is outside the scanned root");
  fs::path p(path);
  if (p.is_relative() && !base_dir_.empty()) p = fs::path(base_dir_) / p;
  std::error_code ec;
  fs::path root(root_);
  // Checked before and after resolving links, so that neither `../x` nor a link that points
  // out of the root reads a file outside it, and a missing file outside is not told apart.
  if (!Inside(fs::weakly_canonical(p, ec), root)) return refuse("outside the scanned root");
  fs::path real = fs::canonical(p, ec);
  if (ec) return Error(ErrorCode::kNotFound, fmt::format("no file exists at {}", path));
  if (!Inside(real, root)) return refuse("a link to a file outside the scanned root");
  for (const fs::path& part : real.lexically_relative(root)) {
    if (part == ".git") return refuse("inside a .git folder");
  }
  return real;
}

Result<bool> DiskFileReader::Exists(std::string_view path) const {
  Result<fs::path> real = Resolve(path);
  if (!real.ok()) {
    if (real.error().code() == ErrorCode::kNotFound) return false;
    return std::move(real).error();
  }
  std::error_code ec;
  if (!fs::is_regular_file(*real, ec)) {
    return Error(ErrorCode::kValidation, fmt::format("{} is not a regular file", path));
  }
  return true;
}

Result<std::vector<std::string>> DiskFileReader::List(std::string_view dir) const {
  ASSIGN_OR_RETURN(fs::path real, Resolve(dir));
  std::error_code ec;
  if (!fs::is_directory(real, ec)) {
    return Error(ErrorCode::kNotFound, fmt::format("{} is not a folder", dir));
  }
  fs::path root(root_);
  std::vector<std::string> out;
  fs::recursive_directory_iterator it(real, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    // Links are followed only when they stay inside the root; folders are not entered
    // through links at all.
    fs::path target = fs::canonical(it->path(), ec);
    if (ec) {
      ec.clear();
      continue;
    }
    if (!Inside(target, root) || !fs::is_regular_file(target, ec)) continue;
    if (out.size() == kMaxListedFiles) {
      return Error(ErrorCode::kUnsupported,
                   fmt::format("\"{}\" is not listed: more than {} files", dir, kMaxListedFiles));
    }
    out.push_back(it->path().lexically_relative(real).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::string> DiskFileReader::Read(std::string_view path) const {
  auto refuse = [&](std::string_view why) {
    return Error(ErrorCode::kUnsupported, fmt::format("\"{}\" is not read: {}", path, why));
  };
  ASSIGN_OR_RETURN(fs::path real, Resolve(path));
  std::error_code ec;
  fs::file_status st = fs::status(real, ec);
  if (ec || !fs::is_regular_file(st)) return refuse("not a regular file");
  uintmax_t size = fs::file_size(real, ec);
  if (ec || size > kMaxFileBytes) {
    return refuse(fmt::format("larger than the limit of {}", Bytes(kMaxFileBytes)));
  }
  std::ifstream in(real, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return Error(ErrorCode::kIo, fmt::format("cannot read {}", path));
  }
  ++reads_;
  return buf.str();
}

std::optional<std::string> EvalBudget::Charge(size_t more_steps, size_t more_bytes) {
  steps = more_steps > SIZE_MAX - steps ? SIZE_MAX : steps + more_steps;
  bytes = more_bytes > SIZE_MAX - bytes ? SIZE_MAX : bytes + more_bytes;
  if (steps > max_steps) {
    return fmt::format("evaluation budget exceeded (more than {} steps)", max_steps);
  }
  if (bytes > max_bytes) {
    return fmt::format("evaluation budget exceeded (more than {} of strings produced)",
                       Bytes(max_bytes));
  }
  return parent ? parent->Charge(more_steps, more_bytes) : std::nullopt;
}

std::optional<std::string> EvalBudget::Grow(size_t current, size_t added) {
  if (auto why = Charge(0, added)) return why;
  return Allow(added > SIZE_MAX - current ? SIZE_MAX : current + added);
}

std::optional<std::string> EvalBudget::Allow(size_t size) const {
  if (size <= max_value_size) return std::nullopt;
  return fmt::format("evaluation budget exceeded (a value larger than {})", Bytes(max_value_size));
}

Result<std::string> MemoryFileReader::Read(std::string_view path) const {
  auto it = files_.find(path);
  if (it == files_.end()) {
    return Error(ErrorCode::kNotFound, fmt::format("no file exists at {}", path));
  }
  return it->second;
}

Result<bool> MemoryFileReader::Exists(std::string_view path) const { return files_.contains(path); }

Result<std::vector<std::string>> MemoryFileReader::List(std::string_view dir) const {
  std::string prefix = dir == "." || dir.empty() ? "" : std::string(dir) + "/";
  std::vector<std::string> out;
  for (const auto& [path, contents] : files_) {
    if (path.starts_with(prefix)) out.push_back(path.substr(prefix.size()));
  }
  if (out.empty()) return Error(ErrorCode::kNotFound, fmt::format("{} is not a folder", dir));
  return out;
}

namespace {

std::string StepText(const TraversalStep& step) {
  if (step.kind == TraversalStep::Kind::kAttr) return "." + step.name;
  switch (step.key.kind) {
    case LiteralKind::kString: {
      std::string out = "[";
      AppendJsonString(step.key.text, &out);
      return out + "]";
    }
    case LiteralKind::kNumber:
      return "[" + step.key.text + "]";
    case LiteralKind::kBool:
      return step.key.bool_value ? "[true]" : "[false]";
    case LiteralKind::kNull:
      return "[null]";
  }
  return "[?]";
}

Value LiteralValue(const Literal& lit) {
  switch (lit.kind) {
    case LiteralKind::kNull:
      return Value::Null();
    case LiteralKind::kBool:
      return Value::Bool(lit.bool_value);
    case LiteralKind::kNumber:
      return Value::Number(lit.text);
    case LiteralKind::kString:
      return Value::String(lit.text);
  }
  return Value::Null();
}

// A known integer index into a tuple, or nothing.
std::optional<size_t> IndexOf(const Value& key) {
  double d;
  if (key.kind() == Value::Kind::kNumber) {
    d = key.number_double();
  } else if (key.kind() == Value::Kind::kString) {
    std::optional<double> parsed = ParseDouble(key.string_value());
    if (!parsed) return std::nullopt;
    d = *parsed;
  } else {
    return std::nullopt;
  }
  if (d < 0 || d != std::floor(d) || d > 1e15) return std::nullopt;
  return static_cast<size_t>(d);
}

class Evaluator {
 public:
  explicit Evaluator(const EvalContext& ctx) : ctx_(ctx) {}

  using Status = Result<void>;

  // Every expression is a step of the budget, and no value it makes may outgrow the budget.
  Result<Value> Eval(const Expression& e) {
    if (auto why = ctx_.budget->Charge(1, 0)) return Value::Unknown(std::move(*why));
    ASSIGN_OR_RETURN(Value v, EvalExpression(e));
    if (auto why = ctx_.budget->Allow(v.size())) return Value::Unknown(std::move(*why));
    return v;
  }

 private:
  Result<Value> EvalExpression(const Expression& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
        return LiteralValue(e.As<LiteralExpr>().value);
      case ExprKind::kTemplate:
        return EvalTemplate(e.As<TemplateExpr>());
      case ExprKind::kTemplateWrap:
        return Eval(*e.As<TemplateWrapExpr>().wrapped);
      case ExprKind::kTemplateIf: {
        const auto& node = e.As<TemplateIfExpr>();
        ASSIGN_OR_RETURN(Value cond, Eval(*node.condition));
        ASSIGN_OR_RETURN(std::optional<bool> b, ToBool(cond, *node.condition, "if directive"));
        if (!b) return cond;
        if (*b) return Eval(*node.then_part);
        if (node.else_part) return Eval(*node.else_part);
        return Value::String("");
      }
      case ExprKind::kTemplateFor:
        return EvalTemplateFor(e.As<TemplateForExpr>());
      case ExprKind::kTuple: {
        std::vector<Value> out;
        for (const ExprPtr& elem : e.As<TupleExpr>().elements) {
          ASSIGN_OR_RETURN(Value v, Eval(*elem));
          out.push_back(std::move(v));
        }
        return Value::Tuple(std::move(out));
      }
      case ExprKind::kObject:
        return EvalObject(e.As<ObjectExpr>());
      case ExprKind::kFunctionCall:
        return EvalCall(e.As<FunctionCallExpr>());
      case ExprKind::kScopeTraversal:
        return EvalScopeTraversal(e.As<ScopeTraversalExpr>());
      case ExprKind::kRelativeTraversal: {
        const auto& node = e.As<RelativeTraversalExpr>();
        ASSIGN_OR_RETURN(Value v, Eval(*node.source));
        return ApplySteps(std::move(v), node.steps, "value");
      }
      case ExprKind::kIndex: {
        const auto& node = e.As<IndexExpr>();
        ASSIGN_OR_RETURN(Value coll, Eval(*node.collection));
        ASSIGN_OR_RETURN(Value key, Eval(*node.key));
        if (key.is_unknown()) return key;
        return Index(std::move(coll), key, node.key->range, "value");
      }
      case ExprKind::kSplat:
        return EvalSplat(e.As<SplatExpr>());
      case ExprKind::kAnonSymbol:
        if (splat_items_.empty()) return Fail(e, "splat placeholder outside a splat expression");
        return splat_items_.back();
      case ExprKind::kUnary:
        return EvalUnary(e.As<UnaryExpr>());
      case ExprKind::kBinary:
        return EvalBinary(e.As<BinaryExpr>());
      case ExprKind::kConditional: {
        const auto& node = e.As<ConditionalExpr>();
        ASSIGN_OR_RETURN(Value cond, Eval(*node.condition));
        ASSIGN_OR_RETURN(std::optional<bool> b, ToBool(cond, *node.condition, "condition"));
        if (!b) return cond;
        return Eval(*b ? *node.true_result : *node.false_result);
      }
      case ExprKind::kFor:
        return EvalFor(e.As<ForExpr>());
      case ExprKind::kParentheses:
        return Eval(*e.As<ParenthesesExpr>().inner);
    }
    return Fail(e, "unsupported expression");
  }

  SourceLocation Where(const Expression& e) const {
    return SourceLocation{ctx_.filename, e.range.start.line, e.range.start.column};
  }
  Error Fail(const Expression& e, std::string message) const {
    return Error(ErrorCode::kValidation, std::move(message), Where(e));
  }

  // nothing (with `v` unknown) when not known; an error when not a bool.
  Result<std::optional<bool>> ToBool(const Value& v, const Expression& e, std::string_view what) {
    if (v.is_unknown()) return std::optional<bool>();
    if (v.kind() == Value::Kind::kBool) return std::optional<bool>(v.bool_value());
    if (v.kind() == Value::Kind::kString) {
      if (v.string_value() == "true") return std::optional<bool>(true);
      if (v.string_value() == "false") return std::optional<bool>(false);
    }
    return Fail(e, fmt::format("Incorrect {} type: a bool is required, not {}", what,
                               Value::KindName(v.kind())));
  }

  Result<Value> EvalTemplate(const TemplateExpr& node) {
    std::string out;
    for (const ExprPtr& part : node.parts) {
      ASSIGN_OR_RETURN(Value v, Eval(*part));
      if (v.is_unknown()) return v;
      ASSIGN_OR_RETURN(std::string s, ValueToString(v, Where(*part), "template interpolation"));
      if (auto why = ctx_.budget->Grow(out.size(), s.size())) return Value::Unknown(*why);
      out += s;
    }
    return Value::String(std::move(out));
  }

  Result<Value> EvalTemplateFor(const TemplateForExpr& node) {
    ASSIGN_OR_RETURN(Value coll, Eval(*node.collection));
    if (coll.is_unknown()) return coll;
    std::string out;
    Status status =
        Iterate(coll, *node.collection, node.key_var, node.value_var, [&]() -> Result<bool> {
          ASSIGN_OR_RETURN(Value v, Eval(*node.body));
          if (v.is_unknown()) {
            unknown_ = v;
            return false;
          }
          ASSIGN_OR_RETURN(std::string s, ValueToString(v, Where(*node.body), "template for body"));
          if (auto why = ctx_.budget->Grow(out.size(), s.size())) {
            unknown_ = Value::Unknown(*why);
            return false;
          }
          out += s;
          return true;
        });
    if (!status.ok()) return std::move(status).error();
    if (unknown_) return *std::exchange(unknown_, std::nullopt);
    return Value::String(std::move(out));
  }

  // Binds key/value names for each element of `coll` and calls `body` until it returns false.
  template <typename Body>
  Status Iterate(const Value& coll, const Expression& coll_expr, const std::string& key_var,
                 const std::string& value_var, Body body) {
    auto run = [&](Value key, const Value& value) -> Result<bool> {
      size_t mark = locals_.size();
      if (!key_var.empty()) locals_.emplace_back(key_var, std::move(key));
      locals_.emplace_back(value_var, value);
      Result<bool> more = body();
      locals_.resize(mark);
      return more;
    };
    if (coll.kind() == Value::Kind::kTuple) {
      for (size_t i = 0; i < coll.elements().size(); ++i) {
        ASSIGN_OR_RETURN(bool more,
                         run(Value::Integer(static_cast<int64_t>(i)), coll.elements()[i]));
        if (!more) break;
      }
      return Ok{};
    }
    if (coll.kind() == Value::Kind::kObject) {
      for (const auto& [k, v] : coll.attributes()) {
        ASSIGN_OR_RETURN(bool more, run(Value::String(k), v));
        if (!more) break;
      }
      return Ok{};
    }
    return Fail(coll_expr, fmt::format("Iteration over non-iterable value: a {} cannot be used "
                                       "as the collection in a 'for' expression",
                                       Value::KindName(coll.kind())));
  }

  Result<Value> EvalObject(const ObjectExpr& node) {
    std::vector<Value::Attribute> attrs;
    for (const ObjectItem& item : node.items) {
      std::string key;
      const Expression& k = *item.key;
      if (!item.key_parenthesized && k.kind == ExprKind::kScopeTraversal &&
          k.As<ScopeTraversalExpr>().steps.empty()) {
        key = k.As<ScopeTraversalExpr>().root;  // a bare name is the literal key
      } else {
        ASSIGN_OR_RETURN(Value kv, Eval(k));
        if (kv.is_unknown()) return kv;
        ASSIGN_OR_RETURN(key, ValueToString(kv, Where(k), "object key"));
      }
      ASSIGN_OR_RETURN(Value v, Eval(*item.value));
      attrs.emplace_back(std::move(key), std::move(v));
    }
    return Value::Object(std::move(attrs));
  }

  // try() and can() evaluate their arguments themselves, catching errors as Terraform does:
  // try gives the first argument that evaluates without error, can whether its argument does.
  // An argument that is not wholly known could still fail once known, so the result is then
  // Unknown. Inside them, a missing attribute or key of a known object is the error Terraform
  // makes of it rather than an Unknown.
  Result<Value> EvalCatching(const FunctionCallExpr& node, bool is_try) {
    if (node.expand_final || (is_try ? node.args.empty() : node.args.size() != 1)) {
      return Fail(node, is_try ? "Invalid function argument: try(): at least one argument is "
                                 "required, and none may be expanded with ..."
                               : "Invalid function argument: can(): exactly one argument is "
                                 "required");
    }
    std::optional<Error> last;
    for (const ExprPtr& arg : node.args) {
      ++catching_;
      Result<Value> v = Eval(*arg);
      --catching_;
      if (!v.ok()) {
        last = std::move(v).error();
        continue;
      }
      if (const Value* u = v->FirstUnknown()) return *u;
      return is_try ? std::move(*v) : Value::Bool(true);
    }
    if (!is_try) return Value::Bool(false);
    return Error(ErrorCode::kValidation,
                 fmt::format("Error in function call: try(): no expression succeeded; the last "
                             "error: {}",
                             last->message()),
                 Where(node));
  }

  Result<Value> EvalCall(const FunctionCallExpr& node) {
    std::string_view name = node.name;
    if (name.starts_with("core::")) name.remove_prefix(6);
    if (name == "try" || name == "can") return EvalCatching(node, name == "try");
    std::vector<Value> args;
    for (size_t i = 0; i < node.args.size(); ++i) {
      ASSIGN_OR_RETURN(Value v, Eval(*node.args[i]));
      bool last = i + 1 == node.args.size();
      if (last && node.expand_final) {
        if (v.is_unknown()) return v;
        if (v.kind() != Value::Kind::kTuple) {
          return Fail(*node.args[i],
                      "Invalid expanding argument value: the expanding argument "
                      "(indicated by ...) must be a list or tuple");
        }
        for (const Value& e : v.elements()) args.push_back(e);
      } else {
        args.push_back(std::move(v));
      }
    }
    EvalContext inner = ctx_;
    return CallFunction(node.name, std::move(args), Where(node), inner);
  }

  std::optional<Value> LookupLocal(std::string_view name) const {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return std::nullopt;
  }

  Result<Value> EvalScopeTraversal(const ScopeTraversalExpr& node) {
    std::optional<Value> root = LookupLocal(node.root);
    if (!root && ctx_.scope && !node.steps.empty() &&
        node.steps[0].kind == TraversalStep::Kind::kAttr) {
      if (auto v = ctx_.scope->LookupAttribute(node.root, node.steps[0].name)) {
        return ApplySteps(std::move(*v), std::span(node.steps).subspan(1),
                          node.root + StepText(node.steps[0]));
      }
    }
    if (!root && ctx_.scope) root = ctx_.scope->Lookup(node.root);
    if (!root) {
      std::string text = node.root;
      for (const TraversalStep& s : node.steps) text += StepText(s);
      return Value::Unknown(text + " is not known statically");
    }
    return ApplySteps(std::move(*root), node.steps, node.root);
  }

  Result<Value> ApplySteps(Value v, std::span<const TraversalStep> steps, std::string path) {
    for (const TraversalStep& step : steps) {
      if (v.is_unknown()) return v;
      if (step.kind == TraversalStep::Kind::kAttr) {
        if (v.is_null()) {
          return Error(
              ErrorCode::kValidation,
              fmt::format("Attempt to get attribute \"{}\" from null value {}", step.name, path),
              Where(step.range));
        }
        if (v.kind() != Value::Kind::kObject) {
          return Error(ErrorCode::kValidation,
                       fmt::format("Unsupported attribute: {} is a {}, which has no attribute "
                                   "\"{}\"",
                                   path, Value::KindName(v.kind()), step.name),
                       Where(step.range));
        }
        const Value* attr = v.Find(step.name);
        if (!attr && catching_ > 0) {
          return Error(
              ErrorCode::kValidation,
              fmt::format("Unsupported attribute: {} has no attribute \"{}\"", path, step.name),
              Where(step.range));
        }
        if (!attr) return Value::Unknown(path + StepText(step) + " is not defined");
        Value next = *attr;
        v = std::move(next);
      } else {
        ASSIGN_OR_RETURN(v, Index(std::move(v), LiteralValue(step.key), step.range, path));
      }
      path += StepText(step);
    }
    return v;
  }

  SourceLocation Where(const Range& r) const {
    return SourceLocation{ctx_.filename, r.start.line, r.start.column};
  }

  Result<Value> Index(Value coll, const Value& key, const Range& at, const std::string& path) {
    if (coll.is_unknown()) return coll;
    if (coll.kind() == Value::Kind::kTuple) {
      std::optional<size_t> i = IndexOf(key);
      if (!i) {
        return Error(ErrorCode::kValidation,
                     fmt::format("Invalid index: {} is a tuple, indexed by a whole number", path),
                     Where(at));
      }
      if (*i >= coll.elements().size()) {
        return Error(ErrorCode::kValidation,
                     fmt::format("Invalid index: {} has {} elements, no element {}", path,
                                 coll.elements().size(), *i),
                     Where(at));
      }
      Value out = coll.elements()[*i];
      return out;
    }
    if (coll.kind() == Value::Kind::kObject) {
      if (key.kind() != Value::Kind::kString && key.kind() != Value::Kind::kNumber) {
        return Error(ErrorCode::kValidation, "Invalid index: an object key must be a string",
                     Where(at));
      }
      std::string k =
          key.kind() == Value::Kind::kString ? key.string_value() : key.number_decimal();
      const Value* attr = coll.Find(k);
      if (!attr && catching_ > 0) {
        return Error(ErrorCode::kValidation,
                     fmt::format("Invalid index: {} has no element \"{}\"", path, k), Where(at));
      }
      if (!attr) return Value::Unknown(fmt::format("{}[\"{}\"] is not defined", path, k));
      return *attr;
    }
    return Error(
        ErrorCode::kValidation,
        fmt::format("Invalid index: a {} value cannot be indexed", Value::KindName(coll.kind())),
        Where(at));
  }

  Result<Value> EvalSplat(const SplatExpr& node) {
    ASSIGN_OR_RETURN(Value source, Eval(*node.source));
    if (source.is_unknown()) return source;
    if (source.is_null()) return Value::Tuple({});
    std::vector<Value> items;
    if (source.kind() == Value::Kind::kTuple) {
      items = source.elements();
    } else {
      items.push_back(std::move(source));
    }
    std::vector<Value> out;
    out.reserve(items.size());
    for (Value& item : items) {
      splat_items_.push_back(std::move(item));
      Result<Value> v = Eval(*node.each);
      splat_items_.pop_back();
      if (!v.ok()) return std::move(v).error();
      out.push_back(std::move(*v));
    }
    return Value::Tuple(std::move(out));
  }

  Result<Value> ToNumber(const Value& v, const Expression& e, std::string_view op) {
    if (v.kind() == Value::Kind::kNumber) return v;
    if (v.kind() == Value::Kind::kString && ParseDouble(v.string_value())) {
      return Value::Number(v.string_value());
    }
    return Fail(e, fmt::format("Invalid operand: unsuitable value for {} operand: a number is "
                               "required, not {}",
                               op, Value::KindName(v.kind())));
  }

  Result<Value> EvalUnary(const UnaryExpr& node) {
    ASSIGN_OR_RETURN(Value v, Eval(*node.operand));
    if (v.is_unknown()) return v;
    if (node.op == UnaryOp::kNot) {
      ASSIGN_OR_RETURN(std::optional<bool> b, ToBool(v, *node.operand, "operand"));
      return Value::Bool(!*b);
    }
    ASSIGN_OR_RETURN(Value n, ToNumber(v, *node.operand, "unary"));
    std::optional<std::string> plain = NormalizeDecimal(n.number_text());
    if (!plain) return Fail(*node.operand, "number out of range");
    if ((*plain)[0] == '-') return Value::Number(plain->substr(1));
    return Value::Number("-" + *plain);
  }

  static bool IsInteger(const std::string& plain, int64_t* out) {
    if (plain.find('.') != std::string::npos || plain.size() > 18) return false;
    *out = std::stoll(plain);
    return true;
  }

  Result<Value> Arithmetic(BinaryOp op, const Value& a, const Value& b, const BinaryExpr& node) {
    std::string pa = a.number_decimal(), pb = b.number_decimal();
    int64_t ia, ib, r;
    if (IsInteger(pa, &ia) && IsInteger(pb, &ib)) {
      bool overflow = false;
      switch (op) {
        case BinaryOp::kAdd:
          overflow = __builtin_add_overflow(ia, ib, &r);
          break;
        case BinaryOp::kSubtract:
          overflow = __builtin_sub_overflow(ia, ib, &r);
          break;
        case BinaryOp::kMultiply:
          overflow = __builtin_mul_overflow(ia, ib, &r);
          break;
        case BinaryOp::kModulo:
          if (ib == 0) return Fail(node, "Error in function call: can't divide by zero");
          r = ia % ib;
          break;
        default:
          overflow = true;  // division goes through double
      }
      if (!overflow) return Value::Integer(r);
    }
    double x = a.number_double(), y = b.number_double(), d = 0;
    switch (op) {
      case BinaryOp::kAdd:
        d = x + y;
        break;
      case BinaryOp::kSubtract:
        d = x - y;
        break;
      case BinaryOp::kMultiply:
        d = x * y;
        break;
      case BinaryOp::kDivide:
        if (y == 0) return Fail(node, "Error in function call: can't divide by zero");
        d = x / y;
        break;
      case BinaryOp::kModulo:
        if (y == 0) return Fail(node, "Error in function call: can't divide by zero");
        d = std::fmod(x, y);
        break;
      default:
        break;
    }
    std::optional<std::string> text = FormatDouble(d);
    if (!text) return Fail(node, "arithmetic result is not a finite number");
    return Value::Number(*text);
  }

  Result<Value> EvalBinary(const BinaryExpr& node) {
    ASSIGN_OR_RETURN(Value a, Eval(*node.lhs));
    ASSIGN_OR_RETURN(Value b, Eval(*node.rhs));
    if (a.is_unknown()) return a;
    if (b.is_unknown()) return b;
    switch (node.op) {
      case BinaryOp::kEqual:
      case BinaryOp::kNotEqual: {
        if (const Value* u = a.FirstUnknown()) return *u;
        if (const Value* u = b.FirstUnknown()) return *u;
        bool eq = a == b;
        return Value::Bool(node.op == BinaryOp::kEqual ? eq : !eq);
      }
      case BinaryOp::kAnd:
      case BinaryOp::kOr: {
        ASSIGN_OR_RETURN(std::optional<bool> x, ToBool(a, *node.lhs, "operand"));
        ASSIGN_OR_RETURN(std::optional<bool> y, ToBool(b, *node.rhs, "operand"));
        return Value::Bool(node.op == BinaryOp::kAnd ? (*x && *y) : (*x || *y));
      }
      default:
        break;
    }
    ASSIGN_OR_RETURN(Value x, ToNumber(a, *node.lhs, "binary"));
    ASSIGN_OR_RETURN(Value y, ToNumber(b, *node.rhs, "binary"));
    switch (node.op) {
      case BinaryOp::kLess:
        return Value::Bool(x.number_double() < y.number_double());
      case BinaryOp::kLessEqual:
        return Value::Bool(x.number_double() <= y.number_double());
      case BinaryOp::kGreater:
        return Value::Bool(x.number_double() > y.number_double());
      case BinaryOp::kGreaterEqual:
        return Value::Bool(x.number_double() >= y.number_double());
      default:
        return Arithmetic(node.op, x, y, node);
    }
  }

  Result<Value> EvalFor(const ForExpr& node) {
    ASSIGN_OR_RETURN(Value coll, Eval(*node.collection));
    if (coll.is_unknown()) return coll;
    if (coll.is_null()) return Fail(*node.collection, "Iteration over null value");
    std::vector<Value> tuple;
    std::vector<Value::Attribute> attrs;
    std::vector<std::pair<std::string, std::vector<Value>>> groups;
    std::set<std::string> keys;
    Status status =
        Iterate(coll, *node.collection, node.key_var, node.value_var, [&]() -> Result<bool> {
          if (node.condition) {
            ASSIGN_OR_RETURN(Value c, Eval(*node.condition));
            ASSIGN_OR_RETURN(std::optional<bool> keep, ToBool(c, *node.condition, "condition"));
            if (!keep) {
              unknown_ = c;
              return false;
            }
            if (!*keep) return true;
          }
          ASSIGN_OR_RETURN(Value v, Eval(*node.value));
          if (!node.object) {
            tuple.push_back(std::move(v));
            return true;
          }
          ASSIGN_OR_RETURN(Value k, Eval(*node.key));
          if (k.is_unknown()) {
            unknown_ = k;
            return false;
          }
          ASSIGN_OR_RETURN(std::string key, ValueToString(k, Where(*node.key), "object key"));
          if (node.group) {
            auto it = std::find_if(groups.begin(), groups.end(),
                                   [&](const auto& g) { return g.first == key; });
            if (it == groups.end()) {
              groups.emplace_back(std::move(key), std::vector<Value>{});
              it = groups.end() - 1;
            }
            it->second.push_back(std::move(v));
            return true;
          }
          if (!keys.insert(key).second) {
            return Fail(*node.key,
                        fmt::format("Duplicate object key: two different items produced "
                                    "the key \"{}\"; add ... after the value to group them",
                                    key));
          }
          attrs.emplace_back(std::move(key), std::move(v));
          return true;
        });
    if (!status.ok()) return std::move(status).error();
    if (unknown_) return *std::exchange(unknown_, std::nullopt);
    if (!node.object) return Value::Tuple(std::move(tuple));
    if (node.group) {
      for (auto& [k, vs] : groups) attrs.emplace_back(std::move(k), Value::Tuple(std::move(vs)));
    }
    return Value::Object(std::move(attrs));
  }

  const EvalContext& ctx_;
  std::vector<std::pair<std::string, Value>> locals_;  // for-expression names, innermost last
  std::vector<Value> splat_items_;
  std::optional<Value> unknown_;  // set when an iteration stopped on an unknown
  int catching_ = 0;              // inside try() or can() arguments
};

}  // namespace

Result<Value> Evaluate(const Expression& expr, const EvalContext& context) {
  if (context.budget) return Evaluator(context).Eval(expr);
  EvalBudget budget;
  EvalContext with_budget = context;
  with_budget.budget = &budget;
  return Evaluator(with_budget).Eval(expr);
}

}  // namespace ecsguard::ingest::hcl
