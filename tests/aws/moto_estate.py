"""A moto_server on a free loopback port, and the estate the live-scan tests expect in it.

Used by test_live_scan.py and bench/aws_calls_bench.py; also runnable on its own:

    python3 tests/aws/moto_estate.py            # start moto, seed, print the manifest, wait
    python3 tests/aws/moto_estate.py --port N   # seed a moto_server that already runs on N

The estate (two accounts of one organization, two regions each; see EXPECTED below):

  management 123456789012 (tag environment=production)
    us-east-1  cluster prod-web (tag environment=production)
               i-pub   public IP, security group web-sg opens tcp 80 to 0.0.0.0/0
               i-priv  no public IP, security group internal-sg (tcp 22 from 10.0.0.0/8)
               web:1    host, user root          service web (old deployment) on i-pub
               web:2    host, user 1000:1000     service web on i-pub
               web:3    host, privileged         ACTIVE, no task (the latest revision)
               agent:1  host, privileged         daemon on i-priv, then deregistered (INACTIVE)
               agent:2  host, user 1000          ACTIVE, no task
               api:1    bridge, privileged       service api on i-priv
               batch:1  host, user 0             standalone task on i-priv
               old:1    host, privileged         task stopped
               service web behind the internet-facing ALB web-alb (target group web-tg)
    eu-west-1  cluster prod-eu (no tags), i-eu without public IP
               edge:1   host, user rootless      standalone task
  member "staging" (tag environment=staging), reached through AssumeRole
    us-east-1  cluster staging-apps, i-stg public IP, security group ssh-open (tcp 22 from anywhere)
               worker:1 host, privileged         service worker on i-stg
               worker:2 host, user nonroot       service worker on i-stg
    eu-west-1  cluster staging-eu, no container instances and no tasks

Only the standard library and boto3 are needed; moto is started as a subprocess.
"""

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

MANAGEMENT = "123456789012"
ROLE = "OrganizationAccountAccessRole"
REGIONS = ("us-east-1", "eu-west-1")


def moto_available():
    try:
        import boto3  # noqa: F401
        import moto  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the machine
        return f"moto/boto3 not importable: {e}"
    return None


def exit_77_unless_runnable(ecsguard):
    """For a test script's main: exits 77 (ctest: skipped), saying why, when moto or the
    ecsguard binary it runs is missing."""
    why = moto_available()
    if not why and not os.access(ecsguard, os.X_OK):
        why = f"ECSGUARD_BIN is not an executable: {ecsguard!r}"
    if why:
        print(f"SKIP: {why}")
        sys.exit(77)


def free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """moto_server on 127.0.0.1:<free port>; stopped (and waited for) on exit."""

    def __init__(self, env=None, startup_timeout=60):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.startup_timeout = startup_timeout
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
            start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"moto_server did not answer on {self.url} within "
                           f"{self.startup_timeout}s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def post(self, path, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method="POST")
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.read()


def client(service, endpoint, region, creds=None):
    import boto3
    from botocore.config import Config
    creds = creds or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        config=Config(retries={"max_attempts": 1}), **creds)


def keep_tasks_running(endpoint):
    """moto advances a task to STOPPED as soon as it is described, unless told otherwise."""
    body = json.dumps({"model_name": "ecs::task",
                       "transition": {"progression": "manual", "times": 1 << 30}}).encode()
    request = urllib.request.Request(endpoint + "/moto-api/state-manager/set-transition",
                                     data=body, method="POST")
    urllib.request.urlopen(request, timeout=10).read()


def container(name, **kw):
    c = {"name": name, "image": f"registry.example/{name}:1", "memory": 128,
         "essential": True, "portMappings": [{"containerPort": 8080, "hostPort": 8080}],
         "environment": [{"name": "DB_PASSWORD", "value": "hunter2-not-for-output"}]}
    c.update(kw)
    return c


class Region:
    """Seeds one account's region: network, instances, container instances, task definitions."""

    def __init__(self, endpoint, region, creds, account):
        self.region, self.account = region, account
        self.ecs = client("ecs", endpoint, region, creds)
        self.ec2 = client("ec2", endpoint, region, creds)
        self.elbv2 = client("elbv2", endpoint, region, creds)
        self.vpc = self.ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])
        self.vpc_id = self.vpc["Vpcs"][0]["VpcId"]
        subnets = self.ec2.describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}])["Subnets"]
        self.subnets = sorted(s["SubnetId"] for s in subnets)
        self.ami = self.ec2.describe_images()["Images"][0]["ImageId"]
        self.public_ips = {}
        self.private_subnet = None

    def security_group(self, name, port, cidr):
        sg = self.ec2.create_security_group(GroupName=name, Description=name,
                                            VpcId=self.vpc_id)["GroupId"]
        self.ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
            "IpRanges": [{"CidrIp": cidr}]}])
        return sg

    def instance(self, name, sg, public):
        # The default subnets give a public IP; a subnet of our own does not.
        if public:
            subnet = self.subnets[0]
        else:
            if not self.private_subnet:
                self.private_subnet = self.ec2.create_subnet(
                    VpcId=self.vpc_id, CidrBlock="172.31.200.0/24")["Subnet"]["SubnetId"]
            subnet = self.private_subnet
        out = self.ec2.run_instances(
            ImageId=self.ami, MinCount=1, MaxCount=1, InstanceType="m5.large",
            SubnetId=subnet, SecurityGroupIds=[sg],
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "Name", "Value": name}]}])["Instances"][0]
        self.public_ips[out["InstanceId"]] = out.get("PublicIpAddress")
        return out["InstanceId"]

    def cluster(self, name, tags=()):
        kw = {"tags": [{"key": k, "value": v} for k, v in tags]} if tags else {}
        return self.ecs.create_cluster(clusterName=name, **kw)["cluster"]["clusterArn"]

    def container_instance(self, cluster, instance_id):
        doc = json.dumps({"instanceId": instance_id, "region": self.region,
                          "accountId": self.account})
        return self.ecs.register_container_instance(
            cluster=cluster, instanceIdentityDocument=doc)["containerInstance"][
                "containerInstanceArn"]

    def task_definition(self, family, network_mode, *containers, tags=()):
        kw = {"tags": [{"key": k, "value": v} for k, v in tags]} if tags else {}
        td = self.ecs.register_task_definition(
            family=family, networkMode=network_mode, containerDefinitions=list(containers),
            requiresCompatibilities=["EC2"], **kw)
        return td["taskDefinition"]["taskDefinitionArn"]

    def start(self, cluster, td, container_instance, group, tags=()):
        kw = {"tags": [{"key": k, "value": v} for k, v in tags]} if tags else {}
        return self.ecs.start_task(cluster=cluster, taskDefinition=td,
                                   containerInstances=[container_instance], group=group,
                                   **kw)["tasks"][0]["taskArn"]


def seed(endpoint):
    """Seeds the estate described in the module docstring; returns the manifest."""
    keep_tasks_running(endpoint)
    org = client("organizations", endpoint, "us-east-1")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="staging", Email="staging@example.com")[
        "CreateAccountStatus"]["AccountId"]
    org.tag_resource(ResourceId=member, Tags=[{"Key": "environment", "Value": "staging"}])
    org.tag_resource(ResourceId=MANAGEMENT,
                     Tags=[{"Key": "environment", "Value": "production"},
                           {"Key": "owner", "Value": "platform"}])
    sts = client("sts", endpoint, "us-east-1")
    assumed = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/{ROLE}",
                              RoleSessionName="seed")["Credentials"]
    member_creds = {"aws_access_key_id": assumed["AccessKeyId"],
                    "aws_secret_access_key": assumed["SecretAccessKey"],
                    "aws_session_token": assumed["SessionToken"]}

    m = {"management": MANAGEMENT, "member": member, "tasks": {}}

    # management, us-east-1
    r = Region(endpoint, "us-east-1", None, MANAGEMENT)
    web_sg = r.security_group("web-sg", 80, "0.0.0.0/0")
    internal_sg = r.security_group("internal-sg", 22, "10.0.0.0/8")
    i_pub = r.instance("i-pub", web_sg, True)
    i_priv = r.instance("i-priv", internal_sg, False)
    cluster = r.cluster("prod-web", [("environment", "production")])
    ci_pub = r.container_instance(cluster, i_pub)
    ci_priv = r.container_instance(cluster, i_priv)
    web1 = r.task_definition("web", "host", container("web", user="root"))
    web2 = r.task_definition("web", "host", container("web", user="1000:1000"))
    r.task_definition("web", "host", container("web", privileged=True))
    agent1 = r.task_definition("agent", "host", container("agent", privileged=True),
                               tags=[("team", "observability")])
    r.task_definition("agent", "host", container("agent", user="1000"))
    api1 = r.task_definition("api", "bridge", container("api", privileged=True))
    batch1 = r.task_definition("batch", "host", container("batch", user="0"))
    old1 = r.task_definition("old", "host", container("old", privileged=True))
    lb = r.elbv2.create_load_balancer(Name="web-alb", Subnets=r.subnets[:2],
                                      SecurityGroups=[web_sg], Scheme="internet-facing",
                                      Type="application",
                                      Tags=[{"Key": "team", "Value": "web"}])
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tg_arn = r.elbv2.create_target_group(Name="web-tg", Protocol="HTTP", Port=80,
                                         VpcId=r.vpc_id, TargetType="instance")[
        "TargetGroups"][0]["TargetGroupArn"]
    r.elbv2.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}])
    r.ecs.create_service(cluster=cluster, serviceName="web", taskDefinition=web2,
                         desiredCount=2, launchType="EC2",
                         loadBalancers=[{"targetGroupArn": tg_arn, "containerName": "web",
                                         "containerPort": 8080}],
                         tags=[{"key": "app", "value": "web"}])
    r.ecs.create_service(cluster=cluster, serviceName="api", taskDefinition=api1,
                         desiredCount=1, launchType="EC2")
    t = m["tasks"]
    t["web1"] = r.start(cluster, web1, ci_pub, "service:web")
    t["web2"] = r.start(cluster, web2, ci_pub, "service:web")
    t["agent1"] = r.start(cluster, agent1, ci_priv, "family:agent")
    t["api1"] = r.start(cluster, api1, ci_priv, "service:api")
    t["batch1"] = r.start(cluster, batch1, ci_priv, "family:batch")
    t["old1"] = r.start(cluster, old1, ci_priv, "family:old")
    r.ecs.stop_task(cluster=cluster, task=t["old1"], reason="done")
    r.ecs.deregister_task_definition(taskDefinition=agent1)
    m["instances"] = {"i-pub": i_pub, "i-priv": i_priv}
    m["public_ips"] = {"i-pub": r.public_ips[i_pub]}
    m["security_groups"] = {"web-sg": web_sg, "internal-sg": internal_sg}
    m["load_balancer"] = lb_arn
    m["target_group"] = tg_arn

    # management, eu-west-1
    r = Region(endpoint, "eu-west-1", None, MANAGEMENT)
    sg = r.security_group("eu-sg", 443, "10.0.0.0/8")
    i_eu = r.instance("i-eu", sg, False)
    cluster = r.cluster("prod-eu")
    ci = r.container_instance(cluster, i_eu)
    edge1 = r.task_definition("edge", "host", container("edge", user="rootless"))
    t["edge1"] = r.start(cluster, edge1, ci, "family:edge")
    m["instances"]["i-eu"] = i_eu

    # member, us-east-1
    r = Region(endpoint, "us-east-1", member_creds, member)
    sg = r.security_group("ssh-open", 22, "0.0.0.0/0")
    i_stg = r.instance("i-stg", sg, True)
    cluster = r.cluster("staging-apps")
    ci = r.container_instance(cluster, i_stg)
    worker1 = r.task_definition("worker", "host", container("worker", privileged=True))
    worker2 = r.task_definition("worker", "host", container("worker", user="nonroot"))
    r.ecs.create_service(cluster=cluster, serviceName="worker", taskDefinition=worker2,
                         desiredCount=2, launchType="EC2")
    t["worker1"] = r.start(cluster, worker1, ci, "service:worker")
    t["worker2"] = r.start(cluster, worker2, ci, "service:worker")
    m["instances"]["i-stg"] = i_stg
    m["public_ips"]["i-stg"] = r.public_ips[i_stg]
    m["security_groups"]["ssh-open"] = sg

    # member, eu-west-1: a cluster with nothing in it
    r = Region(endpoint, "eu-west-1", member_creds, member)
    r.cluster("staging-eu")
    return m


READ_ONLY_ACTIONS = [
    "ecs:List*", "ecs:Describe*", "ec2:DescribeRegions", "ec2:DescribeInstances",
    "ec2:DescribeSecurityGroups", "elasticloadbalancing:Describe*"]


def create_member_role(endpoint, member):
    """OrganizationAccountAccessRole in the member account (moto's CreateAccount makes it, as
    AWS does), allowed the scan's read-only calls: what signature-verified runs need."""
    sts = client("sts", endpoint, "us-east-1")
    assumed = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/{ROLE}",
                              RoleSessionName="seed")["Credentials"]
    iam = client("iam", endpoint, "us-east-1", {
        "aws_access_key_id": assumed["AccessKeyId"],
        "aws_secret_access_key": assumed["SecretAccessKey"],
        "aws_session_token": assumed["SessionToken"]})
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}}]}
    try:
        iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(trust))
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": READ_ONLY_ACTIONS, "Resource": "*"}]}
    iam.put_role_policy(RoleName=ROLE, PolicyName="read", PolicyDocument=json.dumps(policy))


def enable_authentication(endpoint):
    """From now on moto verifies every request's signature and authorizes it against IAM."""
    # text/plain: a form content type would make moto read an empty body.
    request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=10).read()


def create_scanner_user(endpoint, name="ecsguard-scanner", exclude=(), extra=()):
    """An IAM user with the scan's read-only policy (less `exclude`, plus `extra`) and an access
    key, for signature-verified runs. Returns (access key id, secret)."""
    iam = client("iam", endpoint, "us-east-1")
    iam.create_user(UserName=name)
    actions = [a for a in READ_ONLY_ACTIONS if a not in exclude] + list(extra) + [
        "organizations:ListAccounts", "organizations:ListTagsForResource", "sts:AssumeRole",
        "sts:GetCallerIdentity"]
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    iam.put_user_policy(UserName=name, PolicyName="read", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, help="seed the moto_server on this port")
    args = p.parse_args()
    if args.port:
        print(json.dumps(seed(f"http://127.0.0.1:{args.port}"), indent=2))
        return
    # SIGTERM (and SIGINT) leave through the with-block, which stops moto_server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with MotoServer() as moto:
        print(json.dumps({"endpoint": moto.url, **seed(moto.url)}, indent=2), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
