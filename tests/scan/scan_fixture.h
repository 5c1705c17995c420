#pragma once

// What the scan tests share: the bundled schema and catalog, a small graph of IaC-like task
// definitions (one privileged in host mode, one root in host mode, one in awsvpc), and a clock
// fixed on 2026-06-15.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "base/clock.h"
#include "controls/controls.h"
#include "graph/graph.h"
#include "support.h"

namespace ecsguard::scan::testing {

inline constexpr char kControl[] = "aws-ecs-1-privileged-network-mode";
inline constexpr char kPriv[] = "infra/app.yaml#HostPriv";
inline constexpr char kRoot[] = "infra/app.yaml#HostRoot";
inline constexpr char kVpc[] = "infra/other.yaml#Vpc";

inline constexpr char kGraph[] = R"({
  "nodes": [
    {"id": "infra/app.yaml#HostPriv", "label": "ECSTaskDefinition", "props": {"identifier": "infra/app.yaml#HostPriv", "networkMode": "host"}},
    {"id": "infra/app.yaml#HostRoot", "label": "ECSTaskDefinition", "props": {"identifier": "infra/app.yaml#HostRoot", "networkMode": "host"}},
    {"id": "infra/other.yaml#Vpc", "label": "ECSTaskDefinition", "props": {"identifier": "infra/other.yaml#Vpc", "networkMode": "awsvpc"}},
    {"id": "infra/app.yaml#HostPriv/web", "label": "ECSTaskContainerSpec", "props": {"name": "web", "privileged": true}},
    {"id": "infra/app.yaml#HostRoot/app", "label": "ECSTaskContainerSpec", "props": {"name": "app", "user": "root"}},
    {"id": "infra/other.yaml#Vpc/app", "label": "ECSTaskContainerSpec", "props": {"name": "app", "user": "1000"}}
  ],
  "relationships": [
    {"type": "HAS_CONTAINER_DEFINITION", "from": "infra/app.yaml#HostPriv", "to": "infra/app.yaml#HostPriv/web"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "infra/app.yaml#HostRoot", "to": "infra/app.yaml#HostRoot/app"},
    {"type": "HAS_CONTAINER_DEFINITION", "from": "infra/other.yaml#Vpc", "to": "infra/other.yaml#Vpc/app"}
  ]
})";

inline std::chrono::system_clock::time_point June15() {
  return std::chrono::sys_days{std::chrono::year{2026} / 6 / 15} + std::chrono::hours{12};
}

class ScanFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = graph::Schema::Parse(
        ecsguard::testing::ReadFileOrDie(ecsguard::testing::SourcePath("schemas/aws.graphql")));
    ASSERT_TRUE(schema.ok()) << schema.error().ToString();
    schema_ = std::move(schema).value();
    auto g = graph::LoadGraphJson(kGraph);
    ASSERT_TRUE(g.ok()) << g.error().ToString();
    graph_ = std::move(g).value();
    auto catalog = controls::Catalog::LoadDirectory(ecsguard::testing::SourcePath("controls"));
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = std::move(catalog).value();
  }

  graph::Schema schema_;
  graph::Graph graph_;
  controls::Catalog catalog_;
  FixedClock clock_{June15()};
};

}  // namespace ecsguard::scan::testing
