// Differential test against Terraform itself: for each reproducer under tf/ (a folder of root
// modules), a shadow copy turns every aws_ecs_task_definition into the built-in terraform_data
// resource whose `input` holds its network_mode and container_definitions (count and for_each
// kept), `terraform plan` evaluates it offline, and ecsguard's task definitions must hold the
// same network mode and, for each container, the same privileged and user — module instances,
// optional() defaults, nullable, type conversion, .tf.json, tfvars, for_each/count/splat/dynamic,
// module outputs and modules installed by `terraform init` included. Skipped when
// terraform is not on the PATH.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "iac_test_util.h"
#include "ingest/iac/hcl/hcl.h"
#include "ingest/iac/iac.h"

namespace ecsguard::ingest {
namespace {

namespace fs = std::filesystem;
using namespace ecsguard::ingest::testing;  // NOLINT
using nlohmann::json;

constexpr std::string_view kType = "aws_ecs_task_definition";

// What both sides say about one task definition: network mode, and per container privileged
// and user, as JSON (null when absent).
using Observed = std::map<std::string, json>;

std::string Slice(const std::string& source, const hcl::Expression& e) {
  return source.substr(e.range.start.offset, e.range.end.offset - e.range.start.offset);
}

// A .tf file with each task definition replaced by terraform_data.
std::string ShadowTf(const std::string& text) {
  hcl::File file = hcl::Parse(text, "shadow.tf");
  EXPECT_TRUE(file.ok()) << file.errors[0].ToString();
  std::string out;
  size_t at = 0;
  for (const hcl::Block& b : file.body.blocks) {
    if (b.type != "resource" || b.labels.size() != 2 || b.labels[0].value != kType) continue;
    out += text.substr(at, b.range.start.offset - at);
    out += "resource \"terraform_data\" \"" + b.labels[1].value + "\" {\n";
    std::string input;
    for (const hcl::Attribute& a : b.body.attributes) {
      if (a.name == "count" || a.name == "for_each") {
        out += "  " + a.name + " = " + Slice(text, *a.expr) + "\n";
      } else if (a.name == "network_mode" || a.name == "container_definitions") {
        input += "    " + a.name + " = " + Slice(text, *a.expr) + "\n";
      }
    }
    out += "  input = {\n" + input + "  }\n}";
    at = b.range.end.offset;
  }
  return out + text.substr(at);
}

// A .tf.json file with each task definition replaced by terraform_data.
std::string ShadowTfJson(const std::string& text) {
  json doc = json::parse(text);
  if (!doc.contains("resource") || !doc["resource"].contains(kType)) return text;
  json shadows = json::object();
  for (auto& [name, bodies] : doc["resource"][std::string(kType)].items()) {
    json list = bodies.is_array() ? bodies : json::array({bodies});
    json body = list.at(0);
    json shadow = {{"input", json::object()}};
    for (const char* key : {"count", "for_each"}) {
      if (body.contains(key)) shadow[key] = body[key];
    }
    for (const char* key : {"network_mode", "container_definitions"}) {
      if (body.contains(key)) shadow["input"][key] = body[key];
    }
    shadows[name] = shadow;
  }
  doc["resource"].erase(std::string(kType));
  doc["resource"]["terraform_data"] = shadows;
  return doc.dump(2);
}

void CopyShadow(const fs::path& from, const fs::path& to) {
  for (const auto& e : fs::recursive_directory_iterator(from)) {
    fs::path target = to / fs::relative(e.path(), from);
    if (e.is_directory()) {
      fs::create_directories(target);
      continue;
    }
    std::string name = e.path().filename().string();
    std::string text = ecsguard::testing::ReadFileOrDie(e.path().string());
    if (name.ends_with(".tf.json")) text = ShadowTfJson(text);
    if (name.ends_with(".tf")) text = ShadowTf(text);
    std::ofstream(target, std::ios::binary) << text;
  }
}

json Containers(const json& definitions) {
  json list = definitions.is_string() ? json::parse(definitions.get<std::string>()) : definitions;
  json out = json::object();
  for (const json& c : list) {
    out[c.value("name", "")] = {{"privileged", c.value("privileged", json())},
                                {"user", c.value("user", json())}};
  }
  return out;
}

void CollectTerraform(const json& module, const std::string& root_id, const std::string& file,
                      Observed* out) {
  for (const json& r : module.value("resources", json::array())) {
    std::string address = r.at("address").get<std::string>();
    size_t at = address.find("terraform_data.");
    address.replace(at, std::string("terraform_data").size(), kType);
    const json& input = r.at("values").at("input");
    std::string id = (address.starts_with("module.") ? root_id : file) + "#" + address;
    (*out)[id] = {{"network_mode", input.value("network_mode", json())},
                  {"containers", Containers(input.at("container_definitions"))}};
  }
  for (const json& child : module.value("child_modules", json::array())) {
    CollectTerraform(child, root_id, file, out);
  }
}

// What terraform plans for the root module `root` of the shadow copy `dir`. Resources of the
// root module itself are named after `file`, the one file of the reproducer's root declaring
// task definitions.
Observed TerraformSays(const fs::path& dir, const std::string& root_id, const std::string& file,
                       const std::string& var_args) {
  std::string chdir = "cd '" + dir.string() + "' && CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 ";
  Observed out;
  // A reproducer that comes with the modules `terraform init` would download has them in
  // .terraform already: init must not fetch them (and could not, offline).
  std::error_code ec;
  std::string get = fs::exists(dir / ".terraform/modules/modules.json", ec) ? " -get=false" : "";
  if (!RunCommand(chdir + "terraform init -input=false -backend=false" + get)) return out;
  if (!RunCommand(chdir + "terraform plan -input=false -lock=false -out=p.tfplan" + var_args))
    return out;
  auto shown = RunCommand(chdir + "terraform show -json p.tfplan 2>/dev/null");
  if (!shown) return out;
  json plan = json::parse(shown->substr(shown->find('{')));
  CollectTerraform(plan.at("planned_values").at("root_module"), root_id, file, &out);
  return out;
}

Observed EcsguardSays(const IacResult& r, const std::string& root_id, const std::string& file) {
  Observed out;
  for (graph::NodeIndex n : r.graph.NodesWithLabel("ECSTaskDefinition")) {
    std::string id(r.graph.Id(n));
    if (!id.starts_with(root_id + "#") && !id.starts_with(file + "#")) continue;
    graph::Value mode = r.graph.GetProp(n, "networkMode");
    json containers = json::object();
    for (graph::NodeIndex c : r.graph.NodesWithLabel("ECSTaskContainerSpec")) {
      std::string cid(r.graph.Id(c));
      if (!cid.starts_with(id + "#") || cid.find('#', id.size() + 1) != std::string::npos) {
        continue;
      }
      graph::Value privileged = r.graph.GetProp(c, "privileged");
      graph::Value user = r.graph.GetProp(c, "user");
      containers[cid.substr(id.size() + 1)] = {
          {"privileged", privileged.is_null() ? json() : json(privileged.as_bool())},
          {"user", user.is_null() ? json() : json(std::string(user.as_string()))}};
    }
    out[id] = {{"network_mode", mode.is_null() ? json() : json(std::string(mode.as_string()))},
               {"containers", containers}};
  }
  return out;
}

struct Case {
  std::string reproducer;  // under tests/ingest/iac/tf
  std::string root;        // a root module folder inside it ("" for the reproducer itself)
  std::string file;        // the root's file declaring task definitions, if any
  std::vector<TerraformVariableArgument> variables;
};

class TerraformOracle : public ::testing::TestWithParam<Case> {};

TEST_P(TerraformOracle, EcsguardEvaluatesWhatTerraformPlans) {
  if (!TerraformAvailable()) {
    GTEST_SKIP() << "terraform is not on the PATH (the oracle for these values)";
  }
  const Case& c = GetParam();
  ecsguard::testing::TempDir tmp;
  fs::path shadow = fs::path(tmp.path()) / "shadow";
  fs::create_directories(shadow);
  CopyShadow(DataPath("tf/" + c.reproducer), shadow);

  std::string root_rel = "tf/" + c.reproducer + (c.root.empty() ? "" : "/" + c.root);
  std::string var_args;
  IacOptions options;
  options.root = ecsguard::testing::SourcePath("tests/ingest/iac");
  for (TerraformVariableArgument arg : c.variables) {
    if (arg.kind == TerraformVariableArgument::Kind::kFile) {
      arg.text = DataPath(root_rel + "/" + arg.text);
      var_args += " -var-file='" + arg.text + "'";
    } else {
      var_args += " -var='" + arg.text + "'";
    }
    options.terraform_variables.push_back(arg);
  }
  std::string file = c.file.empty() ? "" : root_rel + "/" + c.file;
  Observed terraform =
      TerraformSays(c.root.empty() ? shadow : shadow / c.root, root_rel, file, var_args);
  ASSERT_FALSE(terraform.empty());
  IacResult r = LoadIac({DataPath("tf/" + c.reproducer)}, options);
  ASSERT_TRUE(r.problems.empty()) << Problems(r);
  ASSERT_TRUE(r.gaps.empty()) << r.gaps[0].id << ": " << r.gaps[0].reason;
  EXPECT_EQ(json(EcsguardSays(r, root_rel, file)).dump(2), json(terraform).dump(2));
}

INSTANTIATE_TEST_SUITE_P(
    Reproducers, TerraformOracle,
    ::testing::Values(Case{"roots", "envs/dev", "", {}}, Case{"roots", "envs/prod", "main.tf", {}},
                      Case{"variables", "", "", {}}, Case{"json", "", "cdk.tf.json", {}},
                      Case{"module", "", "", {}}, Case{"module_foreach", "", "", {}},
                      Case{"functions", "", "main.tf", {}}, Case{"expansion", "", "main.tf", {}},
                      Case{"module_outputs", "", "main.tf", {}},
                      Case{"installed", "", "main.tf", {}},
                      Case{"tfvars_order",
                           "",
                           "main.tf",
                           {{TerraformVariableArgument::Kind::kFile, "extra.tfvars"},
                            {TerraformVariableArgument::Kind::kAssignment,
                             "agent={privileged=true,user=\"0\"}"}}}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.reproducer + "_" + info.param.root;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

}  // namespace
}  // namespace ecsguard::ingest
