#include "ingest/iac/terraform_plan.h"

#include <map>

#include "ingest/iac/ecs_resources.h"
#include "ingest/iac/task_definition.h"

namespace ecsguard::ingest::iac {
namespace {

struct PlannedResource {
  std::string type;
  Node values;
  Position pos;
  bool planned = false;  // values come from planned_values/values (where the resource is located)
  bool deleted = false;
};

// The type of a managed resource that is read (ecs_resources.h: kReadTypes), or "".
std::string ReadTypeOf(const Node& r) {
  const Node* type = r.Find("type");
  const Node* mode = r.Find("mode");
  if (!type || !type->is_scalar() || (mode && mode->text != "managed")) return "";
  for (const ReadType& t : kReadTypes) {
    if (t.terraform == type->text) return type->text;
  }
  return "";
}

void CollectModule(const Node& module, int depth, std::map<std::string, PlannedResource>* out) {
  if (!module.is_map() || depth > kMaxDepth) return;
  if (const Node* resources = module.Find("resources"); resources && resources->is_list()) {
    for (const Node& r : resources->items) {
      const Node* address = r.Find("address");
      std::string type = ReadTypeOf(r);
      if (!address || !address->is_scalar() || type.empty()) continue;
      const Node* values = r.Find("values");
      (*out)[address->text] = {type, values ? *values : Node{}, r.pos, true, false};
    }
  }
  if (const Node* children = module.Find("child_modules"); children && children->is_list()) {
    for (const Node& child : children->items) CollectModule(child, depth + 1, out);
  }
}

// Replaces every value that after_unknown marks true by an unknown.
void MarkUnknown(Node* values, const Node& unknown, int depth) {
  if (depth > kMaxDepth) return;
  if (unknown.kind == Node::Kind::kBool && unknown.boolean) {
    *values = Node::Unknown("known only after apply", values->pos);
    return;
  }
  if (unknown.is_map()) {
    if (!values->is_map()) {
      if (values->kind != Node::Kind::kNull) return;
      values->kind = Node::Kind::kMap;
    }
    for (size_t i = 0; i < unknown.keys.size(); ++i) {
      auto index = values->IndexOf(unknown.keys[i]);
      if (!index) {
        if (unknown.items[i].kind != Node::Kind::kBool || !unknown.items[i].boolean) continue;
        values->Add(unknown.keys[i], unknown.key_pos[i], Node{});
        index = values->keys.size() - 1;
      }
      MarkUnknown(&values->items[*index], unknown.items[i], depth + 1);
    }
  } else if (unknown.is_list() && values->is_list()) {
    for (size_t i = 0; i < unknown.items.size() && i < values->items.size(); ++i) {
      MarkUnknown(&values->items[i], unknown.items[i], depth + 1);
    }
  }
}

}  // namespace

bool IsTerraformPlan(const Node& doc) {
  return doc.is_map() && doc.Find("format_version") &&
         (doc.Find("planned_values") || doc.Find("resource_changes") || doc.Find("values"));
}

void ReadTerraformPlan(const Node& doc, const std::string& file, graph::Graph* graph,
                       IacResult* result) {
  std::map<std::string, PlannedResource> resources;
  for (std::string_view section : {"values", "planned_values"}) {
    if (const Node* s = doc.Find(section)) {
      if (const Node* root = s->Find("root_module")) CollectModule(*root, 0, &resources);
    }
  }
  if (const Node* changes = doc.Find("resource_changes"); changes && changes->is_list()) {
    for (const Node& rc : changes->items) {
      const Node* address = rc.Find("address");
      const Node* change = rc.Find("change");
      std::string type = ReadTypeOf(rc);
      if (!address || !address->is_scalar() || !change || type.empty()) continue;
      PlannedResource& r = resources[address->text];
      r.type = type;
      if (r.pos.line == 0) r.pos = rc.pos;
      const Node* actions = change->Find("actions");
      bool deletes = false, creates = false;
      for (const Node& a : actions ? actions->items : std::vector<Node>{}) {
        deletes |= a.text == "delete";
        creates |=
            a.text == "create" || a.text == "update" || a.text == "no-op" || a.text == "read";
      }
      r.deleted = deletes && !creates;
      if (const Node* after = change->Find("after"); after && after->is_map() && !r.planned) {
        r.values = *after;
      }
      if (const Node* unknown = change->Find("after_unknown")) MarkUnknown(&r.values, *unknown, 0);
    }
  }
  for (auto& entry : resources) {
    // Not a structured binding: clang 14 (clang-tidy) does not let a lambda capture one.
    const std::string& address = entry.first;
    PlannedResource& r = entry.second;
    if (r.deleted) continue;
    auto init = [&](Resource* out) {
      out->id = file + "#" + address;
      out->name = address;
      out->source = "terraform-plan";
      out->location = {file, r.pos.line, r.pos.column};
    };
    UnknownEvaluator eval;
    if (auto kind = TerraformEcsKind(r.type)) {
      EcsResource ecs(*kind);
      init(&ecs);
      if (r.values.is_map()) MapEcsResource(r.values, Syntax::kTerraform, &eval, &ecs);
      Commit(std::move(ecs), graph, result);
      continue;
    }
    TaskDefinition td;
    init(&td);
    if (r.values.is_map()) {
      MapTaskFields(r.values, kTerraformNames, &eval, &td);
      if (auto c = r.values.IndexOf("container_definitions")) {
        MapContainerDefinitionsValue(r.values.items[*c], r.values.key_pos[*c], &td);
      }
    }
    Commit(std::move(td), graph, result);
  }
}

}  // namespace ecsguard::ingest::iac
