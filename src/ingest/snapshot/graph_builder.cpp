#include "ingest/snapshot/graph_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <tuple>

#include "base/arn.h"
#include "ingest/snapshot/chunk_reader.h"
#include "ingest/snapshot/timestamps.h"

namespace ecsguard::ingest::snapshot_internal {
namespace {

constexpr std::string_view kTaskDefinition = "ECSTaskDefinition";
constexpr std::string_view kContainerSpec = "ECSTaskContainerSpec";
constexpr std::string_view kTask = "ECSTask";
constexpr std::string_view kService = "ECSService";
constexpr std::string_view kCluster = "ECSCluster";
constexpr std::string_view kContainerInstance = "ECSContainerInstance";
constexpr std::string_view kEc2Instance = "EC2Instance";
constexpr std::string_view kSecurityGroup = "SecurityGroup";
constexpr std::string_view kLoadBalancer = "LoadBalancer";
constexpr std::string_view kTargetGroup = "TargetGroup";
constexpr std::string_view kTaskSet = "ECSTaskSet";
constexpr std::string_view kCapacityProvider = "ECSCapacityProvider";
constexpr std::string_view kSecretRef = "ECSSecretRef";
constexpr std::string_view kVolume = "ECSVolume";
constexpr std::string_view kSetting = "ECSSetting";

constexpr std::string_view kHasContainerDefinition = "HAS_CONTAINER_DEFINITION";
constexpr std::string_view kHasTaskDefinition = "HAS_TASK_DEFINITION";
constexpr std::string_view kHasTask = "HAS_TASK";
constexpr std::string_view kHasService = "HAS_SERVICE";
constexpr std::string_view kHasContainerInstance = "HAS_CONTAINER_INSTANCE";
constexpr std::string_view kHasTargetGroup = "HAS_TARGET_GROUP";
constexpr std::string_view kIsInstance = "IS_INSTANCE";
constexpr std::string_view kMemberOfSecurityGroup = "MEMBER_OF_SECURITY_GROUP";
constexpr std::string_view kHasTaskSet = "HAS_TASK_SET";
constexpr std::string_view kHasSecret = "HAS_SECRET";
constexpr std::string_view kHasVolume = "HAS_VOLUME";
constexpr std::string_view kHasSetting = "HAS_SETTING";

// "us-east-1a" -> "us-east-1"; local and wavelength zones ("us-west-2-lax-1a") too.
std::string_view RegionOfZone(std::string_view zone) {
  size_t pos = 0;
  while (pos < zone.size()) {
    size_t dash = zone.find('-', pos);
    std::string_view part = zone.substr(pos, dash == std::string_view::npos ? dash : dash - pos);
    if (!part.empty() && part[0] >= '0' && part[0] <= '9') {
      size_t digits = 0;
      while (digits < part.size() && part[digits] >= '0' && part[digits] <= '9') ++digits;
      return zone.substr(0, pos + digits);
    }
    if (dash == std::string_view::npos) break;
    pos = dash + 1;
  }
  return {};
}

// The schema type a describe-* failure is about, from its ARN ("...:task/..." -> ECSTask).
std::string_view TypeOfEcsArn(std::string_view arn) {
  auto parsed = ParseArn(arn);
  if (!parsed || parsed->service != "ecs") return {};
  std::string_view resource = parsed->resource;
  if (resource.starts_with("task-definition/")) return kTaskDefinition;
  if (resource.starts_with("task/")) return kTask;
  if (resource.starts_with("service/")) return kService;
  if (resource.starts_with("cluster/")) return kCluster;
  if (resource.starts_with("container-instance/")) return kContainerInstance;
  if (resource.starts_with("task-set/")) return kTaskSet;
  if (resource.starts_with("capacity-provider/")) return kCapacityProvider;
  return {};
}

bool InUse(std::string_view desired, std::string_view last) {
  return desired == "RUNNING" &&
         (last == "PROVISIONING" || last == "PENDING" || last == "ACTIVATING" || last == "RUNNING");
}

}  // namespace

struct GraphBuilder::Keys {
  explicit Keys(graph::Graph& g)
      : task_definition(g.Intern(kTaskDefinition)),
        container_spec(g.Intern(kContainerSpec)),
        task(g.Intern(kTask)),
        service(g.Intern(kService)),
        cluster(g.Intern(kCluster)),
        container_instance(g.Intern(kContainerInstance)),
        ec2_instance(g.Intern(kEc2Instance)),
        security_group(g.Intern(kSecurityGroup)),
        load_balancer(g.Intern(kLoadBalancer)),
        target_group(g.Intern(kTargetGroup)),
        env_entry(g.Intern(kEnvEntry)),
        has_container_definition(g.Intern(kHasContainerDefinition)),
        has_env_entry(g.Intern(kHasEnvEntry)),
        identifier(g.Intern("identifier")),
        id_from_provider(g.Intern("idFromProvider")),
        name(g.Intern("name")),
        cloud_provider(g.Intern("cloudProvider")),
        account_id(g.Intern("accountId")),
        region(g.Intern("region")),
        asset_category(g.Intern("assetCategory")),
        arn(g.Intern("arn")),
        family(g.Intern("family")),
        revision(g.Intern("revision")),
        status(g.Intern("status")),
        network_mode(g.Intern("networkMode")),
        pid_mode(g.Intern("pidMode")),
        ipc_mode(g.Intern("ipcMode")),
        is_latest_revision(g.Intern("isLatestRevision")),
        cpu(g.Intern("cpu")),
        memory(g.Intern("memory")),
        task_role_arn(g.Intern("taskRoleArn")),
        execution_role_arn(g.Intern("executionRoleArn")),
        requires_compatibilities(g.Intern("requiresCompatibilities")),
        registered_at(g.Intern("registeredAt")),
        tags(g.Intern("tags")),
        source(g.Intern("source")),
        image(g.Intern("image")),
        privileged(g.Intern("privileged")),
        user(g.Intern("user")),
        read_only_root_fs(g.Intern("readOnlyRootFS")),
        essential(g.Intern("essential")),
        host_ports(g.Intern("hostPorts")),
        key(g.Intern("key")),
        value(g.Intern("value")),
        last_status(g.Intern("lastStatus")),
        desired_status(g.Intern("desiredStatus")),
        launch_type(g.Intern("launchType")),
        group(g.Intern("group")),
        started_at(g.Intern("startedAt")),
        task_definition_arn(g.Intern("taskDefinitionArn")),
        platform_version(g.Intern("platformVersion")),
        desired_count(g.Intern("desiredCount")),
        running_count(g.Intern("runningCount")),
        assign_public_ip(g.Intern("assignPublicIp")),
        ec2_instance_id(g.Intern("ec2InstanceId")),
        instance_id(g.Intern("instanceId")),
        state(g.Intern("state")),
        public_ip_address(g.Intern("publicIpAddress")),
        private_ip_address(g.Intern("privateIpAddress")),
        group_id(g.Intern("groupId")),
        ingress_rules(g.Intern("ingressRules")),
        open_to_internet(g.Intern("openToInternet")),
        scheme(g.Intern("scheme")),
        type(g.Intern("type")),
        dns_name(g.Intern("dnsName")),
        target_type(g.Intern("targetType")),
        port(g.Intern("port")),
        aws(g.String("aws")),
        containers(g.String("Containers")),
        compute(g.String("Compute")),
        network(g.String("Network")) {}

  Sym task_definition, container_spec, task, service, cluster, container_instance, ec2_instance,
      security_group, load_balancer, target_group, env_entry, has_container_definition,
      has_env_entry;
  Sym identifier, id_from_provider, name, cloud_provider, account_id, region, asset_category, arn,
      family, revision, status, network_mode, pid_mode, ipc_mode, is_latest_revision, cpu, memory,
      task_role_arn, execution_role_arn, requires_compatibilities, registered_at, tags, source,
      image, privileged, user, read_only_root_fs, essential, host_ports, key, value, last_status,
      desired_status, launch_type, group, started_at, task_definition_arn, platform_version,
      desired_count, running_count, assign_public_ip, ec2_instance_id, instance_id, state,
      public_ip_address, private_ip_address, group_id, ingress_rules, open_to_internet, scheme,
      type, dns_name, target_type, port;
  Value aws, containers, compute, network;
};

// The account, region and partition an asset lives in: from its ARN, or given.
struct GraphBuilder::Scope {
  std::string partition, region, account;
  std::string resource;
};

GraphBuilder::GraphBuilder(std::optional<std::vector<std::string>> graph_names,
                           SnapshotOptions::Revisions revisions)
    : k_(std::make_unique<Keys>(graph_)), graph_names_(std::move(graph_names)) {
  // isLatestRevision is decided over every revision of a family.
  defer_ = revisions == SnapshotOptions::Revisions::kReferenced && !Reads("isLatestRevision");
  secrets_ = Reads(kSecretRef) || Reads(kHasSecret);
  volumes_ = Reads(kVolume) || Reads(kHasVolume);
  settings_ = Reads(kSetting) || Reads(kHasSetting);
}

GraphBuilder::~GraphBuilder() = default;

bool GraphBuilder::Reads(std::string_view name) const {
  return !graph_names_ || std::binary_search(graph_names_->begin(), graph_names_->end(), name);
}

bool GraphBuilder::Keeps(Sym key) {
  if (!graph_names_) return true;
  if (key >= keeps_.size()) keeps_.resize(key + 1, kUndecided);
  uint8_t& state = keeps_[key];
  if (state == kUndecided) {
    std::string_view name = graph_.Name(key);
    if (name.ends_with(graph::kUnknownSuffix)) name.remove_suffix(graph::kUnknownSuffix.size());
    bool keep = Reads(name) || std::find(kReadByBuilder.begin(), kReadByBuilder.end(), name) !=
                                   kReadByBuilder.end();
    state = keep ? kKept : kDropped;
  }
  return state == kKept;
}

void GraphBuilder::Set(NodeIndex node, Sym key, Value value) {
  if (Keeps(key)) graph_.SetProp(node, key, value);
}

void GraphBuilder::BeginFile(std::string_view path, bool rereadable) {
  source_ = graph_.String(path);
  file_index_ = static_cast<uint32_t>(file_region_.size());
  file_region_.push_back(kNoSym);
  file_many_regions_.push_back(false);
  file_sources_.push_back(source_);
  file_rereadable_.push_back(rereadable);
}

void GraphBuilder::BeginDocument(std::string_view text, uint64_t offset, uint32_t line,
                                 uint32_t column, int32_t item) {
  if (!defer_ || rereading_) return;
  place_ = DocumentPlace{
      offset, static_cast<uint32_t>(text.size()), line, column, file_index_, item, -1};
  place_text_ = text;
  place_noted_ = false;
}

std::optional<DeferredRevision> GraphBuilder::DeferralOf(std::string_view arn) {
  auto parsed = ParseArn(arn);
  if (!parsed) return std::nullopt;  // as AddTaskDefinition
  return DeferredRevision{std::hash<std::string_view>()(arn), std::move(parsed->account_id),
                          std::move(parsed->region)};
}

void GraphBuilder::Defer(const DeferredRevision& revision) {
  if (!place_noted_) {
    if (!file_rereadable_[file_index_]) {
      place_.saved = static_cast<int32_t>(saved_.size());
      std::string& copy = saved_.emplace_back(place_text_);
      copy.reserve(copy.size() + ChunkReader::kPadding);  // simdjson reads past the end
    }
    places_.push_back(place_);
    place_noted_ = true;
  }
  deferred_.push_back(Deferred{revision.arn_hash, static_cast<uint32_t>(places_.size() - 1)});
  deferred_sorted_ = false;
  if (!revision.account.empty() && !revision.region.empty()) {
    if (revision.account != last_cell_.first || revision.region != last_cell_.second) {
      last_cell_ = {revision.account, revision.region};
      unbuilt_cells_.emplace_back(graph_.Intern(revision.account), graph_.Intern(revision.region));
    }
  }
  NoteRegion(revision.region);
}

void GraphBuilder::SortDeferred() {
  std::sort(deferred_.begin(), deferred_.end(), [](const Deferred& a, const Deferred& b) {
    return std::tie(a.arn_hash, a.place) < std::tie(b.arn_hash, b.place);
  });
  deferred_sorted_ = true;
}

std::vector<DocumentPlace> GraphBuilder::PlacesToBuild(bool require_task_list) {
  std::vector<DocumentPlace> out;
  if (!defer_) return out;
  SortDeferred();
  std::vector<uint32_t> places;
  auto need = [&](std::string arn) {
    uint64_t hash = std::hash<std::string_view>()(arn);
    auto it = std::lower_bound(deferred_.begin(), deferred_.end(), hash,
                               [](const Deferred& d, uint64_t h) { return d.arn_hash < h; });
    if (it == deferred_.end() || it->arn_hash != hash) return;
    needed_.emplace(std::move(arn), it->place);
    for (; it != deferred_.end() && it->arn_hash == hash; ++it) places.push_back(it->place);
  };
  if (require_task_list && !task_list_seen_) {
    // Every task definition is a gap then, and the gaps name them: build them all.
    for (uint32_t i = 0; i < places_.size(); ++i) places.push_back(i);
    build_all_ = true;
  } else {
    for (const auto& [task, links] : task_links_) {
      Value ref = graph_.GetProp(task, k_->task_definition_arn);
      if (ref.kind() == Value::Kind::kString)
        need(TaskDefinitionArn(ref.as_string(), graph_.Id(task)));
    }
    for (const auto& [service, links] : service_links_) {
      for (uint32_t i = links.task_definitions_begin; i < links.task_definitions_end; ++i) {
        need(TaskDefinitionArn(graph_.Name(ref_pool_[i]), graph_.Id(service)));
      }
    }
    // An unreadable copy's gap is dropped when another copy is built: decide it on the node.
    for (const Gap& gap : conditional_gaps_) {
      if (gap.asset_type == kTaskDefinition) need(gap.id);
    }
  }
  std::sort(places.begin(), places.end());
  places.erase(std::unique(places.begin(), places.end()), places.end());
  out.reserve(places.size());
  for (uint32_t i : places) out.push_back(places_[i]);
  return out;
}

void GraphBuilder::BeginReread(uint32_t file) {
  rereading_ = true;
  file_index_ = file;
  source_ = file_sources_[file];
}

void GraphBuilder::EndReread(std::vector<Error>* problems) {
  rereading_ = false;
  std::vector<std::pair<uint32_t, std::string_view>> missing;
  for (const auto& [arn, place] : needed_) {
    if (place != kBuilt) missing.emplace_back(place, arn);
  }
  std::sort(missing.begin(), missing.end());
  for (const auto& [place, arn] : missing) {
    const DocumentPlace& p = places_[place];
    problems->emplace_back(
        ErrorCode::kIo,
        fmt::format("task definition {} was not found again where it was read (did the file "
                    "change during the scan?): it is not evaluated",
                    arn),
        SourceLocation{std::string(file_sources_[p.file].as_string()), p.line, p.column});
  }
  needed_.clear();
}

bool GraphBuilder::ParseScope(std::string_view arn, Scope* scope) {
  auto parsed = ParseArn(arn);
  if (!parsed) return false;
  scope->partition = std::move(parsed->partition);
  scope->region = std::move(parsed->region);
  scope->account = std::move(parsed->account_id);
  scope->resource = std::move(parsed->resource);
  return true;
}

void GraphBuilder::NoteRegion(std::string_view region) {
  if (region.empty() || file_region_.empty()) return;
  Sym sym = graph_.Intern(region);
  Sym& current = file_region_[file_index_];
  if (current == kNoSym && !file_many_regions_[file_index_]) {
    current = sym;
  } else if (current != sym) {
    current = kNoSym;
    file_many_regions_[file_index_] = true;
  }
}

graph::NodeIndex GraphBuilder::AddAsset(Sym label, std::string_view id, const Scope& scope,
                                        Value category) {
  NodeIndex node = graph_.AddNode(label, id);
  Value id_value = Value::StringView(graph_.Id(node));
  Set(node, k_->identifier, id_value);
  Set(node, k_->id_from_provider, id_value);
  Set(node, k_->cloud_provider, k_->aws);
  if (!scope.account.empty()) Set(node, k_->account_id, Cached(scope.account));
  if (!scope.region.empty()) Set(node, k_->region, Cached(scope.region));
  Set(node, k_->asset_category, category);
  return node;
}

graph::Value GraphBuilder::Cached(std::string_view s) {
  if (s.size() > 256) return graph_.String(s);
  Value& slot = cache_[std::hash<std::string_view>()(s) & (kCacheSize - 1)];
  if (slot.kind() != Value::Kind::kString || slot.as_string() != s) slot = graph_.String(s);
  return slot;
}

void GraphBuilder::SetCached(NodeIndex node, Sym key, const OptStr& s) {
  if (s && Keeps(key)) Set(node, key, Cached(*s));
}

void GraphBuilder::SetStr(NodeIndex node, Sym key, const OptStr& s) {
  if (s && Keeps(key)) Set(node, key, graph_.String(*s));
}

void GraphBuilder::SetInt(NodeIndex node, Sym key, const OptInt& i) {
  if (i) Set(node, key, Value::Int(*i));
}

void GraphBuilder::SetBool(NodeIndex node, Sym key, const OptBool& b) {
  if (b) Set(node, key, Value::Bool(*b));
}

void GraphBuilder::SetTags(NodeIndex node, const Tags& tags) {
  if (!tags.present) return;
  SetTags(node, tags.items, Range{0, static_cast<uint32_t>(tags.items.size())});
}

void GraphBuilder::SetTags(NodeIndex node, const std::vector<KeyValue>& tags, Range range) {
  if (!Keeps(k_->tags)) return;
  values_.clear();
  for (uint32_t i = range.begin; i < range.end; ++i) {
    scratch_.assign(tags[i].key);
    scratch_ += '=';
    scratch_ += tags[i].value;
    values_.push_back(Cached(scratch_));
  }
  Set(node, k_->tags, graph_.List(values_));
}

void GraphBuilder::SetTime(NodeIndex node, Sym key, const Timestamp& t) {
  if (!Keeps(key)) return;
  if (t.epoch_seconds) {
    if (EpochToIso8601(*t.epoch_seconds, &scratch_)) Set(node, key, graph_.StoreString(scratch_));
  } else if (t.text) {
    // Not an ISO date-time after all: keep what AWS gave rather than lose it.
    Set(node, key, graph_.StoreString(NormalizeIso8601(*t.text, &scratch_) ? scratch_ : *t.text));
  }
}

graph::NodeIndex GraphBuilder::AddArnAsset(Sym label, std::string_view arn, const Scope& scope,
                                           Value category) {
  NodeIndex node = AddAsset(label, arn, scope, category);
  Set(node, k_->arn, Value::StringView(graph_.Id(node)));
  return node;
}

std::optional<graph::NodeIndex> GraphBuilder::ClusterNode(Sym arn) {
  std::string_view id = graph_.Name(arn);
  if (auto cluster = Find(id, k_->cluster)) return cluster;
  // Only referenced (by a task or service): a placeholder with its identity and nothing else.
  Scope scope;
  if (!ParseScope(id, &scope)) return std::nullopt;
  return AddArnAsset(k_->cluster, id, scope, k_->containers);
}

std::optional<graph::NodeIndex> GraphBuilder::Find(std::string_view id, Sym label) const {
  auto node = graph_.FindNode(id);
  if (!node || graph_.Label(*node) != label) return std::nullopt;
  return node;
}

std::string GraphBuilder::TaskDefinitionArn(std::string_view ref,
                                            std::string_view context_arn) const {
  if (ref.starts_with("arn:")) return std::string(ref);
  // "family:revision": the task definition lives in the referring asset's account and region.
  auto context = ParseArn(context_arn);
  if (!context || !ParseTaskDefinitionRef(ref)) return std::string(ref);
  return fmt::format("arn:{}:ecs:{}:{}:task-definition/{}", context->partition, context->region,
                     context->account_id, ref);
}

void GraphBuilder::AddTaskDefinition(const TaskDefinitionRecord& r) {
  if (defer_ && !rereading_) {
    if (auto revision = DeferralOf(*r.arn)) Defer(*revision);
    return;
  }
  if (rereading_ && !build_all_) {
    auto it = needed_.find(std::string(*r.arn));
    if (it == needed_.end()) return;
    it->second = kBuilt;
  }
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex td = AddArnAsset(k_->task_definition, *r.arn, scope, k_->containers);
  std::string_view arn = graph_.Id(td);
  OptStr family = r.family;
  OptInt revision = r.revision;
  auto ref = ParseTaskDefinitionRef(arn);
  if (ref && !family) family = ref->family;
  if (ref && !revision) revision = ref->revision;
  SetStr(td, k_->family, family);
  SetInt(td, k_->revision, revision);
  if (family && revision && Keeps(k_->name)) {
    scratch_.assign(*family);
    scratch_ += ':';
    scratch_ += std::to_string(*revision);
    Set(td, k_->name, graph_.StoreString(scratch_));
  }
  SetCached(td, k_->status, r.status);
  SetCached(td, k_->network_mode, r.network_mode);
  SetCached(td, k_->pid_mode, r.pid_mode);
  SetCached(td, k_->ipc_mode, r.ipc_mode);
  SetCached(td, k_->cpu, r.cpu);
  SetCached(td, k_->memory, r.memory);
  SetCached(td, k_->task_role_arn, r.task_role_arn);
  SetCached(td, k_->execution_role_arn, r.execution_role_arn);
  if (r.has_requires_compatibilities && Keeps(k_->requires_compatibilities)) {
    values_.clear();
    for (std::string_view c : r.requires_compatibilities) values_.push_back(Cached(c));
    Set(td, k_->requires_compatibilities, graph_.List(values_));
  }
  SetTime(td, k_->registered_at, r.registered_at);
  SetCached(td, graph_.Intern("operatingSystemFamily"), r.operating_system_family);
  SetTags(td, r.tags);
  Set(td, k_->source, source_);
  // Settled in Finish; set now so that Finish replaces it in place instead of moving every
  // property of every definition to the end of the graph's property pool.
  Set(td, k_->is_latest_revision, Value::Bool(false));

  for (const ContainerRecord& c : r.containers) {
    scratch_.assign(arn);
    scratch_ += '#';
    scratch_ += *c.name;
    NodeIndex spec = AddAsset(k_->container_spec, scratch_, scope, k_->containers);
    graph_.AddEdge(k_->has_container_definition, td, spec);
    SetCached(spec, k_->name, c.name);
    SetCached(spec, k_->image, c.image);
    SetBool(spec, k_->privileged, c.privileged);
    SetCached(spec, k_->user, c.user);
    SetBool(spec, k_->read_only_root_fs, c.read_only_root_fs);
    SetBool(spec, k_->essential, c.essential);
    SetInt(spec, k_->cpu, c.cpu);
    SetInt(spec, k_->memory, c.memory);
    SetCached(spec, graph_.Intern("logDriver"), c.log_driver);
    if (c.host_ports.end > c.host_ports.begin && Keeps(k_->host_ports)) {
      values_.clear();
      for (uint32_t i = c.host_ports.begin; i < c.host_ports.end; ++i) {
        values_.push_back(Value::Int(r.host_ports[i]));
      }
      Set(spec, k_->host_ports, graph_.List(values_));
    }
    std::string_view spec_id = graph_.Id(spec);
    for (uint32_t i = c.env.begin; i < c.env.end; ++i) {
      scratch_.assign(spec_id);
      scratch_ += "#env/";
      scratch_ += std::to_string(i - c.env.begin);
      NodeIndex env = graph_.AddNode(k_->env_entry, scratch_);
      SetCached(env, k_->key, r.env[i].name);
      SetCached(env, k_->value, r.env[i].value);
      graph_.AddEdge(k_->has_env_entry, spec, env);
    }
    for (uint32_t i = c.secrets.begin; secrets_ && i < c.secrets.end; ++i) {
      scratch_.assign(spec_id);
      scratch_ += "#secret/";
      scratch_ += std::to_string(i - c.secrets.begin);
      NodeIndex secret = graph_.AddNode(kSecretRef, scratch_);
      SetCached(secret, k_->name, r.secrets[i].name);
      SetStr(secret, graph_.Intern("valueFrom"), r.secrets[i].value_from);
      graph_.AddEdge(kHasSecret, spec, secret);
    }
  }
  for (size_t i = 0; volumes_ && i < r.volumes.size(); ++i) {
    const VolumeRecord& v = r.volumes[i];
    NodeIndex volume = graph_.AddNode(kVolume, fmt::format("{}#volume/{}", arn, i));
    SetCached(volume, k_->name, v.name);
    SetCached(volume, k_->type, v.type);
    SetStr(volume, graph_.Intern("efsFileSystemId"), v.efs_file_system_id);
    SetCached(volume, graph_.Intern("transitEncryption"), v.transit_encryption);
    graph_.AddEdge(kHasVolume, td, volume);
  }
  task_definitions_.push_back(td);
  NoteRegion(scope.region);
}

void GraphBuilder::AddTask(const TaskRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex task = AddArnAsset(k_->task, *r.arn, scope, k_->containers);
  SetCached(task, k_->last_status, r.last_status);
  SetCached(task, k_->desired_status, r.desired_status);
  SetCached(task, k_->launch_type, r.launch_type);
  SetStr(task, k_->group, r.group);
  SetTime(task, k_->started_at, r.started_at);
  SetStr(task, k_->task_definition_arn, r.task_definition_arn);
  SetTags(task, r.tags);
  task_links_[task] = TaskLinks{SymOf(r.cluster_arn), SymOf(r.container_instance_arn)};
  NoteRegion(scope.region);
}

void GraphBuilder::AddService(const ServiceRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex service = AddArnAsset(k_->service, *r.arn, scope, k_->containers);
  SetStr(service, k_->name, r.name);
  SetStr(service, k_->status, r.status);
  SetStr(service, k_->launch_type, r.launch_type);
  SetStr(service, k_->platform_version, r.platform_version);
  SetInt(service, k_->desired_count, r.desired_count);
  SetInt(service, k_->running_count, r.running_count);
  SetStr(service, k_->task_definition_arn, r.task_definition);
  SetStr(service, k_->assign_public_ip, r.assign_public_ip);
  SetTags(service, r.tags);
  ServiceLinks links;
  links.cluster = SymOf(r.cluster_arn);
  links.task_definitions_begin = static_cast<uint32_t>(ref_pool_.size());
  if (r.task_definition) ref_pool_.push_back(graph_.Intern(*r.task_definition));
  for (std::string_view td : r.deployment_task_definitions) ref_pool_.push_back(graph_.Intern(td));
  links.task_definitions_end = static_cast<uint32_t>(ref_pool_.size());
  links.target_groups_begin = links.task_definitions_end;
  for (std::string_view tg : r.target_group_arns) ref_pool_.push_back(graph_.Intern(tg));
  links.target_groups_end = static_cast<uint32_t>(ref_pool_.size());
  service_links_[service] = links;
  for (const TaskSetRecord& t : r.task_sets) {
    // Task sets listed inside a service belong to it, whatever their serviceArn says.
    if (!t.arn) continue;
    TaskSetRecord linked = t;
    linked.service_arn = graph_.Id(service);
    AddTaskSet(linked);
  }
  NoteRegion(scope.region);
}

void GraphBuilder::AddTaskSet(const TaskSetRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex task_set = AddArnAsset(graph_.Intern(kTaskSet), *r.arn, scope, k_->containers);
  SetStr(task_set, k_->status, r.status);
  SetStr(task_set, k_->launch_type, r.launch_type);
  SetStr(task_set, k_->platform_version, r.platform_version);
  SetStr(task_set, k_->task_definition_arn, r.task_definition);
  SetStr(task_set, k_->assign_public_ip, r.assign_public_ip);
  if (r.service_arn) task_set_services_[task_set] = graph_.Intern(*r.service_arn);
  NoteRegion(scope.region);
}

void GraphBuilder::AddCapacityProvider(const CapacityProviderRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex provider = AddArnAsset(graph_.Intern(kCapacityProvider), *r.arn, scope, k_->compute);
  SetStr(provider, k_->name, r.name);
  SetStr(provider, k_->status, r.status);
  SetStr(provider, graph_.Intern("autoScalingGroupArn"), r.auto_scaling_group_arn);
  SetStr(provider, graph_.Intern("managedTerminationProtection"), r.managed_termination_protection);
  SetTags(provider, r.tags);
  NoteRegion(scope.region);
}

void GraphBuilder::AddCluster(const ClusterRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex cluster = AddArnAsset(k_->cluster, *r.arn, scope, k_->containers);
  SetStr(cluster, k_->name, r.name);
  SetStr(cluster, k_->status, r.status);
  SetTags(cluster, r.tags);
  if (r.has_settings) {
    std::string_view cluster_id = graph_.Id(cluster);
    for (size_t i = 0; settings_ && i < r.settings.size(); ++i) {
      NodeIndex setting = graph_.AddNode(kSetting, fmt::format("{}#setting/{}", cluster_id, i));
      SetCached(setting, k_->key, r.settings[i].key);
      SetCached(setting, k_->value, r.settings[i].value);
      graph_.AddEdge(kHasSetting, cluster, setting);
    }
  } else {
    // Without --include SETTINGS the output says nothing about them: a check on them cannot
    // decide (absent would read as "no Container Insights").
    scratch_.assign("hasECSSettings");
    scratch_ += graph::kUnknownSuffix;
    Set(cluster, graph_.Intern(scratch_),
        graph_.String("the cluster's settings were not read (describe-clusters "
                      "without --include SETTINGS)"));
  }
  NoteRegion(scope.region);
}

void GraphBuilder::AddContainerInstance(const ContainerInstanceRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex ci = AddArnAsset(k_->container_instance, *r.arn, scope, k_->containers);
  SetStr(ci, k_->ec2_instance_id, r.ec2_instance_id);
  SetStr(ci, k_->status, r.status);
  SetTags(ci, r.tags);
  NoteRegion(scope.region);
}

graph::NodeIndex GraphBuilder::SecurityGroupNode(std::string_view group_id,
                                                 std::string_view account, std::string_view region,
                                                 std::string_view partition) {
  Scope scope{std::string(partition), std::string(region), std::string(account), {}};
  std::string id =
      fmt::format("arn:{}:ec2:{}:{}:security-group/{}", partition, region, account, group_id);
  NodeIndex node = AddAsset(k_->security_group, id, scope, k_->network);
  Set(node, k_->group_id, graph_.String(group_id));
  return node;
}

void GraphBuilder::AddReservation(const ReservationRecord& r) {
  if (rereading_) return;  // added the first time
  std::string_view account = r.owner_id.value_or(std::string_view());
  for (const InstanceRecord& in : r.instances) {
    std::string_view region = RegionOfZone(in.availability_zone.value_or(std::string_view()));
    std::string_view partition = PartitionOfRegion(region);
    Scope scope{std::string(partition), std::string(region), std::string(account), {}};
    std::string id =
        fmt::format("arn:{}:ec2:{}:{}:instance/{}", partition, region, account, *in.instance_id);
    NodeIndex node = AddAsset(k_->ec2_instance, id, scope, k_->compute);
    SetStr(node, k_->instance_id, in.instance_id);
    SetStr(node, k_->state, in.state);
    SetStr(node, k_->public_ip_address, in.public_ip);
    SetStr(node, k_->private_ip_address, in.private_ip);
    if (in.has_tags) {
      SetTags(node, r.tags, in.tags);
      for (uint32_t i = in.tags.begin; i < in.tags.end; ++i) {
        if (r.tags[i].key == "Name") Set(node, k_->name, graph_.String(r.tags[i].value));
      }
    }
    for (uint32_t i = in.security_groups.begin; i < in.security_groups.end; ++i) {
      const GroupRef& ref = r.security_groups[i];
      if (!ref.id) continue;
      NodeIndex sg = SecurityGroupNode(*ref.id, account, region, partition);
      SetStr(sg, k_->name, ref.name);
      graph_.AddEdge(kMemberOfSecurityGroup, node, sg);
    }
    if (in.vpc_id && !region.empty())
      vpc_region_[graph_.Intern(*in.vpc_id)] = graph_.Intern(region);
    NoteRegion(region);
  }
}

void GraphBuilder::AddSecurityGroup(const SecurityGroupRecord& r) {
  if (rereading_) return;  // added the first time
  // The node id needs the region, which describe-security-groups does not print unless it gives
  // the ARN: settled in Finish, when every file has been read.
  PendingSecurityGroup pending{};
  pending.group_id = graph_.Intern(*r.group_id);
  pending.owner = SymOf(r.owner_id);
  pending.vpc = SymOf(r.vpc_id);
  pending.arn = SymOf(r.arn);
  if (r.name) pending.name = graph_.String(*r.name);
  pending.has_ingress = r.has_ingress;
  pending.open_to_internet = false;
  values_.clear();
  for (const IngressRule& rule : r.ingress) {
    std::string_view protocol = rule.protocol.value_or("all");
    if (protocol == "-1") protocol = "all";
    std::string ports = rule.from_port && rule.to_port
                            ? fmt::format("{}-{}", *rule.from_port, *rule.to_port)
                            : std::string("all");
    values_.push_back(graph_.String(fmt::format("{}:{}:{}", protocol, ports, rule.source)));
    pending.open_to_internet |= rule.open_to_internet;
  }
  pending.rules = graph_.List(values_);
  pending.file = file_index_;
  pending_security_groups_.push_back(pending);
  if (r.arn) {
    Scope scope;
    if (ParseScope(*r.arn, &scope)) NoteRegion(scope.region);
  }
}

void GraphBuilder::AddLoadBalancer(const LoadBalancerRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex lb = AddArnAsset(k_->load_balancer, *r.arn, scope, k_->network);
  SetStr(lb, k_->name, r.name);
  SetStr(lb, k_->scheme, r.scheme);
  SetStr(lb, k_->type, r.type);
  SetStr(lb, k_->dns_name, r.dns_name);
  if (r.vpc_id && !scope.region.empty()) {
    vpc_region_[graph_.Intern(*r.vpc_id)] = graph_.Intern(scope.region);
  }
  NoteRegion(scope.region);
}

void GraphBuilder::AddTargetGroup(const TargetGroupRecord& r) {
  if (rereading_) return;  // added the first time
  Scope scope;
  if (!ParseScope(*r.arn, &scope)) return;
  NodeIndex tg = AddArnAsset(k_->target_group, *r.arn, scope, k_->network);
  SetStr(tg, k_->name, r.name);
  SetStr(tg, k_->target_type, r.target_type);
  SetInt(tg, k_->port, r.port);
  Range lbs{static_cast<uint32_t>(ref_pool_.size()), 0};
  for (std::string_view lb : r.load_balancer_arns) ref_pool_.push_back(graph_.Intern(lb));
  lbs.end = static_cast<uint32_t>(ref_pool_.size());
  target_group_links_[tg] = lbs;
  if (r.vpc_id && !scope.region.empty()) {
    vpc_region_[graph_.Intern(*r.vpc_id)] = graph_.Intern(scope.region);
  }
  NoteRegion(scope.region);
}

void GraphBuilder::AddTagDescription(const TagDescriptionRecord& r) {
  if (rereading_) return;  // added the first time
  values_.clear();
  for (const KeyValue& tag : r.tags.items) {
    values_.push_back(graph_.String(fmt::format("{}={}", tag.key, tag.value)));
  }
  elb_tags_.push_back(PendingTags{graph_.Intern(*r.resource_arn), graph_.List(values_)});
}

void GraphBuilder::AddFailure(std::string_view asset_type, const FailureRecord& r) {
  if (rereading_) return;  // added the first time
  std::string_view id = r.arn.value_or(std::string_view());
  std::string_view type = TypeOfEcsArn(id);
  Gap gap;
  gap.asset_type = std::string(type.empty() ? asset_type : type);
  gap.id = std::string(id);
  if (auto arn = ParseArn(id)) {
    gap.account_id = arn->account_id;
    gap.region = arn->region;
  }
  gap.reason = fmt::format("describe failed: {}", r.reason.value_or("no reason given"));
  if (r.detail) gap.reason += fmt::format(" ({})", *r.detail);
  conditional_gaps_.push_back(std::move(gap));
}

void GraphBuilder::AddUnreadable(std::string_view asset_type, std::string_view id,
                                 std::string reason) {
  if (rereading_) return;
  Gap gap;
  gap.asset_type = std::string(asset_type);
  gap.id = std::string(id);
  if (auto arn = ParseArn(id)) {
    gap.account_id = arn->account_id;
    gap.region = arn->region;
  }
  gap.reason = std::move(reason);
  conditional_gaps_.push_back(std::move(gap));
}

void GraphBuilder::CommitSecurityGroups() {
  for (const PendingSecurityGroup& p : pending_security_groups_) {
    // Region: the ARN when the output has one; else the VPC's region, learnt from instances,
    // load balancers or target groups anywhere in the snapshot; else the one region of the
    // file's other assets; else unknown (an empty region in the id).
    Scope scope;
    bool from_arn = p.arn != kNoSym && ParseScope(graph_.Name(p.arn), &scope);
    std::string_view region, account, partition;
    if (from_arn) {
      region = scope.region;
      account = scope.account;
      partition = scope.partition;
    } else {
      if (p.vpc != kNoSym) {
        auto it = vpc_region_.find(p.vpc);
        if (it != vpc_region_.end()) region = graph_.Name(it->second);
      }
      if (region.empty() && file_region_[p.file] != kNoSym)
        region = graph_.Name(file_region_[p.file]);
      partition = PartitionOfRegion(region);
    }
    if (p.owner != kNoSym) account = graph_.Name(p.owner);
    NodeIndex sg = SecurityGroupNode(graph_.Name(p.group_id), account, region, partition);
    if (!p.name.is_null()) Set(sg, k_->name, p.name);
    if (p.has_ingress) {
      Set(sg, k_->ingress_rules, p.rules);
      Set(sg, k_->open_to_internet, Value::Bool(p.open_to_internet));
    }
  }
}

void GraphBuilder::ApplyElbTags() {
  for (const PendingTags& t : elb_tags_) {
    std::string_view arn = graph_.Name(t.arn);
    auto node = graph_.FindNode(arn);
    if (!node) {
      // Tags of a load balancer or target group that was not described: it exists, so keep it.
      Scope scope;
      if (!ParseScope(arn, &scope) || scope.partition.empty()) continue;
      Sym label;
      if (scope.resource.starts_with("loadbalancer/")) {
        label = k_->load_balancer;
      } else if (scope.resource.starts_with("targetgroup/")) {
        label = k_->target_group;
      } else {
        continue;
      }
      node = AddArnAsset(label, arn, scope, k_->network);
    }
    Sym label = graph_.Label(*node);
    if (label == k_->load_balancer || label == k_->target_group) {
      Set(*node, k_->tags, t.tags);
    }
  }
}

void GraphBuilder::LinkTargetGroups() {
  for (const auto& [tg, range] : target_group_links_) {
    for (uint32_t i = range.begin; i < range.end; ++i) {
      if (auto lb = Find(graph_.Name(ref_pool_[i]), k_->load_balancer)) {
        graph_.AddEdge(kHasTargetGroup, *lb, tg);
      }
    }
  }
}

void GraphBuilder::LinkServices() {
  for (const auto& [service, links] : service_links_) {
    if (links.cluster != kNoSym) {
      if (auto cluster = ClusterNode(links.cluster)) graph_.AddEdge(kHasService, *cluster, service);
    }
    std::string_view service_arn = graph_.Id(service);
    for (uint32_t i = links.task_definitions_begin; i < links.task_definitions_end; ++i) {
      std::string arn = TaskDefinitionArn(graph_.Name(ref_pool_[i]), service_arn);
      if (auto td = Find(arn, k_->task_definition))
        graph_.AddEdge(kHasTaskDefinition, service, *td);
    }
    for (uint32_t i = links.target_groups_begin; i < links.target_groups_end; ++i) {
      if (auto tg = Find(graph_.Name(ref_pool_[i]), k_->target_group)) {
        graph_.AddEdge(kHasTargetGroup, service, *tg);
      }
    }
  }
  for (const auto& [task_set, service_arn] : task_set_services_) {
    if (auto service = Find(graph_.Name(service_arn), k_->service)) {
      graph_.AddEdge(kHasTaskSet, *service, task_set);
    }
  }
}

void GraphBuilder::LinkTasks(SnapshotResult* out) {
  // Services by (cluster, name), for tasks whose group is "service:NAME".
  std::map<std::pair<Sym, std::string_view>, NodeIndex> services;
  for (const auto& [service, links] : service_links_) {
    Value name = graph_.GetProp(service, k_->name);
    if (links.cluster != kNoSym && name.kind() == Value::Kind::kString) {
      services[{links.cluster, name.as_string()}] = service;
    }
  }
  auto str = [&](NodeIndex node, Sym key) {
    Value v = graph_.GetProp(node, key);
    return v.kind() == Value::Kind::kString ? v.as_string() : std::string_view();
  };
  // Revisions in use but not described, each with the (smallest, for a stable message) task.
  std::map<std::string, std::string_view> undescribed;
  for (const auto& [task, links] : task_links_) {
    std::optional<NodeIndex> cluster;
    if (links.cluster != kNoSym) {
      cluster = ClusterNode(links.cluster);
      if (cluster) graph_.AddEdge(kHasTask, *cluster, task);
    }
    if (links.container_instance != kNoSym) {
      if (auto ci = Find(graph_.Name(links.container_instance), k_->container_instance)) {
        graph_.AddEdge(kHasTask, *ci, task);
        if (cluster) graph_.AddEdge(kHasContainerInstance, *cluster, *ci);
      }
    }
    std::string_view group = str(task, k_->group);
    if (group.starts_with("service:") && links.cluster != kNoSym) {
      auto it = services.find({links.cluster, group.substr(8)});
      if (it != services.end()) graph_.AddEdge(kHasTask, it->second, task);
    }
    if (!InUse(str(task, k_->desired_status), str(task, k_->last_status))) continue;
    ++out->stats.tasks_in_use;
    std::string_view task_arn = graph_.Id(task);
    std::string_view ref = str(task, k_->task_definition_arn);
    if (ref.empty()) {
      out->gaps.push_back(
          Gap{std::string(kTask), std::string(task_arn), std::string(str(task, k_->account_id)),
              std::string(str(task, k_->region)), "running task without a taskDefinitionArn"});
      continue;
    }
    std::string td_arn = TaskDefinitionArn(ref, task_arn);
    if (auto td = Find(td_arn, k_->task_definition)) {
      graph_.AddEdge(kHasTaskDefinition, task, *td);
      continue;
    }
    auto [it, inserted] = undescribed.emplace(std::move(td_arn), task_arn);
    if (!inserted && task_arn < it->second) it->second = task_arn;
  }
  // Described but unreadable: its gap already says why; add that it is in use.
  for (Gap& gap : conditional_gaps_) {
    auto it = gap.asset_type == kTaskDefinition ? undescribed.find(gap.id) : undescribed.end();
    if (it == undescribed.end()) continue;
    gap.reason += fmt::format("; in use by running task {}", it->second);
    undescribed.erase(it);
  }
  for (const auto& [td_arn, task_arn] : undescribed) {
    // Not a node: an empty task definition would evaluate as PASS.
    Gap gap;
    gap.asset_type = std::string(kTaskDefinition);
    gap.id = td_arn;
    if (auto arn = ParseArn(td_arn)) {
      gap.account_id = arn->account_id;
      gap.region = arn->region;
    }
    gap.reason =
        fmt::format("in use by running task {} but not described in the snapshot", task_arn);
    out->gaps.push_back(std::move(gap));
  }
}

void GraphBuilder::LinkContainerInstances() {
  for (NodeIndex node = 0; node < graph_.node_count(); ++node) {
    if (graph_.Label(node) != k_->container_instance) continue;
    Value ec2_id = graph_.GetProp(node, k_->ec2_instance_id);
    Scope scope;
    if (ec2_id.kind() != Value::Kind::kString || !ParseScope(graph_.Id(node), &scope)) continue;
    std::string id = fmt::format("arn:{}:ec2:{}:{}:instance/{}", scope.partition, scope.region,
                                 scope.account, ec2_id.as_string());
    if (auto ec2 = Find(id, k_->ec2_instance)) graph_.AddEdge(kIsInstance, node, *ec2);
  }
}

void GraphBuilder::MarkLatestRevisions() {
  std::sort(task_definitions_.begin(), task_definitions_.end());
  task_definitions_.erase(std::unique(task_definitions_.begin(), task_definitions_.end()),
                          task_definitions_.end());
  // Interned strings are unique, so their addresses identify account, region and family.
  using FamilyKey = std::tuple<const char*, const char*, const char*>;
  auto key_of = [&](NodeIndex td) {
    return FamilyKey{graph_.GetProp(td, k_->account_id).as_string().data(),
                     graph_.GetProp(td, k_->region).as_string().data(),
                     graph_.GetProp(td, k_->family).as_string().data()};
  };
  auto active_revision = [&](NodeIndex td) -> int64_t {
    Value status = graph_.GetProp(td, k_->status);
    Value revision = graph_.GetProp(td, k_->revision);
    bool active = status.kind() == Value::Kind::kString && status.as_string() == "ACTIVE";
    return active && revision.kind() == Value::Kind::kInt ? revision.as_int() : -1;
  };
  std::map<FamilyKey, int64_t> latest;
  for (NodeIndex td : task_definitions_) {
    int64_t& best = latest.try_emplace(key_of(td), -1).first->second;
    best = std::max(best, active_revision(td));
  }
  for (NodeIndex td : task_definitions_) {
    int64_t revision = active_revision(td);
    Set(td, k_->is_latest_revision, Value::Bool(revision >= 0 && revision == latest[key_of(td)]));
  }
}

void GraphBuilder::Finish(SnapshotResult* out, bool require_task_list) {
  CommitSecurityGroups();
  ApplyElbTags();
  LinkTargetGroups();
  LinkServices();
  LinkTasks(out);
  LinkContainerInstances();
  MarkLatestRevisions();
  if (require_task_list && !task_list_seen_ && !task_definitions_.empty()) {
    out->problems.emplace_back(ErrorCode::kNotFound,
                               "no describe-tasks output found: in-use state unknown (controls on "
                               "in-use revisions are NOT_EVALUATED for every task definition)");
    for (NodeIndex td : task_definitions_) {
      out->gaps.push_back(Gap{std::string(kTaskDefinition), std::string(graph_.Id(td)),
                              std::string(graph_.GetProp(td, k_->account_id).as_string()),
                              std::string(graph_.GetProp(td, k_->region).as_string()),
                              "in-use state unknown: the snapshot has no describe-tasks output"});
    }
  }

  for (Gap& gap : conditional_gaps_) {
    // A failure or an unreadable copy does not matter when another file described the asset.
    auto node = graph_.FindNode(gap.id);
    if (node && graph_.LabelName(*node) == gap.asset_type) continue;
    out->gaps.push_back(std::move(gap));
  }
  auto order = [](const Gap& a, const Gap& b) {
    return std::tie(a.asset_type, a.id, a.reason) < std::tie(b.asset_type, b.id, b.reason);
  };
  auto same = [](const Gap& a, const Gap& b) {
    return a.asset_type == b.asset_type && a.id == b.id && a.reason == b.reason;
  };
  std::sort(out->gaps.begin(), out->gaps.end(), order);
  out->gaps.erase(std::unique(out->gaps.begin(), out->gaps.end(), same), out->gaps.end());

  graph_.Freeze();
  SnapshotStats& s = out->stats;
  s.task_definitions = graph_.NodesWithLabel(k_->task_definition).size();
  if (defer_ && !build_all_) {
    // The built ones are among the deferred: count distinct ARNs (by their hashes), in the
    // order PlacesToBuild sorted them in.
    if (!deferred_sorted_) SortDeferred();
    size_t distinct = 0;
    for (size_t i = 0; i < deferred_.size(); ++i) {
      if (i == 0 || deferred_[i].arn_hash != deferred_[i - 1].arn_hash) ++distinct;
    }
    s.task_definitions = distinct;
    std::sort(unbuilt_cells_.begin(), unbuilt_cells_.end());
    unbuilt_cells_.erase(std::unique(unbuilt_cells_.begin(), unbuilt_cells_.end()),
                         unbuilt_cells_.end());
    for (const auto& [account, region] : unbuilt_cells_) {
      out->unbuilt_cells.emplace_back(graph_.Name(account), graph_.Name(region));
    }
  }
  s.tasks = graph_.NodesWithLabel(k_->task).size();
  s.services = graph_.NodesWithLabel(k_->service).size();
  s.clusters = graph_.NodesWithLabel(k_->cluster).size();
  s.container_instances = graph_.NodesWithLabel(k_->container_instance).size();
  s.ec2_instances = graph_.NodesWithLabel(k_->ec2_instance).size();
  s.load_balancers = graph_.NodesWithLabel(k_->load_balancer).size();
  s.target_groups = graph_.NodesWithLabel(k_->target_group).size();
  out->graph = std::move(graph_);
}

}  // namespace ecsguard::ingest::snapshot_internal
