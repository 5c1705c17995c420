#include "ingest/iac/terraform.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "base/strings.h"
#include "ingest/iac/hcl/hcl.h"
#include "ingest/iac/suppression.h"
#include "ingest/iac/task_definition.h"

namespace ecsguard::ingest::iac {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kType = "aws_ecs_task_definition";
constexpr int kMaxModuleDepth = 16;
// Instances of one block's count or for_each that are read; the rest are a Gap naming the limit.
constexpr size_t kMaxInstances = 1000;
// Module and task definition instances read in one scan; the rest are Gaps naming the limit.
constexpr size_t kMaxRecords = 20000;
// Passes of the locals fixpoint (see ModuleScope::Resolve).
constexpr size_t kMaxLocalPasses = 32;

// Attributes of a module call that are meta-arguments, not inputs.
bool IsMetaArgument(std::string_view name) {
  for (std::string_view m : {"source", "version", "count", "for_each", "providers", "depends_on"}) {
    if (name == m) return true;
  }
  return false;
}

Position At(const hcl::Position& p) { return {p.line, p.column}; }

// A statically evaluated HCL value as a document node (positions unknown).
Node ToNode(const hcl::Value& v, int depth = 0) {
  Node n;
  if (depth > kMaxDepth) {
    return Node::Unknown(
        fmt::format("a value nested deeper than the limit of {} levels", kMaxDepth));
  }
  switch (v.kind()) {
    case hcl::Value::Kind::kNull:
      return n;
    case hcl::Value::Kind::kBool:
      return Node::Bool(v.bool_value());
    case hcl::Value::Kind::kNumber: {
      n.text = v.number_decimal();
      n.kind = n.text.find_first_not_of("-0123456789") == std::string::npos ? Node::Kind::kInt
                                                                            : Node::Kind::kFloat;
      return n;
    }
    case hcl::Value::Kind::kString:
      return Node::String(v.string_value());
    case hcl::Value::Kind::kUnknown:
      return Node::Unknown(v.unknown_reason());
    case hcl::Value::Kind::kTuple:
      n.kind = Node::Kind::kList;
      for (const hcl::Value& e : v.elements()) n.items.push_back(ToNode(e, depth + 1));
      return n;
    case hcl::Value::Kind::kObject:
      n.kind = Node::Kind::kMap;
      for (const auto& [k, e] : v.attributes()) n.Add(k, {}, ToNode(e, depth + 1));
      return n;
  }
  return n;
}

// The name of an object key written as `name = ...` or `"name" = ...`.
std::optional<std::string> LiteralKey(const hcl::ObjectItem& item) {
  if (item.key_parenthesized || !item.key) return std::nullopt;
  if (item.key->kind == hcl::ExprKind::kScopeTraversal) {
    const auto& t = item.key->As<hcl::ScopeTraversalExpr>();
    if (t.steps.empty()) return t.root;
  }
  if (item.key->kind == hcl::ExprKind::kTemplate) {
    const auto& t = item.key->As<hcl::TemplateExpr>();
    if (t.parts.size() == 1 && t.parts[0]->kind == hcl::ExprKind::kLiteral) {
      return t.parts[0]->As<hcl::LiteralExpr>().value.text;
    }
  }
  if (item.key->kind == hcl::ExprKind::kLiteral) return item.key->As<hcl::LiteralExpr>().value.text;
  return std::nullopt;
}

// Copies source positions from a literal `[{...}, ...]` onto the evaluated container list, so
// findings point at the container and the property rather than at container_definitions.
void Locate(const hcl::Expression& expr, Node* list) {
  const hcl::Expression* e = &expr;
  while (e->kind == hcl::ExprKind::kParentheses) e = e->As<hcl::ParenthesesExpr>().inner.get();
  if (e->kind != hcl::ExprKind::kTuple || !list->is_list()) return;
  const auto& tuple = e->As<hcl::TupleExpr>();
  if (tuple.elements.size() != list->items.size()) return;
  for (size_t i = 0; i < tuple.elements.size(); ++i) {
    const hcl::Expression& item = *tuple.elements[i];
    Node& c = list->items[i];
    if (item.kind != hcl::ExprKind::kObject || !c.is_map()) continue;
    c.pos = At(item.range.start);
    for (const hcl::ObjectItem& kv : item.As<hcl::ObjectExpr>().items) {
      auto key = LiteralKey(kv);
      if (!key) continue;
      if (auto index = c.IndexOf(*key)) {
        c.key_pos[*index] = At(kv.key->range.start);
        c.items[*index].pos = At(kv.value->range.start);
      }
    }
  }
}

const hcl::Attribute* FindAttribute(const hcl::Body& body, std::string_view name) {
  for (const hcl::Attribute& a : body.attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

// One instance of a block with count or for_each: its address and count.index / each.*.
struct Instance {
  std::string address;
  std::optional<hcl::Value> count, each;
};

struct ParsedModule {
  fs::path dir;
  std::vector<hcl::File> files;
  bool on_disk = true;  // false for text handed in directly: no tfvars files are looked for
};

// A module's `local.*` values, evaluated on demand in dependency order.
class ModuleScope final : public hcl::Scope {
 public:
  std::optional<hcl::Value> Lookup(std::string_view name) const override {
    if (name == "local") return LocalsObject();
    if (name == "count" && count_) return count_;
    if (name == "each" && each_) return each_;
    return base_.Lookup(name);
  }

  // `local.x` is read without building the object of all locals (quadratic in their number).
  std::optional<hcl::Value> LookupAttribute(std::string_view name,
                                            std::string_view attribute) const override {
    if (name != "local") return std::nullopt;
    if (!resolved_) Resolve();
    auto it = local_values_.find(attribute);
    if (it == local_values_.end()) return std::nullopt;
    return it->second;
  }

  hcl::MapScope base_;
  std::map<std::string, const hcl::Expression*, std::less<>> local_exprs_;
  mutable std::map<std::string, hcl::Value, std::less<>> local_values_;
  std::optional<hcl::Value> count_, each_;
  const hcl::EvalContext* context_ = nullptr;

 private:
  // Locals are evaluated lazily: on every lookup of `local`, any local not yet known is tried.
  // Each is evaluated once, after the locals it refers to (found by evaluating with the locals
  // known so far, repeatedly, until nothing changes: a fixpoint bounded by the number of locals).
  hcl::Value LocalsObject() const {
    if (!resolved_) Resolve();
    if (auto why = context_->budget->Charge(local_values_.size(), 0)) {
      return hcl::Value::Unknown(*why);
    }
    std::vector<hcl::Value::Attribute> attrs;
    for (const auto& [k, v] : local_values_) attrs.emplace_back(k, v);
    return hcl::Value::Object(std::move(attrs));
  }

  void Resolve() const {
    resolved_ = true;  // lookups made while resolving see the values so far
    for (const auto& [name, expr] : local_exprs_) {
      local_values_[name] = hcl::Value::Unknown(fmt::format("local.{} refers to itself", name));
    }
    size_t passes = std::min(local_exprs_.size() + 1, kMaxLocalPasses);
    bool changed = true;
    for (size_t pass = 0; pass < passes && changed; ++pass) {
      changed = false;
      for (const auto& [name, expr] : local_exprs_) {
        Result<hcl::Value> v = hcl::Evaluate(*expr, *context_);
        hcl::Value value = v.ok() ? std::move(*v) : hcl::Value::Unknown(v.error().message());
        hcl::Value& slot = local_values_[name];
        bool same = value == slot || (value.is_unknown() && slot.is_unknown() &&
                                      value.unknown_reason() == slot.unknown_reason());
        if (!same) {
          slot = std::move(value);
          changed = true;
        }
      }
    }
    if (!changed) return;
    // Not settled: what is still unknown may only be waiting for another pass.
    for (auto& [name, value] : local_values_) {
      if (value.is_unknown()) {
        value = hcl::Value::Unknown(
            fmt::format("local.{} is not resolved within the limit of {} passes over the locals",
                        name, kMaxLocalPasses));
      }
    }
  }

  mutable bool resolved_ = false;
};

class TerraformReader {
 public:
  TerraformReader(const IacOptions& options, std::function<std::string(const fs::path&)> rel,
                  graph::Graph* graph, IacResult* result)
      : options_(options), rel_(std::move(rel)), graph_(graph), result_(result) {
    std::error_code ec;
    scan_root_ = options.root.empty() ? fs::current_path(ec).string() : options.root;
  }

  const ParsedModule* Load(const fs::path& dir) {
    auto [it, inserted] = modules_.try_emplace(dir.string());
    if (!inserted) return it->second.get();
    auto module = std::make_unique<ParsedModule>();
    module->dir = dir;
    std::error_code ec;
    std::vector<fs::path> tf;
    for (fs::directory_iterator d(dir, ec), end; !ec && d != end; d.increment(ec)) {
      if (d->is_regular_file(ec) && d->path().extension() == ".tf") tf.push_back(d->path());
    }
    std::sort(tf.begin(), tf.end());
    for (const fs::path& p : tf) {
      std::string text;
      std::string rel = rel_(p);
      if (!ReadFileToString(p.string(), &text)) {
        result_->problems.emplace_back(ErrorCode::kIo, "cannot read file", SourceLocation{rel});
        continue;
      }
      ++result_->files;
      AddFile(module.get(), std::move(text), rel);
    }
    it->second = std::move(module);
    return it->second.get();
  }

  void AddFile(ParsedModule* module, std::string text, const std::string& rel) {
    hcl::File file = hcl::Parse(std::move(text), rel);
    for (const Error& e : file.errors) result_->problems.push_back(e.InFile(rel));
    module->files.push_back(std::move(file));
  }

  // Local module directories that `module` calls.
  std::vector<fs::path> LocalCalls(const ParsedModule& module) {
    std::vector<fs::path> out;
    for (const hcl::File& f : module.files) {
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type != "module") continue;
        if (auto dir = LocalSource(module, b)) out.push_back(*dir);
      }
    }
    return out;
  }

  // Reads `module` with `inputs` (nullopt: a root module, whose variables come from defaults,
  // tfvars files and options.parameters). `prefix` is its address ("module.a.module.b.").
  // `root_dir` is the root module's folder: Terraform resolves relative file paths and
  // path.module against it.
  void ReadModule(const ParsedModule& module,
                  const std::optional<std::map<std::string, hcl::Value>>& inputs,
                  const std::string& prefix, const fs::path& root_dir, int depth,
                  std::vector<std::string>* stack) {
    stack->push_back(module.dir.string());

    // Each module instance has a budget of its own, and all share the scan's.
    hcl::EvalBudget budget;
    budget.parent = &scan_budget_;
    hcl::EvalContext context;
    context.files = files_ = &FilesFor(root_dir);
    context.budget = &budget;
    ModuleScope scope;
    scope.context_ = &context;
    context.scope = &scope;

    // Variables.
    std::map<std::string, hcl::Value> tfvars =
        inputs ? std::map<std::string, hcl::Value>{} : RootVariableValues(module);
    std::vector<hcl::Value::Attribute> vars;
    for (const hcl::File& f : module.files) {
      context.filename = f.filename;
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type != "variable" || b.labels.empty()) continue;
        const std::string& name = b.labels[0].value;
        hcl::Value value;
        if (inputs && inputs->count(name)) {
          value = inputs->at(name);
        } else if (!inputs && tfvars.count(name)) {
          value = tfvars.at(name);
        } else if (const hcl::Attribute* def = FindAttribute(b.body, "default")) {
          hcl::EvalContext plain;
          plain.filename = f.filename;
          Result<hcl::Value> v = hcl::Evaluate(*def->expr, plain);
          value = v.ok() ? std::move(*v) : hcl::Value::Unknown(v.error().message());
        } else {
          value = hcl::Value::Unknown(fmt::format("var.{} has no default", name));
        }
        vars.emplace_back(name, std::move(value));
      }
    }
    scope.base_.Set("var", hcl::Value::Object(std::move(vars)));
    std::string module_path = module.dir.lexically_relative(root_dir).generic_string();
    // Built in place rather than assigned: GCC 12 warns (-Wrestrict, a false positive, GCC bug
    // 105329) on assigning a one-character literal to a std::string.
    scope.base_.Set(
        "path",
        hcl::Value::Object({{"module", hcl::Value::String(module_path.empty() ? "." : module_path)},
                            {"root", hcl::Value::String(".")},
                            {"cwd", hcl::Value::String(".")}}));
    scope.base_.Set("terraform",
                    hcl::Value::Object({{"workspace", hcl::Value::String("default")}}));
    for (const hcl::File& f : module.files) {
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type != "locals") continue;
        for (const hcl::Attribute& a : b.body.attributes) scope.local_exprs_[a.name] = a.expr.get();
      }
    }

    for (const hcl::File& f : module.files) {
      context.filename = f.filename;
      std::vector<ResourceSpan> spans;
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type == "resource" && b.labels.size() == 2) {
          std::string address = prefix + b.labels[0].value + "." + b.labels[1].value;
          std::vector<std::string> ids;
          ReadResource(b, f, address, &scope, context, &ids);
          for (const std::string& id : ids) {
            spans.push_back({id, b.range.start.line, b.range.end.line});
          }
        } else if (b.type == "module" && b.labels.size() == 1) {
          ReadModuleCall(module, b, f, prefix, &scope, context, root_dir, depth, stack);
        }
      }
      AttachIgnoreComments(f.source, CommentSyntax::kHcl, f.filename, std::move(spans), result_);
    }
    stack->pop_back();
  }

 private:
  // Root modules resolve relative paths against their own folder; all read only inside the scan
  // root. One reader per root module, so that its count of files read covers the modules it
  // calls.
  const hcl::DiskFileReader& FilesFor(const fs::path& root_dir) {
    auto [it, inserted] = file_readers_.try_emplace(root_dir.string());
    if (inserted) {
      it->second = std::make_unique<hcl::DiskFileReader>(root_dir.string(), scan_root_);
    }
    return *it->second;
  }

  void AddGap(const hcl::File& f, const std::string& address, const hcl::Block& b,
              std::string reason) {
    result_->gaps.push_back(
        {"ECSTaskDefinition", f.filename + "#" + address, "", "", std::move(reason)});
    result_->gap_locations.push_back({f.filename, b.range.start.line, b.range.start.column});
  }

  // Counts one more module or task definition instance; false (and a Gap for the block at
  // `address`) once the scan's limit is reached.
  bool Record(const hcl::File& f, const std::string& address, const hcl::Block& b) {
    if (records_ < kMaxRecords) {
      ++records_;
      return true;
    }
    AddGap(f, address, b,
           fmt::format("not read: the scan reached its limit of {} Terraform module and task "
                       "definition instances",
                       kMaxRecords));
    return false;
  }

  // terraform.tfvars, then *.auto.tfvars in name order, then options.parameters.
  std::map<std::string, hcl::Value> RootVariableValues(const ParsedModule& module) {
    std::map<std::string, hcl::Value> values;
    if (!module.on_disk) {
      for (const auto& [k, v] : options_.parameters) values[k] = hcl::Value::String(v);
      return values;
    }
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::exists(module.dir / "terraform.tfvars", ec))
      files.push_back(module.dir / "terraform.tfvars");
    std::vector<fs::path> autos;
    for (fs::directory_iterator d(module.dir, ec), end; !ec && d != end; d.increment(ec)) {
      if (d->path().filename().string().ends_with(".auto.tfvars")) autos.push_back(d->path());
    }
    std::sort(autos.begin(), autos.end());
    files.insert(files.end(), autos.begin(), autos.end());
    for (const fs::path& p : files) {
      std::string text;
      std::string rel = rel_(p);
      if (!ReadFileToString(p.string(), &text)) continue;
      hcl::File file = hcl::Parse(std::move(text), rel);
      for (const Error& e : file.errors) result_->problems.push_back(e.InFile(rel));
      hcl::EvalContext plain;
      plain.filename = rel;
      for (const hcl::Attribute& a : file.body.attributes) {
        Result<hcl::Value> v = hcl::Evaluate(*a.expr, plain);
        values[a.name] = v.ok() ? std::move(*v) : hcl::Value::Unknown(v.error().message());
      }
    }
    for (const auto& [k, v] : options_.parameters) values[k] = hcl::Value::String(v);
    return values;
  }

  std::optional<fs::path> LocalSource(const ParsedModule& module, const hcl::Block& call) {
    const hcl::Attribute* source = FindAttribute(call.body, "source");
    if (!source) return std::nullopt;
    Result<hcl::Value> v = hcl::Evaluate(*source->expr, hcl::EvalContext{});
    if (!v.ok() || v->kind() != hcl::Value::Kind::kString) return std::nullopt;
    const std::string& s = v->string_value();
    if (!s.starts_with("./") && !s.starts_with("../")) return std::nullopt;
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(module.dir / s, ec);
    if (!dir.has_filename()) dir = dir.parent_path();  // "./" names the folder itself
    if (ec || !fs::is_directory(dir, ec)) return std::nullopt;
    return dir;
  }

  hcl::Value Eval(const hcl::Expression& e, const hcl::EvalContext& context) {
    Result<hcl::Value> v = hcl::Evaluate(e, context);
    return v.ok() ? std::move(*v) : hcl::Value::Unknown(v.error().ToString());
  }

  void ReadModuleCall(const ParsedModule& module, const hcl::Block& call, const hcl::File& f,
                      const std::string& prefix, ModuleScope* scope,
                      const hcl::EvalContext& context, const fs::path& root_dir, int depth,
                      std::vector<std::string>* stack) {
    const std::string& name = call.labels[0].value;
    std::string address = prefix + "module." + name;
    auto dir = LocalSource(module, call);
    if (!dir) {
      // A registry or git module is not read. Say so when it looks like it makes task
      // definitions, rather than let its task definitions pass unseen.
      const hcl::Attribute* source = FindAttribute(call.body, "source");
      hcl::Value s = source ? Eval(*source->expr, context) : hcl::Value();
      std::string text = s.kind() == hcl::Value::Kind::kString ? s.string_value() : "";
      bool ecs = ToLower(text).find("ecs") != std::string::npos ||
                 FindAttribute(call.body, "container_definitions") ||
                 FindAttribute(call.body, "network_mode");
      if (ecs) {
        AddGap(f, address, call,
               fmt::format("module source \"{}\" is not a local path; the task definitions it "
                           "makes are not read",
                           text));
      }
      return;
    }
    if (auto at = std::find(stack->begin(), stack->end(), dir->string()); at != stack->end()) {
      // Terraform rejects this; reading on would never end.
      std::string chain;
      for (auto it = at; it != stack->end(); ++it) chain += rel_(*it) + " -> ";
      std::string message = fmt::format("module cycle: {}{}", chain, rel_(*dir));
      result_->problems.emplace_back(
          ErrorCode::kValidation, message,
          SourceLocation{f.filename, call.range.start.line, call.range.start.column});
      AddGap(f, address, call, message + "; the task definitions it makes are not read");
      return;
    }
    if (depth + 1 > kMaxModuleDepth) {
      AddGap(f, address, call,
             fmt::format("modules nested deeper than the limit of {} levels are not read",
                         kMaxModuleDepth));
      return;
    }
    std::string blocker, truncated;
    std::vector<Instance> instances = Instances(call, address, context, &blocker, &truncated);
    if (!truncated.empty()) AddGap(f, address, call, truncated);
    if (!blocker.empty()) {
      // Which instances exist is unknown; read the module once, with inputs that may depend on
      // count.index or each.* unknown, so that what does not depend on them is still checked.
      instances = {{address, hcl::Value::Unknown(blocker), hcl::Value::Unknown(blocker)}};
    }
    const ParsedModule* child = Load(*dir);
    for (const Instance& inst : instances) {
      if (!Record(f, address, call)) break;
      scope->count_ = inst.count;
      scope->each_ = inst.each;
      std::map<std::string, hcl::Value> inputs;
      for (const hcl::Attribute& a : call.body.attributes) {
        if (!IsMetaArgument(a.name)) inputs[a.name] = Eval(*a.expr, context);
      }
      ReadModule(*child, inputs, inst.address + ".", root_dir, depth + 1, stack);
    }
    scope->count_.reset();
    scope->each_.reset();
  }

  // The instances a block's count or for_each makes (one, at `address`, without either). When
  // they are unknown, one instance is returned and `blocker` says why. At most kMaxInstances are
  // returned; `truncated` then says how many there were.
  std::vector<Instance> Instances(const hcl::Block& b, const std::string& address,
                                  const hcl::EvalContext& context, std::string* blocker,
                                  std::string* truncated) {
    std::vector<Instance> instances;
    if (const hcl::Attribute* count = FindAttribute(b.body, "count")) {
      hcl::Value n = Eval(*count->expr, context);
      auto as_int = ToNode(n).AsInt();
      if (n.is_unknown() || !as_int || *as_int < 0) {
        *blocker = n.is_unknown() ? fmt::format("count is unknown ({})", n.unknown_reason())
                                  : "count is not a whole number";
        instances.push_back({address, {}, {}});
      } else {
        if (static_cast<uint64_t>(*as_int) > kMaxInstances) {
          *truncated = fmt::format(
              "count {} exceeds the limit of {} instances; instances [{}] and later are not read",
              *as_int, kMaxInstances, kMaxInstances);
        }
        for (int64_t i = 0; i < *as_int && static_cast<size_t>(i) < kMaxInstances; ++i) {
          instances.push_back({fmt::format("{}[{}]", address, i),
                               hcl::Value::Object({{"index", hcl::Value::Integer(i)}}),
                               {}});
        }
      }
    } else if (const hcl::Attribute* for_each = FindAttribute(b.body, "for_each")) {
      hcl::Value c = Eval(*for_each->expr, context);
      size_t n = std::max(c.attributes().size(), c.elements().size());
      if (n > kMaxInstances && !c.FirstUnknown()) {
        *truncated = fmt::format(
            "for_each has {} elements, more than the limit of {} instances; those after the "
            "first {} are not read",
            n, kMaxInstances, kMaxInstances);
      }
      if (c.kind() == hcl::Value::Kind::kObject) {
        for (const auto& [k, v] : c.attributes()) {
          if (instances.size() == kMaxInstances) break;
          instances.push_back({fmt::format("{}[\"{}\"]", address, k),
                               {},
                               hcl::Value::Object({{"key", hcl::Value::String(k)}, {"value", v}})});
        }
      } else if (c.kind() == hcl::Value::Kind::kTuple && !c.FirstUnknown()) {
        for (const hcl::Value& v : c.elements()) {
          if (instances.size() == kMaxInstances) break;
          std::string k = v.kind() == hcl::Value::Kind::kString ? v.string_value() : "";
          instances.push_back({fmt::format("{}[\"{}\"]", address, k),
                               {},
                               hcl::Value::Object({{"key", hcl::Value::String(k)}, {"value", v}})});
        }
      } else {
        *blocker = c.is_unknown() ? fmt::format("for_each is unknown ({})", c.unknown_reason())
                                  : "for_each is not a map or set of strings";
        instances.push_back({address, {}, {}});
      }
    } else {
      instances.push_back({address, {}, {}});
    }

    return instances;
  }

  // Evaluates one resource block (each of its count/for_each instances) into task definitions.
  void ReadResource(const hcl::Block& b, const hcl::File& f, const std::string& address,
                    ModuleScope* scope, const hcl::EvalContext& context,
                    std::vector<std::string>* ids) {
    if (b.labels[0].value != kType) {
      ids->push_back(f.filename + "#" + address);
      return;
    }
    std::string blocker, truncated;
    std::vector<Instance> instances = Instances(b, address, context, &blocker, &truncated);
    if (!truncated.empty()) {
      AddGap(f, address, b, truncated);
      ids->push_back(f.filename + "#" + address);
    }
    for (const Instance& inst : instances) {
      if (!Record(f, address, b)) break;
      scope->count_ = inst.count;
      scope->each_ = inst.each;
      TaskDefinition td;
      td.id = f.filename + "#" + inst.address;
      td.name = inst.address;
      td.source = "terraform";
      td.location = {f.filename, b.range.start.line, b.range.start.column};
      ids->push_back(td.id);
      if (!blocker.empty()) td.blockers.push_back(blocker);

      Node props;
      props.kind = Node::Kind::kMap;
      for (const hcl::Attribute& a : b.body.attributes) {
        if (a.name == "container_definitions" || a.name == "count" || a.name == "for_each")
          continue;
        Node v = ToNode(Eval(*a.expr, context));
        v.pos = At(a.expr->range.start);
        props.Add(a.name, At(a.name_range.start), std::move(v));
      }
      UnknownEvaluator eval;
      MapTaskFields(props, kTerraformNames, &eval, &td);
      if (const hcl::Attribute* cd = FindAttribute(b.body, "container_definitions")) {
        ReadContainerDefinitions(*cd, context, &td);
      }
      td.values_from_file = files_->reads() > 0;
      Commit(std::move(td), graph_, result_);
    }
    scope->count_.reset();
    scope->each_.reset();
  }

  // container_definitions = jsonencode(X) is read from X itself, so that an unknown image does not
  // hide a known privileged flag; any other form is evaluated to its JSON string.
  void ReadContainerDefinitions(const hcl::Attribute& cd, const hcl::EvalContext& context,
                                TaskDefinition* td) {
    Position where = At(cd.name_range.start);
    const hcl::Expression* e = cd.expr.get();
    if (e->kind == hcl::ExprKind::kFunctionCall) {
      const auto& call = e->As<hcl::FunctionCallExpr>();
      if (call.name == "jsonencode" && call.args.size() == 1 && !call.expand_final) {
        Node list = ToNode(Eval(*call.args[0], context));
        Locate(*call.args[0], &list);
        if (list.kind == Node::Kind::kString) {
          td->blockers.push_back("container_definitions is jsonencode() of a string, not a list");
          return;
        }
        MapContainerDefinitionsValue(list, where, td);
        return;
      }
    }
    hcl::Value value = Eval(*e, context);
    if (value.is_unknown() && e->kind == hcl::ExprKind::kTemplate) {
      if (auto list = PartiallyKnownJson(e->As<hcl::TemplateExpr>(), context)) {
        MapContainerDefinitionsValue(*list, where, td);
        return;
      }
    }
    MapContainerDefinitionsValue(ToNode(value), where, td);
  }

  // A heredoc or string of JSON with unknown interpolations ("image": "${var.repo}:1") is read
  // with each unknown in place of the JSON string it sits in, so an unknown image does not hide a
  // known privileged flag. Nothing when an unknown is not inside a JSON string, or the template
  // has directives: the whole value then stays unknown.
  std::optional<Node> PartiallyKnownJson(const hcl::TemplateExpr& t,
                                         const hcl::EvalContext& context) {
    std::string text;
    std::vector<std::string> reasons;
    for (const hcl::ExprPtr& part : t.parts) {
      if (part->kind == hcl::ExprKind::kLiteral) {
        text += part->As<hcl::LiteralExpr>().value.text;
        continue;
      }
      if (part->kind == hcl::ExprKind::kTemplateIf || part->kind == hcl::ExprKind::kTemplateFor) {
        return std::nullopt;
      }
      hcl::Value v = Eval(*part, context);
      if (context.budget->Grow(text.size(), v.size() + 8)) return std::nullopt;
      switch (v.kind()) {
        case hcl::Value::Kind::kString:
          text += v.string_value();
          break;
        case hcl::Value::Kind::kNumber:
          text += v.number_decimal();
          break;
        case hcl::Value::Kind::kBool:
          text += v.bool_value() ? "true" : "false";
          break;
        case hcl::Value::Kind::kUnknown:
          text += fmt::format("\x01{}\x01", reasons.size());
          reasons.push_back(v.unknown_reason());
          break;
        default:
          return std::nullopt;
      }
    }
    // Control characters cannot appear raw inside JSON strings: mark them as escapes.
    std::string marked;
    for (char c : text) {
      if (c == '\x01') {
        marked += "\\u0001";
      } else {
        marked += c;
      }
    }
    Result<Node> doc = ParseJson(marked);
    if (!doc.ok()) return std::nullopt;
    bool all_placed = true;
    MarkUnknownStrings(&*doc, reasons, &all_placed, 0);
    if (!all_placed) return std::nullopt;
    return std::move(*doc);
  }

  // Replaces strings that contain an unknown marker by the unknown; keys must not contain one.
  static void MarkUnknownStrings(Node* n, const std::vector<std::string>& reasons, bool* ok,
                                 int depth) {
    if (depth > kMaxDepth) {
      *ok = false;  // not searched: the whole value stays unknown
      return;
    }
    for (const std::string& k : n->keys) {
      if (k.find('\x01') != std::string::npos) *ok = false;
    }
    if (n->kind == Node::Kind::kString) {
      size_t at = n->text.find('\x01');
      if (at == std::string::npos) return;
      size_t end = n->text.find('\x01', at + 1);
      Node digits =
          Node::String(n->text.substr(at + 1, end == std::string::npos ? 0 : end - at - 1));
      auto index = digits.AsInt();
      bool known = index && *index >= 0 && static_cast<size_t>(*index) < reasons.size();
      *n = Node::Unknown(known ? reasons[static_cast<size_t>(*index)] : "unknown", n->pos);
      return;
    }
    for (Node& child : n->items) MarkUnknownStrings(&child, reasons, ok, depth + 1);
  }

  const IacOptions& options_;
  std::function<std::string(const fs::path&)> rel_;
  graph::Graph* graph_;
  IacResult* result_;
  std::map<std::string, std::unique_ptr<ParsedModule>> modules_;
  std::string scan_root_;
  std::map<std::string, std::unique_ptr<hcl::DiskFileReader>> file_readers_;
  const hcl::DiskFileReader* files_ = nullptr;  // the current root module's
  // What evaluating all modules of a scan may spend: a few module budgets' worth.
  hcl::EvalBudget scan_budget_{.max_steps = 40'000'000, .max_bytes = size_t{1} << 30};
  size_t records_ = 0;
};

}  // namespace

void ReadTerraform(const std::set<fs::path>& dirs, const IacOptions& options,
                   const std::function<std::string(const fs::path&)>& rel, graph::Graph* graph,
                   IacResult* result) {
  if (dirs.empty()) return;
  TerraformReader reader(options, rel, graph, result);
  std::set<std::string> called;
  for (const fs::path& d : dirs) {
    for (const fs::path& child : reader.LocalCalls(*reader.Load(d))) called.insert(child.string());
  }
  for (const fs::path& d : dirs) {
    if (called.count(d.string())) continue;  // read through its callers, with their inputs
    std::vector<std::string> stack;
    reader.ReadModule(*reader.Load(d), std::nullopt, "", d, 0, &stack);
  }
  // Modules that only a module cycle calls (or that call themselves) are reached from no root:
  // read them as roots, which reports the cycle.
  std::set<std::string> reached;
  auto reach = [&](const fs::path& from) {
    std::vector<fs::path> todo{from};
    while (!todo.empty()) {
      fs::path d = std::move(todo.back());
      todo.pop_back();
      if (!reached.insert(d.string()).second) continue;
      for (fs::path& child : reader.LocalCalls(*reader.Load(d))) todo.push_back(std::move(child));
    }
  };
  for (const fs::path& d : dirs) {
    if (!called.count(d.string())) reach(d);
  }
  for (const fs::path& d : dirs) {
    if (reached.count(d.string())) continue;
    reach(d);
    std::vector<std::string> stack;
    reader.ReadModule(*reader.Load(d), std::nullopt, "", d, 0, &stack);
  }
}

void ReadTerraformText(std::string_view text, const std::string& file, const IacOptions& options,
                       graph::Graph* graph, IacResult* result) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(
      options.root.empty() ? fs::current_path(ec) : fs::path(options.root), ec);
  TerraformReader reader(
      options, [](const fs::path& p) { return p.generic_string(); }, graph, result);
  ParsedModule module;
  module.dir = root;
  module.on_disk = false;
  ++result->files;
  reader.AddFile(&module, std::string(text), file);
  std::vector<std::string> stack;
  reader.ReadModule(module, std::nullopt, "", root, 0, &stack);
}

}  // namespace ecsguard::ingest::iac
