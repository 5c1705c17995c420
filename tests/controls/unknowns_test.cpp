// Three-valued verdicts for every control of the catalog (issue 10, item 5): the IaC check of
// each control runs on task definitions with one value unknown, and on the same task definitions
// with that value replaced by each value it could take. The verdict with the unknown must be the
// concrete verdict when every value gives the same one, and NOT_EVALUATED (naming the unknown)
// when they disagree. Nothing here knows what a control checks: the values span every field the
// IaC readers can leave unknown, with the constants the catalog's checks compare against.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controls/catalog.h"
#include "controls/evaluate.h"
#include "graph/graph.h"
#include "support.h"

namespace ecsguard::controls {
namespace {

// A field's value: absent, a string or a Boolean.
struct V {
  enum class Kind { kAbsent, kString, kBool } kind = Kind::kAbsent;
  std::string s;
  bool b = false;
};
V Absent() { return {}; }
V S(std::string s) { return {V::Kind::kString, std::move(s), false}; }
V B(bool b) { return {V::Kind::kBool, "", b}; }

const std::vector<V>& Strings() {
  static const std::vector<V> v = {Absent(),    S("host"),  S("bridge"),  S("root"),
                                   S("0"),      S("0:0"),   S("1000"),    S(""),
                                   S("awsvpc"), S("nginx"), S("rootless")};
  return v;
}
const std::vector<V>& Bools() {
  static const std::vector<V> v = {Absent(), B(true), B(false)};
  return v;
}

// Which fields a slot may hold, and their domains. Each is read by the IaC readers and may be
// marked unknown by them.
struct FieldDomain {
  std::string name;
  const std::vector<V>* domain;
};
const std::vector<V>& OsFamilies() {
  static const std::vector<V> v = {Absent(), S("LINUX"), S("WINDOWS_SERVER_2022_CORE")};
  return v;
}
const std::vector<FieldDomain>& TaskFields() {
  static const std::vector<FieldDomain> f = {{"networkMode", &Strings()},
                                             {"pidMode", &Strings()},
                                             {"ipcMode", &Strings()},
                                             {"operatingSystemFamily", &OsFamilies()}};
  return f;
}
const std::vector<FieldDomain>& ContainerFields() {
  static const std::vector<FieldDomain> f = {{"privileged", &Bools()},
                                             {"user", &Strings()},
                                             {"readOnlyRootFS", &Bools()},
                                             {"essential", &Bools()},
                                             {"image", &Strings()}};
  return f;
}

using Values = std::map<std::string, V>;  // field -> value; a field not in it is absent

struct Container {
  Values values;
  std::vector<std::string> unknown;   // fields marked unknown
  std::vector<std::string> env_keys;  // names of its environment variables
};

struct TaskDef {
  Values values;
  std::vector<std::string> unknown;
  std::vector<Container> containers;
  bool more_containers_unknown = false;  // the container list is not (entirely) known
};

void Set(graph::Graph* g, graph::NodeIndex n, const Values& values,
         const std::vector<std::string>& unknown) {
  for (const auto& [field, v] : values) {
    if (v.kind == V::Kind::kString) g->SetProp(n, field, g->String(v.s));
    if (v.kind == V::Kind::kBool) g->SetProp(n, field, graph::Value::Bool(v.b));
  }
  for (const std::string& field : unknown) {
    g->SetProp(n, field + std::string(graph::kUnknownSuffix),
               g->String(field + " is !Ref P, a parameter with no default"));
  }
}

graph::Graph Build(const std::vector<TaskDef>& tds) {
  graph::Graph g;
  for (size_t i = 0; i < tds.size(); ++i) {
    std::string id = "t.yaml#Td" + std::to_string(i);
    graph::NodeIndex n = g.AddNode("ECSTaskDefinition", id);
    g.SetProp(n, "identifier", g.String(id));
    Set(&g, n, tds[i].values, tds[i].unknown);
    if (tds[i].more_containers_unknown) {
      g.SetProp(n, "containerSpecs" + std::string(graph::kUnknownSuffix),
                g.String("the container list is !Ref P, a parameter with no default"));
    }
    for (size_t c = 0; c < tds[i].containers.size(); ++c) {
      std::string cid = id + "#" + std::to_string(c);
      graph::NodeIndex cn = g.AddNode("ECSTaskContainerSpec", cid);
      Set(&g, cn, tds[i].containers[c].values, tds[i].containers[c].unknown);
      g.AddEdge("HAS_CONTAINER_DEFINITION", n, cn);
      for (size_t e = 0; e < tds[i].containers[c].env_keys.size(); ++e) {
        graph::NodeIndex en = g.AddNode("ECSEnvEntry", cid + "#env/" + std::to_string(e));
        g.SetProp(en, "key", g.String(tds[i].containers[c].env_keys[e]));
        g.AddEdge("HAS_ENV_ENTRY", cn, en);
      }
    }
  }
  g.Freeze();
  return g;
}

// kNotApplicable: the control does not judge the task definition (ECS.21 on a Linux one).
enum class Verdict { kPass, kFail, kNotEvaluated, kNotApplicable };
const char* Name(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kNotEvaluated:
      return "NOT_EVALUATED";
    case Verdict::kNotApplicable:
      break;
  }
  return "NOT_APPLICABLE";
}

// The IaC verdict of each task definition, in order.
std::vector<Verdict> RunIac(const Control& control, const graph::Schema& schema,
                            const std::vector<TaskDef>& tds, std::vector<std::string>* reasons) {
  graph::Graph g = Build(tds);
  auto eval = Evaluate(control, schema, g, Mode::kIac);
  EXPECT_TRUE(eval.ok()) << eval.error().ToString();
  std::vector<Verdict> out(tds.size(), Verdict::kNotApplicable);
  if (reasons) reasons->assign(tds.size(), "");
  if (!eval.ok()) return out;
  for (const AssetVerdict& v : eval->verdicts) {
    std::string id(g.Id(v.node));
    size_t i = std::stoul(id.substr(id.find("#Td") + 3));
    out[i] = v.failed                   ? Verdict::kFail
             : !v.not_evaluated.empty() ? Verdict::kNotEvaluated
                                        : Verdict::kPass;
    if (reasons) (*reasons)[i] = v.not_evaluated;
  }
  return out;
}

// The scenarios a slot is made unknown in: every combination of a network mode and two
// containers over small domains of the fields the catalog's checks read.
std::vector<TaskDef> Scenarios() {
  const std::vector<V> modes = {Absent(), S("host"), S("bridge")};
  const std::vector<V> users = {Absent(), S("root"), S("0:0"), S("1000")};
  std::vector<Container> containers;
  for (const V& p : Bools()) {
    for (const V& u : users) containers.push_back({{{"privileged", p}, {"user", u}}, {}, {}});
  }
  std::vector<TaskDef> out;
  for (const V& m : modes) {
    out.push_back({{{"networkMode", m}}, {}, {}, false});
    for (const Container& a : containers) {
      out.push_back({{{"networkMode", m}}, {}, {a}, false});
      for (const Container& b : containers)
        out.push_back({{{"networkMode", m}}, {}, {a, b}, false});
    }
  }
  return out;
}

// Where the unknown is: a task field, or a field of the container at `container`.
struct Slot {
  std::string field;
  std::optional<size_t> container;
  const std::vector<V>* domain;
};

Values& Target(TaskDef& td, const Slot& slot) {
  return slot.container ? td.containers[*slot.container].values : td.values;
}

class UnknownsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema =
        graph::Schema::Parse(testing::ReadFileOrDie(testing::SourcePath("schemas/aws.graphql")));
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::make_unique<graph::Schema>(std::move(*schema));
    auto catalog = Catalog::LoadDirectory(testing::SourcePath("controls"));
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = std::move(*catalog);
  }

  // For each base task definition, the verdict with `unknown(td)` applied against the verdicts of
  // `concrete(td, k)` for k over `n` alternatives.
  void ExpectConsistent(const Control& control, const std::vector<TaskDef>& bases, size_t n,
                        const std::function<void(TaskDef&)>& unknown,
                        const std::function<void(TaskDef&, size_t)>& concrete,
                        const std::string& what) {
    std::vector<TaskDef> with_unknown = bases;
    for (TaskDef& td : with_unknown) unknown(td);
    std::vector<std::string> reasons;
    std::vector<Verdict> three = RunIac(control, *schema_, with_unknown, &reasons);
    std::vector<std::vector<Verdict>> each;
    for (size_t k = 0; k < n; ++k) {
      std::vector<TaskDef> tds = bases;
      for (TaskDef& td : tds) concrete(td, k);
      each.push_back(RunIac(control, *schema_, tds, nullptr));
    }
    int failures = 0;
    for (size_t i = 0; i < bases.size() && failures < 5; ++i) {
      bool agree = true;
      for (size_t k = 1; k < n; ++k) agree &= each[k][i] == each[0][i];
      Verdict want = agree ? each[0][i] : Verdict::kNotEvaluated;
      if (three[i] != want) {
        ++failures;
        std::string concrete_verdicts;
        for (size_t k = 0; k < n; ++k) concrete_verdicts += std::string(Name(each[k][i])) + " ";
        ADD_FAILURE() << control.id << ", " << what << " unknown, scenario " << i << ": got "
                      << Name(three[i]) << ", concrete verdicts " << concrete_verdicts;
      }
      if (three[i] == Verdict::kNotEvaluated) {
        EXPECT_NE(reasons[i].find("no default"), std::string::npos) << reasons[i];
      }
    }
  }

  std::unique_ptr<graph::Schema> schema_;
  Catalog catalog_;
};

TEST_F(UnknownsTest, EveryControlDecidesExactlyWhenTheUnknownFieldCannotChangeTheVerdict) {
  std::vector<TaskDef> bases = Scenarios();
  ASSERT_FALSE(catalog_.controls().empty());
  for (const Control& control : catalog_.controls()) {
    if (!control.iac) continue;
    SCOPED_TRACE(control.id);
    std::vector<Slot> slots;
    for (const FieldDomain& f : TaskFields()) slots.push_back({f.name, std::nullopt, f.domain});
    for (size_t c = 0; c < 2; ++c) {
      for (const FieldDomain& f : ContainerFields()) slots.push_back({f.name, c, f.domain});
    }
    for (const Slot& slot : slots) {
      // Only the scenarios that have the slot's container.
      std::vector<TaskDef> applicable;
      for (const TaskDef& td : bases) {
        if (!slot.container || *slot.container < td.containers.size()) applicable.push_back(td);
      }
      std::string what = slot.container
                             ? "container " + std::to_string(*slot.container) + " " + slot.field
                             : slot.field;
      ExpectConsistent(
          control, applicable, slot.domain->size(),
          [&](TaskDef& td) {
            Target(td, slot).erase(slot.field);
            (slot.container ? td.containers[*slot.container].unknown : td.unknown)
                .push_back(slot.field);
          },
          [&](TaskDef& td, size_t k) { Target(td, slot)[slot.field] = (*slot.domain)[k]; }, what);
    }
  }
}

TEST_F(UnknownsTest, EveryControlDecidesExactlyWhenTheContainerListIsUnknown) {
  // The concrete lists: none, one or two containers over the fields the checks read.
  std::vector<std::vector<Container>> lists = {{}};
  std::vector<Container> one;
  for (const V& p : Bools()) {
    for (const V& u : Strings()) one.push_back({{{"privileged", p}, {"user", u}}, {}, {}});
  }
  // A container with a variable the secret-key checks look for (by name only).
  one.push_back({{{"user", S("1000")}}, {}, {"AWS_SECRET_ACCESS_KEY"}});
  for (const Container& a : one) lists.push_back({a});
  for (const Container& a : one) {
    for (const Container& b : {one[4], one[13], one[25]}) lists.push_back({a, b});
  }
  for (const Control& control : catalog_.controls()) {
    if (!control.iac) continue;
    SCOPED_TRACE(control.id);
    // Wholly unknown: each network mode with no known container.
    std::vector<TaskDef> bases;
    for (const V& m : Strings()) bases.push_back({{{"networkMode", m}}, {}, {}, false});
    ExpectConsistent(
        control, bases, lists.size(), [](TaskDef& td) { td.more_containers_unknown = true; },
        [&](TaskDef& td, size_t k) { td.containers = lists[k]; }, "container list");
    // Partly unknown: known containers, and maybe more.
    std::vector<TaskDef> partial;
    for (const TaskDef& td : Scenarios()) {
      if (td.containers.size() == 1) partial.push_back(td);
    }
    ExpectConsistent(
        control, partial, one.size() + 1, [](TaskDef& td) { td.more_containers_unknown = true; },
        [&](TaskDef& td, size_t k) {
          if (k > 0) td.containers.push_back(one[k - 1]);
        },
        "rest of the container list");
  }
}

}  // namespace
}  // namespace ecsguard::controls
