#include "ingest/snapshot/document_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>

#include "base/arn.h"
#include "base/strings.h"
#include "ingest/snapshot/chunk_reader.h"
#include "ingest/snapshot/json_scan.h"

namespace ecsguard::ingest::snapshot_internal {
namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;
using JsonType = ondemand::json_type;

static_assert(ChunkReader::kPadding >= simdjson::SIMDJSON_PADDING);

// Documents above this size get a parser of their own, freed afterwards, so that one large
// document does not pin its buffers for the rest of the scan.
constexpr size_t kLargeDocument = size_t{1} << 20;

#define SJ_TRY(expr)                                    \
  do {                                                  \
    if (error_code sj_e_ = (expr); sj_e_) return sj_e_; \
  } while (0)

// The key as written, without unescaping (and without touching the parser's string buffer).
// AWS keys never contain escapes; a key that does matches no known key.
std::string_view RawKey(ondemand::field& field) {
  const char* begin = field.key().raw();
  const char* p = begin;
  while (*p != '"' && *p != '\\') ++p;
  return *p == '"' ? std::string_view(begin, static_cast<size_t>(p - begin)) : "\\";
}

// The key as any JSON decoder reads it: "privil\u0065ged" is "privileged" to ECS too. Keys
// without escapes (all of awscli's) are not copied.
error_code DecodedKey(ondemand::field& field, std::string_view* key) {
  *key = RawKey(field);
  if (*key != "\\") return SUCCESS;
  return field.unescaped_key().get(*key);
}

// The keys of one object, to find a duplicate: which of two values ECS's JSON decoder keeps is
// not documented, so an object with one cannot be evaluated. awscli objects have a few dozen
// keys at most, so a linear scan behind a 64-bit filter on (length, last byte) beats hashing: a
// key costs one AND and one store unless it collides in the filter.
class KeySet {
 public:
  // False when `key` is already in the set.
  bool Insert(std::string_view key) {
    unsigned last = key.empty() ? 0 : static_cast<unsigned char>(key.back());
    uint64_t bit = uint64_t{1} << ((key.size() * 7 + last) & 63);
    if ((filter_ & bit) != 0) {
      for (size_t i = 0; i < std::min(size_, kInline); ++i) {
        if (std::string_view(inline_[i].data, inline_[i].size) == key) return false;
      }
      for (std::string_view k : spill_) {
        if (k == key) return false;
      }
    }
    filter_ |= bit;
    if (size_ < kInline) {
      inline_[size_] = Raw{key.data(), key.size()};
    } else {
      spill_.push_back(key);
    }
    ++size_;
    return true;
  }

 private:
  static constexpr size_t kInline = 64;
  struct Raw {  // trivial, so the array is not initialised per object
    const char* data;
    size_t size;
  };
  uint64_t filter_ = 0;
  size_t size_ = 0;
  Raw inline_[kInline];
  std::vector<std::string_view> spill_;
};

const char* TypeName(JsonType t) {
  switch (t) {
    case JsonType::array:
      return "an array";
    case JsonType::object:
      return "an object";
    case JsonType::number:
      return "a number";
    case JsonType::string:
      return "a string";
    case JsonType::boolean:
      return "a Boolean";
    case JsonType::null:
      return "null";
  }
  return "a value";
}

// A field path for messages: "taskDefinition.containerDefinitions[1].privileged".
class Path {
 public:
  void Clear() { size_ = 0; }
  void Push(std::string_view name) { Push(Segment{name, -1}); }
  void PushIndex(size_t index) { Push(Segment{{}, static_cast<int64_t>(index)}); }
  void Pop() { --size_; }
  std::string Render(std::string_view leaf) const {
    std::string out;
    for (size_t i = 0; i < std::min(size_, kMax); ++i) {
      if (segments_[i].index >= 0) {
        out += fmt::format("[{}]", segments_[i].index);
      } else {
        if (!out.empty()) out += '.';
        out += segments_[i].name;
      }
    }
    if (!leaf.empty()) {
      if (!out.empty()) out += '.';
      out += leaf;
    }
    return out.empty() ? std::string("document") : out;
  }

 private:
  struct Segment {
    std::string_view name;
    int64_t index;
  };
  static constexpr size_t kMax = 16;
  void Push(Segment s) {
    if (size_ < kMax) segments_[size_] = s;
    ++size_;
  }
  std::array<Segment, kMax> segments_;
  size_t size_ = 0;
};

class PathScope {
 public:
  PathScope(Path* path, std::string_view name) : path_(path) { path_->Push(name); }
  PathScope(Path* path, size_t index) : path_(path) { path_->PushIndex(index); }
  ~PathScope() { path_->Pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  Path* path_;
};

constexpr std::string_view kExpectedShapes =
    "expected the output of aws ecs describe-task-definition, describe-tasks, "
    "describe-services, describe-clusters, describe-container-instances, describe-task-sets or "
    "describe-capacity-providers, aws ec2 "
    "describe-instances or describe-security-groups, aws elbv2 describe-load-balancers, "
    "describe-target-groups or describe-tags, or a task definition, task, service, cluster or "
    "container instance object";

// What a top-level object is, from its keys.
enum class Shape : uint8_t {
  kUnknown,
  kBareInstance,
  kArnList,
  kPlacebo,  // {"status_code": ..., "data": {...}}: a botocore recording (placebo)
  kDescribeTaskDefinition,
  kArrays,  // one or more of the ArrayKey arrays
  kTaskDefinition,
  kTask,
  kService,
  kCluster,
  kContainerInstance,
  kSecurityGroup,
  kLoadBalancer,
  kTargetGroup,
};

}  // namespace

namespace {

struct ArrayInfo {
  ArrayKey key;
  std::string_view name;        // as awscli prints it
  std::string_view asset_type;  // of its items, "" when they are not assets
};
constexpr ArrayInfo kArrays[] = {
    {ArrayKey::kTaskDefinitions, "taskDefinitions", "ECSTaskDefinition"},
    {ArrayKey::kTasks, "tasks", "ECSTask"},
    {ArrayKey::kServices, "services", "ECSService"},
    {ArrayKey::kClusters, "clusters", "ECSCluster"},
    {ArrayKey::kContainerInstances, "containerInstances", "ECSContainerInstance"},
    {ArrayKey::kTaskSets, "taskSets", "ECSTaskSet"},
    {ArrayKey::kCapacityProviders, "capacityProviders", "ECSCapacityProvider"},
    {ArrayKey::kReservations, "Reservations", "EC2Instance"},
    {ArrayKey::kSecurityGroups, "SecurityGroups", "SecurityGroup"},
    {ArrayKey::kLoadBalancers, "LoadBalancers", "LoadBalancer"},
    {ArrayKey::kTargetGroups, "TargetGroups", "TargetGroup"},
    {ArrayKey::kTagDescriptions, "TagDescriptions", ""},
    {ArrayKey::kFailures, "failures", ""},
};

const ArrayInfo& InfoOf(ArrayKey key) {
  for (const ArrayInfo& info : kArrays) {
    if (info.key == key) return info;
  }
  return kArrays[0];
}

}  // namespace

TopKey ClassifyTopKey(std::string_view key, ArrayKey* array_key) {
  for (const ArrayInfo& info : kArrays) {
    if (key == info.name) {
      *array_key = info.key;
      return TopKey::kArray;
    }
  }
  if (key == "taskDefinitionArns" || key == "taskArns" || key == "serviceArns" ||
      key == "clusterArns" || key == "containerInstanceArns" || key == "families") {
    return TopKey::kArnList;
  }
  return TopKey::kOther;
}

std::string_view AssetTypeOf(ArrayKey key) { return InfoOf(key).asset_type; }

class DocumentReader::Impl {
 public:
  Impl(RecordSink* builder, ProblemSink* problems, SnapshotOptions::Environment environment)
      : builder_(builder), problems_(problems), environment_(environment) {}

  void Read(std::string_view text, uint32_t line, uint32_t column, uint64_t offset) {
    builder_->BeginDocument(text, offset, line, column, -1);
    Begin(text, line, column);
    std::unique_ptr<ondemand::parser> large;
    ondemand::document doc;
    error_code e = ParserFor(text.size(), &large).iterate(Padded(text)).get(doc);
    if (e) return SyntaxProblem(e, nullptr);
    bool consumed = false;
    if ((e = ReadRoot(doc, &consumed))) return SyntaxProblem(e, &doc);
    // A line of JSON Lines may hold more than one value; the framing of other files prevents it.
    const char* rest;
    if (consumed && !doc.current_location().get(rest)) {
      Report(ErrorCode::kParse, rest, "invalid JSON: unexpected content after the JSON value");
    }
  }

  void ReadItem(ArrayKey key, size_t index, std::string_view failure_type, std::string_view text,
                uint32_t line, uint32_t column, uint64_t offset) {
    builder_->BeginDocument(text, offset, line, column,
                            key == ArrayKey::kTaskDefinitions ? static_cast<int32_t>(index) : -1);
    Begin(text, line, column);
    failure_type_ = failure_type;
    PathScope array_scope(&path_, InfoOf(key).name);
    PathScope item_scope(&path_, index);
    std::unique_ptr<ondemand::parser> large;
    ondemand::document doc;
    error_code e = ParserFor(text.size(), &large).iterate(Padded(text)).get(doc);
    if (e) return SyntaxProblem(e, nullptr);
    JsonType type;
    e = doc.type().get(type);
    if (!e && type != JsonType::object) {
      Report(ErrorCode::kValidation, text_.data(),
             fmt::format("{}: expected an object, found {}", path_.Render(""), TypeName(type)));
      return;
    }
    ondemand::object obj;
    if (!e) e = doc.get_object().get(obj);
    if (!e) e = ReadArrayItem(key, obj, text_.data());
    if (e) SyntaxProblem(e, &doc);
  }

 private:
  // A document over kLargeDocument gets a parser of its own, freed with `*large`.
  ondemand::parser& ParserFor(size_t size, std::unique_ptr<ondemand::parser>* large) {
    if (size <= kLargeDocument) return parser_;
    *large = std::make_unique<ondemand::parser>();
    return **large;
  }

  static simdjson::padded_string_view Padded(std::string_view text) {
    return simdjson::padded_string_view(text.data(), text.size(),
                                        text.size() + ChunkReader::kPadding);
  }

  void Begin(std::string_view text, uint32_t line, uint32_t column) {
    text_ = text;
    line_ = line;
    column_ = column;
    path_.Clear();
    td_in_progress_ = false;
    failure_type_ = {};
  }

  // ---- Problems -------------------------------------------------------------------------------

  Error Report(ErrorCode code, const char* at, std::string message) {
    uint32_t line = line_, column = column_;
    if (!problems_->full()) {
      size_t offset = 0;
      if (at >= text_.data() && at <= text_.data() + text_.size()) {
        offset = static_cast<size_t>(at - text_.data());
      }
      LineColumn lc = LineColumnAt(text_, offset);
      line = line_ + lc.line - 1;
      column = lc.line == 1 ? column_ + lc.column - 1 : lc.column;
    }
    return problems_->Report(code, line, column, std::move(message));
  }

  static const char* At(ondemand::value& v) { return v.raw_json_token().data(); }

  // A value of the wrong type: the object it belongs to is not read; the document goes on.
  void TypeError(ondemand::value& v, std::string_view leaf, const char* expected, JsonType found) {
    ++item_errors_;
    last_error_ = Report(
        ErrorCode::kValidation, At(v),
        fmt::format("{}: expected {}, found {}", path_.Render(leaf), expected, TypeName(found)));
  }

  void Invalid(const char* at, std::string message) {
    ++item_errors_;
    last_error_ = Report(ErrorCode::kValidation, at, std::move(message));
  }

  // `doc` is null when the document could not even be started.
  void SyntaxProblem(error_code e, ondemand::document* doc) {
    std::optional<Error> error;
    if (auto syntax = FindSyntaxError(text_)) {
      error = Report(ErrorCode::kParse, text_.data() + syntax->offset,
                     fmt::format("invalid JSON: {}", syntax->message));
    } else {
      // Valid JSON that simdjson still refused (a limit, or a number it cannot represent).
      const char* at = text_.data();
      const char* location;
      if (doc && !doc->current_location().get(location)) at = location;
      error = Report(ErrorCode::kParse, at,
                     fmt::format("invalid JSON: {}", simdjson::error_message(e)));
    }
    if (td_in_progress_) UnreadableTaskDefinition(*error);
  }

  void UnreadableTaskDefinition(const Error& error) {
    td_in_progress_ = false;
    if (!td_.arn) return;
    auto arn = ParseArn(*td_.arn);
    if (!arn || arn->service != "ecs" || !arn->resource.starts_with("task-definition/")) return;
    builder_->AddUnreadable("ECSTaskDefinition", *td_.arn,
                            fmt::format("not read: {}", error.ToString()));
  }

  // ---- Values ---------------------------------------------------------------------------------

  error_code Type(ondemand::value& v, JsonType* t) { return v.type().get(*t); }

  error_code Str(ondemand::value& v, std::string_view leaf, OptStr* out) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t == JsonType::null) return SUCCESS;
    if (t != JsonType::string) {
      TypeError(v, leaf, "a string", t);
      return SUCCESS;
    }
    std::string_view s;
    SJ_TRY(v.get_string().get(s));
    *out = s;
    return SUCCESS;
  }

  error_code Bool(ondemand::value& v, std::string_view leaf, OptBool* out) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t == JsonType::null) return SUCCESS;
    if (t != JsonType::boolean) {
      TypeError(v, leaf, "true or false", t);
      return SUCCESS;
    }
    bool b;
    SJ_TRY(v.get_bool().get(b));
    *out = b;
    return SUCCESS;
  }

  error_code Int(ondemand::value& v, std::string_view leaf, OptInt* out) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t == JsonType::null) return SUCCESS;
    if (t != JsonType::number) {
      TypeError(v, leaf, "an integer", t);
      return SUCCESS;
    }
    int64_t i;
    error_code e = v.get_int64().get(i);
    if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE) {
      ++item_errors_;
      last_error_ = Report(ErrorCode::kValidation, At(v),
                           fmt::format("{}: expected an integer", path_.Render(leaf)));
      return SUCCESS;
    }
    SJ_TRY(e);
    *out = i;
    return SUCCESS;
  }

  // A task definition's cpu and memory: strings in AWS output ("256"), numbers in some tools.
  error_code NumberText(ondemand::value& v, std::string_view leaf, OptStr* out) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t != JsonType::number) return Str(v, leaf, out);
    std::string_view token = v.raw_json_token();
    while (!token.empty() && IsJsonSpace(token.back())) token.remove_suffix(1);
    if (!IsJsonNumber(token)) return simdjson::NUMBER_ERROR;
    *out = token;
    return SUCCESS;
  }

  error_code Time(ondemand::value& v, std::string_view leaf, Timestamp* out) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t == JsonType::number) {
      double seconds;
      SJ_TRY(v.get_double().get(seconds));
      out->epoch_seconds = seconds;
      return SUCCESS;
    }
    return Str(v, leaf, &out->text);
  }

  // Calls fn(key, value) for each member of the object `v`. `leaf` names it in messages (empty
  // when the caller already named it, e.g. an array item).
  template <typename Fn>
  error_code Object(ondemand::value& v, std::string_view leaf, Fn&& fn) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t == JsonType::null) return SUCCESS;
    if (t != JsonType::object) {
      TypeError(v, leaf, "an object", t);
      return SUCCESS;
    }
    ondemand::object obj;
    SJ_TRY(v.get_object().get(obj));
    std::optional<PathScope> scope;
    if (!leaf.empty()) scope.emplace(&path_, leaf);
    return Members(obj, fn);
  }

  // The same for an object already opened (a document root).
  template <typename Fn>
  error_code Object(ondemand::object& obj, std::string_view leaf, Fn&& fn) {
    std::optional<PathScope> scope;
    if (!leaf.empty()) scope.emplace(&path_, leaf);
    return Members(obj, fn);
  }

  // A duplicate key is a problem that makes the object unsound (the asset is not read, so it
  // becomes a gap); the second value is skipped.
  template <typename Fn>
  error_code Members(ondemand::object& obj, Fn&& fn) {
    KeySet keys;
    for (auto member : obj) {
      ondemand::field field;
      SJ_TRY(std::move(member).get(field));
      const char* at = field.key().raw() - 1;
      std::string_view key;
      SJ_TRY(DecodedKey(field, &key));
      if (!keys.Insert(key)) {
        constexpr size_t kShown = 64;
        Invalid(at, fmt::format("duplicate key \"{}{}\" in {}", key.substr(0, kShown),
                                key.size() > kShown ? "..." : "", path_.Render("")));
        continue;
      }
      SJ_TRY(fn(key, field.value()));
    }
    return SUCCESS;
  }

  // Calls fn(index, value) for each item of the array `v`; `*present` tells whether there was
  // an array at all (absent and empty differ for lists the graph stores).
  template <typename Fn>
  error_code Array(ondemand::value& v, std::string_view leaf, Fn&& fn, bool* present = nullptr) {
    JsonType t;
    SJ_TRY(Type(v, &t));
    if (t == JsonType::null) return SUCCESS;
    if (t != JsonType::array) {
      TypeError(v, leaf, "an array", t);
      return SUCCESS;
    }
    if (present) *present = true;
    ondemand::array array;
    SJ_TRY(v.get_array().get(array));
    PathScope scope(&path_, leaf);
    size_t index = 0;
    for (auto item : array) {
      ondemand::value element;
      SJ_TRY(std::move(item).get(element));
      PathScope item_scope(&path_, index);
      SJ_TRY(fn(index++, element));
    }
    return SUCCESS;
  }

  error_code StringList(ondemand::value& v, std::string_view leaf,
                        std::vector<std::string_view>* out, bool* present = nullptr) {
    return Array(
        v, leaf,
        [&](size_t, ondemand::value& item) {
          OptStr s;
          SJ_TRY(Str(item, "", &s));
          if (s) out->push_back(*s);
          return SUCCESS;
        },
        present);
  }

  // ECS tags are [{"key", "value"}]; EC2 and ELB tags are [{"Key", "Value"}].
  error_code TagList(ondemand::value& v, std::string_view leaf, std::vector<KeyValue>* out,
                     bool* present) {
    return Array(
        v, leaf,
        [&](size_t, ondemand::value& item) {
          OptStr key, value;
          SJ_TRY(Object(item, "", [&](std::string_view k, ondemand::value& val) {
            if (k == "key" || k == "Key") return Str(val, k, &key);
            if (k == "value" || k == "Value") return Str(val, k, &value);
            return SUCCESS;
          }));
          if (key) out->push_back(KeyValue{*key, value.value_or(std::string_view())});
          return SUCCESS;
        },
        present);
  }

  error_code TagList(ondemand::value& v, std::string_view leaf, Tags* tags) {
    return TagList(v, leaf, &tags->items, &tags->present);
  }

  // ---- Checks before a record goes to the graph ------------------------------------------------

  // The id field must be an ARN of `service` whose resource starts with `resource_prefix`.
  bool CheckArn(const OptStr& arn, const char* at, std::string_view what, std::string_view field,
                std::string_view service, std::string_view resource_prefix) {
    if (!arn) {
      Invalid(at, fmt::format("{}: {} without {}", path_.Render(""), what, field));
      return false;
    }
    auto parsed = ParseArn(*arn);
    if (!parsed || parsed->service != service || !parsed->resource.starts_with(resource_prefix)) {
      Invalid(at, fmt::format("{}: {} is not {} ARN", path_.Render(""), field,
                              resource_prefix.empty() ? std::string("an ") + std::string(service)
                                                      : fmt::format("a {}", resource_prefix)));
      return false;
    }
    return true;
  }

  // ---- Task definitions ------------------------------------------------------------------------

  error_code ReadContainer(ondemand::value& v, TaskDefinitionRecord* td) {
    td->containers.emplace_back();
    const size_t index = td->containers.size() - 1;
    auto c = [&]() -> ContainerRecord& { return td->containers[index]; };
    c().env.begin = c().env.end = static_cast<uint32_t>(td->env.size());
    c().secrets.begin = c().secrets.end = static_cast<uint32_t>(td->secrets.size());
    c().host_ports.begin = c().host_ports.end = static_cast<uint32_t>(td->host_ports.size());
    const char* at = At(v);
    SJ_TRY(Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "name") return Str(val, key, &c().name);
      if (key == "image") return Str(val, key, &c().image);
      if (key == "user") return Str(val, key, &c().user);
      if (key == "privileged") return Bool(val, key, &c().privileged);
      if (key == "readonlyRootFilesystem") return Bool(val, key, &c().read_only_root_fs);
      if (key == "essential") return Bool(val, key, &c().essential);
      if (key == "cpu") return Int(val, key, &c().cpu);
      if (key == "memory") return Int(val, key, &c().memory);
      if (key == "logConfiguration") {
        return Object(val, key, [&](std::string_view k, ondemand::value& x) {
          return k == "logDriver" ? Str(x, k, &c().log_driver) : SUCCESS;
        });
      }
      if (key == "secrets") {
        // References only: valueFrom is an ARN; ECS never returns a secret's value.
        c().secrets.begin = static_cast<uint32_t>(td->secrets.size());
        SJ_TRY(Array(val, key, [&](size_t, ondemand::value& item) {
          td->secrets.emplace_back();
          SecretRecord& secret = td->secrets.back();
          return Object(item, "", [&](std::string_view k, ondemand::value& x) {
            if (k == "name") return Str(x, k, &secret.name);
            if (k == "valueFrom") return Str(x, k, &secret.value_from);
            return SUCCESS;
          });
        }));
        c().secrets.end = static_cast<uint32_t>(td->secrets.size());
        return SUCCESS;
      }
      if (key == "environment") {
        // Values are kept for evaluation when a check reads them; none may reach a message.
        // Entries the graph does not keep are read all the same, so that a malformed one is
        // the same problem whatever the checks read.
        using Environment = SnapshotOptions::Environment;
        c().env.begin = static_cast<uint32_t>(td->env.size());
        SJ_TRY(Array(val, key, [&](size_t, ondemand::value& item) {
          EnvRecord* env = &unkept_env_;
          if (environment_ != Environment::kNone) env = &td->env.emplace_back();
          OptStr* value =
              environment_ == Environment::kNamesAndValues ? &env->value : &unkept_env_.value;
          return Object(item, "", [&](std::string_view k, ondemand::value& x) {
            if (k == "name") return Str(x, k, &env->name);
            if (k == "value") return Str(x, k, value);
            return SUCCESS;
          });
        }));
        c().env.end = static_cast<uint32_t>(td->env.size());
        return SUCCESS;
      }
      if (key == "portMappings") {
        c().host_ports.begin = static_cast<uint32_t>(td->host_ports.size());
        SJ_TRY(Array(val, key, [&](size_t, ondemand::value& item) {
          return Object(item, "", [&](std::string_view k, ondemand::value& x) -> error_code {
            if (k != "hostPort") return SUCCESS;
            OptInt port;
            SJ_TRY(Int(x, k, &port));
            if (port) td->host_ports.push_back(*port);
            return SUCCESS;
          });
        }));
        c().host_ports.end = static_cast<uint32_t>(td->host_ports.size());
        return SUCCESS;
      }
      return SUCCESS;
    }));
    if (!c().name)
      Invalid(at, fmt::format("{}: container definition without a name", path_.Render("")));
    return SUCCESS;
  }

  template <typename Source>
  error_code ReadTaskDefinition(Source& v, TaskDefinitionRecord* td) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "taskDefinitionArn") return Str(val, key, &td->arn);
      if (key == "containerDefinitions") {
        return Array(val, key,
                     [&](size_t, ondemand::value& item) { return ReadContainer(item, td); });
      }
      if (key == "family") return Str(val, key, &td->family);
      if (key == "revision") return Int(val, key, &td->revision);
      if (key == "status") return Str(val, key, &td->status);
      if (key == "networkMode") return Str(val, key, &td->network_mode);
      if (key == "pidMode") return Str(val, key, &td->pid_mode);
      if (key == "ipcMode") return Str(val, key, &td->ipc_mode);
      if (key == "cpu") return NumberText(val, key, &td->cpu);
      if (key == "memory") return NumberText(val, key, &td->memory);
      if (key == "taskRoleArn") return Str(val, key, &td->task_role_arn);
      if (key == "executionRoleArn") return Str(val, key, &td->execution_role_arn);
      if (key == "requiresCompatibilities") {
        return StringList(val, key, &td->requires_compatibilities,
                          &td->has_requires_compatibilities);
      }
      if (key == "registeredAt") return Time(val, key, &td->registered_at);
      if (key == "runtimePlatform") {
        return Object(val, key, [&](std::string_view k, ondemand::value& x) {
          return k == "operatingSystemFamily" ? Str(x, k, &td->operating_system_family) : SUCCESS;
        });
      }
      if (key == "volumes") {
        return Array(val, key, [&](size_t, ondemand::value& item) {
          td->volumes.emplace_back();
          return ReadVolume(item, &td->volumes.back());
        });
      }
      return SUCCESS;
    });
  }

  error_code ReadVolume(ondemand::value& v, VolumeRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "name") return Str(val, key, &r->name);
      if (key == "host") {
        r->type = "host";
      } else if (key == "dockerVolumeConfiguration") {
        r->type = "docker";
      } else if (key == "fsxWindowsFileServerVolumeConfiguration") {
        r->type = "fsxWindowsFileServer";
      } else if (key == "efsVolumeConfiguration") {
        r->type = "efs";
        return Object(val, key, [&](std::string_view k, ondemand::value& x) {
          if (k == "fileSystemId") return Str(x, k, &r->efs_file_system_id);
          if (k == "transitEncryption") return Str(x, k, &r->transit_encryption);
          return SUCCESS;
        });
      }
      return SUCCESS;
    });
  }

  // Adds the task definition read into td_ unless something in it was wrong, in which case it
  // becomes a gap (a malformed revision must not evaluate as PASS).
  void CommitTaskDefinition(const char* at, size_t errors_before) {
    td_in_progress_ = false;
    bool ok = item_errors_ == errors_before;
    ok = CheckArn(td_.arn, at, "task definition", "taskDefinitionArn", "ecs", "task-definition/") &&
         ok;
    for (size_t i = 0; ok && i < td_.containers.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (td_.containers[i].name == td_.containers[j].name) {
          Invalid(at, fmt::format("{}: containerDefinitions[{}] has the same name as [{}]",
                                  path_.Render(""), i, j));
          ok = false;
          break;
        }
      }
    }
    if (ok) {
      builder_->AddTaskDefinition(td_);
    } else if (td_.arn && item_errors_ > errors_before) {
      td_in_progress_ = true;
      UnreadableTaskDefinition(last_error_);
    }
  }

  error_code ReadDescribeTaskDefinition(ondemand::object& obj) {
    td_.Clear();
    size_t errors_before = item_errors_;
    const char* at = nullptr;
    SJ_TRY(Members(obj, [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "taskDefinition") {
        at = At(val);
        td_in_progress_ = true;
        PathScope scope(&path_, key);
        return ReadTaskDefinition(val, &td_);
      }
      if (key == "tags") return TagList(val, key, &td_.tags);
      return SUCCESS;
    }));
    if (at) {
      PathScope scope(&path_, "taskDefinition");
      CommitTaskDefinition(at, errors_before);
    }
    return SUCCESS;
  }

  // ---- Other ECS objects -----------------------------------------------------------------------

  template <typename Source>
  error_code ReadTask(Source& v, TaskRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "taskArn") return Str(val, key, &r->arn);
      if (key == "clusterArn") return Str(val, key, &r->cluster_arn);
      if (key == "containerInstanceArn") return Str(val, key, &r->container_instance_arn);
      if (key == "taskDefinitionArn") return Str(val, key, &r->task_definition_arn);
      if (key == "lastStatus") return Str(val, key, &r->last_status);
      if (key == "desiredStatus") return Str(val, key, &r->desired_status);
      if (key == "launchType") return Str(val, key, &r->launch_type);
      if (key == "group") return Str(val, key, &r->group);
      if (key == "startedAt") return Time(val, key, &r->started_at);
      if (key == "tags") return TagList(val, key, &r->tags);
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadService(Source& v, ServiceRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "serviceArn") return Str(val, key, &r->arn);
      if (key == "serviceName") return Str(val, key, &r->name);
      if (key == "clusterArn") return Str(val, key, &r->cluster_arn);
      if (key == "status") return Str(val, key, &r->status);
      if (key == "launchType") return Str(val, key, &r->launch_type);
      if (key == "platformVersion") return Str(val, key, &r->platform_version);
      if (key == "desiredCount") return Int(val, key, &r->desired_count);
      if (key == "runningCount") return Int(val, key, &r->running_count);
      if (key == "taskDefinition") return Str(val, key, &r->task_definition);
      if (key == "tags") return TagList(val, key, &r->tags);
      if (key == "deployments") {
        return Array(val, key, [&](size_t, ondemand::value& item) {
          return Object(item, "", [&](std::string_view k, ondemand::value& x) -> error_code {
            if (k != "taskDefinition") return SUCCESS;
            OptStr td;
            SJ_TRY(Str(x, k, &td));
            if (td) r->deployment_task_definitions.push_back(*td);
            return SUCCESS;
          });
        });
      }
      if (key == "loadBalancers") {
        return Array(val, key, [&](size_t, ondemand::value& item) {
          return Object(item, "", [&](std::string_view k, ondemand::value& x) -> error_code {
            if (k != "targetGroupArn") return SUCCESS;
            OptStr tg;
            SJ_TRY(Str(x, k, &tg));
            if (tg) r->target_group_arns.push_back(*tg);
            return SUCCESS;
          });
        });
      }
      if (key == "networkConfiguration") return AssignPublicIp(val, key, &r->assign_public_ip);
      if (key == "taskSets") {
        return Array(val, key, [&](size_t, ondemand::value& item) {
          r->task_sets.emplace_back();
          return ReadTaskSet(item, &r->task_sets.back());
        });
      }
      return SUCCESS;
    });
  }

  // networkConfiguration.awsvpcConfiguration.assignPublicIp of a service or task set.
  error_code AssignPublicIp(ondemand::value& v, std::string_view leaf, OptStr* out) {
    return Object(v, leaf, [&](std::string_view k, ondemand::value& x) -> error_code {
      if (k != "awsvpcConfiguration") return SUCCESS;
      return Object(x, k, [&](std::string_view k2, ondemand::value& y) -> error_code {
        return k2 == "assignPublicIp" ? Str(y, k2, out) : SUCCESS;
      });
    });
  }

  template <typename Source>
  error_code ReadTaskSet(Source& v, TaskSetRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "taskSetArn") return Str(val, key, &r->arn);
      if (key == "serviceArn") return Str(val, key, &r->service_arn);
      if (key == "clusterArn") return Str(val, key, &r->cluster_arn);
      if (key == "status") return Str(val, key, &r->status);
      if (key == "launchType") return Str(val, key, &r->launch_type);
      if (key == "platformVersion") return Str(val, key, &r->platform_version);
      if (key == "taskDefinition") return Str(val, key, &r->task_definition);
      if (key == "networkConfiguration") return AssignPublicIp(val, key, &r->assign_public_ip);
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadCapacityProvider(Source& v, CapacityProviderRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "capacityProviderArn") return Str(val, key, &r->arn);
      if (key == "name") return Str(val, key, &r->name);
      if (key == "status") return Str(val, key, &r->status);
      if (key == "tags") return TagList(val, key, &r->tags);
      if (key == "autoScalingGroupProvider") {
        return Object(val, key, [&](std::string_view k, ondemand::value& x) -> error_code {
          if (k == "autoScalingGroupArn") return Str(x, k, &r->auto_scaling_group_arn);
          if (k == "managedTerminationProtection")
            return Str(x, k, &r->managed_termination_protection);
          return SUCCESS;
        });
      }
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadCluster(Source& v, ClusterRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "clusterArn") return Str(val, key, &r->arn);
      if (key == "clusterName") return Str(val, key, &r->name);
      if (key == "status") return Str(val, key, &r->status);
      if (key == "tags") return TagList(val, key, &r->tags);
      if (key == "settings") {
        return Array(
            val, key,
            [&](size_t, ondemand::value& item) {
              OptStr name, value;
              SJ_TRY(Object(item, "", [&](std::string_view k, ondemand::value& x) {
                if (k == "name") return Str(x, k, &name);
                if (k == "value") return Str(x, k, &value);
                return SUCCESS;
              }));
              if (name) r->settings.push_back(KeyValue{*name, value.value_or(std::string_view())});
              return SUCCESS;
            },
            &r->has_settings);
      }
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadContainerInstance(Source& v, ContainerInstanceRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "containerInstanceArn") return Str(val, key, &r->arn);
      if (key == "ec2InstanceId") return Str(val, key, &r->ec2_instance_id);
      if (key == "status") return Str(val, key, &r->status);
      if (key == "tags") return TagList(val, key, &r->tags);
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadFailure(Source& v, FailureRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "arn") return Str(val, key, &r->arn);
      if (key == "reason") return Str(val, key, &r->reason);
      if (key == "detail") return Str(val, key, &r->detail);
      return SUCCESS;
    });
  }

  // ---- EC2 and ELB -----------------------------------------------------------------------------

  error_code ReadInstance(ondemand::value& v, ReservationRecord* r) {
    r->instances.emplace_back();
    const size_t index = r->instances.size() - 1;
    auto in = [&]() -> InstanceRecord& { return r->instances[index]; };
    in().tags.begin = in().tags.end = static_cast<uint32_t>(r->tags.size());
    in().security_groups.begin = in().security_groups.end =
        static_cast<uint32_t>(r->security_groups.size());
    const char* at = At(v);
    size_t errors_before = item_errors_;
    SJ_TRY(Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "InstanceId") return Str(val, key, &in().instance_id);
      if (key == "PublicIpAddress") return Str(val, key, &in().public_ip);
      if (key == "PrivateIpAddress") return Str(val, key, &in().private_ip);
      if (key == "VpcId") return Str(val, key, &in().vpc_id);
      if (key == "Placement") {
        return Object(val, key, [&](std::string_view k, ondemand::value& x) {
          return k == "AvailabilityZone" ? Str(x, k, &in().availability_zone) : SUCCESS;
        });
      }
      if (key == "State") {
        return Object(val, key, [&](std::string_view k, ondemand::value& x) {
          return k == "Name" ? Str(x, k, &in().state) : SUCCESS;
        });
      }
      if (key == "Tags") {
        in().tags.begin = static_cast<uint32_t>(r->tags.size());
        SJ_TRY(TagList(val, key, &r->tags, &in().has_tags));
        in().tags.end = static_cast<uint32_t>(r->tags.size());
        return SUCCESS;
      }
      if (key == "SecurityGroups") {
        in().security_groups.begin = static_cast<uint32_t>(r->security_groups.size());
        SJ_TRY(Array(val, key, [&](size_t, ondemand::value& item) {
          GroupRef ref;
          SJ_TRY(Object(item, "", [&](std::string_view k, ondemand::value& x) {
            if (k == "GroupId") return Str(x, k, &ref.id);
            if (k == "GroupName") return Str(x, k, &ref.name);
            return SUCCESS;
          }));
          r->security_groups.push_back(ref);
          return SUCCESS;
        }));
        in().security_groups.end = static_cast<uint32_t>(r->security_groups.size());
        return SUCCESS;
      }
      return SUCCESS;
    }));
    if (!in().instance_id)
      Invalid(at, fmt::format("{}: instance without InstanceId", path_.Render("")));
    if (item_errors_ != errors_before) {
      // Leave the other instances of the reservation alone.
      r->tags.resize(in().tags.begin);
      r->security_groups.resize(in().security_groups.begin);
      r->instances.pop_back();
    }
    return SUCCESS;
  }

  template <typename Source>
  error_code ReadReservation(Source& v, ReservationRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "OwnerId") return Str(val, key, &r->owner_id);
      if (key == "Instances") {
        // An instance with a bad field is dropped on its own: not counted against the others.
        size_t errors = item_errors_;
        SJ_TRY(
            Array(val, key, [&](size_t, ondemand::value& item) { return ReadInstance(item, r); }));
        instance_errors_ += item_errors_ - errors;
        item_errors_ = errors;
        return SUCCESS;
      }
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadSecurityGroup(Source& v, SecurityGroupRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "GroupId") return Str(val, key, &r->group_id);
      if (key == "GroupName") return Str(val, key, &r->name);
      if (key == "OwnerId") return Str(val, key, &r->owner_id);
      if (key == "VpcId") return Str(val, key, &r->vpc_id);
      if (key == "SecurityGroupArn") return Str(val, key, &r->arn);
      if (key != "IpPermissions") return SUCCESS;
      return Array(
          val, key,
          [&](size_t, ondemand::value& item) -> error_code {
            // Ports and protocol follow the ranges in awscli's (sorted) output: fill them in after.
            size_t first = r->ingress.size();
            OptStr protocol;
            OptInt from, to;
            auto sources = [&](std::string_view id_key, bool cidr) {
              return [&, id_key, cidr](size_t, ondemand::value& range) {
                return Object(range, "", [&](std::string_view k, ondemand::value& x) -> error_code {
                  if (k != id_key) return SUCCESS;
                  OptStr id;
                  SJ_TRY(Str(x, k, &id));
                  if (!id) return SUCCESS;
                  IngressRule rule;
                  rule.source = *id;
                  rule.open_to_internet = cidr && (*id == "0.0.0.0/0" || *id == "::/0");
                  r->ingress.push_back(rule);
                  return SUCCESS;
                });
              };
            };
            SJ_TRY(Object(item, "", [&](std::string_view k, ondemand::value& x) -> error_code {
              if (k == "IpProtocol") return Str(x, k, &protocol);
              if (k == "FromPort") return Int(x, k, &from);
              if (k == "ToPort") return Int(x, k, &to);
              if (k == "IpRanges") return Array(x, k, sources("CidrIp", true));
              if (k == "Ipv6Ranges") return Array(x, k, sources("CidrIpv6", true));
              if (k == "UserIdGroupPairs") return Array(x, k, sources("GroupId", false));
              if (k == "PrefixListIds") return Array(x, k, sources("PrefixListId", false));
              return SUCCESS;
            }));
            for (size_t i = first; i < r->ingress.size(); ++i) {
              r->ingress[i].protocol = protocol;
              r->ingress[i].from_port = from;
              r->ingress[i].to_port = to;
            }
            return SUCCESS;
          },
          &r->has_ingress);
    });
  }

  template <typename Source>
  error_code ReadLoadBalancer(Source& v, LoadBalancerRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "LoadBalancerArn") return Str(val, key, &r->arn);
      if (key == "LoadBalancerName") return Str(val, key, &r->name);
      if (key == "Scheme") return Str(val, key, &r->scheme);
      if (key == "Type") return Str(val, key, &r->type);
      if (key == "DNSName") return Str(val, key, &r->dns_name);
      if (key == "VpcId") return Str(val, key, &r->vpc_id);
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadTargetGroup(Source& v, TargetGroupRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "TargetGroupArn") return Str(val, key, &r->arn);
      if (key == "TargetGroupName") return Str(val, key, &r->name);
      if (key == "TargetType") return Str(val, key, &r->target_type);
      if (key == "Port") return Int(val, key, &r->port);
      if (key == "VpcId") return Str(val, key, &r->vpc_id);
      if (key == "LoadBalancerArns") return StringList(val, key, &r->load_balancer_arns);
      return SUCCESS;
    });
  }

  template <typename Source>
  error_code ReadTagDescription(Source& v, TagDescriptionRecord* r) {
    return Object(v, "", [&](std::string_view key, ondemand::value& val) -> error_code {
      if (key == "ResourceArn") return Str(val, key, &r->resource_arn);
      if (key == "Tags") return TagList(val, key, &r->tags);
      return SUCCESS;
    });
  }

  // ---- Dispatch --------------------------------------------------------------------------------

  error_code ReadArrayItem(ArrayKey key, ondemand::value& v) {
    return ReadArrayItem(key, v, At(v));
  }

  // Reads one object of the kind `key` holds (a value, or an opened object at `at`) and adds it
  // to the graph if it is sound.
  template <typename Source>
  error_code ReadArrayItem(ArrayKey key, Source& v, const char* at) {
    size_t errors_before = item_errors_;
    switch (key) {
      case ArrayKey::kTaskDefinitions: {
        td_.Clear();
        td_in_progress_ = true;
        SJ_TRY(ReadTaskDefinition(v, &td_));
        CommitTaskDefinition(at, errors_before);
        return SUCCESS;
      }
      case ArrayKey::kTasks:
        builder_->NoteTaskList();
        task_.Clear();
        SJ_TRY(ReadTask(v, &task_));
        if (!Sound(errors_before)) {
          // A task that might be running a revision: its gap makes the revision's controls
          // NOT_EVALUATED rather than silently out of scope.
          if (task_.arn && ParseArn(*task_.arn)) {
            builder_->AddUnreadable("ECSTask", *task_.arn,
                                    fmt::format("not read: {}", last_error_.ToString()));
          }
        } else if (CheckArn(task_.arn, at, "task", "taskArn", "ecs", "task/")) {
          builder_->AddTask(task_);
        }
        return SUCCESS;
      case ArrayKey::kServices:
        service_.Clear();
        SJ_TRY(ReadService(v, &service_));
        if (Sound(errors_before) &&
            CheckArn(service_.arn, at, "service", "serviceArn", "ecs", "service/")) {
          builder_->AddService(service_);
        }
        return SUCCESS;
      case ArrayKey::kClusters:
        cluster_.Clear();
        SJ_TRY(ReadCluster(v, &cluster_));
        if (Sound(errors_before) &&
            CheckArn(cluster_.arn, at, "cluster", "clusterArn", "ecs", "cluster/")) {
          builder_->AddCluster(cluster_);
        }
        return SUCCESS;
      case ArrayKey::kContainerInstances:
        container_instance_.Clear();
        SJ_TRY(ReadContainerInstance(v, &container_instance_));
        if (Sound(errors_before) &&
            CheckArn(container_instance_.arn, at, "container instance", "containerInstanceArn",
                     "ecs", "container-instance/")) {
          builder_->AddContainerInstance(container_instance_);
        }
        return SUCCESS;
      case ArrayKey::kTaskSets:
        task_set_.Clear();
        SJ_TRY(ReadTaskSet(v, &task_set_));
        if (Sound(errors_before) &&
            CheckArn(task_set_.arn, at, "task set", "taskSetArn", "ecs", "task-set/")) {
          builder_->AddTaskSet(task_set_);
        }
        return SUCCESS;
      case ArrayKey::kCapacityProviders:
        capacity_provider_.Clear();
        SJ_TRY(ReadCapacityProvider(v, &capacity_provider_));
        // Fargate's providers may come without an ARN; they have nothing a control judges.
        if (!capacity_provider_.arn && !capacity_provider_.auto_scaling_group_arn) return SUCCESS;
        if (Sound(errors_before) && CheckArn(capacity_provider_.arn, at, "capacity provider",
                                             "capacityProviderArn", "ecs", "capacity-provider/")) {
          builder_->AddCapacityProvider(capacity_provider_);
        }
        return SUCCESS;
      case ArrayKey::kReservations:
        reservation_.Clear();
        SJ_TRY(ReadReservation(v, &reservation_));
        if (Sound(errors_before)) builder_->AddReservation(reservation_);
        item_errors_ += instance_errors_;
        instance_errors_ = 0;
        return SUCCESS;
      case ArrayKey::kSecurityGroups:
        security_group_.Clear();
        SJ_TRY(ReadSecurityGroup(v, &security_group_));
        if (!security_group_.group_id) {
          Invalid(at, fmt::format("{}: security group without GroupId", path_.Render("")));
        }
        if (Sound(errors_before)) builder_->AddSecurityGroup(security_group_);
        return SUCCESS;
      case ArrayKey::kLoadBalancers:
        load_balancer_.Clear();
        SJ_TRY(ReadLoadBalancer(v, &load_balancer_));
        if (Sound(errors_before) &&
            CheckArn(load_balancer_.arn, at, "load balancer", "LoadBalancerArn",
                     "elasticloadbalancing", "loadbalancer/")) {
          builder_->AddLoadBalancer(load_balancer_);
        }
        return SUCCESS;
      case ArrayKey::kTargetGroups:
        target_group_.Clear();
        SJ_TRY(ReadTargetGroup(v, &target_group_));
        if (Sound(errors_before) &&
            CheckArn(target_group_.arn, at, "target group", "TargetGroupArn",
                     "elasticloadbalancing", "targetgroup/")) {
          builder_->AddTargetGroup(target_group_);
        }
        return SUCCESS;
      case ArrayKey::kTagDescriptions:
        tag_description_.Clear();
        SJ_TRY(ReadTagDescription(v, &tag_description_));
        if (Sound(errors_before) && CheckArn(tag_description_.resource_arn, at, "tag description",
                                             "ResourceArn", "elasticloadbalancing", "")) {
          builder_->AddTagDescription(tag_description_);
        }
        return SUCCESS;
      case ArrayKey::kFailures:
        failure_.Clear();
        SJ_TRY(ReadFailure(v, &failure_));
        if (Sound(errors_before)) builder_->AddFailure(failure_type_, failure_);
        return SUCCESS;
    }
    return SUCCESS;
  }

  bool Sound(size_t errors_before) const { return item_errors_ == errors_before; }

  // Reads the document; `*consumed` tells whether it was walked to its end (a scalar is not).
  error_code ReadRoot(ondemand::document& doc, bool* consumed) {
    JsonType type;
    SJ_TRY(doc.type().get(type));
    *consumed = type == JsonType::object || type == JsonType::array;
    if (type == JsonType::object) {
      ondemand::object obj;
      SJ_TRY(doc.get_object().get(obj));
      return ReadTopObject(obj, text_.data() + LeadingSpace(), 0);
    }
    if (type == JsonType::array) {
      // An array of documents, e.g. `--query 'tasks'` output or a list of describe outputs.
      ondemand::array array;
      SJ_TRY(doc.get_array().get(array));
      size_t index = 0;
      for (auto item : array) {
        ondemand::value element;
        SJ_TRY(std::move(item).get(element));
        PathScope scope(&path_, index++);
        JsonType t;
        SJ_TRY(Type(element, &t));
        if (t != JsonType::object) {
          Report(ErrorCode::kValidation, At(element),
                 fmt::format("{}: {} is not an AWS CLI output; {}", path_.Render(""), TypeName(t),
                             kExpectedShapes));
          continue;
        }
        const char* at = At(element);
        ondemand::object obj;
        SJ_TRY(element.get_object().get(obj));
        SJ_TRY(ReadTopObject(obj, at, 1));
      }
      return SUCCESS;
    }
    Report(ErrorCode::kValidation, text_.data() + LeadingSpace(),
           fmt::format("the document is {}, not an AWS CLI output; {}", TypeName(type),
                       kExpectedShapes));
    return SUCCESS;
  }

  size_t LeadingSpace() const {
    size_t i = 0;
    while (i < text_.size() && IsJsonSpace(text_[i])) ++i;
    return i;
  }

  error_code Detect(ondemand::object& obj, Shape* shape, ArrayKey* main_key) {
    bool instance = false, group_id = false, ip_permissions = false, arn_list = false;
    bool data = false, status_code = false, arrays = false, failures = false;
    *shape = Shape::kUnknown;
    for (auto member : obj) {
      ondemand::field field;
      SJ_TRY(std::move(member).get(field));
      std::string_view key = RawKey(field);
      ArrayKey array_key;
      switch (ClassifyTopKey(key, &array_key)) {
        case TopKey::kArray:
          if (array_key == ArrayKey::kFailures) {
            failures = true;
          } else if (array_key == ArrayKey::kSecurityGroups) {
            // Also a key of a bare EC2 instance: decide once all keys are known.
            arrays = true;
            *main_key = array_key;
          } else {
            *main_key = array_key;
            *shape = Shape::kArrays;
            return SUCCESS;
          }
          continue;
        case TopKey::kArnList:
          arn_list = true;
          continue;
        case TopKey::kOther:
          break;
      }
      if (key == "taskDefinition") {
        JsonType t;
        SJ_TRY(Type(field.value(), &t));
        // A service also has "taskDefinition": a string (the ARN), not an object.
        if (t == JsonType::object) {
          *shape = Shape::kDescribeTaskDefinition;
          return SUCCESS;
        }
      } else if (key == "containerDefinitions") {
        *shape = Shape::kTaskDefinition;
        return SUCCESS;
      } else if (key == "taskArn") {
        *shape = Shape::kTask;
        return SUCCESS;
      } else if (key == "serviceArn") {
        *shape = Shape::kService;
        return SUCCESS;
      } else if (key == "ec2InstanceId") {
        *shape = Shape::kContainerInstance;
        return SUCCESS;
      } else if (key == "clusterName") {
        *shape = Shape::kCluster;
        return SUCCESS;
      } else if (key == "TargetGroupArn") {
        *shape = Shape::kTargetGroup;
        return SUCCESS;
      } else if (key == "LoadBalancerArn") {
        *shape = Shape::kLoadBalancer;
        return SUCCESS;
      } else if (key == "InstanceId") {
        instance = true;
      } else if (key == "GroupId") {
        group_id = true;
      } else if (key == "IpPermissions") {
        ip_permissions = true;
      } else if (key == "data") {
        JsonType t;
        SJ_TRY(Type(field.value(), &t));
        data = t == JsonType::object;
      } else if (key == "status_code") {
        status_code = true;
      }
    }
    if (instance) {
      *shape = Shape::kBareInstance;
    } else if (arrays || failures) {
      if (!arrays) *main_key = ArrayKey::kFailures;
      *shape = Shape::kArrays;
    } else if (group_id && ip_permissions) {
      *shape = Shape::kSecurityGroup;
    } else if (arn_list) {
      *shape = Shape::kArnList;
    } else if (data && status_code) {
      *shape = Shape::kPlacebo;
    }
    return SUCCESS;
  }

  error_code ReadTopObject(ondemand::object& obj, const char* at, int depth) {
    Shape shape;
    ArrayKey main_key = ArrayKey::kFailures;
    SJ_TRY(Detect(obj, &shape, &main_key));
    bool nonempty;
    SJ_TRY(obj.reset().get(nonempty));
    switch (shape) {
      case Shape::kUnknown:
      case Shape::kBareInstance:
        Report(ErrorCode::kValidation, at,
               shape == Shape::kBareInstance
                   ? fmt::format("{}: a bare EC2 instance, whose account is only on its "
                                 "reservation; give the whole aws ec2 describe-instances output",
                                 path_.Render(""))
                   : fmt::format("{}: not a recognised AWS CLI output; {}", path_.Render(""),
                                 kExpectedShapes));
        return Members(obj, [](std::string_view, ondemand::value&) { return SUCCESS; });
      case Shape::kArnList:
        // list-* output: names only, nothing to evaluate.
        return Members(obj, [](std::string_view, ondemand::value&) { return SUCCESS; });
      case Shape::kPlacebo:
        return Members(obj, [&](std::string_view key, ondemand::value& val) -> error_code {
          if (key != "data" || depth > 2) return SUCCESS;
          const char* data_at = At(val);
          ondemand::object data;
          SJ_TRY(val.get_object().get(data));
          PathScope scope(&path_, key);
          return ReadTopObject(data, data_at, depth + 1);
        });
      case Shape::kDescribeTaskDefinition:
        return ReadDescribeTaskDefinition(obj);
      case Shape::kArrays:
        failure_type_ = AssetTypeOf(main_key);
        return Members(obj, [&](std::string_view key, ondemand::value& val) -> error_code {
          ArrayKey array_key;
          if (ClassifyTopKey(key, &array_key) != TopKey::kArray) return SUCCESS;
          if (array_key == ArrayKey::kTasks) builder_->NoteTaskList();
          return Array(val, key, [&](size_t, ondemand::value& item) {
            return ReadArrayItem(array_key, item);
          });
        });
      case Shape::kTaskDefinition:
        return ReadArrayItem(ArrayKey::kTaskDefinitions, obj, at);
      case Shape::kTask:
        return ReadArrayItem(ArrayKey::kTasks, obj, at);
      case Shape::kService:
        return ReadArrayItem(ArrayKey::kServices, obj, at);
      case Shape::kCluster:
        return ReadArrayItem(ArrayKey::kClusters, obj, at);
      case Shape::kContainerInstance:
        return ReadArrayItem(ArrayKey::kContainerInstances, obj, at);
      case Shape::kSecurityGroup:
        return ReadArrayItem(ArrayKey::kSecurityGroups, obj, at);
      case Shape::kLoadBalancer:
        return ReadArrayItem(ArrayKey::kLoadBalancers, obj, at);
      case Shape::kTargetGroup:
        return ReadArrayItem(ArrayKey::kTargetGroups, obj, at);
    }
    return SUCCESS;
  }

  RecordSink* builder_;
  ProblemSink* problems_;
  SnapshotOptions::Environment environment_;
  // Where entries the graph does not keep are read to, to type-check them all the same.
  EnvRecord unkept_env_;
  ondemand::parser parser_;
  std::string_view text_;
  uint32_t line_ = 1, column_ = 1;
  Path path_;
  size_t item_errors_ = 0, instance_errors_ = 0;
  Error last_error_{ErrorCode::kInternal, ""};
  bool td_in_progress_ = false;
  std::string_view failure_type_;

  TaskDefinitionRecord td_;
  TaskRecord task_;
  ServiceRecord service_;
  ClusterRecord cluster_;
  ContainerInstanceRecord container_instance_;
  TaskSetRecord task_set_;
  CapacityProviderRecord capacity_provider_;
  ReservationRecord reservation_;
  SecurityGroupRecord security_group_;
  LoadBalancerRecord load_balancer_;
  TargetGroupRecord target_group_;
  TagDescriptionRecord tag_description_;
  FailureRecord failure_;
};

DocumentReader::DocumentReader(RecordSink* builder, ProblemSink* problems,
                               SnapshotOptions::Environment environment)
    : impl_(std::make_unique<Impl>(builder, problems, environment)) {}
DocumentReader::~DocumentReader() = default;

void DocumentReader::Read(std::string_view text, uint32_t line, uint32_t column, uint64_t offset) {
  impl_->Read(text, line, column, offset);
}

void DocumentReader::ReadItem(ArrayKey key, size_t index, std::string_view failure_type,
                              std::string_view text, uint32_t line, uint32_t column,
                              uint64_t offset) {
  impl_->ReadItem(key, index, failure_type, text, line, column, offset);
}

}  // namespace ecsguard::ingest::snapshot_internal
