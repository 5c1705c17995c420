#pragma once

// The schema and fixture graph of the query conformance cases (spec/query-cases.json), copied
// here so that the unit tests run without the shared spec folder. Six ECS task definitions
// td1..td6 with container specs s1..s9, env entries e1..e4, tasks t1..t4 and services svc1..svc3.

#include <string_view>

namespace ecsguard::query::testdata {

inline constexpr std::string_view kSchema = R"graphql(
type ECSTaskDefinition @node {
  id: ID!
  arn: String
  family: String
  revision: Int
  networkMode: String
  pidMode: String
  cpu: Float
  tags: [String!]
  containerSpecs: [ECSTaskContainerSpec!]! @relationship(type: "HAS_CONTAINER_DEFINITION", direction: OUT)
  task: ECSTask @relationship(type: "HAS_TASK_DEFINITION", direction: IN)
  services: [ECSService!]! @relationship(type: "HAS_TASK_DEFINITION", direction: IN)
}
type ECSTaskContainerSpec @node {
  id: ID!
  name: String
  image: String
  privileged: Boolean
  user: String
  readOnlyRootFS: Boolean
  memory: Int
  envEntries: [ECSEnvEntry!]! @relationship(type: "HAS_ENV_ENTRY", direction: OUT)
  taskDefinition: ECSTaskDefinition @relationship(type: "HAS_CONTAINER_DEFINITION", direction: IN)
}
type ECSEnvEntry @node {
  id: ID!
  key: String
  value: String
}
type ECSTask @node {
  id: ID!
  lastStatus: String
  launchType: String
  taskDefinition: ECSTaskDefinition @relationship(type: "HAS_TASK_DEFINITION", direction: OUT)
}
type ECSService @node {
  id: ID!
  name: String
  platformVersion: String
  taskDefinition: ECSTaskDefinition @relationship(type: "HAS_TASK_DEFINITION", direction: OUT)
}
)graphql";

inline constexpr std::string_view kFixture = R"json(
{"nodes": [
  {"id": "td1", "label": "ECSTaskDefinition", "props": {"arn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3", "family": "web", "revision": 3, "networkMode": "host", "pidMode": "host", "cpu": 256.0, "tags": ["prod", "web"]}},
  {"id": "td2", "label": "ECSTaskDefinition", "props": {"family": "api", "revision": 1, "networkMode": "host", "cpu": 512.0, "tags": ["dev"]}},
  {"id": "td3", "label": "ECSTaskDefinition", "props": {"family": "batch", "revision": 7, "networkMode": "awsvpc", "pidMode": "task", "cpu": 1024.5, "tags": []}},
  {"id": "td4", "label": "ECSTaskDefinition", "props": {"networkMode": "host"}},
  {"id": "td5", "label": "ECSTaskDefinition", "props": {"family": "Web-frontend", "revision": 2, "pidMode": "HOST", "tags": ["prod"]}},
  {"id": "td6", "label": "ECSTaskDefinition", "props": {"family": "", "revision": 10, "networkMode": "bridge"}},
  {"id": "s1", "label": "ECSTaskContainerSpec", "props": {"name": "nginx", "image": "nginx:1.25", "privileged": true, "user": "root", "readOnlyRootFS": false, "memory": 512}},
  {"id": "s2", "label": "ECSTaskContainerSpec", "props": {"name": "sidecar", "privileged": false, "user": "app", "readOnlyRootFS": true, "memory": 256}},
  {"id": "s3", "label": "ECSTaskContainerSpec", "props": {"name": "api", "privileged": false, "user": "Root", "memory": 1024}},
  {"id": "s4", "label": "ECSTaskContainerSpec", "props": {"name": "logger", "readOnlyRootFS": true}},
  {"id": "s5", "label": "ECSTaskContainerSpec", "props": {"name": "job", "privileged": true, "user": "1000:1000", "readOnlyRootFS": false, "memory": 4096}},
  {"id": "s6", "label": "ECSTaskContainerSpec", "props": {"name": "frontend", "privileged": false, "user": "rootless", "readOnlyRootFS": false, "memory": 2048}},
  {"id": "s7", "label": "ECSTaskContainerSpec", "props": {"name": "proxy", "privileged": false, "user": "nobody", "readOnlyRootFS": false, "memory": 128}},
  {"id": "s8", "label": "ECSTaskContainerSpec", "props": {"name": "old1", "privileged": true, "user": "root"}},
  {"id": "s9", "label": "ECSTaskContainerSpec", "props": {"name": "old2", "privileged": true, "user": "admin"}},
  {"id": "e1", "label": "ECSEnvEntry", "props": {"key": "AWS_ACCESS_KEY_ID", "value": "AKIAEXAMPLE"}},
  {"id": "e2", "label": "ECSEnvEntry", "props": {"key": "LOG_LEVEL", "value": "debug"}},
  {"id": "e3", "label": "ECSEnvEntry", "props": {"key": "AWS_SECRET_ACCESS_KEY", "value": "secret"}},
  {"id": "e4", "label": "ECSEnvEntry", "props": {"key": "ECS_ENGINE_AUTH_TYPE", "value": "dockercfg"}},
  {"id": "t1", "label": "ECSTask", "props": {"lastStatus": "RUNNING", "launchType": "EC2"}},
  {"id": "t2", "label": "ECSTask", "props": {"lastStatus": "STOPPED", "launchType": "EC2"}},
  {"id": "t3", "label": "ECSTask", "props": {"lastStatus": "RUNNING", "launchType": "EC2"}},
  {"id": "t4", "label": "ECSTask", "props": {"lastStatus": "RUNNING", "launchType": "FARGATE"}},
  {"id": "svc1", "label": "ECSService", "props": {"name": "web-svc", "platformVersion": "LATEST"}},
  {"id": "svc2", "label": "ECSService", "props": {"name": "batch-svc", "platformVersion": "1.3.0"}},
  {"id": "svc3", "label": "ECSService", "props": {"name": "legacy-svc"}}
], "relationships": [
  {"type": "HAS_CONTAINER_DEFINITION", "from": "td1", "to": "s1"}, {"type": "HAS_CONTAINER_DEFINITION", "from": "td1", "to": "s2"},
  {"type": "HAS_CONTAINER_DEFINITION", "from": "td2", "to": "s3"}, {"type": "HAS_CONTAINER_DEFINITION", "from": "td2", "to": "s4"},
  {"type": "HAS_CONTAINER_DEFINITION", "from": "td3", "to": "s5"}, {"type": "HAS_CONTAINER_DEFINITION", "from": "td5", "to": "s6"},
  {"type": "HAS_CONTAINER_DEFINITION", "from": "td5", "to": "s7"}, {"type": "HAS_CONTAINER_DEFINITION", "from": "td6", "to": "s8"},
  {"type": "HAS_CONTAINER_DEFINITION", "from": "td6", "to": "s9"}, {"type": "HAS_ENV_ENTRY", "from": "s1", "to": "e1"},
  {"type": "HAS_ENV_ENTRY", "from": "s3", "to": "e2"}, {"type": "HAS_ENV_ENTRY", "from": "s6", "to": "e3"},
  {"type": "HAS_ENV_ENTRY", "from": "s5", "to": "e4"}, {"type": "HAS_TASK_DEFINITION", "from": "t1", "to": "td1"},
  {"type": "HAS_TASK_DEFINITION", "from": "t2", "to": "td2"}, {"type": "HAS_TASK_DEFINITION", "from": "t3", "to": "td4"},
  {"type": "HAS_TASK_DEFINITION", "from": "t4", "to": "td5"}, {"type": "HAS_TASK_DEFINITION", "from": "svc1", "to": "td1"},
  {"type": "HAS_TASK_DEFINITION", "from": "svc2", "to": "td3"}, {"type": "HAS_TASK_DEFINITION", "from": "svc3", "to": "td6"}
]}
)json";

}  // namespace ecsguard::query::testdata
