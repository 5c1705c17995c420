#!/usr/bin/env python3
"""A small ECS estate in moto_server for the remediation integration test.

  moto_estate.py seed ENDPOINT SNAPSHOT_DIR   seed the estate, then snapshot it
  moto_estate.py snapshot ENDPOINT SNAPSHOT_DIR
  moto_estate.py deploy ENDPOINT              play the ECS scheduler for service web
  moto_estate.py state ENDPOINT               print the state the test asserts on (JSON)
  moto_estate.py hand-fix ENDPOINT            what an operator does by hand after a scan:
                                              register web:N+1 (new image, non-root, not
                                              privileged) and move service web to it
  moto_estate.py add-flagged ENDPOINT         register one more flagged revision of web (a
                                              newer image, still privileged) and run it as a
                                              standalone task

The estate, in eu-west-1: cluster `prod` with one container instance on an EC2 instance that
has a public IP and a security group open to the internet; family `web` with revision 1
(bridge mode, harmless) and revision 2 (host mode, container `agent` privileged, container
`app` as root, environment values, a secret reference and tags) run by service `web`
(environment=production: a P1 finding); family `batch`, revision 1 (host mode, user 0:0) run
as a standalone task tagged environment=staging (P2: must stay untouched by a P1 remediation).

The snapshot is awscli-shaped JSON (describe-* outputs), what `ecsguard scan snapshot` reads.
"""

import json
import os
import sys
import urllib.request

import boto3

REGION = "eu-west-1"
SECRET = "postgres://web:Moto-S3cret-EXAMPLE@db:5432/web"


def client(endpoint, service):
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def keep_tasks_running(endpoint):
    # moto moves a task one state further (RUNNING, DEACTIVATING, ... STOPPED) each time it is
    # described; a "manual" transition that needs a million calls keeps it RUNNING.
    body = json.dumps({"model_name": "ecs::task",
                       "transition": {"progression": "manual", "times": 1000000}}).encode()
    request = urllib.request.Request(endpoint + "/moto-api/state-manager/set-transition",
                                     data=body, method="POST")
    urllib.request.urlopen(request).read()


def seed(endpoint):
    keep_tasks_running(endpoint)
    ecs = client(endpoint, "ecs")
    ec2 = client(endpoint, "ec2")
    ecs.create_cluster(clusterName="prod", tags=[{"key": "environment", "value": "production"}])

    sg = ec2.create_security_group(GroupName="ecs-hosts", Description="ECS hosts")["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large",
                                 SecurityGroupIds=[sg])["Instances"][0]
    document = json.dumps({"instanceId": instance["InstanceId"], "region": REGION,
                           "accountId": "123456789012"})
    ecs.register_container_instance(cluster="prod", instanceIdentityDocument=document)

    ecs.register_task_definition(
        family="web", networkMode="bridge",
        containerDefinitions=[{"name": "app", "image": "nginx:1.25", "memory": 256,
                               "essential": True}])
    ecs.register_task_definition(
        family="web",
        networkMode="host",
        taskRoleArn="arn:aws:iam::123456789012:role/web-task",
        containerDefinitions=[
            {"name": "app", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.0",
             "cpu": 256, "memory": 512, "essential": True, "user": "root",
             "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
             "environment": [{"name": "DATABASE_URL", "value": SECRET},
                             {"name": "PORT", "value": "8080"}],
             "secrets": [{"name": "API_KEY",
                          "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/web/key"}]},
            {"name": "agent", "image": "amazon/cloudwatch-agent:1.3", "memory": 128,
             "essential": False, "privileged": True},
        ],
        volumes=[{"name": "logs", "host": {"sourcePath": "/var/log"}}],
        tags=[{"key": "team", "value": "frontend"},
              {"key": "environment", "value": "production"}])
    ecs.create_service(cluster="prod", serviceName="web", taskDefinition="web:2", desiredCount=1,
                       launchType="EC2", tags=[{"key": "environment", "value": "production"}])
    ecs.run_task(cluster="prod", taskDefinition="web:2", count=1, launchType="EC2",
                 startedBy="ecs-svc/1234", group="service:web",
                 tags=[{"key": "environment", "value": "production"}])

    ecs.register_task_definition(
        family="batch", networkMode="host",
        containerDefinitions=[{"name": "job", "image": "busybox:1.36", "memory": 64,
                               "user": "0:0", "essential": True}],
        tags=[{"key": "environment", "value": "staging"}])
    ecs.run_task(cluster="prod", taskDefinition="batch:1", count=1, launchType="EC2",
                 startedBy="cron", tags=[{"key": "environment", "value": "staging"}])


def write(directory, name, value):
    with open(os.path.join(directory, name), "w") as f:
        json.dump(value, f, indent=2, default=str)


def snapshot(endpoint, directory):
    os.makedirs(directory, exist_ok=True)
    ecs = client(endpoint, "ecs")
    ec2 = client(endpoint, "ec2")
    strip = lambda r: {k: v for k, v in r.items() if k != "ResponseMetadata"}
    write(directory, "describe-clusters.json",
          strip(ecs.describe_clusters(clusters=["prod"], include=["TAGS"])))
    arns = []
    for status in ("ACTIVE", "INACTIVE"):
        arns += ecs.list_task_definitions(status=status)["taskDefinitionArns"]
    for arn in arns:
        name = arn.split("/")[-1].replace(":", "-")
        write(directory, f"describe-task-definition-{name}.json",
              strip(ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])))
    services = ecs.list_services(cluster="prod")["serviceArns"]
    if services:
        write(directory, "describe-services.json",
              strip(ecs.describe_services(cluster="prod", services=services, include=["TAGS"])))
    tasks = ecs.list_tasks(cluster="prod")["taskArns"]
    if tasks:
        write(directory, "describe-tasks.json",
              strip(ecs.describe_tasks(cluster="prod", tasks=tasks, include=["TAGS"])))
    instances = ecs.list_container_instances(cluster="prod")["containerInstanceArns"]
    write(directory, "describe-container-instances.json",
          strip(ecs.describe_container_instances(cluster="prod", containerInstances=instances)))
    write(directory, "ec2-describe-instances.json", strip(ec2.describe_instances()))
    write(directory, "ec2-describe-security-groups.json", strip(ec2.describe_security_groups()))


def web_revision(ecs, image, privileged, user, port=8080):
    """Registers a copy of the newest web revision with another image, user, privilege and host
    port (the one container instance has each host port once)."""
    arn = sorted(ecs.list_task_definitions(familyPrefix="web")["taskDefinitionArns"],
                 key=lambda a: int(a.rsplit(":", 1)[1]))[-1]
    answer = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
    td = answer["taskDefinition"]
    for c in td["containerDefinitions"]:
        if c["name"] == "app":
            c["image"] = image
            c["user"] = user
            c["portMappings"] = [{"containerPort": port, "hostPort": port, "protocol": "tcp"}]
        if c["name"] == "agent":
            c["privileged"] = privileged
    keep = ("family", "taskRoleArn", "networkMode", "containerDefinitions", "volumes")
    args = {k: td[k] for k in keep if k in td}
    return ecs.register_task_definition(tags=answer.get("tags", []), **args)[
        "taskDefinition"]["revision"]


def hand_fix(endpoint):
    ecs = client(endpoint, "ecs")
    revision = web_revision(ecs, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.1", False,
                            "1000")
    ecs.update_service(cluster="prod", service="web", taskDefinition=f"web:{revision}")


def add_flagged(endpoint):
    ecs = client(endpoint, "ecs")
    revision = web_revision(ecs, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2.1", True,
                            "root", port=8081)
    ecs.run_task(cluster="prod", taskDefinition=f"web:{revision}", count=1, launchType="EC2",
                 startedBy="cron", tags=[{"key": "environment", "value": "production"}])


def deploy(endpoint):
    """What ECS does after UpdateService and moto does not: replace the service's tasks."""
    ecs = client(endpoint, "ecs")
    service = ecs.describe_services(cluster="prod", services=["web"])["services"][0]
    wanted = service["taskDefinition"].split("/")[-1]
    tasks = ecs.list_tasks(cluster="prod")["taskArns"]
    for task in ecs.describe_tasks(cluster="prod", tasks=tasks)["tasks"] if tasks else []:
        if task.get("group") == "service:web" and \
                task["taskDefinitionArn"].split("/")[-1] != wanted:
            ecs.stop_task(cluster="prod", task=task["taskArn"], reason="deployment")
    ecs.run_task(cluster="prod", taskDefinition=wanted, count=1, launchType="EC2",
                 startedBy="ecs-svc/1234", group="service:web",
                 tags=[{"key": "environment", "value": "production"}])


def state(endpoint):
    ecs = client(endpoint, "ecs")
    out = {"services": {}, "revisions": {}}
    for svc in ecs.describe_services(cluster="prod", services=["web"])["services"]:
        out["services"][svc["serviceName"]] = svc["taskDefinition"]
    for family in ("web", "batch"):
        for status in ("ACTIVE", "INACTIVE"):
            for arn in ecs.list_task_definitions(familyPrefix=family, status=status)[
                    "taskDefinitionArns"]:
                answer = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
                td = answer["taskDefinition"]
                td["tags"] = answer.get("tags", [])
                out["revisions"][arn.split("/")[-1]] = td
    tasks = ecs.list_tasks(cluster="prod")["taskArns"]
    described = ecs.describe_tasks(cluster="prod", tasks=tasks)["tasks"] if tasks else []
    out["tasks"] = sorted(t["taskDefinitionArn"].split("/")[-1] + " " + t["desiredStatus"]
                          for t in described)
    json.dump(out, sys.stdout, indent=2, default=str, sort_keys=True)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, endpoint = argv[1], argv[2]
    if command == "seed":
        seed(endpoint)
        snapshot(endpoint, argv[3])
    elif command == "snapshot":
        snapshot(endpoint, argv[3])
    elif command == "deploy":
        deploy(endpoint)
    elif command == "state":
        state(endpoint)
    elif command == "hand-fix":
        hand_fix(endpoint)
    elif command == "add-flagged":
        add_flagged(endpoint)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
