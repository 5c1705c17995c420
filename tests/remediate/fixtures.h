#pragma once

// Shared fixtures: a describe-task-definition answer with every shape the fix must handle, and
// findings about it.

#include <string>
#include <vector>

#include "posture/finding.h"

namespace ecsguard::remediate::testing {

inline constexpr char kArn[] = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12";
inline constexpr char kSecretValue[] = "postgres://app:S3cr3t-EXAMPLE@db:5432/web";

// Containers: app (privileged, user root, environment, secrets), sidecar (user 0:0), plain (no
// user, privileged false), grouproot (user 1000:root), worker (no user, no privileged).
inline constexpr char kDescribe[] = R"({
  "taskDefinition": {
    "taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12",
    "containerDefinitions": [
      {
        "name": "app",
        "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.2.3",
        "cpu": 256,
        "memory": 512,
        "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
        "essential": true,
        "environment": [
          {"name": "DATABASE_URL", "value": "postgres://app:S3cr3t-EXAMPLE@db:5432/web"},
          {"name": "PORT", "value": "8080"}
        ],
        "secrets": [
          {"name": "API_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:111122223333:parameter/web/api-key"}
        ],
        "user": "root",
        "privileged": true,
        "readonlyRootFilesystem": false,
        "mountPoints": [],
        "volumesFrom": []
      },
      {
        "name": "sidecar",
        "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2",
        "memory": 128,
        "essential": false,
        "user": "0:0",
        "environment": []
      },
      {
        "name": "plain",
        "image": "busybox:1.36",
        "memory": 64,
        "privileged": false,
        "essential": false
      },
      {
        "name": "grouproot",
        "image": "busybox:1.36",
        "memory": 64,
        "user": "1000:root",
        "essential": false
      }
    ],
    "family": "web",
    "taskRoleArn": "arn:aws:iam::111122223333:role/web-task",
    "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
    "networkMode": "host",
    "revision": 12,
    "volumes": [{"name": "logs", "host": {"sourcePath": "/var/log"}}],
    "status": "ACTIVE",
    "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.task-iam-role"}],
    "placementConstraints": [],
    "compatibilities": ["EXTERNAL", "EC2"],
    "requiresCompatibilities": ["EC2"],
    "cpu": "512",
    "memory": "1024",
    "registeredAt": "2024-11-19T16:20:41.093000+00:00",
    "registeredBy": "arn:aws:sts::111122223333:assumed-role/deploy/ci"
  },
  "tags": [
    {"key": "team", "value": "frontend"},
    {"key": "environment", "value": "production"}
  ]
})";

inline posture::Finding MakeFinding(std::string id, std::string control, std::string arn,
                                    posture::Priority priority,
                                    std::vector<std::string> containers = {"app"},
                                    std::vector<std::string> services = {}) {
  posture::Finding f;
  f.id = std::move(id);
  f.control_id = std::move(control);
  f.status = posture::Status::kFail;
  f.resource.type = "ECSTaskDefinition";
  f.resource.arn = arn;
  f.resource.id = arn;
  // arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REV
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  f.resource.region = parts[3];
  f.resource.account_id = parts[4];
  std::string resource = arn.substr(start);  // task-definition/web:12
  std::string name = resource.substr(resource.find('/') + 1);
  f.resource.family = name.substr(0, name.find(':'));
  f.resource.revision = std::stoll(name.substr(name.find(':') + 1));
  f.resource.name = name;
  for (const std::string& c : containers) {
    f.evidence.push_back({"containerSpecs", c, {{"privileged", "true"}}, {}});
  }
  f.context.priority = priority;
  f.context.services = std::move(services);
  if (!f.context.services.empty()) {
    f.context.tasks = {"arn:aws:ecs:" + f.resource.region + ":" + f.resource.account_id +
                       ":task/c/1"};
  }
  return f;
}

}  // namespace ecsguard::remediate::testing
