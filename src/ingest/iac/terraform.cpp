#include "ingest/iac/terraform.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "base/strings.h"
#include "ingest/iac/ecs_resources.h"
#include "ingest/iac/hcl/hcl.h"
#include "ingest/iac/suppression.h"
#include "ingest/iac/task_definition.h"
#include "ingest/iac/terraform_json.h"

namespace ecsguard::ingest::iac {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kType = "aws_ecs_task_definition";
// Where `terraform init` records the modules it installed, in the root module's folder.
constexpr std::string_view kModulesJson = ".terraform/modules/modules.json";
constexpr int kMaxModuleDepth = 16;
// Instances of one block's count or for_each that are read; the rest are a Gap naming the limit.
constexpr size_t kMaxInstances = 1000;
// Nested blocks read below a resource; deeper ones are unknown.
constexpr int kMaxBlockDepth = 32;
// Module and resource instances read in one scan; the rest are Gaps naming the limit.
constexpr size_t kMaxRecords = 20000;
// Locals and module outputs evaluated on demand while evaluating another: each nests the
// evaluator on the stack.
constexpr size_t kMaxNesting = 100;

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
      auto key = hcl::LiteralKey(kv);
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

// The name a dynamic block's `iterator` gives, written as a bare name (`iterator = v`) or, in
// the JSON syntax, as a string; nothing when it is neither.
std::optional<std::string> IteratorName(const hcl::Expression& e) {
  if (e.kind == hcl::ExprKind::kScopeTraversal) {
    const auto& t = e.As<hcl::ScopeTraversalExpr>();
    if (t.steps.empty()) return t.root;
  }
  if (e.kind == hcl::ExprKind::kTemplate) {
    const auto& t = e.As<hcl::TemplateExpr>();
    if (t.parts.size() == 1 && t.parts[0]->kind == hcl::ExprKind::kLiteral) {
      return t.parts[0]->As<hcl::LiteralExpr>().value.text;
    }
  }
  if (e.kind == hcl::ExprKind::kLiteral) {
    const hcl::Literal& l = e.As<hcl::LiteralExpr>().value;
    if (l.kind == hcl::LiteralKind::kString) return l.text;
  }
  return std::nullopt;
}

// The scope inside a dynamic block's `content`: its iterator, then the enclosing scope.
class IteratorScope final : public hcl::Scope {
 public:
  IteratorScope(const hcl::Scope* parent, std::string name, hcl::Value value)
      : parent_(parent), name_(std::move(name)), value_(std::move(value)) {}
  std::optional<hcl::Value> Lookup(std::string_view name) const override {
    if (name == name_) return value_;
    return parent_ ? parent_->Lookup(name) : std::nullopt;
  }
  std::optional<hcl::Value> LookupAttribute(std::string_view name,
                                            std::string_view attribute) const override {
    if (name == name_ || parent_ == nullptr) return std::nullopt;
    return parent_->LookupAttribute(name, attribute);
  }

 private:
  const hcl::Scope* parent_;
  std::string name_;
  hcl::Value value_;
};

// One instance of a block with count or for_each: its address and count.index / each.*.
struct Instance {
  std::string address;
  std::string key;  // the for_each key or count index; "" for a single instance
  std::optional<hcl::Value> count, each;
};

// A for_each key as Terraform writes it in an address: ["key"].
std::string QuotedKey(std::string_view key) {
  std::string out = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// A `variable` block: what turns the value given for it into var.<name>, as Terraform does.
struct Variable {
  std::string name;
  hcl::Type type;  // `any` when the block has no type
  bool nullable = true;
  std::optional<hcl::Value> default_value;  // converted to `type`
  std::string invalid;  // why the block itself is invalid (then the value is unknown)
};

// What var.<name> is, given the values passed to the module (a caller's inputs, or a root
// module's tfvars and options): a given value converted to the variable's type, with its
// optional() attribute defaults; the default when none is given, or when null is given to a
// variable with `nullable = false`.
hcl::Value VariableValue(const Variable& v, const std::map<std::string, hcl::Value>& given) {
  if (!v.invalid.empty()) return hcl::Value::Unknown(v.invalid);
  auto it = given.find(v.name);
  bool use_given = it != given.end() && !(it->second.is_null() && !v.nullable);
  if (use_given) {
    Result<hcl::Value> converted = hcl::Convert(it->second, v.type);
    if (converted.ok()) return std::move(*converted);
    return hcl::Value::Unknown(
        fmt::format("the value of var.{} is invalid: {}", v.name, converted.error().message()));
  }
  if (v.default_value) return *v.default_value;
  if (it != given.end()) {
    return hcl::Value::Unknown(
        fmt::format("var.{} is null, has nullable = false and no default", v.name));
  }
  return hcl::Value::Unknown(fmt::format("var.{} has no default", v.name));
}

struct ParsedModule {
  fs::path dir;
  std::vector<hcl::File> files;
  std::vector<Variable> variables;
  bool on_disk = true;  // false for text handed in directly: no tfvars files are looked for
};

// The names a module instance's expressions see: var, local, path, terraform, module (the
// outputs of the module calls, through `module_call_`) and the count.index / each.* of the
// block being read. Locals are evaluated on demand, each once, as Terraform orders them by
// their references; a local that refers back to itself is unknown.
class ModuleScope final : public hcl::Scope {
 public:
  std::optional<hcl::Value> Lookup(std::string_view name) const override {
    if (name == "local") return LocalsObject();
    if (name == "count" && count_) return count_;
    if (name == "each" && each_) return each_;
    return base_.Lookup(name);
  }

  // `local.x` and `module.x` are read without building the object of all of them.
  std::optional<hcl::Value> LookupAttribute(std::string_view name,
                                            std::string_view attribute) const override {
    if (name == "local") return Local(attribute);
    if (name == "module" && module_call_) return module_call_(attribute);
    return std::nullopt;
  }

  struct LocalExpr {
    const hcl::Expression* expr;
    std::string filename;
  };
  hcl::MapScope base_;
  std::map<std::string, LocalExpr, std::less<>> local_exprs_;
  // Mutable: set aside while a local is evaluated on demand.
  mutable std::optional<hcl::Value> count_, each_;
  const hcl::EvalContext* context_ = nullptr;
  std::function<hcl::Value(std::string_view)> module_call_;
  // Evaluations on demand (locals, module outputs) in progress, shared by every instance of a
  // scan: each one nests the evaluator on the stack.
  size_t* nesting_ = nullptr;

 private:
  hcl::Value Local(std::string_view name) const {
    if (auto it = local_values_.find(name); it != local_values_.end()) return it->second;
    auto it = local_exprs_.find(name);
    if (it == local_exprs_.end())
      return hcl::Value::Unknown(fmt::format("local.{} is not defined", name));
    if (in_progress_.count(name)) {
      return hcl::Value::Unknown(fmt::format("local.{} refers to itself", name));
    }
    if (*nesting_ >= kMaxNesting) {
      return hcl::Value::Unknown(fmt::format(
          "local.{} is not read: locals and module outputs refer to each other more than {} "
          "deep",
          name, kMaxNesting));
    }
    // A local belongs to the module, not to the resource instance being read.
    std::optional<hcl::Value> count = std::move(count_), each = std::move(each_);
    count_.reset();
    each_.reset();
    hcl::EvalContext context = *context_;
    context.filename = it->second.filename;
    in_progress_.insert(it->first);
    ++*nesting_;
    Result<hcl::Value> v = hcl::Evaluate(*it->second.expr, context);
    --*nesting_;
    in_progress_.erase(it->first);
    count_ = std::move(count);
    each_ = std::move(each);
    hcl::Value value = v.ok() ? std::move(*v) : hcl::Value::Unknown(v.error().message());
    local_values_.emplace(it->first, value);
    return value;
  }

  hcl::Value LocalsObject() const {
    if (auto why = context_->budget->Charge(local_exprs_.size(), 0)) {
      return hcl::Value::Unknown(*why);
    }
    std::vector<hcl::Value::Attribute> attrs;
    for (const auto& [k, e] : local_exprs_) attrs.emplace_back(k, Local(k));
    return hcl::Value::Object(std::move(attrs));
  }

  mutable std::map<std::string, hcl::Value, std::less<>> local_values_;
  mutable std::set<std::string, std::less<>> in_progress_;
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
      if (d->is_regular_file(ec) && IsTerraformFile(d->path().filename().string())) {
        tf.push_back(d->path());
      }
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
    DeclareVariables(module.get());
    it->second = std::move(module);
    return it->second.get();
  }

  void AddFile(ParsedModule* module, std::string text, const std::string& rel) {
    hcl::File file = rel.ends_with(".json") ? ParseTerraformJson(std::move(text), rel)
                                            : hcl::Parse(std::move(text), rel);
    for (const Error& e : file.errors) result_->problems.push_back(e.InFile(rel));
    module->files.push_back(std::move(file));
  }

  // Reads the module's `variable` blocks, once all its files are added.
  void DeclareVariables(ParsedModule* module) {
    for (const hcl::File& f : module->files) {
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type != "variable" || b.labels.empty()) continue;
        Variable v;
        v.name = b.labels[0].value;
        hcl::EvalContext plain;
        plain.filename = f.filename;
        auto invalid = [&](const Error& e) {
          result_->problems.push_back(e);
          v.invalid = fmt::format("var.{} is invalid: {}", v.name, e.message());
        };
        if (const hcl::Attribute* type = FindAttribute(b.body, "type")) {
          Result<hcl::Type> t = hcl::ParseType(*type->expr, f.filename);
          if (t.ok()) {
            v.type = std::move(*t);
          } else {
            invalid(t.error());
          }
        }
        if (const hcl::Attribute* nullable = FindAttribute(b.body, "nullable")) {
          Result<hcl::Value> n = hcl::Evaluate(*nullable->expr, plain);
          if (n.ok() && n->kind() == hcl::Value::Kind::kBool) {
            v.nullable = n->bool_value();
          } else {
            invalid(Error(ErrorCode::kValidation, "nullable must be true or false",
                          SourceLocation{f.filename, nullable->expr->range.start.line,
                                         nullable->expr->range.start.column}));
          }
        }
        if (const hcl::Attribute* def = FindAttribute(b.body, "default")) {
          Result<hcl::Value> d = hcl::Evaluate(*def->expr, plain);
          Result<hcl::Value> converted = d.ok() ? hcl::Convert(*d, v.type) : d;
          if (!d.ok()) {
            v.default_value = hcl::Value::Unknown(d.error().message());
          } else if (converted.ok()) {
            v.default_value = std::move(*converted);
          } else {
            invalid(Error(
                ErrorCode::kValidation,
                fmt::format("invalid default for var.{}: {}", v.name, converted.error().message()),
                SourceLocation{f.filename, def->expr->range.start.line,
                               def->expr->range.start.column}));
          }
        }
        module->variables.push_back(std::move(v));
      }
    }
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

  // Reads a root module and the modules it calls. `root_id` names it in the ids of what its
  // module instances declare (IdPrefix).
  void ReadRoot(const ParsedModule& module, std::string root_id) {
    root_id_ = std::move(root_id);
    instances_.clear();
    installed_ = InstalledModules(module);
    files_ = &FilesFor(module.dir);
    ModuleInstance* root = Instantiate(module, std::nullopt, "", "", module.dir, 0);
    std::vector<std::string> stack;
    ReadInstance(root, &stack);
  }

 private:
  struct ModuleInstance;

  // The instances one module call makes, made once per calling instance: reading the task
  // definitions they declare and evaluating the caller's `module.<name>` share them.
  struct Call {
    enum class Shape { kOne, kCount, kForEach } shape = Shape::kOne;
    std::vector<std::pair<std::string, ModuleInstance*>> instances;  // key ("0", "a"), instance
    std::string blocker;    // why which instances exist is unknown (then one is read)
    std::string truncated;  // the limit that left instances out
    bool ready = false;     // all instances made
  };

  // A module instance: the root module, or one instance of a module call, with the scope its
  // expressions are evaluated in. Locals are evaluated once, whether for its outputs (when a
  // caller first refers to them) or for its task definitions.
  struct ModuleInstance {
    const ParsedModule* module = nullptr;
    std::string prefix;  // its address and a dot ("module.a[0].module.b."), "" for the root
    std::string key;     // its module path as .terraform/modules/modules.json names it ("a.b")
    fs::path root_dir;
    int depth = 0;
    hcl::EvalBudget budget;
    hcl::EvalContext context;
    ModuleScope scope;
    std::optional<hcl::Value> outputs;
    std::map<std::string, Call, std::less<>> calls;  // by call name
    std::set<std::string, std::less<>> evaluating;   // module.<name> being evaluated
  };

  // `module` with `inputs` (nullopt: a root module, whose variables come from defaults, tfvars
  // files and options.parameters). `root_dir` is the root module's folder: Terraform resolves
  // relative file paths and path.module against it.
  ModuleInstance* Instantiate(const ParsedModule& module,
                              const std::optional<std::map<std::string, hcl::Value>>& inputs,
                              std::string prefix, std::string key, const fs::path& root_dir,
                              int depth) {
    ModuleInstance* m = instances_.emplace_back(std::make_unique<ModuleInstance>()).get();
    m->module = &module;
    m->prefix = std::move(prefix);
    m->key = std::move(key);
    m->root_dir = root_dir;
    m->depth = depth;
    // Each module instance has a budget of its own, and all share the scan's.
    m->budget.parent = &scan_budget_;
    m->context.files = &FilesFor(root_dir);
    m->context.budget = &m->budget;
    m->context.scope = &m->scope;
    ModuleScope& scope = m->scope;
    scope.context_ = &m->context;
    scope.nesting_ = &nesting_;
    scope.module_call_ = [this, m](std::string_view name) { return CallValue(m, name); };

    std::map<std::string, hcl::Value> given = inputs ? *inputs : RootVariableValues(module);
    std::vector<hcl::Value::Attribute> vars;
    for (const Variable& v : module.variables) vars.emplace_back(v.name, VariableValue(v, given));
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
        for (const hcl::Attribute& a : b.body.attributes) {
          scope.local_exprs_[a.name] = {a.expr.get(), f.filename};
        }
      }
    }
    return m;
  }

  // Reads the task definitions module instance `m` declares, and the instances it calls.
  void ReadInstance(ModuleInstance* m, std::vector<std::string>* stack) {
    stack->push_back(m->module->dir.string());
    for (const hcl::File& f : m->module->files) {
      m->context.filename = f.filename;
      std::vector<ResourceSpan> spans;
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type == "resource" && b.labels.size() == 2) {
          std::string address = m->prefix + b.labels[0].value + "." + b.labels[1].value;
          std::vector<std::string> ids;
          ReadResource(b, f, IdPrefix(f, m->prefix), address, &m->scope, m->context, &ids);
          for (const std::string& id : ids) {
            spans.push_back({id, b.range.start.line, b.range.end.line});
          }
        } else if (b.type == "module" && b.labels.size() == 1) {
          ReadModuleCall(m, b, f, stack);
        }
      }
      AttachIgnoreComments(f.source, CommentSyntax::kHcl, f.filename, std::move(spans), result_);
    }
    stack->pop_back();
  }

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

  // The asset ids of what file `f` of the module instance at `prefix` declares start with this.
  // In a root module that is the file's path; in a module instance it is the root module's
  // folder, because every root that calls one module makes instances of its own from the same
  // file: the id names the root and the full module path.
  std::string IdPrefix(const hcl::File& f, const std::string& prefix) const {
    return (prefix.empty() ? f.filename : root_id_) + "#";
  }

  // A Gap for the resources of `type` that block `b` declares; for every type read when `type`
  // is null (a module call: whatever ECS resources it makes are not known).
  void AddGap(const ReadType* type, const std::string& id, const hcl::File& f, const hcl::Block& b,
              const std::string& reason) {
    for (const ReadType& t : kReadTypes) {
      if (type != nullptr && type != &t) continue;
      result_->gaps.push_back(
          {std::string(t.label), id, "", "", reason,
           SourceLocation{f.filename, b.range.start.line, b.range.start.column}});
    }
  }

  // Counts one more module or resource instance; false (and a Gap for the block, `id`, as
  // AddGap) once the scan's limit is reached.
  bool Record(const ReadType* type, const std::string& id, const hcl::File& f,
              const hcl::Block& b) {
    if (records_ < kMaxRecords) {
      ++records_;
      return true;
    }
    AddGap(type, id, f, b,
           fmt::format("not read: the scan reached its limit of {} Terraform module and task "
                       "definition instances",
                       kMaxRecords));
    return false;
  }

  // The values a root module's variables are given, as Terraform applies them, later ones
  // winning: terraform.tfvars, terraform.tfvars.json, *.auto.tfvars and *.auto.tfvars.json in
  // name order, options.terraform_variables (-var-file, -var) in order, options.parameters.
  std::map<std::string, hcl::Value> RootVariableValues(const ParsedModule& module) {
    std::map<std::string, hcl::Value> values;
    auto assign = [&](const std::string& name, const std::string& text) {
      values[name] = VariableArgument(module, name, text);
    };
    if (module.on_disk) {
      std::vector<fs::path> files;
      std::error_code ec;
      for (const char* name : {"terraform.tfvars", "terraform.tfvars.json"}) {
        if (fs::is_regular_file(module.dir / name, ec)) files.push_back(module.dir / name);
      }
      std::vector<fs::path> autos;
      for (fs::directory_iterator d(module.dir, ec), end; !ec && d != end; d.increment(ec)) {
        std::string name = d->path().filename().string();
        if (name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")) {
          autos.push_back(d->path());
        }
      }
      std::sort(autos.begin(), autos.end());
      files.insert(files.end(), autos.begin(), autos.end());
      for (const fs::path& p : files) ReadVariableFile(p, &values);
    }
    for (const TerraformVariableArgument& arg : options_.terraform_variables) {
      if (arg.kind == TerraformVariableArgument::Kind::kFile) {
        ReadVariableFile(arg.text, &values);
        continue;
      }
      size_t eq = arg.text.find('=');
      if (eq != std::string::npos) assign(arg.text.substr(0, eq), arg.text.substr(eq + 1));
    }
    for (const auto& [k, v] : options_.parameters) assign(k, v);
    return values;
  }

  // A variable value given as text on the command line: taken literally for a variable of a
  // primitive type or no type, read as an HCL expression otherwise (Terraform's -var).
  hcl::Value VariableArgument(const ParsedModule& module, const std::string& name,
                              const std::string& text) {
    auto v = std::find_if(module.variables.begin(), module.variables.end(),
                          [&](const Variable& v) { return v.name == name; });
    if (v == module.variables.end() || v->type.is_primitive() ||
        v->type.kind == hcl::Type::Kind::kAny) {
      return hcl::Value::String(text);
    }
    hcl::ParsedExpression e = hcl::ParseExpression(text, "-var " + name);
    if (!e.ok()) {
      return hcl::Value::Unknown(fmt::format("the value given for var.{} is not an expression: {}",
                                             name, e.errors.empty() ? "" : e.errors[0].message()));
    }
    hcl::EvalContext plain;
    plain.filename = e.filename;
    return Eval(*e.expr, plain);
  }

  // A .tfvars file (HCL attributes) or .tfvars.json file (an object of literal values).
  void ReadVariableFile(const fs::path& p, std::map<std::string, hcl::Value>* values) {
    std::string text;
    std::string rel = rel_(p);
    if (!ReadFileToString(p.string(), &text)) {
      result_->problems.emplace_back(ErrorCode::kIo, "cannot read variable file",
                                     SourceLocation{rel});
      return;
    }
    if (rel.ends_with(".json")) {
      Result<hcl::Value> v = hcl::DecodeJson(text);
      if (!v.ok()) {
        result_->problems.push_back(v.error().InFile(rel));
      } else if (v->kind() != hcl::Value::Kind::kObject) {
        result_->problems.emplace_back(ErrorCode::kValidation,
                                       "a variable file holds a JSON object",
                                       SourceLocation{rel, 1, 1});
      } else {
        for (const auto& [k, value] : v->attributes()) (*values)[k] = value;
      }
      return;
    }
    hcl::File file = hcl::Parse(std::move(text), rel);
    for (const Error& e : file.errors) result_->problems.push_back(e.InFile(rel));
    hcl::EvalContext plain;
    plain.filename = rel;
    for (const hcl::Attribute& a : file.body.attributes) (*values)[a.name] = Eval(*a.expr, plain);
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

  // Where the module a call names is: a local path, or the folder `terraform init` downloaded
  // it to (.terraform/modules/modules.json of the root module). Nothing when neither, and `why`
  // says what the user can do.
  std::optional<fs::path> CallSource(const ModuleInstance& m, const hcl::Block& call,
                                     std::string* why) {
    if (auto dir = LocalSource(*m.module, call)) return dir;
    const hcl::Attribute* source = FindAttribute(call.body, "source");
    hcl::Value s = source ? Eval(*source->expr, hcl::EvalContext{}) : hcl::Value();
    std::string text = s.kind() == hcl::Value::Kind::kString ? s.string_value() : "";
    std::string key = (m.key.empty() ? "" : m.key + ".") + call.labels[0].value;
    std::string manifest = rel_(m.root_dir / kModulesJson);
    if (!installed_) {
      *why = fmt::format(
          "module source \"{}\" is not a local path and `terraform init` has not downloaded it "
          "({} is absent); run `terraform init` in {}, or scan a plan (`terraform show -json`)",
          text, manifest, rel_(m.root_dir));
      return std::nullopt;
    }
    auto it = installed_->find(key);
    std::error_code ec;
    if (it == installed_->end() || !fs::is_directory(it->second, ec)) {
      *why = fmt::format(
          "module source \"{}\" is not a local path and {} has no folder for module \"{}\"; run "
          "`terraform init` in {} again, or scan a plan (`terraform show -json`)",
          text, manifest, key, rel_(m.root_dir));
      return std::nullopt;
    }
    return it->second;
  }

  // The modules `terraform init` installed for a root module: modules.json's Key (the module
  // path, "a.b") to Dir (relative to the root module). Nothing when it has not run.
  std::optional<std::map<std::string, fs::path>> InstalledModules(const ParsedModule& root) {
    if (!root.on_disk) return std::nullopt;
    fs::path path = root.dir / kModulesJson;
    std::string text;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || !ReadFileToString(path.string(), &text)) {
      return std::nullopt;
    }
    Result<hcl::Value> doc = hcl::DecodeJson(text);
    if (!doc.ok()) {
      result_->problems.push_back(doc.error().InFile(rel_(path)));
      return std::nullopt;
    }
    std::map<std::string, fs::path> out;
    fs::path scan_root = fs::weakly_canonical(scan_root_, ec);
    const hcl::Value* modules =
        doc->kind() == hcl::Value::Kind::kObject ? doc->Find("Modules") : nullptr;
    if (modules == nullptr || modules->kind() != hcl::Value::Kind::kTuple) {
      result_->problems.emplace_back(ErrorCode::kValidation, "modules.json has no \"Modules\" list",
                                     SourceLocation{rel_(path), 1, 1});
      return std::nullopt;
    }
    for (const hcl::Value& entry : modules->elements()) {
      const hcl::Value* key =
          entry.kind() == hcl::Value::Kind::kObject ? entry.Find("Key") : nullptr;
      const hcl::Value* dir = key ? entry.Find("Dir") : nullptr;
      if (!dir || key->kind() != hcl::Value::Kind::kString ||
          dir->kind() != hcl::Value::Kind::kString || key->string_value().empty()) {
        continue;
      }
      // A folder outside the scanned root is not read, as file() reads nothing there.
      fs::path canonical = fs::weakly_canonical(root.dir / dir->string_value(), ec);
      fs::path inside = canonical.lexically_relative(scan_root);
      if (!ec && !inside.empty() && *inside.begin() != "..") {
        out[key->string_value()] = canonical;
      }
    }
    return out;
  }

  // Whether a module call that is not read looks like it makes task definitions.
  static bool LooksLikeEcs(const hcl::Block& call, std::string_view source) {
    return ToLower(std::string(source)).find("ecs") != std::string::npos ||
           FindAttribute(call.body, "container_definitions") ||
           FindAttribute(call.body, "network_mode");
  }

  void ReadModuleCall(ModuleInstance* m, const hcl::Block& call, const hcl::File& f,
                      std::vector<std::string>* stack) {
    std::string address = m->prefix + "module." + call.labels[0].value;
    std::string id = IdPrefix(f, m->prefix) + address;
    std::string why;
    auto dir = CallSource(*m, call, &why);
    if (!dir) {
      // Say so when it looks like it makes task definitions, rather than let them pass unseen.
      const hcl::Attribute* source = FindAttribute(call.body, "source");
      hcl::Value s = source ? Eval(*source->expr, m->context) : hcl::Value();
      if (LooksLikeEcs(call, s.kind() == hcl::Value::Kind::kString ? s.string_value() : "")) {
        AddGap(nullptr, id, f, call, why);
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
      for (const ReadType& t : kReadTypes) {
        AddGap(&t, id, f, call, fmt::format("{}; the {} it makes are not read", message, t.plural));
      }
      return;
    }
    if (m->depth + 1 > kMaxModuleDepth) {
      AddGap(nullptr, id, f, call,
             fmt::format("modules nested deeper than the limit of {} levels are not read",
                         kMaxModuleDepth));
      return;
    }
    const Call& c = CallOf(m, call, f, *dir);
    if (!c.truncated.empty()) AddGap(nullptr, id, f, call, c.truncated);
    for (const auto& [key, child] : c.instances) ReadInstance(child, stack);
  }

  // The instances of module call `call` (declared in file `f`) of instance `m`, made on first
  // use: each with the inputs the call gives it, evaluated with its count.index or each.*.
  const Call& CallOf(ModuleInstance* m, const hcl::Block& call, const hcl::File& f,
                     const fs::path& dir) {
    const std::string& name = call.labels[0].value;
    if (auto it = m->calls.find(name); it != m->calls.end()) return it->second;
    Call& c = m->calls[name];
    // Set on return: until then, the call's own inputs referring to it find it not ready.
    struct Ready {
      Call* c;
      ~Ready() { c->ready = true; }
    } ready{&c};
    std::string address = m->prefix + "module." + name;
    std::string id = IdPrefix(f, m->prefix) + address;
    hcl::EvalContext context = m->context;
    context.filename = f.filename;
    std::vector<Instance> instances = Instances(call, address, context, &c.blocker, &c.truncated);
    if (FindAttribute(call.body, "count")) c.shape = Call::Shape::kCount;
    if (FindAttribute(call.body, "for_each")) c.shape = Call::Shape::kForEach;
    if (!c.blocker.empty()) {
      // Which instances exist is unknown; read the module once, with inputs that may depend on
      // count.index or each.* unknown, so that what does not depend on them is still checked.
      instances = {{address, "", hcl::Value::Unknown(c.blocker), hcl::Value::Unknown(c.blocker)}};
    }
    const ParsedModule* child = Load(dir);
    std::string key = (m->key.empty() ? "" : m->key + ".") + name;
    ModuleScope& scope = m->scope;
    std::optional<hcl::Value> count = std::move(scope.count_), each = std::move(scope.each_);
    for (const Instance& inst : instances) {
      if (!Record(nullptr, id, f, call)) {
        c.truncated = fmt::format(
            "the scan's limit of {} module and task definition instances "
            "left instances out",
            kMaxRecords);
        break;
      }
      scope.count_ = inst.count;
      scope.each_ = inst.each;
      std::map<std::string, hcl::Value> inputs;
      for (const hcl::Attribute& a : call.body.attributes) {
        if (!IsMetaArgument(a.name)) inputs[a.name] = Eval(*a.expr, context);
      }
      c.instances.emplace_back(inst.key, Instantiate(*child, inputs, inst.address + ".", key,
                                                     m->root_dir, m->depth + 1));
    }
    scope.count_ = std::move(count);
    scope.each_ = std::move(each);
    return c;
  }

  // What `module.<name>` is in instance `m`: the object of the outputs of the call's instance,
  // a tuple of them for count, an object of them by key for for_each.
  hcl::Value CallValue(ModuleInstance* m, std::string_view name) {
    const hcl::Block* call = nullptr;
    const hcl::File* file = nullptr;
    for (const hcl::File& f : m->module->files) {
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type == "module" && b.labels.size() == 1 && b.labels[0].value == name) {
          call = &b;
          file = &f;
        }
      }
    }
    if (call == nullptr) return hcl::Value::Unknown(fmt::format("module.{} is not declared", name));
    std::string why;
    auto dir = CallSource(*m, *call, &why);
    if (!dir) return hcl::Value::Unknown(fmt::format("module.{}: {}", name, why));
    if (m->depth + 1 > kMaxModuleDepth) {
      return hcl::Value::Unknown(fmt::format(
          "module.{} is nested deeper than the limit of {} levels", name, kMaxModuleDepth));
    }
    auto made = m->calls.find(name);
    bool cycle = m->evaluating.count(name) || (made != m->calls.end() && !made->second.ready);
    if (cycle || nesting_ >= kMaxNesting) {
      return hcl::Value::Unknown(fmt::format(
          "module.{} refers to itself, or modules refer to each other more than {} deep", name,
          kMaxNesting));
    }
    m->evaluating.emplace(name);
    ++nesting_;
    const Call& c = CallOf(m, *call, *file, *dir);
    std::vector<hcl::Value::Attribute> by_key;
    for (const auto& [key, child] : c.instances) by_key.emplace_back(key, Outputs(child));
    --nesting_;
    m->evaluating.erase(m->evaluating.find(name));
    if (!c.blocker.empty())
      return hcl::Value::Unknown(fmt::format("module.{}: {}", name, c.blocker));
    if (!c.truncated.empty()) {
      return hcl::Value::Unknown(fmt::format("module.{}: {}", name, c.truncated));
    }
    switch (c.shape) {
      case Call::Shape::kOne:
        return by_key.empty() ? hcl::Value::Unknown(fmt::format("module.{} is not read", name))
                              : by_key[0].second;
      case Call::Shape::kCount: {
        std::vector<hcl::Value> tuple;
        for (auto& [key, v] : by_key) tuple.push_back(std::move(v));
        return hcl::Value::Tuple(std::move(tuple));
      }
      case Call::Shape::kForEach:
        return hcl::Value::Object(std::move(by_key));
    }
    return hcl::Value();
  }

  // The object of an instance's `output` values, evaluated once.
  const hcl::Value& Outputs(ModuleInstance* m) {
    if (m->outputs) return *m->outputs;
    std::vector<hcl::Value::Attribute> attrs;
    for (const hcl::File& f : m->module->files) {
      hcl::EvalContext context = m->context;
      context.filename = f.filename;
      for (const hcl::Block& b : f.body.blocks) {
        if (b.type != "output" || b.labels.size() != 1) continue;
        const hcl::Attribute* value = FindAttribute(b.body, "value");
        attrs.emplace_back(b.labels[0].value,
                           value ? Eval(*value->expr, context) : hcl::Value::Null());
      }
    }
    m->outputs = hcl::Value::Object(std::move(attrs));
    return *m->outputs;
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
        instances.push_back({address, "", {}, {}});
      } else {
        if (static_cast<uint64_t>(*as_int) > kMaxInstances) {
          *truncated = fmt::format(
              "count {} exceeds the limit of {} instances; instances [{}] and later are not read",
              *as_int, kMaxInstances, kMaxInstances);
        }
        for (int64_t i = 0; i < *as_int && static_cast<size_t>(i) < kMaxInstances; ++i) {
          instances.push_back({fmt::format("{}[{}]", address, i),
                               std::to_string(i),
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
      auto add = [&](const std::string& k, const hcl::Value& v) {
        if (instances.size() == kMaxInstances) return;
        instances.push_back({fmt::format("{}[{}]", address, QuotedKey(k)),
                             k,
                             {},
                             hcl::Value::Object({{"key", hcl::Value::String(k)}, {"value", v}})});
      };
      // A set (the evaluator's tuples stand for sets) must hold strings; its elements are its
      // keys, each once.
      std::set<std::string> set;
      bool strings = c.kind() == hcl::Value::Kind::kTuple && !c.FirstUnknown();
      for (const hcl::Value& v : strings ? c.elements() : std::vector<hcl::Value>{}) {
        if (v.kind() != hcl::Value::Kind::kString) strings = false;
        if (strings) set.insert(v.string_value());
      }
      if (c.kind() == hcl::Value::Kind::kObject) {
        for (const auto& [k, v] : c.attributes()) add(k, v);
      } else if (strings) {
        for (const std::string& k : set) add(k, hcl::Value::String(k));
      } else {
        *blocker = c.FirstUnknown()
                       ? fmt::format("for_each is unknown ({})", c.FirstUnknown()->unknown_reason())
                       : "for_each is not a map or set of strings";
        instances.push_back({address, "", {}, {}});
      }
    } else {
      instances.push_back({address, "", {}, {}});
    }
    return instances;
  }

  // Evaluates one resource block (each of its count/for_each instances) into task definitions
  // and the other ECS resources (ecs_resources.h). `id_prefix` is what ids of the block's
  // instances start with (IdPrefix).
  void ReadResource(const hcl::Block& b, const hcl::File& f, const std::string& id_prefix,
                    const std::string& address, ModuleScope* scope, const hcl::EvalContext& context,
                    std::vector<std::string>* ids) {
    const std::string& type = b.labels[0].value;
    std::optional<EcsKind> kind = TerraformEcsKind(type);
    if (type != kType && !kind) {
      ids->push_back(id_prefix + address);
      return;
    }
    const ReadType* read_type = &kReadTypes[kind ? static_cast<size_t>(*kind) : 0];
    std::string blocker, truncated;
    std::vector<Instance> instances = Instances(b, address, context, &blocker, &truncated);
    if (!truncated.empty()) {
      AddGap(read_type, id_prefix + address, f, b, truncated);
      ids->push_back(id_prefix + address);
    }
    for (const Instance& inst : instances) {
      if (!Record(read_type, id_prefix + address, f, b)) break;
      scope->count_ = inst.count;
      scope->each_ = inst.each;
      auto init = [&](Resource* r) {
        r->id = id_prefix + inst.address;
        r->name = inst.address;
        r->source = "terraform";
        r->location = {f.filename, b.range.start.line, b.range.start.column};
        ids->push_back(r->id);
        if (!blocker.empty()) r->blockers.push_back(blocker);
      };
      UnknownEvaluator eval;
      if (kind) {
        EcsResource r(*kind);
        init(&r);
        MapEcsResource(BodyNode(b.body, context, 0, {"count", "for_each"}), Syntax::kTerraform,
                       &eval, &r);
        r.values_from_file = files_->reads() > 0;
        Commit(std::move(r), graph_, result_);
        continue;
      }
      TaskDefinition td;
      init(&td);
      Node props = BodyNode(b.body, context, 0, {"container_definitions", "count", "for_each"});
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

  // Adds a body's nested blocks to `props` as Terraform's JSON plan shows them: each block type
  // as a list of objects (`volume { ... } volume { ... }` -> "volume": [{...}, {...}]), with
  // `dynamic` blocks expanded. A dynamic block's for_each iterates a map in key order and a list
  // or set in order, binding the iterator (the block's label, or `iterator = name`) to
  // {key, value}; a set's key is its index here, where Terraform makes it the value, since the
  // evaluator's sets are tuples. A block type with a dynamic block whose for_each is unknown is
  // unknown as a whole: how many blocks there are is not known.
  void AddNestedBlocks(const hcl::Body& body, const hcl::EvalContext& context, int depth,
                       Node* props) {
    struct Blocks {
      Position pos;
      Node list;
      std::string unknown;
    };
    std::vector<std::pair<std::string, Blocks>> by_type;
    auto of_type = [&](const std::string& type, const hcl::Block& b) -> Blocks& {
      for (auto& [t, blocks] : by_type) {
        if (t == type) return blocks;
      }
      Blocks blocks{At(b.range.start), Node{}, ""};
      blocks.list.kind = Node::Kind::kList;
      return by_type.emplace_back(type, std::move(blocks)).second;
    };
    for (const hcl::Block& b : body.blocks) {
      if (depth == 0 &&
          (b.type == "lifecycle" || b.type == "provisioner" || b.type == "connection")) {
        continue;
      }
      if (depth >= kMaxBlockDepth) {
        of_type(b.type, b).unknown =
            fmt::format("blocks nested deeper than the limit of {} levels", kMaxBlockDepth);
        continue;
      }
      if (b.type != "dynamic") {
        Node item = BodyNode(b.body, context, depth + 1);
        item.pos = At(b.range.start);
        of_type(b.type, b).list.items.push_back(std::move(item));
        continue;
      }
      if (b.labels.size() != 1) continue;
      Blocks& blocks = of_type(b.labels[0].value, b);
      ExpandDynamic(b, context, depth, &blocks.list, &blocks.unknown);
    }
    for (auto& [type, blocks] : by_type) {
      Node value = blocks.unknown.empty() ? std::move(blocks.list)
                                          : Node::Unknown(std::move(blocks.unknown), blocks.pos);
      props->Add(type, blocks.pos, std::move(value));
    }
  }

  // A block body's attributes (but `skip`), evaluated, and its nested blocks, as a map.
  Node BodyNode(const hcl::Body& body, const hcl::EvalContext& context, int depth,
                std::initializer_list<std::string_view> skip = {}) {
    Node node;
    node.kind = Node::Kind::kMap;
    for (const hcl::Attribute& a : body.attributes) {
      if (std::find(skip.begin(), skip.end(), a.name) != skip.end()) continue;
      Node v = ToNode(Eval(*a.expr, context));
      v.pos = At(a.expr->range.start);
      node.Add(a.name, At(a.name_range.start), std::move(v));
    }
    AddNestedBlocks(body, context, depth, &node);
    return node;
  }

  // Appends the blocks `dynamic "type" { for_each = ... content { ... } }` makes to `list`, or
  // says in `unknown` why their number is not known.
  void ExpandDynamic(const hcl::Block& b, const hcl::EvalContext& context, int depth, Node* list,
                     std::string* unknown) {
    const hcl::Attribute* for_each = FindAttribute(b.body, "for_each");
    const hcl::Block* content = nullptr;
    for (const hcl::Block& c : b.body.blocks) {
      if (c.type == "content") content = &c;
    }
    if (for_each == nullptr || content == nullptr) return;  // Terraform refuses the block
    std::string iterator = b.labels[0].value;
    if (const hcl::Attribute* it = FindAttribute(b.body, "iterator")) {
      if (auto name = IteratorName(*it->expr)) iterator = *name;
    }
    hcl::Value collection = Eval(*for_each->expr, context);
    if (const hcl::Value* u = collection.FirstUnknown()) {
      *unknown = fmt::format("dynamic \"{}\" for_each is unknown ({})", b.labels[0].value,
                             u->unknown_reason());
      return;
    }
    std::vector<std::pair<hcl::Value, const hcl::Value*>> elements;
    if (collection.kind() == hcl::Value::Kind::kObject) {
      // An object's attributes are in key order already (Value::Object).
      for (const auto& [k, v] : collection.attributes()) {
        elements.emplace_back(hcl::Value::String(k), &v);
      }
    } else if (collection.kind() == hcl::Value::Kind::kTuple) {
      for (size_t i = 0; i < collection.elements().size(); ++i) {
        elements.emplace_back(hcl::Value::Integer(static_cast<int64_t>(i)),
                              &collection.elements()[i]);
      }
    } else {
      *unknown = fmt::format("dynamic \"{}\" for_each is not a collection", b.labels[0].value);
      return;
    }
    if (elements.size() > kMaxInstances) {
      *unknown = fmt::format("dynamic \"{}\" for_each has {} elements, more than the limit of {}",
                             b.labels[0].value, elements.size(), kMaxInstances);
      return;
    }
    for (const auto& [key, value] : elements) {
      IteratorScope scope(context.scope, iterator,
                          hcl::Value::Object({{"key", key}, {"value", *value}}));
      hcl::EvalContext inner = context;
      inner.scope = &scope;
      Node item = BodyNode(content->body, inner, depth + 1);
      item.pos = At(content->range.start);
      list->items.push_back(std::move(item));
    }
  }

  // container_definitions = jsonencode(X) is read from X itself, so that an unknown image does not
  // hide a known privileged flag; any other form is evaluated to its JSON string.
  void ReadContainerDefinitions(const hcl::Attribute& cd, const hcl::EvalContext& context,
                                TaskDefinition* td) {
    Position where = At(cd.name_range.start);
    const hcl::Expression* e = cd.expr.get();
    // "${jsonencode(...)}", as the JSON syntax writes it, is the call's value itself.
    if (e->kind == hcl::ExprKind::kTemplateWrap) e = e->As<hcl::TemplateWrapExpr>().wrapped.get();
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
  std::string root_id_;  // the root module being read (ReadRoot)
  std::map<std::string, std::unique_ptr<hcl::DiskFileReader>> file_readers_;
  const hcl::DiskFileReader* files_ = nullptr;  // the current root module's
  // What evaluating all modules of a scan may spend: a few module budgets' worth.
  hcl::EvalBudget scan_budget_{.max_steps = 40'000'000, .max_bytes = size_t{1} << 30};
  size_t records_ = 0;
  // The instances of the root module being read, and the modules `terraform init` installed
  // for it.
  std::vector<std::unique_ptr<ModuleInstance>> instances_;
  std::optional<std::map<std::string, fs::path>> installed_;
  size_t nesting_ = 0;  // ModuleScope::nesting_
};

}  // namespace

bool IsTerraformFile(std::string_view name) {
  return name.ends_with(".tf") || name.ends_with(".tf.json");
}

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
    reader.ReadRoot(*reader.Load(d), rel(d));
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
    reader.ReadRoot(*reader.Load(d), rel(d));
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
  reader.DeclareVariables(&module);
  std::string root_id = fs::path(file).parent_path().generic_string();
  reader.ReadRoot(module, root_id.empty() ? "." : root_id);
}

}  // namespace ecsguard::ingest::iac
